"""Neo4j-store specifics, on the real server: what Cypher users see, schema objects, errors."""

from __future__ import annotations

import pytest
from store_graphs import letter_a, letter_b

from graph import schema
from graph.neo4j_store import Neo4jStore
from graph.store import StoreUnavailable
from regiograph.settings import load_settings
from regiograph.stores import open_store

pytestmark = pytest.mark.neo4j


@pytest.fixture
def store(empty_neo4j) -> Neo4jStore:
    s = Neo4jStore(empty_neo4j, database=load_settings().neo4j_database)
    s.write_letter(letter_a())
    s.write_letter(letter_b())
    return s


def _run(store: Neo4jStore, query: str, **params) -> list[dict]:
    with store.driver.session(database=load_settings().neo4j_database) as session:
        return [r.data() for r in session.run(query, **params)]


def test_cypher_returns_letters_and_quotes_of_a_relationship(store: Neo4jStore) -> None:
    rows = _run(
        store,
        """
        MATCH (p:Programme {id: 'programme:npvr'})-[r:COVERS]->(g:Region {id: 'region:twente'})
        UNWIND range(0, size(r.evidence_quote) - 1) AS i
        RETURN r.letters AS letters, r.evidence_letter[i] AS letter, r.evidence_quote[i] AS quote,
               r.evidence_source[i] AS source, r.evidence_start[i] AS start, r.evidence_end[i] AS end
        ORDER BY letter
        """,
    )
    assert [(r["letter"], r["quote"]) for r in rows] == [
        ("letter:A", "Het NPVR richt zich op Twente."),
        ("letter:B", "Twente blijft een NPVR-regio."),
    ]
    assert rows[0]["letters"] == ["letter:A", "letter:B"]
    assert (rows[0]["source"], rows[0]["start"], rows[0]["end"]) == ("A.txt", 100, 130)


def test_labels_types_and_properties_are_native(store: Neo4jStore) -> None:
    [row] = _run(store, "MATCH (n {id: 'province:fryslan'}) RETURN labels(n) AS labels, n AS n")
    assert set(row["labels"]) == {"Entity", "Province", "Region"}
    assert (
        row["n"]["name"] == "Fryslân" and row["n"]["aliases"] == ["Friesland"] and row["n"]["cbs"] == "PV21"
    )
    [letter] = _run(store, "MATCH (n:Letter {id: 'letter:A'}) RETURN n.meta AS meta, n.dossiers AS dossiers")
    assert letter == {"meta": '{"pages": 4}', "dossiers": ["29697"]}
    types = {r["t"] for r in _run(store, "MATCH ()-[r]->() RETURN DISTINCT type(r) AS t")}
    assert types == {"COVERS", "COORDINATES", "MENTIONS", "OVERLAPS"}
    [mentions] = _run(store, "MATCH (:Letter {id: 'letter:A'})-[r:MENTIONS]->() RETURN r.count AS count")
    assert mentions["count"] == 3
    [overlap] = _run(
        store,
        "MATCH ()-[r:OVERLAPS {derived: true}]->() RETURN r.shared_regions AS s, r.jaccard AS j",
    )
    assert overlap == {"s": ["region:twente"], "j": 0.5}


def test_schema_objects_exist_and_full_text_index_answers(store: Neo4jStore) -> None:
    constraints = {r["name"] for r in _run(store, "SHOW CONSTRAINTS YIELD name")}
    for label in schema.labels():
        assert f"{label.lower()}_id_unique" in constraints
    indexes = {r["name"]: r for r in _run(store, "SHOW INDEXES YIELD name, type, properties")}
    assert indexes["entity_names"]["type"] == "FULLTEXT"
    assert indexes["entity_names"]["properties"] == ["name", "aliases"]
    assert indexes["programme_name"]["properties"] == ["name"]
    _run(store, "CALL db.awaitIndexes(60)")
    hits = _run(
        store,
        "CALL db.index.fulltext.queryNodes('entity_names', 'Friesland') YIELD node RETURN node.id AS id",
    )
    assert [h["id"] for h in hits] == ["province:fryslan"]
    store.writer._schema_ready = False
    store.ensure_schema()  # idempotent: a second run creates nothing and does not fail
    assert {r["name"] for r in _run(store, "SHOW CONSTRAINTS YIELD name")} == constraints


def test_unreachable_server_says_how_to_start_it(tmp_path) -> None:
    settings = load_settings(
        neo4j_uri="bolt://127.0.0.1:1", neo4j_password="irrelevant", runtime_dir=tmp_path
    )
    with pytest.raises(StoreUnavailable, match="regiograph neo4j start"):
        open_store(settings)


def test_lost_connection_maps_to_store_unavailable(neo4j_driver) -> None:
    from neo4j import GraphDatabase

    driver = GraphDatabase.driver(
        "bolt://127.0.0.1:1", auth=("neo4j", "irrelevant"), max_transaction_retry_time=0
    )
    s = Neo4jStore(driver, owns_driver=True)
    with pytest.raises(StoreUnavailable, match="regiograph neo4j start"):
        s.counts()
    assert s.ping() is False
    s.close()


def test_concurrent_letters_lose_no_contribution(store: Neo4jStore, tmp_path) -> None:
    """Letters sharing nodes, written at the same time by two threads, end like written one by one."""
    from concurrent.futures import ThreadPoolExecutor

    from graph.memory_store import MemoryStore

    versions = [
        (letter_a(sha256=f"a{i}", with_fryslan=i % 2 == 0), letter_b(sha256=f"b{i}")) for i in range(6)
    ]
    with ThreadPoolExecutor(max_workers=2) as pool:
        for a, b in versions:
            list(pool.map(store.write_letter, [a, b]))
    reference = MemoryStore(tmp_path / "graph.json")
    for g in versions[-1]:
        reference.write_letter(g)
    assert store.snapshot() == reference.snapshot()
