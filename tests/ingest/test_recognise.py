from ingest_helpers import letter_from_text

from ingest.normalise import normalise
from ingest.recognise import recognise
from ingest.sentences import split_sentences


def mentions(text: str):
    doc = normalise(letter_from_text(text))
    return recognise(doc.text, split_sentences(doc))


def keys(text: str, label: str) -> set[str]:
    return {m.key for m in mentions(text) if m.label == label}


def test_ministries_by_name_abbreviation_title_and_ocr_slip():
    text = (
        "Het Ministerie van Volksgezondheid, Welzijn en Sport, de minister van EZ, mijn collega van lenW "
        "en het departement van Defensie."
    )
    assert keys(text, "Ministry") == {"ministry:vws", "ministry:ez", "ministry:ienw", "ministry:defensie"}


def test_foreign_minister_president_is_not_the_dutch_one():
    assert keys("De Vlaamse Minister-President en ik.", "Ministry") == set()
    assert keys("Het bezoek van de Minister-President aan Dokkum.", "Ministry") == {"ministry:az"}


def test_unlisted_programmes_are_found_by_pattern():
    text = (
        "Het Nationaal Programma Gezonde Wijken loopt. Met het programma Schone Lucht van het Ministerie "
        "van IenW en de Kustagenda met Vlaanderen. Ook de Groene Deal telt."
    )
    found = keys(text, "Programme")
    assert {
        "programme:nationaal-programma-gezonde-wijken",
        "programme:schone-lucht",
        "programme:kustagenda-vlaanderen",  # one agenda whatever the spelling
        "programme:groene-deals",
    } <= found


def test_abbreviation_definition_makes_an_alias_used_later():
    ms = mentions("Het Nationaal Plan Waterkracht (NPW) start. Later werkt het NPW verder.")
    npw = [m for m in ms if m.key == "programme:nationaal-plan-waterkracht"]
    assert [m.text for m in npw] == ["Nationaal Plan Waterkracht", "NPW", "NPW"]


def test_regions_by_compass_pattern_pairs_and_gazetteer():
    text = (
        "De regio's Noord- en Oost-Groningen, Zuid-Oost Friesland, West-Achterhoek, Twente "
        "en de Kop van Texel."
    )
    found = keys(text, "Region")
    assert {
        "region:noord-en-oost-groningen",
        "region:zuidoost-friesland",  # COROP Zuidoost-Friesland (CR06), decisions D2
        "region:west-achterhoek",
        "region:twente",
        "region:kop-van-texel",
    } <= found


def test_neighbouring_state_inside_a_region_name_is_not_a_state():
    ms = mentions("In Zeeuws-Vlaanderen en met Vlaanderen.")
    assert [(m.label, m.text) for m in ms] == [
        ("Region", "Zeeuws-Vlaanderen"),
        ("NeighbouringState", "Vlaanderen"),
    ]


def test_programme_areas_people_parties_motions_and_documents():
    text = (
        "Het NOVEX-gebied Rivierland. Het lid Jansen (GL/PvdA) vroeg naar de motie-De Boer "
        "(Kamerstuk 36 600 VII, nr. 12) en Kamerlid Pieters naar de motie van laatstgenoemde."
    )
    ms = mentions(text)
    got = {(m.label, m.key) for m in ms}
    assert ("Region", "region:novex-gebied-rivierland") in got
    assert ("Person", "person:jansen") in got and ("Party", "party:groenlinks-pvda") in got
    assert ("Motion", "motion:de-boer") in got
    assert ("Document", "document:36600-VII-12") in got
    assert ("Person", "person:pieters") in got
