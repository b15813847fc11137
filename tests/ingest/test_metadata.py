"""Letter metadata from header lines and signatures. Every text here is written for the test."""

import pytest
from ingest_helpers import extract_text, letter_from_text
from pydantic import ValidationError

from ingest.metadata import read_metadata
from ingest.normalise import HeaderWords, header_words, normalise


def meta_of(text: str):
    return read_metadata(normalise(letter_from_text(text)))


PRINTED = """Tweede Kamer der Staten-Generaal 2
Vergaderjaar 2030–2031

41 203 Vitale kernen en dorpen

Nr. 14  BRIEF VAN DE MINISTER VAN VOLKSGEZONDHEID, WELZIJN EN
SPORT

Aan de voorzitter van de Tweede Kamer der Staten-Generaal

Den Haag, 9 oktober 2030

Met deze brief bied ik u het plan voor de dorpen in de Kempen aan.

De Minister van Volksgezondheid, Welzijn en Sport,
P.J. van Dongen
"""

# tweedekamer.nl: every field on a line of its own, no blank lines, the body wrapped
TWEEDEKAMER = """Brief regering : Voortgang Regionaal Programma Heidelandschap
41 377 XII Vaststelling van de begrotingsstaten van het fonds voor het jaar 2031
Nr. 8
BRIEF VAN DE STAATSSECRETARIS VAN INFRASTRUCTUUR EN WATERSTAAT
Aan de voorzitter van de Tweede Kamer der Staten-Generaal
Den Haag, 4 maart 2031
Met deze brief informeer ik u over de voortgang van het programma in de
Kempen en de Peel. In dit programma werken provincie en gemeenten samen.
"""

# tkconv: a metadata block before the printed letter
TKCONV = """Tweede voortgangsrapportage Programma Heidelandschap
Vitale kernen en dorpen
Brief regering
Nummer: 2031D10457, datum: 2031-02-20, bijgewerkt: 2031-03-01 09:45, versie: 2
Gerelateerde personen:- Eerste ondertekenaar: M.E. Bos, minister van Volksgezondheid, Welzijn en Sport
- Mede ondertekenaar: T. de Wit, staatssecretaris van Infrastructuur en Waterstaat
Onderdeel van kamerstukdossier 41203 -15 Vitale kernen en dorpen.
Onderdeel van zaak 2031Z03321:
- Indiener: R. Kuiper, minister van Financiën
- Volgcommissie: vaste commissie voor Landbouw, Natuur en Voedselkwaliteit
Preview document (origineel)
In deze brief ga ik in op de voortgang van het programma in de regio.
"""


def test_printed_header_and_signature_block():
    meta = meta_of(PRINTED)
    assert meta.date == "2030-10-09"
    assert [(d.number, d.title) for d in meta.dossiers] == [("41203", "Vitale kernen en dorpen")]
    assert meta.volgnummer == "14" and meta.kamerstuk == "41203-14"
    assert meta.kind == "Brief regering"
    assert meta.document_number is None and meta.title is None  # not stated: stays empty
    [sig] = meta.signatories
    assert (sig.name, sig.role, sig.ministry) == ("P.J. van Dongen", "minister", "ministry:vws")


def test_web_page_header_lines_are_read_one_by_one():
    meta = meta_of(TWEEDEKAMER)
    assert meta.title == "Voortgang Regionaal Programma Heidelandschap"
    assert [d.number for d in meta.dossiers] == ["41377-XII"]
    assert meta.volgnummer == "8" and meta.kamerstuk == "41377-XII-8"
    assert meta.date == "2031-03-04"
    assert meta.kind == "Brief regering"
    assert meta.signatories == []  # no signature block, no signer line


def test_metadata_block_of_a_page():
    meta = meta_of(TKCONV)
    assert meta.title == "Tweede voortgangsrapportage Programma Heidelandschap"
    assert meta.date == "2031-02-20"
    assert (meta.document_number, meta.zaak) == ("2031D10457", "2031Z03321")
    assert [(d.number, d.title) for d in meta.dossiers] == [("41203", "Vitale kernen en dorpen")]
    assert meta.kamerstuk == "41203-15"
    signers = [(s.name, s.role, s.ministry) for s in meta.signatories]
    # the submitter ("Indiener") is not a signer
    assert signers == [
        ("M.E. Bos", "minister", "ministry:vws"),
        ("T. de Wit", "staatssecretaris", "ministry:ienw"),
    ]


