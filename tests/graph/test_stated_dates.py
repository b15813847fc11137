"""What was said when, on both stores: each relationship's first and last stated dates follow its
letters through replacing and deleting; undated letters count for neither; the timeline of a
programme letter by letter. Small letters written for these tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from store_graphs import ev, letter_node

from graph import rdf
from graph.memory_store import MemoryStore
from graph.model import Graph, Node, Relationship
from graph.store import GraphStore
from graph.timeline import LetterDates, as_of_neighbours, timeline
from regiograph.settings import load_settings

BASE = "https://example.org/id/"


@pytest.fixture(params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request, tmp_path: Path) -> Iterator[GraphStore]:
    if request.param == "memory":
        yield MemoryStore(tmp_path / "graph.json")
        return
    from graph.neo4j_store import Neo4jStore

    driver = request.getfixturevalue("empty_neo4j")
    yield Neo4jStore(driver, database=load_settings().neo4j_database, batch_size=2)


REGIONS = {
    "region:heuvelland": "Heuvelland",
    "region:veenkoloniën": "Veenkoloniën",
    "region:kustzone": "Kustzone",
}


def letter(
    key: str, day: str | None, regions: list[str], sha256: str = "1", coordinated: bool = False
) -> Graph:
    """A letter (dated `day`, or undated) saying the Proefprogramma covers the given regions, each in a
    sentence of its own; `coordinated` adds that the ministry of BZK leads it."""
    letter_id = f"letter:{key}"
    props = {"date": day} if day else {}
    nodes = [
        letter_node(letter_id, f"{key}-{sha256}", **props),
        Node(id="programme:proef", labels=["Programme"], name="Proefprogramma Tijdlijn"),
    ]
    rels = []
    for i, region in enumerate(regions):
        nodes.append(Node(id=region, labels=["Region"], name=REGIONS[region]))
        quote = f"Het Proefprogramma Tijdlijn werkt ook in {REGIONS[region]}."
        rels.append(
            Relationship(
                type="COVERS",
                start="programme:proef",
                end=region,
                evidence=[ev(letter_id, quote, 100 * (i + 1), "covers", "stated")],
            )
        )
    if coordinated:
        nodes.append(Node(id="ministry:bzk", labels=["Ministry"], name="Ministerie van BZK"))
        rels.append(
            Relationship(
                type="COORDINATES",
                start="ministry:bzk",
                end="programme:proef",
                evidence=[ev(letter_id, "BZK trekt het Proefprogramma Tijdlijn.", 20, "coord", "stated")],
            )
        )
    return Graph(nodes=nodes, relationships=rels)


def stated(store: GraphStore, rel_type: str, start: str, end: str) -> tuple[str | None, str | None]:
    (rel,) = [r for r in store.relationships(rel_type, start, end) if not r.derived]
    return rel.properties.get("first_stated"), rel.properties.get("last_stated")


def test_first_and_last_stated_span_the_letters(store: GraphStore, tmp_path: Path) -> None:
    store.write_letter(letter("B", "2023-06-01", ["region:heuvelland"]))
    a = letter("A", "2021-02-15", ["region:heuvelland", "region:kustzone"], coordinated=True)
    store.write_letter(a)
    assert stated(store, "COVERS", "programme:proef", "region:heuvelland") == ("2021-02-15", "2023-06-01")
    assert stated(store, "COVERS", "programme:proef", "region:kustzone") == ("2021-02-15", "2021-02-15")
    assert stated(store, "COORDINATES", "ministry:bzk", "programme:proef") == ("2021-02-15", "2021-02-15")
    reference = MemoryStore(tmp_path / "reference.json")
    reference.write_letter(a)
    reference.write_letter(letter("B", "2023-06-01", ["region:heuvelland"]))
    assert store.snapshot() == reference.snapshot()


def test_replacing_a_letter_moves_the_dates(store: GraphStore) -> None:
    store.write_letter(letter("A", "2021-02-15", ["region:heuvelland"]))
    store.write_letter(letter("B", "2023-06-01", ["region:heuvelland", "region:kustzone"]))
    # B, corrected: dated later, and no longer about the Heuvelland.
    summary = store.write_letter(letter("B", "2024-01-10", ["region:kustzone"], sha256="2"))
    assert summary.action == "replaced"
    assert stated(store, "COVERS", "programme:proef", "region:heuvelland") == ("2021-02-15", "2021-02-15")
    assert stated(store, "COVERS", "programme:proef", "region:kustzone") == ("2024-01-10", "2024-01-10")
    # A, corrected to an earlier date, now also about the Kustzone.
    store.write_letter(letter("A", "2020-11-30", ["region:heuvelland", "region:kustzone"], sha256="2"))
    assert stated(store, "COVERS", "programme:proef", "region:kustzone") == ("2020-11-30", "2024-01-10")


def test_deleting_a_letter_moves_the_dates(store: GraphStore) -> None:
    store.write_letter(letter("A", "2021-02-15", ["region:heuvelland"]))
    store.write_letter(letter("B", "2023-06-01", ["region:heuvelland"]))
    store.write_letter(letter("C", "2025-09-09", ["region:heuvelland"]))
    store.delete_letter("letter:A")
    assert stated(store, "COVERS", "programme:proef", "region:heuvelland") == ("2023-06-01", "2025-09-09")
    store.delete_letter("letter:C")
    assert stated(store, "COVERS", "programme:proef", "region:heuvelland") == ("2023-06-01", "2023-06-01")


def test_undated_letters_date_nothing(store: GraphStore) -> None:
    store.write_letter(letter("A", "2021-02-15", ["region:heuvelland"]))
    store.write_letter(letter("U", None, ["region:heuvelland", "region:veenkoloniën"]))
    assert stated(store, "COVERS", "programme:proef", "region:heuvelland") == ("2021-02-15", "2021-02-15")
    assert stated(store, "COVERS", "programme:proef", "region:veenkoloniën") == (None, None)
    store.delete_letter("letter:A")
    assert stated(store, "COVERS", "programme:proef", "region:heuvelland") == (None, None)


def test_neo4j_keeps_the_dates_as_date(store: GraphStore) -> None:
    if store.kind != "neo4j":
        pytest.skip("Neo4j's property types")
    from neo4j.time import Date

    store.write_letter(letter("A", "2021-02-15", ["region:heuvelland"]))
    store.write_letter(letter("B", "2023-06-01", ["region:heuvelland"]))
    with store.driver.session(database=load_settings().neo4j_database) as session:  # type: ignore[attr-defined]
        record = session.run(
            "MATCH (:Programme {id: 'programme:proef'})-[r:COVERS]->(:Region {id: 'region:heuvelland'}) "
            "RETURN r.first_stated AS first, r.last_stated AS last, "
            "r.first_stated < date('2022-01-01') AS early"
        ).single()
    assert record["first"] == Date(2021, 2, 15) and record["last"] == Date(2023, 6, 1)
    assert record["early"] is True


def test_rdf_assertion_carries_the_dates(tmp_path: Path) -> None:
    store = MemoryStore(tmp_path / "graph.json")
    store.write_letter(letter("A", "2021-02-15", ["region:heuvelland"]))
    store.write_letter(letter("B", "2023-06-01", ["region:heuvelland"]))
    rows = rdf.select_values(
        rdf.build_store(store.snapshot(), BASE),
        "PREFIX rg: <https://regiograph.nl/def/> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
        "SELECT DISTINCT ?first ?last (DATATYPE(?first) AS ?type) WHERE { "
        "?a rdf:predicate rg:covers ; rg:firstStated ?first ; rg:lastStated ?last }",
    )
    assert rows == [
        {"first": "2021-02-15", "last": "2023-06-01", "type": "http://www.w3.org/2001/XMLSchema#date"}
    ]


def test_as_of_keeps_the_evidence_of_letters_up_to_the_day(store: GraphStore) -> None:
    store.write_letter(letter("A", "2021-02-15", ["region:heuvelland"]))
    store.write_letter(letter("B", "2023-06-01", ["region:heuvelland", "region:kustzone"]))
    store.write_letter(letter("U", None, ["region:veenkoloniën", "region:heuvelland"]))
    dates = LetterDates.of(store.letters())
    view = as_of_neighbours(store.neighbours("programme:proef", "COVERS"), dates, "2022-12-31")
    assert [n.node.id for n in view] == ["region:heuvelland"]
    (rel,) = [n.relationship for n in view]
    assert [e.letter for e in rel.evidence] == ["letter:A"]
    assert (rel.properties["first_stated"], rel.properties["last_stated"]) == ("2021-02-15", "2021-02-15")
    behind = {e.letter for n in store.neighbours("programme:proef") for e in n.relationship.evidence}
    assert dates.undated(behind) == ["letter:U"]


def test_timeline_letter_by_letter(store: GraphStore) -> None:
    store.write_letter(letter("C", "2024-05-05", ["region:kustzone"]))
    store.write_letter(letter("A", "2021-02-15", ["region:heuvelland"], coordinated=True))
    store.write_letter(letter("B", "2023-06-01", ["region:heuvelland", "region:kustzone"]))
    store.write_letter(letter("U", None, ["region:veenkoloniën"]))
    steps, undated = timeline(store.neighbours("programme:proef"), LetterDates.of(store.letters()))

    def ends(items) -> list[str]:
        return [n.node.id for n in items]

    assert [(s.letter, s.date) for s in steps] == [
        ("letter:A", "2021-02-15"),
        ("letter:B", "2023-06-01"),
        ("letter:C", "2024-05-05"),
    ]
    a, b, c = steps
    assert ends(a.first_stated) == ["ministry:bzk", "region:heuvelland"] and not a.stated_again
    assert ends(b.first_stated) == ["region:kustzone"] and ends(b.stated_again) == ["region:heuvelland"]
    # BZK's coordination was said in A only: B is the first letter that no longer says it.
    assert ends(b.no_longer_stated) == ["ministry:bzk"]
    assert ends(c.stated_again) == ["region:kustzone"] and ends(c.no_longer_stated) == ["region:heuvelland"]
    # Each letter's entry quotes that letter only; the dates span the whole timeline.
    (again,) = b.stated_again
    assert [e.letter for e in again.relationship.evidence] == ["letter:B"]
    assert again.relationship.properties["first_stated"] == "2021-02-15"
    assert again.relationship.properties["last_stated"] == "2023-06-01"
    assert not c.no_longer_stated[0].relationship.evidence
    assert [(u.letter, ends(u.stated)) for u in undated] == [("letter:U", ["region:veenkoloniën"])]

    dates = LetterDates.of(store.letters())
    cut, _ = timeline(store.neighbours("programme:proef"), dates, as_of="2023-12-31")
    assert [s.letter for s in cut] == ["letter:A", "letter:B"]
    assert cut[1].stated_again[0].relationship.properties["last_stated"] == "2023-06-01"
