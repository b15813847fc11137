"""The W3C SPARQL 1.1 Protocol tests for the query operation (tests/api/w3c_protocol, vendored from
w3c/rdf-tests), run from the manifest against the app on a live uvicorn server whose SPARQL engine
serves the suite's own data: data1-3 in the named graphs the tests name, their merge as default graph
(as the endpoint serves the dump). Dataset IRIs name stored graphs and are never fetched; the update
tests are left out (the endpoint is read-only)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from xml.dom import minidom

import httpx
import pyoxigraph as ox
import pytest
from api_helpers import live_server
from rdflib import Graph as RDFGraph
from rdflib import Namespace, URIRef
from rdflib.collection import Collection

from api.main import create_app
from graph.memory_store import MemoryStore
from graph.sparql import SparqlEngine
from regiograph.settings import load_settings

SUITE = Path(__file__).resolve().parent / "w3c_protocol"
DATA = "http://kasei.us/2009/09/sparql/data/"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
RESULTS_XML = "application/sparql-results+xml"
RESULTS_JSON = "application/sparql-results+json"
RDF_PARSERS = {
    "application/rdf+xml": "xml",
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
}


def _manifest() -> tuple[RDFGraph, list[URIRef]]:
    g = RDFGraph().parse(SUITE / "manifest.ttl", format="turtle", publicID=str(SUITE / "manifest.ttl"))
    manifest = next(g.subjects(MF.entries, None))
    return g, list(Collection(g, g.value(manifest, MF.entries)))


GRAPH, ENTRIES = _manifest()
QUERY_TESTS = [t for t in ENTRIES if not str(t).rsplit("#", 1)[1].startswith(("update_", "bad_update"))]


def test_the_suite_is_all_there() -> None:
    names = {str(t).rsplit("#", 1)[1] for t in QUERY_TESTS}
    assert len(ENTRIES) == 34 and len(QUERY_TESTS) == 21
    assert {
        "query_dataset_full",
        "query_multiple_dataset",
        "bad_query_non_utf8",
        "bad_multiple_queries",
    } <= names


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory) -> Iterator[str]:
    data = ox.Store()
    for n in (1, 2, 3):
        graph = ox.NamedNode(f"{DATA}data{n}.rdf")
        data.extend(
            ox.Quad(q.subject, q.predicate, q.object, graph)
            for q in ox.parse(path=str(SUITE / f"data{n}.nt"), format=ox.RdfFormat.N_TRIPLES)
        )
    data.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")  # the merge as default graph
    settings = load_settings()
    app = create_app(settings, MemoryStore(tmp_path_factory.mktemp("w3c") / "graph.json"))
    engine = SparqlEngine(settings.base_iri, dataset=data)
    app.state.sparql_engine = engine
    try:
        with live_server(app) as base:
            yield base
    finally:
        engine.close()


def _requests(test: URIRef) -> list:
    action = GRAPH.value(test, MF.action)
    return list(Collection(GRAPH, GRAPH.value(action, HT.requests)))


def _send(base: str, request) -> httpx.Response:
    method = str(GRAPH.value(request, HT.methodName))
    path = str(GRAPH.value(request, HT.absolutePath))
    assert path.startswith("/sparql/")
    url = base + "/sparql" + path[len("/sparql/") :]
    headers = {}
    header_list = GRAPH.value(request, HT.headers)
    if header_list is not None:
        for header in Collection(GRAPH, header_list):
            headers[str(GRAPH.value(header, HT.fieldName))] = str(GRAPH.value(header, HT.fieldValue))
    body = GRAPH.value(request, HT.body)
    content = None
    if body is not None:
        encoding = str(GRAPH.value(body, CNT.characterEncoding) or "UTF-8")
        content = str(GRAPH.value(body, CNT.chars)).encode(encoding.lower())
    # httpx keeps the query string as written (the tests' own percent-encoding)
    return httpx.request(method, url, headers=headers, content=content, timeout=30)


def _statuses(response_node) -> set[str]:
    return {str(code).removeprefix(HTS) for code in GRAPH.objects(response_node, MF.expectedStatus)}


def _boolean(response: httpx.Response) -> bool:
    media = response.headers["content-type"].split(";")[0]
    if media in (RESULTS_JSON, "application/json"):
        return json.loads(response.text)["boolean"]
    assert media in (RESULTS_XML, "application/xml"), media
    return minidom.parseString(response.content).getElementsByTagName("boolean")[0].firstChild.data == "true"


def _check_format(response: httpx.Response, expected: str) -> None:
    media = response.headers["content-type"].split(";")[0]
    if expected == "boolean":
        assert media in (RESULTS_JSON, RESULTS_XML, "application/json", "application/xml"), media
        _boolean(response)
    elif expected == "tabular":
        assert media in (RESULTS_JSON, RESULTS_XML, "text/csv", "text/tab-separated-values"), media
        if media == RESULTS_JSON:
            assert json.loads(response.text)["head"]["vars"] == ["value"]
        elif media == RESULTS_XML:
            assert minidom.parseString(response.content).getElementsByTagName("variable")
    elif expected == "RDF":
        assert media in RDF_PARSERS, media
        RDFGraph().parse(data=response.content, format=RDF_PARSERS[media])
    else:
        raise AssertionError(f"unknown expected format {expected}")


@pytest.mark.parametrize("test", QUERY_TESTS, ids=lambda t: str(t).rsplit("#", 1)[1])
def test_w3c_protocol(endpoint: str, test: URIRef) -> None:
    name = GRAPH.value(test, MF.name)
    for request in _requests(test):
        response = _send(endpoint, request)
        expected = GRAPH.value(request, HT.resp)
        statuses = _statuses(expected)
        assert f"{response.status_code // 100}xx" in statuses, (
            name,
            response.status_code,
            response.text[:500],
        )
        if response.status_code >= 300:
            continue
        fmt = GRAPH.value(expected, MF.expectedFormat)
        if fmt is not None:
            _check_format(response, str(fmt))
        boolean = GRAPH.value(expected, MF.expectedBoolean)
        if boolean is not None:
            assert _boolean(response) is boolean.toPython(), name


def test_dataset_iris_are_never_fetched(endpoint: str) -> None:
    """The suite's dataset IRIs point at kasei.us; only the stored graphs answer, an unstored one is empty."""
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    params = {"query": query, "default-graph-uri": DATA + "data0.rdf"}
    response = httpx.get(endpoint + "/sparql", params=params)
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "0"