def test_signer_line_makes_a_signed_by_relationship():
    graph = extract_text(TKCONV)
    [letter] = [n for n in graph.nodes if "Letter" in n.labels]
    signed = {r.end for r in graph.relationships if r.type == "SIGNED_BY" and r.start == letter.id}
    names = {n.id: n.name for n in graph.nodes}
    assert {names[pid] for pid in signed} == {"M.E. Bos", "T. de Wit"}


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("'s-Gravenhage, 1 april 2031", "2031-04-01"),
        ("Vastgesteld 12 maart 2031", "2031-03-12"),
        ("Datum 3 juni 2031", "2031-06-03"),
        ("Nummer: 2031D20001, datum: 2031-06-30", "2031-06-30"),
        ("17 mei 2031", "2031-05-17"),
        ("Den Haag, 31 februari 2031", None),  # no such day
    ],
)
def test_date_forms_in_a_header_line(line, date):
    text = f"41 203 Vitale kernen en dorpen\n\nNr. 20 VERSLAG VAN EEN SCHRIFTELIJK OVERLEG\n\n{line}\n\n"
    text += "De commissie heeft vragen gesteld over de dorpen in de regio.\n"
    assert meta_of(text).date == date


def test_committee_report_kind_and_date():
    meta = meta_of(
        "41 203 Vitale kernen en dorpen\n\nNr. 21 VERSLAG VAN EEN COMMISSIEDEBAT\n\n"
        "Vastgesteld 2 juli 2031\n\nDe vaste commissie heeft overleg gevoerd over de regio.\n"
    )
    assert (meta.kind, meta.date, meta.kamerstuk) == ("Verslag", "2031-07-02", "41203-21")


def test_a_date_in_the_body_is_not_the_letters_date():
    meta = meta_of("Op 12 maart 2031 sprak ik met de regio.\n\nDat gesprek was nuttig.\n")
    assert meta.date is None


def test_a_minister_named_in_the_third_person_is_not_a_signatory():
    meta = meta_of(
        "Kamerbrief Aanbieding Regio Deal Heidelandschap\n\n"
        "Mede namens de minister van Financiën biedt minister Van Dongen de Regio Deal aan.\n\n"
        "Dat schreef de Minister van Financiën, R. Kuiper, aan de provincie.\n"
    )
    assert meta.signatories == []
    assert meta.title == "Kamerbrief Aanbieding Regio Deal Heidelandschap"
    assert meta.date is None  # not stated: stays empty


def test_several_signature_blocks_without_blank_lines():
    meta = meta_of(
        "Wij informeren u over de voortgang.\n"
        "De Minister-President, Minister van Algemene Zaken,\n"
        "drs. A.B. Jansen\n"
        "De Staatssecretaris van Volksgezondheid, Welzijn en Sport,\n"
        "\n"
        "C. van der Meer\n"
    )
    assert [(s.name, s.role, s.ministry) for s in meta.signatories] == [
        ("A.B. Jansen", "minister-president", "ministry:az"),
        ("C. van der Meer", "staatssecretaris", "ministry:vws"),
    ]


def test_missing_fields_stay_empty():
    meta = meta_of("Een brief zonder kop of ondertekening.\n")
    assert meta.date is None and meta.signatories == [] and meta.dossiers == [] and meta.kind is None
    assert meta.title is None and meta.kamerstuk is None


def test_navigation_page_without_a_letter():
    graph = extract_text(
        "[home] [nieuws] [zoeken]\nMenu\nZoeken\nOver ons\nContact\n\n"
        "Deze pagina bestaat niet meer. Ga terug naar de startpagina.\n"
    )
    [letter] = [n for n in graph.nodes if "Letter" in n.labels]
    assert not {"date", "title", "kamerstuk", "signatories"} & set(letter.properties)


def test_a_letter_of_300_pages_is_read():
    page = (
        "De regio werkt met het Rijk aan betere verbindingen en meer woningen in de\n"
        "dorpen en kernen. Het plan richt zich op werk en onderwijs voor inwoners.\n\n"
    ) * 20
    meta = meta_of(PRINTED.replace("Met deze brief", page * 300 + "Met deze brief"))
    assert meta.date == "2030-10-09" and meta.kamerstuk == "41203-14"
    assert [s.name for s in meta.signatories] == ["P.J. van Dongen"]


def test_the_words_file_is_validated():
    words = header_words().model_dump()
    words["months"] = words["months"][:11]
    with pytest.raises(ValidationError):
        HeaderWords.model_validate(words)
    words = header_words().model_dump()
    words["titled_kinds"] = ["Nota"]  # not a kind
    with pytest.raises(ValidationError):
        HeaderWords.model_validate(words)
