"""POST /cypher: read-only user Cypher on the real Neo4j server, with time and row limits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from graph.memory_store import MemoryStore
from graph.store import GraphStore
from regiograph.settings import load_settings

COVERS_TWENTE = (
    "MATCH (p:Programme)-[:COVERS]->(g:Region {id: $region}) "
    "MATCH (:Letter)-[:STATES]->(s:Statement {type: 'COVERS'})-[:SUBJECT]->(p), (s)-[:OBJECT]->(g) "
    "RETURN p.id AS programme, collect(s.quote) AS quotes, p AS node ORDER BY programme"
)


# Cypher runs on the Neo4j store only; the memory store answers 501 (last test).
NEO4J_ONLY = pytest.mark.parametrize("store", [pytest.param("neo4j", marks=pytest.mark.neo4j)], indirect=True)


@pytest.fixture
def neo4j_client(store: GraphStore) -> Iterator[TestClient]:
    settings = load_settings(query_row_limit=5, query_timeout=2.0)
    with TestClient(create_app(settings, store)) as client:
        yield client


@NEO4J_ONLY
def test_read_query_with_parameters(neo4j_client: TestClient) -> None:
    response = neo4j_client.post(
        "/cypher", json={"query": COVERS_TWENTE, "parameters": {"region": "region:twente"}}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["columns"] == ["programme", "quotes", "node"] and body["truncated"] is False
    rows = {row["programme"]: row for row in body["rows"]}
    assert "programme:npvr" in rows
    assert rows["programme:npvr"]["quotes"] and all(q for q in rows["programme:npvr"]["quotes"])
    node = rows["programme:npvr"]["node"]
    assert node["id"] == "programme:npvr" and "Programme" in node["labels"]
    assert "contributions" not in node["properties"]  # internal bookkeeping stays out


@NEO4J_ONLY
def test_nodes_relationships_and_paths_keep_their_structure(neo4j_client: TestClient) -> None:
    query = (
        "MATCH p = (n:Programme {id: 'programme:npvr'})-[r:COVERS]->(g:Region {id: 'region:twente'}) "
        "RETURN n, r, p"
    )
    [row] = neo4j_client.post("/cypher", json={"query": query}).json()["rows"]
    node, rel, path = row["n"], row["r"], row["p"]
    assert node["kind"] == "node" and node["id"] == "programme:npvr" and node["element_id"]
    assert rel["kind"] == "relationship" and rel["type"] == "COVERS"
    assert (rel["start"], rel["end"]) == ("programme:npvr", "region:twente")
    assert rel["start_element_id"] == node["element_id"] and rel["end_element_id"]
    assert rel["properties"]["evidence_count"] >= 1 and "contributions" not in rel["properties"]
    assert path["kind"] == "path" and [n["id"] for n in path["nodes"]] == ["programme:npvr", "region:twente"]
    assert [r["type"] for r in path["relationships"]] == ["COVERS"]
    assert (path["start"], path["end"]) == (node["element_id"], rel["end_element_id"])
    # A relationship returned without its end nodes still names both ends by element id.
    alone = "MATCH (:Programme {id: 'programme:npvr'})-[r:COVERS]->(:Region {id: 'region:twente'}) RETURN r"
    [only] = neo4j_client.post("/cypher", json={"query": alone}).json()["rows"]
    assert (only["r"]["start_element_id"], only["r"]["end_element_id"]) == (
        node["element_id"], rel["end_element_id"]
    )
    assert only["r"]["type"] == "COVERS" and only["r"]["element_id"] == rel["element_id"]


@NEO4J_ONLY
def test_explain_returns_the_plan(neo4j_client: TestClient) -> None:
    query = "EXPLAIN MATCH (p:Programme {id: $id}) RETURN p.name"
    response = neo4j_client.post("/cypher", json={"query": query, "parameters": {"id": "x"}})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["columns"] == ["plan"] and len(body["rows"]) == 1
    plan = body["rows"][0]["plan"]
    assert plan["operator"] == "ProduceResults" and plan["children"]

    def operators(op):
        yield op["operator"]
        for child in op["children"]:
            yield from operators(child)

    assert "NodeUniqueIndexSeek" in set(operators(plan))
    refused = neo4j_client.post("/cypher", json={"query": "EXPLAIN CREATE (n:Programme)"})
    assert refused.status_code == 403


@NEO4J_ONLY
def test_row_limit_truncates(neo4j_client: TestClient, store: GraphStore) -> None:
    response = neo4j_client.post("/cypher", json={"query": "MATCH (n:Entity) RETURN n.id AS id"})
    body = response.json()
    assert store.counts()["nodes"] > 5
    assert len(body["rows"]) == 5 and body["truncated"] is True
    assert "5 rows" in body["message"] and "LIMIT" in body["message"]
    small = neo4j_client.post("/cypher", json={"query": "MATCH (n:Letter) RETURN n.id AS id LIMIT 2"}).json()
    assert len(small["rows"]) == 2 and small["truncated"] is False and small["message"] is None


@NEO4J_ONLY
def test_a_million_rows_stop_at_the_limit_with_a_message(neo4j_client: TestClient) -> None:
    response = neo4j_client.post("/cypher", json={"query": "UNWIND range(1, 1000000) AS i RETURN i"})
    body = response.json()
    assert response.status_code == 200 and [r["i"] for r in body["rows"]] == [1, 2, 3, 4, 5]
    assert body["truncated"] is True and body["message"]


@NEO4J_ONLY
def test_an_unknown_label_gives_an_empty_result_and_the_servers_warning(neo4j_client: TestClient) -> None:
    body = neo4j_client.post("/cypher", json={"query": "MATCH (n:Programm) RETURN n.id AS id"}).json()
    assert body["rows"] == []
    codes = [n["code"] for n in body["notifications"]]
    assert "Neo.ClientNotification.Statement.UnknownLabelWarning" in codes
    warning = body["notifications"][codes.index("Neo.ClientNotification.Statement.UnknownLabelWarning")]
    assert warning["severity"] == "WARNING" and "Programm" in warning["description"]
    plain = neo4j_client.post("/cypher", json={"query": "MATCH (n:Letter) RETURN count(n) AS n"}).json()
    assert plain["notifications"] == []


@NEO4J_ONLY
@pytest.mark.parametrize(
    "query",
    [
        "CREATE (n:Programme {id: 'programme:x'}) RETURN n",
        "MERGE (n:Entity {id: 'programme:npvr'}) SET n.name = 'changed'",
        "MATCH (n {id: 'programme:npvr'}) SET n.name = 'changed'",
        "MATCH (n) DETACH DELETE n",
        "MATCH (n {id: 'programme:npvr'}) REMOVE n.name",
        "CALL db.createLabel('Planet')",
        "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS",
        "load csv from 'file:///etc/passwd' AS line RETURN line",
        "CALL dbms.listConfig()",
        "CALL apoc.create.node(['X'], {})",
    ],
)
def test_writes_are_refused_and_nothing_changes(
    neo4j_client: TestClient, store: GraphStore, query: str
) -> None:
    before = store.counts()
    name_before = store.get_node("programme:npvr").name
    response = neo4j_client.post("/cypher", json={"query": query})
    assert response.status_code == 403, response.text
    assert "read-only" in response.json()["detail"]
    assert store.counts() == before
    assert store.get_node("programme:npvr").name == name_before


@NEO4J_ONLY
def test_bad_cypher_and_time_limit(neo4j_client: TestClient) -> None:
    bad = neo4j_client.post("/cypher", json={"query": "MATCH (n RETURN n"})
    assert bad.status_code == 400 and "invalid Cypher" in bad.json()["detail"]
    assert neo4j_client.post("/cypher", json={"query": ""}).status_code == 422
    slow = "UNWIND range(1, 1000000000) AS x WITH x WHERE x % 7 = 99 RETURN count(*) AS n"
    response = neo4j_client.post("/cypher", json={"query": slow})
    assert response.status_code == 503
    assert "stopped" in response.json()["detail"]


def test_memory_store_says_how_to_enable_neo4j(tmp_path) -> None:
    app = create_app(load_settings(store="memory"), MemoryStore(tmp_path / "graph.json"))
    with TestClient(app) as client:
        response = client.post("/cypher", json={"query": "RETURN 1"})
    assert response.status_code == 501
    detail = response.json()["detail"]
    assert "REGIOGRAPH_STORE=neo4j" in detail and "regiograph neo4j start" in detail
