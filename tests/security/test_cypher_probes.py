"""POST /cypher against the real Neo4j server: only read-only plans run; writes, schema changes,
administration, LOAD CSV and procedures off the allow-list are refused, and nothing changes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver
from neo4j.exceptions import ClientError
from security_helpers import ROW_LIMIT

from graph.neo4j_procedures import allowed_procedures

pytestmark = pytest.mark.neo4j

REFUSED = [
    "CREATE (n)",
    "MERGE (n:X {id: 1})",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n) SET n.x = 1",
    "MATCH (n) REMOVE n.name",
    "FOREACH (x IN [1] | CREATE ())",
    "CALL { CREATE () } IN TRANSACTIONS",
    "LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l",
    "CREATE INDEX x FOR (n:X) ON (n.y)",
    "DROP INDEX entity_names",
    "CREATE CONSTRAINT c FOR (n:X) REQUIRE n.id IS UNIQUE",
    "CALL db.createLabel('X')",
    "CALL dbms.security.createUser('u', 'p', false)",
    "ALTER USER neo4j SET PASSWORD 'x'",
    "CALL db.clearQueryCaches()",
    "CALL dbms.listConfig()",
    "CALL dbms.killConnections(['bolt-1'])",
    "cReAtE (n)",
    "MATCH (n:Programme) WITH n LIMIT 1 CREATE (n)-[:X]->(:Y)",
    "CALL { MATCH (n) DETACH DELETE n } IN TRANSACTIONS OF 1 ROW",
    "USE system CALL db.labels()",
]
ADMINISTRATION = [
    "SHOW USERS",
    "SHOW CURRENT USER",
    "SHOW ROLES",
    "SHOW PRIVILEGES",
    "SHOW DATABASES",
    "SHOW DATABASE neo4j",
    "SHOW SERVERS",
    "SHOW TRANSACTIONS",
    "SHOW TRANSACTIONS YIELD * RETURN *",
    "SHOW SETTINGS",
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "CREATE USER u SET PASSWORD 'long-enough-password'",
    "ALTER USER neo4j SET PASSWORD 'long-enough-password'",
    "DROP USER neo4j",
    "CREATE DATABASE other",
    "ALTER DATABASE neo4j SET ACCESS READ ONLY",
    "DROP DATABASE neo4j",
    "CREATE ROLE r",
    "RENAME ROLE r TO s",
    "DROP ROLE r",
    "GRANT ROLE admin TO neo4j",
    "GRANT READ {*} ON GRAPH * TO r",
    "DENY READ {*} ON GRAPH * TO r",
    "REVOKE READ {*} ON GRAPH * FROM r",
]
ALLOWED = [
    "SHOW INDEXES",
    "SHOW CONSTRAINTS",
    "SHOW PROCEDURES",
    "SHOW FUNCTIONS YIELD name RETURN name",
    "CALL db.labels()",
    "CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType",
    "CALL db.propertyKeys()",
    "CALL db.schema.visualization()",
    "CALL db.index.fulltext.queryNodes('entity_names', 'twente') YIELD node RETURN node.id AS id",
    "MATCH (p:Programme)-[:COVERS]->(r:Region) RETURN p.id, r.id",
]


def _probe(client: TestClient, graph_state, query: str, status: int, parameters: dict | None = None):
    before = graph_state()
    response = client.post("/cypher", json={"query": query, "parameters": parameters or {}})
    assert response.status_code == status, (query, response.text)
    assert graph_state() == before, query
    return response


@pytest.mark.parametrize("query", REFUSED)
def test_writes_and_schema_changes_are_refused(client: TestClient, graph_state, query: str) -> None:
    detail = _probe(client, graph_state, query, 403).json()["detail"]
    assert detail.startswith("refused") and "read-only" in detail


@pytest.mark.parametrize("query", ADMINISTRATION)
def test_administration_is_refused(client: TestClient, graph_state, query: str) -> None:
    detail = _probe(client, graph_state, query, 403).json()["detail"]
    assert "refused" in detail


@pytest.mark.parametrize("query", ALLOWED)
def test_schema_discovery_and_listed_procedures_run(client: TestClient, graph_state, query: str) -> None:
    body = _probe(client, graph_state, query, 200).json()
    assert body["rows"], query


@pytest.mark.parametrize(
    "query",
    [
        "CRE/**/ATE (n)",  # a comment splits the keyword: no statement at all
        "MATCH (n) RETURN n; MATCH (n) DETACH DELETE n",
        "RETURN 1; CREATE (n)",
        "PROFILE MATCH (n) RETURN n",
        "MATCH (n RETURN n",
    ],
)
def test_invalid_text_is_refused(client: TestClient, graph_state, query: str) -> None:
    _probe(client, graph_state, query, 400)


def test_row_limit(client: TestClient, graph_state) -> None:
    body = _probe(client, graph_state, "UNWIND range(1, 100000000) AS x RETURN x", 200).json()
    assert len(body["rows"]) == ROW_LIMIT and body["truncated"] is True


def test_time_limit(client: TestClient, graph_state) -> None:
    # The planner answers this one from the count store (nodes^4) without enumerating anything...
    nodes = _probe(client, graph_state, "MATCH (n) RETURN count(n) AS n", 200).json()["rows"][0]["n"]
    counted = _probe(client, graph_state, "MATCH (a), (b), (c), (d) RETURN count(*) AS n", 200).json()
    assert counted["rows"] == [{"n": nodes**4}]
    # ...so the same product, made to enumerate its rows, is stopped at the time limit.
    product = "MATCH (a), (b), (c), (d) WHERE a <> b RETURN count(*)"
    response = _probe(client, graph_state, product, 503)
    assert "longer than 2 s and was stopped" in response.json()["detail"]


def test_a_1_mb_query_is_refused(client: TestClient, graph_state) -> None:
    query = "MATCH (n) RETURN n //" + "x" * 1_000_000
    _probe(client, graph_state, query, 422)
    _probe(client, graph_state, "CREATE (n) //" + "x" * 1_000_000, 422)


@pytest.mark.parametrize(
    "value",
    [
        "programme:npvr'}) DETACH DELETE n //",
        '" OR 1=1 //',
        "x\"}) MATCH (m) DETACH DELETE m RETURN m //",
        "$id} CREATE (n) //",
        "\u0000; CALL dbms.security.createUser('u','p',false)",
    ],
)
def test_parameters_are_bound_never_interpolated(client: TestClient, graph_state, value: str) -> None:
    query = "MATCH (n:Entity {id: $id}) RETURN n.id AS id UNION ALL RETURN $id AS id"
    rows = _probe(client, graph_state, query, 200, {"id": value}).json()["rows"]
    assert rows == [{"id": value}]  # no entity has that id; the value comes back verbatim


@pytest.mark.parametrize(
    "query",
    [
        "CALL apoc.load.json($url)",
        "CALL apoc.load.json('{url}')",
        "CALL apoc.load.csv('{url}') YIELD map RETURN map",
        "CALL apoc.import.csv([{{fileName: '{url}', labels: ['X']}}], [], {{}})",
        "CALL apoc.export.csv.all('{url}', {{}})",
        "CALL apoc.cypher.run('LOAD CSV FROM \"{url}\" AS l RETURN l', {{}})",
        "LOAD CSV FROM '{url}' AS l RETURN l",
        "LOAD CSV WITH HEADERS FROM $url AS l RETURN l",
        "RETURN 1 AS x UNION LOAD CSV FROM '{url}' AS l RETURN l AS x",
        "CALL {{ LOAD CSV FROM '{url}' AS l RETURN l }} RETURN l",
    ],
)
def test_nothing_fetches_a_url(client: TestClient, graph_state, recorder, query: str) -> None:
    # APOC is not installed: its procedures are refused by the allow-list before the server is asked.
    response = _probe(client, graph_state, query.format(url=recorder.url), 403, {"url": recorder.url})
    assert "refused" in response.json()["detail"]


def test_apoc_load_is_refused_by_the_allow_list(client: TestClient, recorder) -> None:
    response = client.post("/cypher", json={"query": f"CALL apoc.load.json('{recorder.url}')"})
    assert response.status_code == 403
    assert "apoc.load.json is not on the allow-list" in response.json()["detail"]


def test_show_users_403_and_show_indexes_200(client: TestClient) -> None:
    assert client.post("/cypher", json={"query": "SHOW USERS"}).status_code == 403
    assert client.post("/cypher", json={"query": "SHOW INDEXES"}).status_code == 200


def test_the_server_loads_only_listed_procedures_and_no_file_urls(neo4j_driver: Driver) -> None:
    # As the administrator, past the API: the server's own configuration (regiograph/neo4j_server.py).
    records, _, _ = neo4j_driver.execute_query(
        "SHOW SETTINGS YIELD name, value WHERE name STARTS WITH 'dbms.security.' RETURN name, value"
    )
    config = {r["name"]: r["value"] for r in records}
    assert set(config["dbms.security.procedures.allowlist"].split(",")) == allowed_procedures().names
    assert config["dbms.security.allow_csv_import_from_file_urls"] == "false"
    with pytest.raises(ClientError, match="file"):
        neo4j_driver.execute_query("LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l")
