"""Neo4j-store specifics, on the real server: what Cypher users see, schema objects, errors."""

from __future__ import annotations

import pytest
from neo4j.time import Date
from store_graphs import letter_a, letter_b, letter_citing_document, letter_with_bases

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


def test_statements_give_letters_and_quotes_of_a_relationship(store: Neo4jStore) -> None:
    rows = _run(
        store,
        """
        MATCH (l:Letter)-[:STATES]->(s:Statement {type: 'COVERS'}),
              (s)-[:SUBJECT]->(:Programme {id: 'programme:npvr'}),
              (s)-[:OBJECT]->(:Region {id: 'region:twente'})
        MATCH (s)-[:FROM_CHUNK]->(c:Chunk)-[:FROM_DOCUMENT]->(l)
        RETURN l.id AS letter, s.quote AS quote, s.source AS source, s.start AS start, s.end AS end,
               s.rule AS rule, s.date AS date, c.text AS chunk
        ORDER BY letter
        """,
    )
    assert [(r["letter"], r["quote"]) for r in rows] == [
        ("letter:A", "Het NPVR richt zich op Twente."),
        ("letter:B", "Twente blijft een NPVR-regio."),
    ]
    first = rows[0]
    assert (first["source"], first["start"], first["end"], first["rule"]) == ("A.txt", 100, 130, "covers")
    assert rows[0]["date"] == Date(2024, 12, 20) and rows[0]["chunk"] == rows[0]["quote"]
    [covers] = _run(
        store,
        "MATCH (:Programme {id: 'programme:npvr'})-[r:COVERS]->(:Region {id: 'region:twente'}) "
        "RETURN r.letters AS letters, r.evidence_count AS n, r.basis AS basis, keys(r) AS keys",
    )
    assert covers["letters"] == ["letter:A", "letter:B"] and covers["n"] == 2 and covers["basis"] == []
    assert not [k for k in covers["keys"] if k.startswith("evidence_") and k != "evidence_count"]


def test_lexical_graph_of_a_letter(store: Neo4jStore) -> None:
    [counts] = _run(
        store,
        "MATCH (l:Letter {id: 'letter:A'}) RETURN COUNT { (l)-[:STATES]->(:Statement) } AS statements, "
        "COUNT { (:Chunk)-[:FROM_DOCUMENT]->(l) } AS chunks",
    )
    assert counts == {"statements": 4, "chunks": 4}  # COVERS x2, COORDINATES, MENTIONS: four spans
    chunks = _run(
        store,
        "MATCH (c:Chunk {letter: 'letter:A'}) OPTIONAL MATCH (c)-[:NEXT_CHUNK]->(n) "
        "RETURN c.index AS i, c.start AS start, n.index AS next ORDER BY i",
    )
    assert [(c["i"], c["next"]) for c in chunks] == [(0, 1), (1, 2), (2, 3), (3, None)]
    assert [c["start"] for c in chunks] == sorted(c["start"] for c in chunks)
    from_chunk = _run(
        store,
        "MATCH (e:Entity)-[:FROM_CHUNK]->(c:Chunk {letter: 'letter:A'}) "
        "RETURN e.id AS e, c.text AS text ORDER BY e, text",
    )
    assert {"e": "ministry:bzk", "text": "BZK coördineert het NPVR."} in from_chunk
    assert all(r["e"] != "letter:A" for r in from_chunk)  # the letter is the document, not an entity of it
    # Replacing a letter replaces exactly its own statements and chunks.
    store.write_letter(letter_a(sha256="a2", with_fryslan=False))
    [after] = _run(
        store,
        "RETURN COUNT { (:Statement {letter: 'letter:A'}) } AS a, "
        "COUNT { (:Statement {letter: 'letter:B'}) } AS b, COUNT { (:Chunk {letter: 'letter:A'}) } AS chunks",
    )
    assert after == {"a": 3, "b": 4, "chunks": 3}
    store.delete_letter("letter:A")
    [gone] = _run(store, "RETURN COUNT { (n {letter: 'letter:A'}) } AS n")
    assert gone["n"] == 0


def test_labels_types_and_properties_are_native(store: Neo4jStore) -> None:
    [row] = _run(store, "MATCH (n {id: 'province:fryslan'}) RETURN labels(n) AS labels, n AS n")
    assert set(row["labels"]) == {"Entity", "Province", "Region"}
    assert (
        row["n"]["name"] == "Fryslân" and row["n"]["aliases"] == ["Friesland"] and row["n"]["cbs"] == "PV21"
    )
    [letter] = _run(
        store,
        "MATCH (n:Letter {id: 'letter:A'}) RETURN n.meta AS meta, n.dossiers AS dossiers, n.date AS date",
    )
    assert letter == {"meta": '{"pages": 4}', "dossiers": ["29697"], "date": Date(2024, 12, 20)}
    types = {r["t"] for r in _run(store, "MATCH (:Entity)-[r]->(:Entity) RETURN DISTINCT type(r) AS t")}
    assert types == {"COVERS", "COORDINATES", "MENTIONS", "OVERLAPS"}
    lexical = {r["t"] for r in _run(store, "MATCH ()-[r]->() RETURN DISTINCT type(r) AS t")} - types
    assert lexical == {"STATES", "SUBJECT", "OBJECT", "FROM_CHUNK", "FROM_DOCUMENT", "NEXT_CHUNK"}
    [mentions] = _run(store, "MATCH (:Letter {id: 'letter:A'})-[r:MENTIONS]->() RETURN r.count AS count")
    assert mentions["count"] == 3
    [overlap] = _run(
        store,
        "MATCH ()-[r:OVERLAPS {derived: true}]->() RETURN r.shared_regions AS s, r.jaccard AS j",
    )
    assert overlap == {"s": ["region:twente"], "j": 0.5}


