import re

import yaml
from ingest_helpers import extract_text, rel_keys

from ingest.relate import DATA

LETTER = """Den Haag, 1 juni 2030

Het kabinet start het Nationaal Programma Sterke Kusten (NPSK). Met het NPSK werken we aan de kust.

Dit betekent dat het programma zich richt op: de Kop van Noord-Holland, Walcheren en Zeeuws-Vlaanderen.

Binnen het kabinet neem ik als minister van BZK de coördinatie van het NPSK op me.

De ministeries van IenW en LVVN committeren zich aan de plannen voor de regio's.

Het kabinet werkt aan samenhang tussen het NPSK, NOVEX en de Regio Deals.

Het bestaande programma Kustpact gaat op in het NPSK.

Ook de samenwerking met Vlaanderen en Nedersaksen zetten we voort.

Het programma Waddenkracht (Friesland en Groningen) loopt al.

De Minister van Binnenlandse Zaken en Koninkrijksrelaties,

A.B. Voorbeeld
"""


def test_relationships_are_read_from_sentences():
    g = extract_text(LETTER)
    npsk = "programme:nationaal-programma-sterke-kusten"
    assert rel_keys(g, "COVERS") >= {
        (npsk, "region:kop-van-noord-holland"),
        (npsk, "region:walcheren"),
        (npsk, "region:zeeuwsch-vlaanderen"),  # COROP CR31, decisions D2
        ("programme:waddenkracht", "province:fryslan"),
        ("programme:waddenkracht", "province:groningen"),
    }
    assert (npsk, "province:groningen") not in rel_keys(g, "COVERS")
    assert ("ministry:bzk", npsk) in rel_keys(g, "COORDINATES")
    assert rel_keys(g, "PARTICIPATES_IN") == {("ministry:ienw", npsk), ("ministry:lvvn", npsk)}
    overlaps = {frozenset(k) for k in rel_keys(g, "OVERLAPS")}
    assert {frozenset((npsk, "programme:novex")), frozenset((npsk, "programme:regio-deals"))} <= overlaps
    assert ("programme:kustpact", npsk) in rel_keys(g, "SUCCEEDED_BY")
    assert rel_keys(g, "PARTNERS_WITH") == {
        (npsk, "neighbouringstate:vlaanderen"),
        (npsk, "neighbouringstate:nedersaksen"),
    }


def test_every_relationship_from_text_quotes_its_sentence():
    g = extract_text(LETTER)
    for rel in g.relationships:
        if rel.derived:
            continue
        for ev in rel.evidence:
            assert LETTER[ev.start : ev.end] == ev.quote and ev.rule


def test_signatory_signs_and_holds_office():
    g = extract_text(LETTER)
    [letter] = g.letter_ids()
    assert rel_keys(g, "SIGNED_BY") == {(letter, "person:voorbeeld")}
    assert rel_keys(g, "HOLDS_OFFICE") == {("person:voorbeeld", "ministry:bzk")}
    assert g.node_index()[letter].properties["date"] == "2030-06-01"


def test_trigger_phrases_are_written_in_lower_case():
    """They are matched on lower-cased text; an upper-case letter (other than an escape) never matches."""
    raw = yaml.safe_load((DATA / "triggers.yaml").read_text(encoding="utf-8"))
    for name, group in raw.items():
        patterns = group if isinstance(group, list) else group["patterns"]
        for pattern in patterns:
            assert not re.search(r"(?<!\\)[A-Z]", pattern), (name, pattern)
            if isinstance(group, dict):  # the required word really is in every phrase
                assert group["requires"] in pattern, (name, pattern)
