"""GET|POST /sparql through the SPARQL 1.1 Protocol, with SPARQLWrapper against a real HTTP server."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import httpx
import pytest
from api_helpers import live_server
from rdflib import Graph as RDFGraph
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from api.main import create_app
from graph.store import GraphStore
from regiograph.settings import load_settings

COVERS_TWENTE = """
SELECT ?programme ?quote WHERE {
  ?g rg:nodeId "region:twente" .
  ?p rg:covers ?g ; rg:nodeId ?programme .
  ?a rdf:subject ?p ; rdf:predicate rg:covers ; rdf:object ?g ; rg:evidence/rg:quote ?quote .
}"""
SLOW = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?s rg:nodeId ?x . ?t rg:nodeId ?y . ?u rg:nodeId ?z "
    "FILTER (STRLEN(CONCAT(?x, ?y, ?z)) > 1000) }"
)


@pytest.fixture
def endpoint(store: GraphStore) -> Iterator[str]:
    settings = load_settings(query_row_limit=50, query_timeout=10.0)
    with live_server(create_app(settings, store)) as base:
        yield base + "/sparql"


def _wrapper(endpoint: str, query: str, fmt: str) -> SPARQLWrapper:
    sparql = SPARQLWrapper(endpoint)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    return sparql


def _programmes(bindings: list[dict]) -> set[str]:
    return {b["programme"]["value"] for b in bindings}


def test_select_json_xml_csv_agree(endpoint: str, store: GraphStore) -> None:
    as_json = _wrapper(endpoint, COVERS_TWENTE, JSON).query().convert()
    programmes = _programmes(as_json["results"]["bindings"])
    assert "programme:npvr" in programmes
    assert programmes == {r.start for r in store.relationships("COVERS", end="region:twente")}
    assert all(b["quote"]["value"] for b in as_json["results"]["bindings"])

    as_xml = _wrapper(endpoint, COVERS_TWENTE, XML).query().convert()
    xml_values = {
        b.getElementsByTagName("literal")[0].firstChild.data
        for b in as_xml.getElementsByTagName("binding")
        if b.getAttribute("name") == "programme"
    }
    assert xml_values == programmes

    as_csv = _wrapper(endpoint, COVERS_TWENTE, CSV).query().convert()
    rows = list(csv.DictReader(io.StringIO(as_csv.decode("utf-8"))))
    assert {r["programme"] for r in rows} == programmes


def test_post_form_and_direct(endpoint: str) -> None:
    for method, request_method in ((POST, "urlencoded"), (POST, POSTDIRECTLY)):
        sparql = _wrapper(endpoint, COVERS_TWENTE, JSON)
        sparql.setMethod(method)
        sparql.setRequestMethod(request_method)
        assert "programme:npvr" in _programmes(sparql.query().convert()["results"]["bindings"])


def test_ask_and_construct(endpoint: str) -> None:
    ask = _wrapper(endpoint, 'ASK { ?p rg:nodeId "programme:npvr" ; rg:covers ?r }', JSON).query().convert()
    assert ask["boolean"] is True
    missing = _wrapper(endpoint, 'ASK { ?p rg:nodeId "programme:nope" }', JSON).query().convert()
    assert missing["boolean"] is False

    construct = "CONSTRUCT { ?p rg:covers ?r } WHERE { ?p rg:nodeId 'programme:npvr' ; rg:covers ?r }"
    sparql = _wrapper(endpoint, construct, TURTLE)
    result = sparql.query()
    assert result.response.headers["Content-Type"].startswith("text/turtle")
    graph = RDFGraph().parse(data=result.convert(), format="turtle")
    assert len(graph) >= 2
    assert any(str(o).endswith("/region/twente") for o in graph.objects())


def test_updates_and_bad_queries_are_refused(endpoint: str, store: GraphStore) -> None:
    before = store.counts()
    for update in (
        "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }",
        "PREFIX x: <http://x/> DELETE WHERE { ?s ?p ?o }",
        "# a comment\nCLEAR ALL",
        "LOAD <http://example.org/data.ttl>",
    ):
        response = httpx.post(endpoint, content=update, headers={"Content-Type": "application/sparql-query"})
        assert response.status_code == 400, update
        assert "read-only" in response.json()["detail"]
    # SPARQLWrapper sends updates as `update=`; refused as well.
    sparql = SPARQLWrapper(endpoint)
    sparql.setMethod(POST)
    sparql.setQuery("INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }")
    with pytest.raises(QueryBadFormed):
        sparql.query()
    assert httpx.get(endpoint, params={"query": "SELECT WHERE {"}).status_code == 400
    assert httpx.get(endpoint).status_code == 400
    assert httpx.post(endpoint, content="x", headers={"Content-Type": "text/plain"}).status_code == 415
    not_acceptable = httpx.get(endpoint, params={"query": COVERS_TWENTE}, headers={"Accept": "image/png"})
    assert not_acceptable.status_code == 406
    assert store.counts() == before


def test_row_limit_marks_truncation(endpoint: str, store: GraphStore) -> None:
    response = httpx.get(endpoint, params={"query": "SELECT ?s WHERE { ?s rg:nodeId ?id }"})
    assert response.status_code == 200
    assert store.counts()["nodes"] > 50
    assert len(response.json()["results"]["bindings"]) == 50
    assert response.headers["X-RegioGraph-Truncated"] == "true"
    few = httpx.get(endpoint, params={"query": "SELECT ?s WHERE { ?s a rg:Letter }"})
    assert len(few.json()["results"]["bindings"]) == 5 and "X-RegioGraph-Truncated" not in few.headers


def test_time_limit_answers_503(store: GraphStore) -> None:
    # The query takes seconds; it is abandoned after 0.2 s (and finishes in its worker thread later).
    with live_server(create_app(load_settings(query_timeout=0.2), store)) as base:
        response = httpx.get(base + "/sparql", params={"query": SLOW}, timeout=60)
    assert response.status_code == 503
    assert "longer than 0.2 s" in response.json()["detail"]


def test_cache_follows_changes(store: GraphStore, corpus_graphs) -> None:
    app = create_app(load_settings(), store)
    engine = app.state.sparql_engine
    ask_letter = 'ASK { ?l rg:nodeId "letter:2024D51884" }'
    with live_server(app) as base:
        first = httpx.get(base + "/sparql", params={"query": ask_letter}).json()
        again = httpx.get(base + "/sparql", params={"query": ask_letter}).json()
        assert first["boolean"] is True and again["boolean"] is True
        assert engine.builds == 1  # unchanged store: the loaded dataset is reused
        store.delete_letter("letter:2024D51884")
        assert httpx.get(base + "/sparql", params={"query": ask_letter}).json()["boolean"] is False
        assert engine.builds == 2


def test_each_triple_once_and_letters_as_named_graphs(endpoint: str, store: GraphStore) -> None:
    covers = store.relationships("COVERS", end="region:twente")
    names = "SELECT ?name WHERE { ?p rg:covers/rg:nodeId 'region:twente' ; skos:prefLabel ?name }"
    rows = _wrapper(endpoint, names, JSON).query().convert()["results"]["bindings"]
    assert len(rows) == len(covers)  # not repeated per letter that states it
    graphs = (
        "SELECT DISTINCT ?letter WHERE { GRAPH ?g { ?p rg:covers ?r } ?r rg:nodeId 'region:twente' . "
        "?g rg:nodeId ?letter }"
    )
    letters = {
        b["letter"]["value"]
        for b in _wrapper(endpoint, graphs, JSON).query().convert()["results"]["bindings"]
    }
    assert letters == {letter for r in covers for letter in r.letters}
