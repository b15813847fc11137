"""The researcher's cookbook (README, "A researcher's cookbook"): every query, as written there, runs on the
real Neo4j server loaded with the corpus and gives the answer the corpus supports."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j.time import Date

from graph.model import Graph
from graph.neo4j_store import Neo4jStore
from regiograph.settings import load_settings

pytestmark = pytest.mark.neo4j

README = Path(__file__).resolve().parents[2] / "README.md"
NPVR_REGIONS = {
    "region:achterhoek", "region:kop-van-noord-holland", "region:midden-limburg",
    "region:noord-en-oost-groningen", "region:noord-friesland", "region:noord-limburg", "region:twente",
    "region:zeeuwsch-vlaanderen", "region:zuid-en-oost-drenthe", "region:zuid-limburg",
    "region:zuidoost-friesland",
}


def cookbook_queries() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("### A researcher's cookbook", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```cypher\n(.*?)```", section, flags=re.DOTALL)
    return [textwrap.dedent(block).strip() for block in blocks]


QUERIES = cookbook_queries()


@pytest.fixture(scope="module")
def corpus_store(neo4j_driver, corpus_graphs: list[Graph]) -> Iterator[Neo4jStore]:
    database = load_settings().neo4j_database
    with neo4j_driver.session(database=database) as session:
        session.execute_write(lambda tx: tx.run("MATCH (n) DETACH DELETE n").consume())
    store = Neo4jStore(neo4j_driver, database=database)
    for graph in corpus_graphs:
        store.write_letter(graph)
    with neo4j_driver.session(database=database) as session:
        session.run("CALL db.awaitIndexes(120)").consume()
    yield store


def _rows(store: Neo4jStore, number: int) -> list[dict]:
    with store.driver.session(database=load_settings().neo4j_database) as session:
        return [r.data() for r in session.run(QUERIES[number - 1])]


def test_the_readme_has_ten_questions() -> None:
    assert len(QUERIES) == 10


def test_1_npvr_regions(corpus_store) -> None:
    rows = _rows(corpus_store, 1)
    assert {r["region"] for r in rows} == NPVR_REGIONS
    assert all(r["letters"] and r["quote"] for r in rows)


def test_2_bzk_alone_coordinates_npvr(corpus_store) -> None:
    rows = _rows(corpus_store, 2)
    assert [r["ministry"] for r in rows] == ["ministry:bzk"]
    assert rows[0]["statements"] >= 1 and rows[0]["letters"]


def test_3_zuid_limburg_directly_or_through_areas(corpus_store) -> None:
    rows = {r["programme"]: r["via"] for r in _rows(corpus_store, 3)}
    assert {"programme:npvr", "programme:regio-deals", "programme:novex"} <= set(rows)
    assert "Zuid-Limburg" in rows["programme:npvr"] and "Zuid-Limburg" in rows["programme:regio-deals"]
    assert rows["programme:novex"] == ["NOVEX-gebied Zuid-Limburg"]


def test_4_twente_lies_in_overijssel(corpus_store) -> None:
    assert _rows(corpus_store, 4) == [{"province": "Overijssel"}]


def test_5_motie_flach_answered_by_the_letter_of_19_december_2025(corpus_store) -> None:
    rows = _rows(corpus_store, 5)
    assert rows and {r["date"] for r in rows} == {Date(2025, 12, 19)}
    assert all("Flach" in r["motion"] for r in rows)


def test_6_stated_claims_only(corpus_store) -> None:
    rows = _rows(corpus_store, 6)
    programmes = {r["programme"] for r in rows}
    assert "programme:novex" in programmes and "programme:npvr" not in programmes
    with corpus_store.driver.session(database=load_settings().neo4j_database) as session:
        npvr = session.run(
            "MATCH (s:Statement {type: 'COVERS'})-[:SUBJECT]->(:Programme {id: 'programme:npvr'}) "
            "RETURN collect(DISTINCT s.basis) AS bases"
        ).single()["bases"]
    assert npvr and "stated" not in npvr


def test_7_friesland_in_any_spelling(corpus_store) -> None:
    ids = {r["id"] for r in _rows(corpus_store, 7)}
    assert {"province:fryslan", "region:noord-friesland", "region:zuidoost-friesland"} <= ids


def test_8_passages_about_cross_border_cooperation(corpus_store) -> None:
    rows = _rows(corpus_store, 8)
    assert rows and "letter:kst-32851-75" in {r["letter"] for r in rows}
    assert all("grensoverschrijdende" in r["text"].lower() for r in rows)


def test_9_stacking(corpus_store) -> None:
    rows = {r["region"]: r["programmes"] for r in _rows(corpus_store, 9)}
    assert {"programme:npvr", "programme:regio-deals"} <= set(rows["region:zuid-limburg"])
    assert all(len(p) > 1 for p in rows.values())


def test_10_programmes_mentioned_since_2025(corpus_store) -> None:
    rows = _rows(corpus_store, 10)
    assert "programme:npvr" in {r["programme"] for r in rows}
    assert all(r["mentions"] >= r["letters"] >= 1 for r in rows)


def test_schema_view_shows_what_the_readme_lists(corpus_store) -> None:
    """`db.schema.visualization()` names exactly the labels and types of the README's tables."""
    text = README.read_text(encoding="utf-8").split("### Labels, types and properties", 1)[1]
    text = text.split("\n### ", 1)[0]
    listed = set(re.findall(r"`([A-Z][A-Za-z]+|[A-Z_]{4,})`", text))
    with corpus_store.driver.session(database=load_settings().neo4j_database) as session:
        record = session.run(
            "CALL db.schema.visualization() YIELD nodes, relationships "
            "RETURN [n IN nodes | labels(n)[0]] AS labels, [r IN relationships | type(r)] AS types"
        ).single()
    labels, types = set(record["labels"]), set(record["types"])
    assert labels <= listed and {"Entity", "Statement", "Chunk", "Kamerstuk"} <= labels
    assert types <= listed and {"STATES", "SUBJECT", "OBJECT", "FROM_CHUNK", "NEXT_CHUNK"} <= types
