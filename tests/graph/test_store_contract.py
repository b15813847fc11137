"""The GraphStore contract, run against both stores: the memory store (a file under tmp_path) and
the real Neo4j server (wiped before each test)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from store_graphs import ev, letter_a, letter_b

from graph import files as files_module
from graph.memory_store import MemoryStore
from graph.model import Graph, Relationship
from graph.store import GraphStore, InvalidGraph, UnknownNode
from regiograph.settings import load_settings


@pytest.fixture(params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request, tmp_path: Path) -> Iterator[GraphStore]:
    if request.param == "memory":
        yield MemoryStore(tmp_path / "graph.json")
        return
    from graph.neo4j_store import Neo4jStore

    driver = request.getfixturevalue("empty_neo4j")
    database = load_settings().neo4j_database
    # A tiny batch size so that every write is split over several UNWIND batches.
    yield Neo4jStore(driver, database=database, batch_size=2)


@pytest.fixture
def reference(tmp_path: Path):
    """The state a store should reach: a fresh memory store holding just the given letters."""

    def build(*graphs: Graph) -> Graph:
        ref = MemoryStore(tmp_path / "reference" / "graph.json")
        for g in graphs:
            ref.write_letter(g)
        return ref.snapshot()

    return build


def _rel(
    store: GraphStore, rel_type: str, start: str, end: str, derived: bool = False
) -> Relationship | None:
    found = [r for r in store.relationships(rel_type, start, end) if r.derived == derived]
    assert len(found) <= 1
    return found[0] if found else None


def test_write_and_read_back(store: GraphStore) -> None:
    summary = store.write_letter(letter_a())
    assert (summary.letter, summary.action) == ("letter:A", "created")
    assert (summary.nodes_before, summary.nodes_after) == (0, 5)
    assert (summary.relationships_before, summary.relationships_after) == (0, 4)

    counts = store.counts()
    assert counts["Letter"] == 1 and counts["Programme"] == 1 and counts["Ministry"] == 1
    assert counts["Region"] == 2 and counts["Province"] == 1
    assert (counts["nodes"], counts["relationships"]) == (5, 4)

    npvr = store.get_node("programme:npvr")
    assert npvr is not None
    assert npvr.name == "Nationaal Programma Vitale Regio's" and npvr.aliases == ["NPVR"]
    assert npvr.properties["kind"] == "programme" and npvr.properties["letters"] == ["letter:A"]
    fryslan = store.get_node("province:fryslan")
    assert fryslan.labels == ["Province", "Region"] and fryslan.properties["cbs"] == "PV21"
    letter = store.get_node("letter:A")
    assert letter.properties["dossiers"] == ["29697"] and letter.properties["meta"] == {"pages": 4}
    assert store.get_node("programme:unknown") is None
    assert [n.id for n in store.letters()] == ["letter:A"]

    covers = _rel(store, "COVERS", "programme:npvr", "region:twente")
    assert covers.evidence == [ev("letter:A", "Het NPVR richt zich op Twente.", 100, "covers")]
    assert covers.letters == ["letter:A"]
    mentions = _rel(store, "MENTIONS", "letter:A", "programme:npvr")
    assert mentions.properties == {"count": 3, "first_stated": "2024-12-20", "last_stated": "2024-12-20"}

    neighbours = store.neighbours("programme:npvr")
    assert sorted((n.relationship.type, n.direction, n.node.id) for n in neighbours) == [
        ("COORDINATES", "in", "ministry:bzk"),
        ("COVERS", "out", "province:fryslan"),
        ("COVERS", "out", "region:twente"),
        ("MENTIONS", "in", "letter:A"),
    ]
    assert [n.node.id for n in store.neighbours("programme:npvr", "COORDINATES")] == ["ministry:bzk"]
    assert len(store.relationships("COVERS")) == 2
    assert len(store.relationships(start="programme:npvr")) == 2


def test_mentions_without_count_get_one(store: GraphStore) -> None:
    store.write_letter(letter_b())
    assert _rel(store, "MENTIONS", "letter:B", "programme:novex").properties["count"] == 1


def test_every_place_a_letter_mentions_an_entity_is_kept(store: GraphStore) -> None:
    graph = letter_a()
    [mentions] = [r for r in graph.relationships if r.type == "MENTIONS"]
    mentions.evidence = [
        ev("letter:A", "Het NPVR richt zich op Twente.", 100, "mention", "structure"),
        ev("letter:A", "BZK coördineert het NPVR.", 200, "mention", "structure"),
        ev("letter:A", "Het NPVR loopt door.", 400, "mention", "structure"),
    ]
    store.write_letter(graph)
    kept = _rel(store, "MENTIONS", "letter:A", "programme:npvr")
    assert kept.properties["count"] == 3
    assert [(e.start, e.quote) for e in kept.evidence] == [
        (100, "Het NPVR richt zich op Twente."),
        (200, "BZK coördineert het NPVR."),
        (400, "Het NPVR loopt door."),
    ]
    store.write_letter(graph)
    assert _rel(store, "MENTIONS", "letter:A", "programme:npvr") == kept


def test_rewrite_is_idempotent(store: GraphStore) -> None:
    store.write_letter(letter_a())
    store.write_letter(letter_b())
    before, counts = store.snapshot(), store.counts()
    again = store.write_letter(letter_a())
    assert again.action == "unchanged"
    assert (again.nodes_before, again.relationships_before) == (again.nodes_after, again.relationships_after)
    assert store.counts() == counts
    assert store.snapshot() == before


def test_nodes_merge_across_letters(store: GraphStore) -> None:
    store.write_letter(letter_a())
    store.write_letter(letter_b())
    npvr = store.get_node("programme:npvr")
    assert npvr.name == "Nationaal Programma Vitale Regio's"  # letter:A comes first
    assert npvr.aliases == ["NPVR", "Vitale Regio's"]
    assert npvr.properties["kind"] == "programme" and npvr.properties["start_year"] == 2024
    assert npvr.properties["letters"] == ["letter:A", "letter:B"]
    covers = _rel(store, "COVERS", "programme:npvr", "region:twente")
    assert covers.letters == ["letter:A", "letter:B"] and len(covers.evidence) == 2
    assert store.get_node("region:twente").aliases == ["regio Twente"]


def test_changed_letter_replaces_only_its_contribution(store: GraphStore, reference) -> None:
    store.write_letter(letter_a())
    store.write_letter(letter_b())
    b_mentions = _rel(store, "MENTIONS", "letter:B", "programme:npvr")

    changed = letter_a(sha256="a2", with_fryslan=False)
    changed.nodes[1].aliases.append("Vitale regio's")
    summary = store.write_letter(changed)
    assert summary.action == "replaced"
    assert (summary.nodes_before, summary.nodes_after) == (7, 6)

    assert store.get_node("province:fryslan") is None  # only the old version of A had it
    assert _rel(store, "COVERS", "programme:npvr", "province:fryslan") is None
    assert "Vitale regio's" in store.get_node("programme:npvr").aliases
    covers = _rel(store, "COVERS", "programme:npvr", "region:twente")
    assert covers.letters == ["letter:A", "letter:B"]  # B's evidence untouched
    assert _rel(store, "MENTIONS", "letter:B", "programme:npvr") == b_mentions
    assert store.get_node("letter:A").properties["sha256"] == "a2"
    assert store.snapshot() == reference(letter_b(), changed)


def test_same_file_with_new_extraction_is_replaced(store: GraphStore) -> None:
    store.write_letter(letter_a())
    improved = letter_a()
    improved.relationships.append(
        Relationship(
            type="PARTICIPATES_IN",
            start="ministry:bzk",
            end="programme:npvr",
            evidence=[ev("letter:A", "BZK doet mee.", 500)],
        )
    )
    assert store.write_letter(improved).action == "replaced"
    assert _rel(store, "PARTICIPATES_IN", "ministry:bzk", "programme:npvr") is not None


def test_delete_keeps_what_other_letters_support(store: GraphStore, reference) -> None:
    store.write_letter(letter_a())
    store.write_letter(letter_b())
    summary = store.delete_letter("B")  # bare id accepted
    assert (summary.letter, summary.action) == ("letter:B", "deleted")
    counts = store.counts()
    assert (summary.nodes_after, summary.relationships_after) == (counts["nodes"], counts["relationships"])
    assert store.get_node("programme:novex") is None and store.get_node("letter:B") is None
    npvr = store.get_node("programme:npvr")
    assert npvr.properties["letters"] == ["letter:A"] and npvr.aliases == ["NPVR"]
    assert "start_year" not in npvr.properties
    assert store.get_node("region:twente").aliases == []
    covers = _rel(store, "COVERS", "programme:npvr", "region:twente")
    assert covers.letters == ["letter:A"] and len(covers.evidence) == 1
    assert store.relationships("OVERLAPS") == []
    assert store.snapshot() == reference(letter_a())

    assert store.delete_letter("letter:B").action == "absent"
    summary = store.delete_letter("letter:A")
    assert summary.action == "deleted" and (summary.nodes_after, summary.relationships_after) == (0, 0)
    assert store.counts()["nodes"] == 0 and store.counts()["relationships"] == 0


def test_derived_overlaps_follow_coverage(store: GraphStore) -> None:
    store.write_letter(letter_a())
    assert store.relationships("OVERLAPS") == []
    store.write_letter(letter_b())
    overlap = _rel(store, "OVERLAPS", "programme:novex", "programme:npvr", derived=True)
    assert overlap is not None and overlap.evidence == []
    # NOVEX covers {twente}, NPVR covers {twente, fryslan}
    assert overlap.properties == {"shared_regions": ["region:twente"], "jaccard": 0.5}
    assert [n.node.id for n in store.neighbours("programme:npvr", "OVERLAPS")] == ["programme:novex"]

    store.write_letter(letter_a(sha256="a2", with_fryslan=False))
    assert (
        _rel(store, "OVERLAPS", "programme:novex", "programme:npvr", derived=True).properties["jaccard"]
        == 1.0
    )

    store.write_letter(letter_b(sha256="b2", novex_covers_twente=False))
    assert store.relationships("OVERLAPS") == []


def test_search_is_accent_and_case_insensitive(store: GraphStore) -> None:
    store.write_letter(letter_a())
    store.write_letter(letter_b())
    assert [n.id for n in store.search("fryslan")] == ["province:fryslan"]
    assert [n.id for n in store.search("FRYSLÂN")] == ["province:fryslan"]
    assert [n.id for n in store.search("friesland")] == ["province:fryslan"]  # alias
    assert [n.id for n in store.search("npvr", label="Programme")] == ["programme:npvr"]
    assert [n.id for n in store.search("twente", label="Programme")] == []
    assert [n.id for n in store.search("regio")] == ["programme:npvr", "region:twente"]
    assert store.search("no such thing") == []
    everything = store.search("", limit=100)
    assert len(everything) == store.counts()["nodes"]
    assert store.search("", limit=2, offset=1) == everything[1:3]
    with pytest.raises(InvalidGraph):
        store.search("x", label="Planet")


def _bad_letters() -> list[Graph]:
    unknown_type = letter_b(sha256="b-bad")
    unknown_type.relationships.append(
        Relationship(
            type="FUNDS", start="programme:novex", end="region:twente", evidence=[ev("letter:B", "x", 0)]
        )
    )
    foreign_evidence = letter_b(sha256="b-bad")
    foreign_evidence.relationships[0].evidence.append(ev("letter:A", "y", 1))
    unknown_label = letter_b(sha256="b-bad")
    unknown_label.nodes[2].labels = ["Planet"]
    two_letters = letter_b(sha256="b-bad")
    two_letters.nodes.append(letter_a().nodes[0])
    dangling = letter_b(sha256="b-bad")
    dangling.relationships.append(
        Relationship(
            type="COVERS", start="programme:novex", end="region:nowhere", evidence=[ev("letter:B", "z", 2)]
        )
    )
    return [unknown_type, foreign_evidence, unknown_label, two_letters, dangling]


@pytest.mark.parametrize("index", range(5), ids=["type", "evidence", "label", "two-letters", "dangling"])
def test_invalid_letter_is_rejected_and_nothing_changes(store: GraphStore, index: int) -> None:
    store.write_letter(letter_a())
    store.write_letter(letter_b())
    before = store.snapshot()
    with pytest.raises(InvalidGraph):
        store.write_letter(_bad_letters()[index])
    assert store.snapshot() == before


def test_failure_mid_write_leaves_store_as_before(store: GraphStore, monkeypatch) -> None:
    store.write_letter(letter_a())
    store.write_letter(letter_b())
    before, counts = store.snapshot(), store.counts()
    reached = []
    if isinstance(store, MemoryStore):
        on_disk = store.path.read_bytes()

        def failing_replace(src, dst):
            reached.append(src)
            raise OSError("disk full")

        monkeypatch.setattr(files_module.os, "replace", failing_replace)
    else:
        original = store.writer._upsert_rels

        def failing_upsert(tx, rels, *args):
            original(tx, rels, *args)  # old contribution already removed, new one half written
            reached.append(len(rels))
            raise RuntimeError("injected failure")

        monkeypatch.setattr(store.writer, "_upsert_rels", failing_upsert)

    with pytest.raises((OSError, RuntimeError)):
        store.write_letter(letter_b(sha256="b2", novex_covers_twente=False))
    with pytest.raises((OSError, RuntimeError)):
        store.delete_letter("letter:A")
    assert len(reached) == 2
    monkeypatch.undo()
    assert store.counts() == counts
    assert store.snapshot() == before
    if isinstance(store, MemoryStore):
        assert store.path.read_bytes() == on_disk
        assert sorted(p.name for p in store.path.parent.iterdir()) == ["graph.json", "graph.json.lock"]
        assert MemoryStore(store.path).snapshot() == before


def test_stores_agree(store: GraphStore, reference) -> None:
    """Same letters, any order: the same graph, equal to a fresh memory store's."""
    store.write_letter(letter_b())
    store.write_letter(letter_a())
    assert store.snapshot() == reference(letter_a(), letter_b())
    assert store.ping() is True


