from ingest_helpers import letter_from_text

from ingest.metadata import read_metadata
from ingest.normalise import normalise

KAMERSTUK = """Tweede Kamer der Staten-Generaal 2
Vergaderjaar 2021–2022

32 851 Grensoverschrijdende samenwerking (GROS)

Nr. 75  BRIEF VAN DE MINISTER VAN BINNENLANDSE ZAKEN EN
KONINKRIJKSRELATIES

Aan de Voorzitter van de Tweede Kamer der Staten-Generaal

Den Haag, 13 mei 2022

Een zin over de regio.

De Minister van Binnenlandse Zaken en Koninkrijksrelaties,
H.G.J. Bruins Slot
"""

WEB = """Nadere uitwerking van iets

Brief regering

Nummer: 2030D12345, datum: 2030-01-31, bijgewerkt: 2030-02-01

Onderdeel van zaak 2030Z54321:

Tekst van de brief.

De Staatssecretaris van Infrastructuur en Waterstaat,

A. de Vries
"""


def test_kamerstuk_header():
    meta = read_metadata(normalise(letter_from_text(KAMERSTUK)))
    assert meta.date == "2022-05-13"
    assert [(d.number, d.title) for d in meta.dossiers] == [
        ("32851", "Grensoverschrijdende samenwerking (GROS)")
    ]
    assert meta.volgnummer == "75" and meta.kamerstuk == "32851-75"
    assert meta.kind == "Brief regering"
    assert meta.document_number is None and meta.title is None  # not stated: stays empty
    [sig] = meta.signatories
    assert (
        sig.name == "H.G.J. Bruins Slot"
        and sig.ministry == "ministry:bzk"
        and sig.role == "minister"
    )


def test_web_export_header():
    meta = read_metadata(normalise(letter_from_text(WEB)))
    assert meta.date == "2030-01-31"
    assert meta.document_number == "2030D12345" and meta.zaak == "2030Z54321"
    assert meta.title == "Nadere uitwerking van iets"
    [sig] = meta.signatories
    assert (
        sig.name == "A. de Vries"
        and sig.ministry == "ministry:ienw"
        and sig.role == "staatssecretaris"
    )


def test_missing_fields_stay_empty():
    meta = read_metadata(normalise(letter_from_text("Een brief zonder kop of ondertekening.\n")))
    assert meta.date is None and meta.signatories == [] and meta.dossiers == [] and meta.kind is None
