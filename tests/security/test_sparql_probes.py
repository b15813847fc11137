"""GET|POST /sparql over the Neo4j store: updates and federation are refused, no query makes the server
fetch a URL (the recording server is never called), and a cartesian product stops at the time limit."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from security_helpers import probe_settings

from api.main import create_app
from graph.neo4j_store import Neo4jStore

pytestmark = pytest.mark.neo4j

SPARQL_QUERY = {"Content-Type": "application/sparql-query"}


def _probe(client: TestClient, graph_state, query: str, status: int):
    before = graph_state()
    response = client.post("/sparql", content=query.encode("utf-8"), headers=SPARQL_QUERY)
    assert response.status_code == status, (query, response.text)
    assert graph_state() == before, query
    return response


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "DELETE { ?s ?p ?o } INSERT { ?s ?p 'x' } WHERE { ?s ?p ?o }",
        "LOAD <file:///etc/passwd>",
        "LOAD SILENT <file:///etc/passwd> INTO GRAPH <http://x/g>",
        "CLEAR ALL",
        "DROP ALL",
        "CREATE GRAPH <http://x/g>",
        "COPY DEFAULT TO <http://x/g>",
        "# a comment first\nPREFIX x: <http://x/>\nCLEAR DEFAULT",
    ],
)
def test_updates_are_refused(client: TestClient, graph_state, update: str) -> None:
    assert "read-only" in _probe(client, graph_state, update, 400).json()["detail"]


@pytest.mark.parametrize("text", ["#", "# only a comment\n", "PREFIX x: <http://x/>", "BASE <http://x/>"])
def test_no_query_at_all_is_refused(client: TestClient, graph_state, text: str) -> None:
    assert "invalid SPARQL" in _probe(client, graph_state, text, 400).json()["detail"]


def test_form_update_is_refused(client: TestClient, graph_state) -> None:
    before = graph_state()
    response = client.post("/sparql", data={"update": "CLEAR ALL"})
    assert response.status_code == 400 and graph_state() == before


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ VALUES ?endpoint {{ <{url}> }} SERVICE ?endpoint {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        "SELECT * WHERE {{ ?s ?p ?o FILTER (isIRI(?s) || NOT EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }}) }}",
        "SELECT * WHERE {{ OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        "SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        "SELECT * WHERE {{ ?s ?p ?o MINUS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        "SELECT (EXISTS {{ SERVICE <{url}> {{ ?a ?b ?c }} }} AS ?x) WHERE {{}}",
        "SELECT * WHERE {{ BIND (EXISTS {{ SERVICE <{url}> {{ ?a ?b ?c }} }} AS ?x) }}",
        "SELECT ?s WHERE {{ ?s ?p ?o }} GROUP BY ?s HAVING (EXISTS {{ SERVICE <{url}> {{ ?a ?b ?c }} }})",
        "SELECT * WHERE {{ ?s ?p ?o }} ORDER BY (EXISTS {{ SERVICE <{url}> {{ ?a ?b ?c }} }})",
        "ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "DESCRIBE ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",  # escapes are read before parsing
        "SELECT * WHERE {{ ?s ?p '\\u0027 }} SERVICE <{url}> {{ ?a ?b ?c }} #' }}",
        "SELECT * WHERE {{ ?s <http://x/p#> ?o . SERVICE <{url}> {{ ?a ?b ?c }} }}",
        "PREFIX r: <{url}>\nSELECT * WHERE {{ SERVICE r: {{ ?s ?p ?o }} }}",
        "BASE <{url}>\nSELECT * WHERE {{ SERVICE <> {{ ?s ?p ?o }} }}",
    ],
)
def test_federation_is_refused(client: TestClient, graph_state, recorder, query: str) -> None:
    detail = _probe(client, graph_state, query.format(url=recorder.url), 400).json()["detail"]
    assert "SERVICE" in detail or "invalid SPARQL" in detail


def test_service_named_in_a_string_is_just_text(client: TestClient, graph_state, recorder) -> None:
    query = f"SELECT ?text WHERE {{ BIND ('SERVICE <{recorder.url}> {{ ?s ?p ?o }}' AS ?text) }}"
    body = _probe(client, graph_state, query, 200).json()
    assert body["results"]["bindings"][0]["text"]["value"].startswith("SERVICE")
    get = client.get("/sparql", params={"query": f"# SERVICE <{recorder.url}> {{ }}\nASK {{ ?s ?p ?o }}"})
    assert get.status_code == 200 and get.json()["boolean"] is True


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
        "SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "SELECT * FROM <{url}> FROM NAMED <{url}data.ttl> WHERE {{ ?s ?p ?o }}",
        "SELECT * WHERE {{ GRAPH <{url}> {{ ?s ?p ?o }} }}",
        "DESCRIBE <{url}>",
        "ASK FROM <{url}> {{ ?s ?p ?o }}",
        "CONSTRUCT {{ ?s ?p ?o }} FROM <{url}> WHERE {{ ?s ?p ?o }}",
    ],
)
def test_dataset_clauses_fetch_nothing(client: TestClient, graph_state, recorder, query: str) -> None:
    # FROM and FROM NAMED select graphs of the loaded dataset; no such graph exists, so nothing matches.
    _probe(client, graph_state, query.format(url=recorder.url), 200)


def test_cartesian_product_stops_at_the_time_limit(neo4j_store: Neo4jStore, graph_state) -> None:
    # About a second of work on the corpus; abandoned after 0.2 s (it finishes in its worker thread).
    product = "SELECT (COUNT(*) AS ?n) WHERE { ?s rg:nodeId ?x . ?t rg:nodeId ?y . ?u rg:nodeId ?z }"
    with TestClient(create_app(probe_settings(query_timeout=0.2), neo4j_store)) as client:
        client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})  # the dataset is built once
        response = _probe(client, graph_state, product, 503)
    assert "longer than 0.2 s" in response.json()["detail"]