def test_neighbours_are_read_a_page_at_a_time_and_counted(store: GraphStore) -> None:
    store.write_letter(letter_a())
    store.write_letter(letter_b())
    whole = store.neighbours("programme:npvr")
    ends = [(n.relationship.type, n.direction, n.node.id) for n in whole]
    assert ends == sorted(ends) and len(whole) >= 4  # the stores' order: type, direction, neighbour
    pages = [store.neighbours("programme:npvr", limit=2, offset=k) for k in range(0, len(whole) + 2, 2)]
    assert [n for page in pages for n in page] == whole and pages[-1] == []
    covers = store.neighbours("programme:npvr", "COVERS", limit=1, offset=1)
    assert covers == [n for n in whole if n.relationship.type == "COVERS"][1:2]

    counts = store.neighbour_counts("programme:npvr")
    assert sum(counts.values()) == len(whole)
    for (rel_type, direction), n in counts.items():
        assert n == sum(1 for x in whole if (x.relationship.type, x.direction) == (rel_type, direction))
    assert store.neighbour_counts("programme:absent") == {}

    page = store.entity("programme:npvr", limit=3, offset=1)
    assert page is not None and page.total == len(whole) and page.neighbours == whole[1:4]


def test_a_letters_relationships_are_found_from_its_contribution(store: GraphStore) -> None:
    store.write_letter(letter_a())
    store.write_letter(letter_b())
    every = [r for r in store.relationships() if not r.derived]
    for letter in ("letter:A", "letter:B"):
        expected = [r for r in every if any(e.letter == letter for e in r.evidence)]
        assert expected and store.letter_relationships(letter) == expected
    assert store.letter_relationships("letter:absent") == []
    store.delete_letter("letter:B")
    assert all(
        any(e.letter == "letter:A" for e in r.evidence) for r in store.letter_relationships("letter:A")
    )
    assert store.letter_relationships("letter:B") == []