def test_stated_only_keeps_the_claims_a_sentence_makes(empty_neo4j) -> None:
    """One claim stated in its sentence, one whose programme came from the surrounding text."""
    s = Neo4jStore(empty_neo4j, database=load_settings().neo4j_database)
    s.write_letter(letter_with_bases())
    rows = _run(
        s,
        "MATCH (:Letter)-[:STATES]->(st:Statement {type: 'COVERS', basis: 'stated'})-[:OBJECT]->(g:Region) "
        "RETURN g.id AS region, st.quote AS quote",
    )
    assert rows == [{"region": "region:twente", "quote": "Het NPVR richt zich op Twente."}]
    both = _run(s, "MATCH (p:Programme)-[r:COVERS]->(g) RETURN g.id AS g, r.basis AS basis ORDER BY g")
    assert both == [
        {"g": "region:achterhoek", "basis": ["context"]},
        {"g": "region:twente", "basis": ["stated"]},
    ]


def test_kamerstuk_label_and_legacy_document(empty_neo4j) -> None:
    s = Neo4jStore(empty_neo4j, database=load_settings().neo4j_database)
    s.write_letter(letter_citing_document())
    [row] = _run(s, "MATCH (k {id: 'document:29697-169'}) RETURN labels(k) AS labels")
    assert set(row["labels"]) == {"Entity", "Kamerstuk"}
    assert s.get_node("document:29697-169").labels == ["Kamerstuk"]


def test_an_old_layout_is_rewritten_on_ingest(store: Neo4jStore) -> None:
    """A database written by an earlier layout (evidence lists, `Document`, a plain full-text index) is
    moved to the current one by ingesting the same letters again."""
    _run(
        store,
        "MATCH (:Entity)-[r:COVERS]->() SET r.evidence_quote = ['old'] WITH count(*) AS n "
        "MATCH (l:Letter) SET l.extraction_sha256 = 'old-layout' REMOVE l:Entity SET l:Entity, l:Document",
    )
    _run(store, "DROP INDEX entity_names")
    _run(store, "CREATE FULLTEXT INDEX entity_names FOR (n:Programme|Region) ON EACH [n.name, n.aliases]")
    store.writer._schema_ready = False
    assert store.write_letter(letter_a()).action == "replaced"
    [row] = _run(
        store,
        "RETURN COUNT { ()-[r:COVERS]->() WHERE r.evidence_quote IS NOT NULL } AS old_lists, "
        "COUNT { (:Letter:Document {id: 'letter:A'}) } AS documents",
    )
    assert row == {"old_lists": 1, "documents": 0}  # letter:B's own relationship waits for letter:B
    [index] = _run(store, "SHOW INDEXES YIELD name, labelsOrTypes, options WHERE name = 'entity_names'")
    assert index["labelsOrTypes"] == ["Entity"]
    assert index["options"]["indexConfig"]["fulltext.analyzer"] == "standard-folding"


def test_schema_objects_exist_and_full_text_indexes_answer(store: Neo4jStore) -> None:
    constraints = {r["name"] for r in _run(store, "SHOW CONSTRAINTS YIELD name")}
    for label in [*schema.labels(), "Statement", "Chunk"]:
        assert f"{label.lower()}_id_unique" in constraints
    indexes = {r["name"]: r for r in _run(store, "SHOW INDEXES YIELD name, type, properties, options")}
    for name, properties in (
        ("entity_names", ["name", "aliases"]),
        ("statement_quotes", ["quote"]),
        ("chunk_text", ["text"]),
    ):
        assert indexes[name]["type"] == "FULLTEXT" and indexes[name]["properties"] == properties
        assert indexes[name]["options"]["indexConfig"]["fulltext.analyzer"] == "standard-folding"
    assert indexes["programme_name"]["properties"] == ["name"]
    _run(store, "CALL db.awaitIndexes(60)")

    def names(index: str, text: str) -> list[str]:
        return [
            h["id"]
            for h in _run(
                store,
                f"CALL db.index.fulltext.queryNodes('{index}', $q) YIELD node "
                "RETURN node.id AS id ORDER BY id",
                q=text,
            )
        ]

    assert names("entity_names", "Friesland") == ["province:fryslan"]
    assert names("entity_names", "fryslan") == ["province:fryslan"]  # accents folded
    assert names("chunk_text", "coordineert") == ["chunk:A:200-225"]
    assert len(names("statement_quotes", "twente")) == 3  # A and B on NPVR, B on NOVEX
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
