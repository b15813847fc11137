"""The PART_OF hierarchy read from data (decisions D1) and the map geometry. Sentences are written
for these tests."""

from __future__ import annotations

from ingest_helpers import extract_text

from graph.memory_store import MemoryStore
from graph.model import Graph
from ingest.geography import topology, with_reference_areas


def part_of(text: str) -> dict[tuple[str, str], dict]:
    g = extract_text(text)
    return {
        (r.start, r.end): r
        for r in g.relationships
        if r.type == "PART_OF" and not r.start.startswith("letter")
    }


def test_a_municipality_is_part_of_its_corop_area_and_province_and_the_area_of_the_province():
    rels = part_of("In Haaksbergen, in Twente en in Overijssel, opent een school.")
    assert set(rels) == {
        ("municipality:gm0158", "region:twente"),
        ("municipality:gm0158", "province:overijssel"),
        ("region:twente", "province:overijssel"),
    }
    for rel in rels.values():
        assert rel.properties["basis"] == "structure" and rel.properties["source"]
        assert rel.evidence == [] and not rel.derived


def test_only_areas_the_letter_names_are_linked_and_none_are_added():
    g = extract_text("In Haaksbergen opent een school.")
    assert [r for r in g.relationships if r.type == "PART_OF"] == []
    assert {n.id for n in g.nodes if "Region" in n.labels} == {"municipality:gm0158"}


def test_the_nearest_named_whole_is_used_when_the_direct_one_is_not_named():
    rels = part_of("In Dokkum en elders in Fryslân wordt gebouwd.")
    assert [k for k in rels if k[0].startswith("woonplaats:")] == [(k[0], "province:fryslan") for k in rels]


def test_municipalities_are_part_of_the_regions_a_data_file_composes():
    rels = part_of("Kerkrade en Heerlen werken samen in Parkstad.")
    assert {("municipality:gm0928", "region:parkstad"), ("municipality:gm0917", "region:parkstad")} <= set(
        rels
    )
    assert (
        rels[("municipality:gm0928", "region:parkstad")]
        .properties["source"]
        .startswith("region_members.yaml")
    )


def test_an_approximate_composition_says_so():
    rels = part_of("De gemeente Emmen ligt in Zuid- en Oost-Drenthe.")
    assert rels[("municipality:gm0114", "region:zuid-en-oost-drenthe")].properties["approximate"] is True


def test_novex_area_is_part_of_the_region_its_name_gives():
    rels = part_of("Het NOVEX-gebied Zuid-Limburg ligt in Zuid-Limburg.")
    assert ("region:novex-gebied-zuid-limburg", "region:zuid-limburg") in rels


def test_a_city_district_is_part_of_its_municipality():
    rels = part_of("In Rotterdam-Zuid en de rest van de gemeente Rotterdam.")
    assert ("region:rotterdam-zuid", "municipality:gm0599") in rels


def test_map_geometry_is_package_data_with_node_ids():
    municipalities = topology("municipality")
    [obj] = municipalities["objects"].values()
    ids = {g["properties"]["node_id"] for g in obj["geometries"]}
    assert "municipality:gm0158" in ids and len(ids) == 342
    assert topology("province")["regiograph"]["sources"][0]["sha256"]


def test_a_deelstaat_is_part_of_its_country():
    rels = part_of("Met Nedersaksen en de rest van Duitsland werken we samen.")
    assert ("neighbouringstate:nedersaksen", "neighbouringstate:duitsland") in rels


# -- what a store keeps: the reference geography of the areas a letter names ---------------------
def stored(text: str) -> Graph:
    return with_reference_areas(extract_text(text))


def test_a_store_keeps_the_areas_a_named_area_lies_in_up_to_its_province():
    g = stored("Voor Haaksbergen komt er een nieuwe brug.")
    index = g.node_index()
    assert {"region:twente", "province:overijssel"} <= set(index)  # brought from data, not named
    assert {(r.start, r.end) for r in g.relationships if r.type == "PART_OF"} >= {
        ("municipality:gm0158", "region:twente"),
        ("municipality:gm0158", "province:overijssel"),
        ("region:twente", "province:overijssel"),
    }
    mentioned = {r.end for r in g.relationships if r.type == "MENTIONS"}
    assert "region:twente" not in mentioned and "municipality:gm0158" in mentioned
    assert index["region:twente"].properties["cbs_code"] == "CR12"


def test_a_composed_region_brings_its_member_municipalities_with_their_source():
    g = stored("Het kabinet steunt de aanpak in Parkstad.")
    members = {r.start: r for r in g.relationships if r.type == "PART_OF" and r.end == "region:parkstad"}
    assert {"municipality:gm0917", "municipality:gm0928"} <= set(members)  # Heerlen, Kerkrade
    assert all(r.properties["basis"] == "structure" for r in members.values())
    assert all("region_members.yaml" in r.properties["source"] for r in members.values())
    assert ("municipality:gm0917", "province:limburg") in {(r.start, r.end) for r in g.relationships}


def test_a_novex_area_brings_the_region_its_name_gives_and_a_deelstaat_its_country():
    g = stored("Het NOVEX-gebied Zuid-Limburg werkt samen met Noordrijn-Westfalen.")
    keys = {(r.start, r.end) for r in g.relationships if r.type == "PART_OF"}
    novex = next(n.id for n in g.nodes if n.name == "NOVEX-gebied Zuid-Limburg")
    assert (novex, "region:zuid-limburg") in keys
    assert ("region:zuid-limburg", "province:limburg") in keys
    assert ("neighbouringstate:noordrijn-westfalen", "neighbouringstate:duitsland") in keys


def test_the_reference_areas_leave_when_their_letter_does(tmp_path):
    store = MemoryStore(tmp_path / "graph.json")
    letter = stored("Voor Haaksbergen komt er een nieuwe brug.")
    summary = store.write_letter(letter)
    assert store.get_node("province:overijssel") is not None
    store.delete_letter(summary.letter)
    assert store.get_node("province:overijssel") is None and store.counts()["nodes"] == 0


def test_a_letter_without_areas_is_stored_as_extracted():
    g = extract_text("De minister stuurt de Kamer een brief over de begroting.")
    assert with_reference_areas(g) is g