def test_nodes_are_read_by_id_in_one_read(store: GraphStore) -> None:
    store.write_letter(letter_a())
    found = store.get_nodes(["region:twente", "programme:npvr", "region:absent", "region:twente"])
    assert set(found) == {"region:twente", "programme:npvr"}
    assert found["programme:npvr"] == store.get_node("programme:npvr")
    assert store.get_nodes([]) == {}


def test_end_counts_count_distinct_ends_per_start(store: GraphStore) -> None:
    store.write_letter(letter_a())
    store.write_letter(letter_b())
    covers = {(r.start, r.end) for r in store.relationships("COVERS")}
    expected = {start: sum(1 for s, _ in covers if s == start) for start, _ in covers}
    assert store.end_counts("COVERS") == expected and expected["programme:npvr"] >= 2
    assert store.end_counts("PARTNERS_WITH") == {}
    with pytest.raises(ValueError):
        store.end_counts("NOT_A_TYPE")


def test_a_snapshot_of_some_relationship_types_keeps_every_node(store: GraphStore) -> None:
    store.write_letter(letter_a())
    store.write_letter(letter_b())
    whole = store.snapshot()
    part = store.snapshot(["COVERS", "COORDINATES"])
    assert part.nodes == whole.nodes
    assert part.relationships == [r for r in whole.relationships if r.type in ("COVERS", "COORDINATES")]
    assert part.relationships and len(part.relationships) < len(whole.relationships)
    with pytest.raises(ValueError):
        store.snapshot(["NOT_A_TYPE"])


@pytest.mark.parametrize("depth", [1, 2])
def test_a_neighbourhood_read_node_by_node_is_the_snapshots(store: GraphStore, depth: int) -> None:
    from graph.viz import neighbourhood, read_neighbourhood

    store.write_letter(letter_a())
    store.write_letter(letter_b())
    for focus in ("region:twente", "programme:npvr"):
        read = read_neighbourhood(store, focus, depth)
        whole = neighbourhood(store.snapshot(), focus, depth)
        assert read == whole and focus in {n.id for n in read.nodes}
    assert len(read_neighbourhood(store, "region:twente", 1).nodes) < len(store.snapshot().nodes)
    with pytest.raises(UnknownNode):
        read_neighbourhood(store, "region:nergensland", depth)
