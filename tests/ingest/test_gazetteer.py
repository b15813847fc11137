"""Gazetteers generated from the published lists: codes, identity of areas (decisions D2), context
rules for ambiguous names, ministries by the letter's date. Sentences are written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ingest_helpers import extract_text, letter_from_text

from ingest.gazetteer_build import BUILDERS, build_all
from ingest.normalise import normalise
from ingest.recognise import recognise
from ingest.sentences import split_sentences
from ingest.vocabulary import GENERATED, vocabulary
from regiograph.settings import REPO_ROOT

SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


def regions(text: str) -> dict[str, str]:
    """surface -> node id of every Region mention."""
    doc = normalise(letter_from_text(text))
    return {m.text: m.key for m in recognise(doc.text, split_sentences(doc)) if m.label == "Region"}


def nodes(text: str) -> dict:
    return extract_text(text).node_index()


# -- the generated files ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, count",
    [
        ("municipalities.json", 342),
        ("provinces.json", 12),
        ("corop_areas.json", 40),
        ("labour_market_regions.json", 35),
        ("woonplaatsen.json", 2501),
        ("caribbean_public_bodies.json", 3),
        ("ministries.json", 19),
    ],
)
def test_generated_files_record_source_checksum_and_version(name: str, count: int):
    doc = json.loads((GENERATED / name).read_text(encoding="utf-8"))
    assert len(doc["items"]) == doc["meta"]["count"] == count
    for source in doc["meta"]["sources"]:
        assert len(source["sha256"]) == 64 and source["bytes"] > 0
        assert source["file"] and source["version"] and source["date"]


def test_map_geometry_records_source_and_year_and_names_graph_nodes():
    vocab = vocabulary()
    for name, count in (("gemeente_2025", 342), ("coropgebied_2025", 40), ("provincie_2025", 12)):
        topology = json.loads((GENERATED / "geo" / f"{name}.topojson").read_text(encoding="utf-8"))
        assert topology["regiograph"]["year"] == 2025
        assert topology["regiograph"]["sources"][0]["file"] == f"geo/{name}.topojson"
        [geometries] = [o["geometries"] for o in topology["objects"].values()]
        assert len(geometries) == count
        for g in geometries:
            entry = vocab.entries[g["properties"]["node_id"]]
            assert entry.props["cbs_code"] == g["properties"]["statcode"]


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="../shared/data is not here")
def test_build_reproduces_the_committed_files(tmp_path: Path):
    written = build_all(SHARED_DATA, tmp_path)
    assert len(written) == len(BUILDERS) + 3
    for path, _ in written:
        committed = GENERATED / path.relative_to(tmp_path)
        assert path.read_bytes() == committed.read_bytes(), path.name


def test_every_municipality_carries_cbs_code_tooi_id_province_and_corop():
    municipalities = [e for e in vocabulary().entries.values() if e.kind == "municipality"]
    assert len(municipalities) == 342
    for e in municipalities:
        code = e.props["cbs_code"]
        assert e.id == "municipality:" + code.lower() and code.startswith("GM")
        assert e.props["tooi_id"].endswith("/gemeente/" + code.lower())
        assert {w.split(":")[0] for w in e.part_of} == {"region", "province"}


def test_provinces_have_cbs_tooi_and_wikidata():
    zeeland = vocabulary().entries["province:zeeland"]
    assert zeeland.props["cbs_code"] == "PV29"
    assert zeeland.props["tooi_id"] == "https://identifier.overheid.nl/tooi/id/provincie/pv29"
    assert zeeland.props["wikidata"].endswith("/Q705")


# -- identity of areas (D2) -------------------------------------------------------------------------
def test_a_municipality_the_hand_list_never_had_is_found_with_its_codes():
    g = nodes("In Haaksbergen opent een nieuwe school.")
    node = g["municipality:gm0158"]
    assert "Municipality" in node.labels and node.name == "Haaksbergen"
    assert node.properties["cbs_code"] == "GM0158" and node.properties["corop_code"] == "CR12"


def test_letter_spellings_of_cbs_areas_resolve_to_the_cbs_node_with_the_spelling_as_alias():
    g = nodes("De regio's Zeeuws-Vlaanderen, Noard-Fryslân en Zuid-Oost Friesland doen mee.")
    for node_id, code, spelling in (
        ("region:zeeuwsch-vlaanderen", "CR31", "Zeeuws-Vlaanderen"),
        ("region:noord-friesland", "CR04", "Noard-Fryslân"),
        ("region:zuidoost-friesland", "CR06", "Zuid-Oost Friesland"),
    ):
        assert g[node_id].properties["cbs_code"] == code and spelling in g[node_id].aliases


def test_twente_is_the_corop_area_unless_the_sentence_says_labour_market_region():
    assert regions("Het programma werkt in Twente.")["Twente"] == "region:twente"
    assert regions("De arbeidsmarktregio Twente groeit.")["arbeidsmarktregio Twente"] == (
        "region:arbeidsmarktregio-twente"
    )
    found = regions("In de arbeidsmarktregio's Twente en Achterhoek is werk.")
    assert found == {
        "Twente": "region:arbeidsmarktregio-twente",
        "Achterhoek": "region:arbeidsmarktregio-achterhoek",
    }
    assert vocabulary().entries["region:arbeidsmarktregio-twente"].props["cbs_code"] == "AM05"


def test_regions_that_are_no_cbs_area_stay_regions():
    found = regions("Het gaat om Noord- en Oost-Groningen en Parkstad.")
    assert found["Noord- en Oost-Groningen"] == "region:noord-en-oost-groningen"
    assert found["Parkstad"] == "region:parkstad"


def test_a_name_shared_by_province_and_municipality_is_the_province_unless_the_city_is_meant():
    assert regions("Het kabinet investeert in Groningen.")["Groningen"] == "province:groningen"
    assert regions("De stad Groningen krijgt een station.")["Groningen"] == "municipality:gm0014"
    assert (
        regions("De gemeente Utrecht en de provincie Utrecht.")["gemeente Utrecht"] == "municipality:gm0344"
    )


def test_a_former_municipality_resolves_to_the_one_it_merged_into():
    g = nodes("De voormalige gemeente Dongeradeel telde veel dorpen.")
    node = g["municipality:gm1970"]
    assert node.name == "Noardeast-Fryslân" and "gemeente Dongeradeel" in node.aliases
    assert "Dongeradeel" in node.properties["former_municipalities"]


def test_woonplaatsen_and_caribbean_public_bodies():
    found = regions("Het bezoek aan Dokkum en aan Bonaire.")
    assert found["Dokkum"].startswith("woonplaats:") and found["Bonaire"] == "region:bonaire"
    bonaire = vocabulary().entries["region:bonaire"]
    assert bonaire.props["tooi_id"].endswith("/col/col01")


# -- ambiguous names --------------------------------------------------------------------------------
def test_best_is_a_municipality_only_where_the_context_says_so():
    assert regions("Dit is de best mogelijke aanpak.") == {}
    assert regions("Best practices worden gedeeld met de regio.") == {}
    assert regions("De gemeente Best bouwt woningen.") == {"gemeente Best": "municipality:gm0753"}
    assert regions("Er komt een fabriek in Best.") == {"Best": "municipality:gm0753"}


def test_buren_and_putten_need_a_place_context():
    assert regions("Buren helpen elkaar in de wijk. Putten worden gedempt.") == {}
    assert regions("De gemeenten Ede, Putten en Buren werken samen.") == {
        "Ede": "municipality:gm0228",
        "Putten": "municipality:gm0273",
        "Buren": "municipality:gm0214",
    }


def test_bergen_is_told_apart_by_its_province_or_left_out():
    assert regions("Bergen van papier liggen klaar.") == {}
    assert regions("De gemeente Bergen in Noord-Holland.")["gemeente Bergen"] == "municipality:gm0373"
    assert regions("Wij bezochten Bergen (L.) en Venlo.")["Bergen (L.)"] == "municipality:gm0893"


def test_den_haag_as_the_government_is_no_municipality():
    assert "Den Haag" not in regions("Het besluit valt in Den Haag, niet in de regio.")
    assert regions("Met de gemeente Den Haag is afgesproken.") == {"gemeente Den Haag": "municipality:gm0518"}


def test_a_place_name_after_a_surname_particle_is_a_surname():
    assert regions("Het lid Van Beek stelde vragen.") == {}
    assert regions("Het Tweede-Kamerlid Nuis diende een voorstel in.") == {}
    assert regions("Zij wonen in Beek.") == {"Beek": "municipality:gm0888"}


def test_ordinary_word_towns_are_places_inside_a_sentence_but_not_as_its_first_word():
    assert regions("Leiden tot betere resultaten is het doel.") == {}
    assert regions("Het kabinet steunt Leiden en Delft.") == {
        "Leiden": "municipality:gm0546",
        "Delft": "municipality:gm0503",
    }


# -- ministries by date -----------------------------------------------------------------------------
LETTER = "Den Haag, {day}\n\nHet ministerie van {abbr} werkt mee aan het programma.\n"


@pytest.mark.parametrize(
    "day, abbr, node_id, name",
    [
        ("3 maart 2025", "EZK", "ministry:ez", "Ministerie van Economische Zaken"),
        ("3 maart 2022", "EZK", "ministry:ez", "Ministerie van Economische Zaken en Klimaat"),
        ("3 maart 2022", "LNV", "ministry:lvvn", "Ministerie van Landbouw, Natuur en Voedselkwaliteit"),
        (
            "3 maart 2025",
            "LNV",
            "ministry:lvvn",
            "Ministerie van Landbouw, Visserij, Voedselzekerheid en Natuur",
        ),
        ("3 maart 2008", "LNV", "ministry:lnv", "Ministerie van Landbouw, Natuur en Voedselkwaliteit"),
        ("3 maart 2015", "IenM", "ministry:ienw", "Ministerie van Infrastructuur en Milieu"),
        ("3 maart 2025", "IenM", "ministry:ienw", "Ministerie van Infrastructuur en Waterstaat"),
        ("3 maart 2025", "KGG", "ministry:kgg", "Ministerie van Klimaat en Groene Groei"),
        ("3 maart 2026", "KGG", "ministry:ez", "Ministerie van Economische Zaken en Klimaat"),
    ],
)
def test_a_ministry_is_the_one_that_bore_the_name_on_the_letters_date(day, abbr, node_id, name):
    g = extract_text(LETTER.format(day=day, abbr=abbr))
    ministries = [n for n in g.nodes if "Ministry" in n.labels]
    assert [(n.id, n.name) for n in ministries] == [(node_id, name)]
    assert (
        ministries[0].properties["tooi_id"].startswith("https://identifier.overheid.nl/tooi/id/ministerie/")
    )


def test_ministry_lookup_by_date_without_a_letter():
    vocab = vocabulary()
    assert vocab.ministry_at("EZK", "2025-06-01") == "ministry:ez"
    assert vocab.ministry_at("minister van EZ", "2008-01-01") != "ministry:ez"  # the EZ before 2010
    assert vocab.ministry_at("VRO", "2026-06-01") == "ministry:bzk"  # taken over by BZK
    assert vocab.ministry_name("ministry:ez", "2022-05-01") == (
        "Ministerie van Economische Zaken en Klimaat",
        "EZK",
    )
    assert vocab.ministry_at("LNV", None) == "ministry:lvvn"


def test_the_automaton_holds_the_generated_names():
    vocab = vocabulary()
    assert len(vocab.entries) > 2500 and len(vocab.sensitive) > 4000
