"""GET|POST /sparql through the SPARQL 1.1 Protocol, with real clients (SPARQLWrapper, rdflib's
SPARQLStore) and raw HTTP against a live uvicorn server: every result format, dataset parameters,
limits that hold (row cap refused, slow queries stopped, disconnects freeing their worker), and the
endpoint serving exactly the dump's terms."""

from __future__ import annotations

import csv
import io
import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pyoxigraph as ox
import pytest
from api_helpers import live_server
from rdflib import Graph as RDFGraph
from rdflib import Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from api.main import create_app
from graph import rdf
from graph.store import GraphStore
from regiograph.settings import load_settings

BASE = load_settings().base_iri
LETTER = BASE + "letter/2024D51884"
COVERS_TWENTE = """
SELECT ?programme ?quote WHERE {
  ?g rg:nodeId "region:twente" .
  ?p rg:covers ?g ; rg:nodeId ?programme .
  ?a rdf:subject ?p ; rdf:predicate rg:covers ; rdf:object ?g ; rg:evidence/rg:quote ?quote .
}"""
FALSY = """
SELECT ?assertion ?derived (COUNT(?nothing) AS ?zero) (0.0 AS ?decimal) WHERE {
  ?assertion rg:derived ?derived . FILTER (?derived = false)
  OPTIONAL { ?assertion rg:nodeId ?nothing }
} GROUP BY ?assertion ?derived ORDER BY ?assertion LIMIT 20"""
SLOW = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?s rg:nodeId ?x . ?t rg:nodeId ?y . ?u rg:nodeId ?z . ?v rg:nodeId ?w "
    "FILTER (STRLEN(CONCAT(?x, ?y, ?z, ?w)) > 100000) }"
)
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture
def app_factory(store: GraphStore):
    def make(**overrides):
        settings = load_settings(**{"query_row_limit": 50, "query_timeout": 10.0, **overrides})
        return create_app(settings, store)

    return make


@pytest.fixture
def endpoint(app_factory) -> Iterator[str]:
    with live_server(app_factory()) as base:
        yield base + "/sparql"


def _wrapper(endpoint: str, query: str, fmt: str) -> SPARQLWrapper:
    sparql = SPARQLWrapper(endpoint)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    return sparql


def _programmes(bindings: list[dict]) -> set[str]:
    return {b["programme"]["value"] for b in bindings}


def _count(response: httpx.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


# -- result formats ------------------------------------------------------------------------------------
def test_select_json_xml_csv_tsv_agree(endpoint: str, store: GraphStore) -> None:
    as_json = _wrapper(endpoint, COVERS_TWENTE, JSON).query().convert()
    programmes = _programmes(as_json["results"]["bindings"])
    assert "programme:npvr" in programmes
    assert programmes == {r.start for r in store.relationships("COVERS", end="region:twente")}
    rows = {(b["programme"]["value"], b["quote"]["value"]) for b in as_json["results"]["bindings"]}
    assert all(b["quote"]["xml:lang"] == "nl" for b in as_json["results"]["bindings"])

    as_xml = _wrapper(endpoint, COVERS_TWENTE, XML).query().convert()
    xml_rows = set()
    for result in as_xml.getElementsByTagName("result"):
        values = {
            b.getAttribute("name"): b.getElementsByTagName("literal")[0].firstChild.data
            for b in result.getElementsByTagName("binding")
        }
        xml_rows.add((values["programme"], values["quote"]))
    assert xml_rows == rows

    as_csv = _wrapper(endpoint, COVERS_TWENTE, CSV).query().convert()
    assert {(r["programme"], r["quote"]) for r in csv.DictReader(io.StringIO(as_csv.decode("utf-8")))} == rows

    as_tsv = _wrapper(endpoint, COVERS_TWENTE, TSV).query().convert().decode("utf-8")
    head, *lines = as_tsv.strip("\n").split("\n")
    assert head.split("\t") == ["?programme", "?quote"]
    assert len(lines) == len(rows)


def test_xml_keeps_false_zero_and_decimal_zero(endpoint: str) -> None:
    """rdflib's XML writer dropped falsy literals; pyoxigraph writes them."""
    as_xml = _wrapper(endpoint, FALSY, XML).query().convert()
    literals = {
        b.getAttribute("name"): b.getElementsByTagName("literal")[0]
        for b in as_xml.getElementsByTagName("result")[0].getElementsByTagName("binding")
        if b.getElementsByTagName("literal")
    }
    assert literals["derived"].firstChild.data == "false"
    assert int(literals["zero"].firstChild.data) == 0
    assert float(literals["decimal"].firstChild.data) == 0.0
    store = SPARQLStore(endpoint, returnFormat="xml")
    row = next(iter(store.query(FALSY)))
    assert row.derived.toPython() is False and row.zero.toPython() == 0


def test_sparqlstore_formats_agree_with_sparqlwrapper(endpoint: str) -> None:
    expected = {
        (b["programme"]["value"], b["quote"]["value"])
        for b in _wrapper(endpoint, COVERS_TWENTE, JSON).query().convert()["results"]["bindings"]
    }
    for fmt in ("json", "xml", "csv", "tsv"):
        result = SPARQLStore(endpoint, returnFormat=fmt).query(COVERS_TWENTE)
        assert {(str(r.programme), str(r.quote)) for r in result} == expected, fmt
    typed = SPARQLStore(endpoint, returnFormat="json").query(COVERS_TWENTE)
    assert {r.quote.language for r in typed} == {"nl"}


def test_post_form_and_direct(endpoint: str) -> None:
    for method, request_method in ((POST, "urlencoded"), (POST, POSTDIRECTLY)):
        sparql = _wrapper(endpoint, COVERS_TWENTE, JSON)
        sparql.setMethod(method)
        sparql.setRequestMethod(request_method)
        assert "programme:npvr" in _programmes(sparql.query().convert()["results"]["bindings"])


def test_ask_in_every_results_format(endpoint: str) -> None:
    ask = _wrapper(endpoint, 'ASK { ?p rg:nodeId "programme:npvr" ; rg:covers ?r }', JSON).query().convert()
    assert ask["boolean"] is True
    missing = _wrapper(endpoint, 'ASK { ?p rg:nodeId "programme:nope" }', XML).query().convert()
    assert missing.getElementsByTagName("boolean")[0].firstChild.data == "false"
    for media in ("text/csv", "text/tab-separated-values"):
        response = httpx.get(endpoint, params={"query": "ASK {}"}, headers={"Accept": media})
        assert response.status_code == 200 and response.text.strip() == "true", media


CONSTRUCT = (
    "CONSTRUCT { ?p rg:covers ?r . ?r skos:prefLabel ?n } "
    "WHERE { ?p rg:nodeId 'programme:npvr' ; rg:covers ?r . ?r skos:prefLabel ?n }"
)


@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, XML, JSONLD])
def test_construct_in_every_format_with_sparqlwrapper(endpoint: str, fmt: str) -> None:
    result = _wrapper(endpoint, CONSTRUCT, fmt).query()
    graph = result.convert()
    if not isinstance(graph, RDFGraph):
        media = result.response.headers["Content-Type"].split(";")[0]
        graph = RDFGraph().parse(
            data=graph, format={"text/turtle": "turtle", "application/n-triples": "nt"}[media]
        )
    covered = set(graph.objects(URIRef(BASE + "programme/npvr"), URIRef("https://regiograph.nl/def/covers")))
    assert URIRef(BASE + "region/twente") in covered
    assert Literal("Twente", lang="nl") in set(graph.objects(URIRef(BASE + "region/twente"), None))


@pytest.mark.parametrize(
    ("media", "parser"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("application/trig", "trig"),
        ("application/n-quads", "nquads"),
    ],
)
def test_construct_honours_accept(endpoint: str, media: str, parser: str) -> None:
    response = httpx.get(endpoint, params={"query": CONSTRUCT}, headers={"Accept": media})
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    assert response.headers["vary"] == "Accept"
    graph = RDFGraph().parse(data=response.content, format=parser)
    assert (
        URIRef(BASE + "programme/npvr"),
        URIRef("https://regiograph.nl/def/covers"),
        URIRef(BASE + "region/twente"),
    ) in graph


def test_accept_defaults_and_406(endpoint: str) -> None:
    anything = {"Accept": "*/*"}
    select = httpx.get(endpoint, params={"query": COUNT}, headers=anything)
    assert select.headers["content-type"].startswith("application/sparql-results+json")
    graph = httpx.get(endpoint, params={"query": CONSTRUCT}, headers=anything)
    assert graph.headers["content-type"].startswith("text/turtle")
    browser = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    assert (
        httpx.get(endpoint, params={"query": COUNT}, headers=browser)
        .headers["content-type"]
        .startswith("application/xml")
    )
    for query, accept in ((COUNT, "text/turtle"), (CONSTRUCT, "text/csv"), (COUNT, "image/png")):
        response = httpx.get(endpoint, params={"query": query}, headers={"Accept": accept})
        assert response.status_code == 406, (query, accept)
        assert response.headers["vary"] == "Accept"


# -- refusals ------------------------------------------------------------------------------------------
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
    sparql = SPARQLWrapper(endpoint)
    sparql.setMethod(POST)
    sparql.setQuery("INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }")
    with pytest.raises(QueryBadFormed):
        sparql.query()
    assert httpx.get(endpoint, params={"query": "SELECT WHERE {"}).status_code == 400
    assert httpx.post(endpoint, content="x", headers={"Content-Type": "text/plain"}).status_code == 415
    assert store.counts() == before


def test_ambiguous_requests_are_refused(endpoint: str) -> None:
    two = httpx.get(endpoint + "?query=" + quote("ASK {}") + "&query=" + quote(COUNT))
    assert two.status_code == 400 and "exactly one" in two.json()["detail"]
    form = httpx.post(
        endpoint,
        content="query=ASK%20%7B%7D&query=ASK%20%7B%7D",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert form.status_code == 400
    both = httpx.post(
        endpoint + "?query=" + quote("ASK {}"),
        content=COUNT,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert both.status_code == 400 and "exactly one" in both.json()["detail"]
    latin = httpx.post(
        endpoint,
        content="ASK {}".encode("latin-1"),
        headers={"Content-Type": "application/sparql-query; charset=ISO-8859-1"},
    )
    assert latin.status_code == 415 and "UTF-8" in latin.json()["detail"]
    utf8 = httpx.post(
        endpoint, content="ASK {}", headers={"Content-Type": "application/sparql-query; charset=UTF-8"}
    )
    assert utf8.status_code == 200
    assert httpx.get(endpoint, params={"default-graph-uri": LETTER}).status_code == 400  # no query


def test_a_megabyte_query_is_refused_with_the_reason(endpoint: str) -> None:
    big = "ASK { ?s ?p ?o } #" + "x" * 1_000_000
    form = httpx.post(
        endpoint, content="query=" + quote(big), headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert form.status_code == 413 and "bytes" in form.json()["detail"]
    direct = httpx.post(endpoint, content=big, headers={"Content-Type": "application/sparql-query"})
    assert direct.status_code == 413
    # A megabyte of URL: uvicorn refuses the request line before the app sees it.
    host, port = endpoint.removeprefix("http://").split("/")[0].split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(f"GET /sparql?query={quote(big)} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        status = sock.recv(200).decode("latin-1").split(" ")[1]
    assert status in ("400", "413", "414", "431")


# -- limits that hold ------------------------------------------------------------------------------------
def test_row_cap_is_refused_not_cut(endpoint: str, store: GraphStore) -> None:
    response = httpx.get(endpoint, params={"query": "SELECT ?s WHERE { ?s rg:nodeId ?id }"})
    assert store.counts()["nodes"] > 50
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "50" in detail and "LIMIT" in detail and "/rdf" in detail
    limited = httpx.get(endpoint, params={"query": "SELECT ?s WHERE { ?s rg:nodeId ?id } LIMIT 50"})
    assert len(limited.json()["results"]["bindings"]) == 50
    assert "X-RegioGraph-Truncated" not in limited.headers
    few = httpx.get(endpoint, params={"query": "SELECT ?s WHERE { ?s a rg:Letter }"})
    assert len(few.json()["results"]["bindings"]) == 5
    construct = httpx.get(endpoint, params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    assert construct.status_code == 400 and "triples" in construct.json()["detail"]
    # a client iterating all triples hears about the cap instead of getting 50 of them
    with pytest.raises(Exception, match="400|row cap|wrong"):
        list(SPARQLStore(endpoint, returnFormat="json").triples((None, None, None)))


def test_time_limit_stops_the_query(app_factory) -> None:
    app = app_factory(query_timeout=0.3)
    with live_server(app) as base:
        started = time.monotonic()
        response = httpx.get(base + "/sparql", params={"query": SLOW}, timeout=60)
        assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert "longer than 0.3 s" in response.json()["detail"]


def test_after_ten_time_limit_hits_ask_answers(app_factory) -> None:
    app = app_factory(query_timeout=0.3)
    engine = app.state.sparql_engine
    with live_server(app) as base:
        for _ in range(10):
            assert httpx.get(base + "/sparql", params={"query": SLOW}, timeout=60).status_code == 503
        started = time.monotonic()
        ask = httpx.get(base + "/sparql", params={"query": "ASK {}"}, timeout=60)
        assert ask.status_code == 200 and ask.json()["boolean"] is True
        assert time.monotonic() - started < 5
        assert engine.stats()["kills"] == 10 and engine.stats()["busy"] == 0
        # the curated queries share the workers and still answer
        assert httpx.get(base + "/queries/stacking-regions", params={"engine": "sparql"}).status_code == 200


def test_client_disconnect_frees_the_worker(app_factory) -> None:
    app = app_factory(query_timeout=60.0)
    engine = app.state.sparql_engine
    with live_server(app) as base:
        httpx.get(base + "/sparql", params={"query": "ASK {}"})  # workers started, dump loaded
        host, port = base.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port))) as sock:
            sock.sendall(f"GET /sparql?query={quote(SLOW)} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            deadline = time.monotonic() + 10
            while engine.stats()["busy"] == 0 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert engine.stats()["busy"] == 1
        deadline = time.monotonic() + 10
        while engine.stats()["busy"] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert engine.stats()["busy"] == 0 and engine.stats()["kills"] == 1
        assert httpx.get(base + "/sparql", params={"query": "ASK {}"}).status_code == 200


# -- dataset ---------------------------------------------------------------------------------------------
def _graph_size(store: GraphStore, graph: str) -> int:
    dump = rdf.build_store(store.snapshot(), BASE)
    return sum(1 for _ in dump.quads_for_pattern(None, None, None, ox.NamedNode(graph)))


def test_dataset_parameters_on_get_form_and_direct_post(endpoint: str, store: GraphStore) -> None:
    letter_size = _graph_size(store, LETTER)
    everything = _count(httpx.get(endpoint, params={"query": COUNT}))
    assert 0 < letter_size < everything
    dataset = {"default-graph-uri": LETTER}
    assert _count(httpx.get(endpoint, params={"query": COUNT, **dataset})) == letter_size
    form = httpx.post(endpoint, data={"query": COUNT, **dataset})
    assert _count(form) == letter_size
    direct = httpx.post(
        endpoint, params=dataset, content=COUNT, headers={"Content-Type": "application/sparql-query"}
    )
    assert _count(direct) == letter_size
    # named-graph-uri alone: an empty default graph, the letter's graph for GRAPH
    in_graphs = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    named = {"named-graph-uri": LETTER}
    assert _count(httpx.get(endpoint, params={"query": in_graphs, **named})) == letter_size
    assert _count(httpx.get(endpoint, params={"query": COUNT, **named})) == 0
    # the protocol's dataset replaces the query's FROM
    from_other = f"SELECT (COUNT(*) AS ?n) FROM <{BASE}graph/derived> WHERE {{ ?s ?p ?o }}"
    assert _count(httpx.get(endpoint, params={"query": from_other, **dataset})) == letter_size
    # a graph the store does not hold is an empty dataset, never fetched
    assert (
        _count(httpx.get(endpoint, params={"query": COUNT, "default-graph-uri": "http://example.org/g"})) == 0
    )


def test_dataset_restricted_clients(endpoint: str, store: GraphStore) -> None:
    letter_size = _graph_size(store, LETTER)
    sparql = _wrapper(endpoint, COUNT, JSON)
    sparql.addDefaultGraph(LETTER)
    assert int(sparql.query().convert()["results"]["bindings"][0]["n"]["value"]) == letter_size
    restricted = RDFGraph(SPARQLStore(endpoint, returnFormat="json"), identifier=URIRef(LETTER))
    assert len(restricted) == letter_size
    assert len(RDFGraph(SPARQLStore(endpoint, returnFormat="xml"), identifier=URIRef(LETTER))) == letter_size


def test_endpoint_serves_exactly_the_dump(app_factory, store: GraphStore) -> None:
    dump = rdf.build_store(store.snapshot(), BASE)
    default = {q.triple for q in dump.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    with live_server(app_factory(query_row_limit=100_000)) as base:
        body = httpx.get(
            base + "/sparql",
            params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
            headers={"Accept": "application/n-triples"},
            timeout=60,
        ).content
        served = {q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)}
        assert served == default  # datatypes, language tags and lexical forms included
        letter = httpx.get(
            base + "/sparql",
            params={"query": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{LETTER}> {{ ?s ?p ?o }} }}"},
            headers={"Accept": "application/n-triples"},
            timeout=60,
        ).content
        assert {q.triple for q in ox.parse(letter, format=ox.RdfFormat.N_TRIPLES)} == {
            q.triple for q in dump.quads_for_pattern(None, None, None, ox.NamedNode(LETTER))
        }
        offsets = httpx.get(
            base + "/sparql",
            params={"query": "SELECT DISTINCT (DATATYPE(?o) AS ?t) WHERE { ?e rg:start ?o }"},
        ).json()
        assert [b["t"]["value"] for b in offsets["results"]["bindings"]] == [
            "http://www.w3.org/2001/XMLSchema#integer"
        ]


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


# -- service description -----------------------------------------------------------------------------------
def test_get_without_query_answers_the_service_description(endpoint: str, store: GraphStore) -> None:
    response = httpx.get(endpoint, headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    g = RDFGraph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    service = URIRef(endpoint)
    assert (service, URIRef(sd + "endpoint"), service) in g
    formats = {str(o) for o in g.objects(service, URIRef(sd + "resultFormat"))}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_TSV" in formats
    names = {str(o) for o in g.objects(None, URIRef(sd + "name"))}
    assert {BASE + "letter/" + n.id.split(":", 1)[1] for n in store.letters()} <= names
    jsonld = httpx.get(endpoint, headers={"Accept": "application/ld+json"})
    assert jsonld.status_code == 200 and len(RDFGraph().parse(data=jsonld.text, format="json-ld")) == len(g)


# -- the dataset on disk ---------------------------------------------------------------------------------
def test_the_dataset_is_a_store_on_disk_with_the_dumps_quads(app_factory, store: GraphStore) -> None:
    app = app_factory()
    engine = app.state.sparql_engine
    expected = rdf.build_store(store.snapshot(), BASE)
    with live_server(app) as base:
        default = _count(httpx.get(base + "/sparql", params={"query": COUNT}))
        download = httpx.get(base + "/rdf", params={"format": "nquads"})
        described = RDFGraph().parse(data=httpx.get(base + "/sparql", headers={"Accept": "text/turtle"}).text)
        path = engine.dump_file(store, "nquads")
        assert path.is_file() and download.content == path.read_bytes()  # the download is that file
        with pytest.raises(RuntimeError):  # every process opens it read-only
            quad = ox.Quad(ox.NamedNode(LETTER), ox.NamedNode(LETTER), ox.NamedNode(LETTER))
            engine.rdf_store(store).add(quad)
    assert not path.exists()  # the dataset goes with the app
    assert set(ox.parse(download.content, format=ox.RdfFormat.N_QUADS)) == set(expected)
    assert default == sum(1 for _ in expected.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    void_triples = URIRef("http://rdfs.org/ns/void#triples")
    default_graph = URIRef(rdf.dataset_iri(BASE) + "/graph/default")
    assert described.value(default_graph, void_triples).toPython() == default


class _HeldSnapshots:
    """A store whose spooled snapshots wait until the test releases them: a dataset build that takes as
    long as the test says (everything else is the store's own)."""

    def __init__(self, store: GraphStore):
        self._store = store
        self.release = threading.Event()

    def __getattr__(self, name: str):
        return getattr(self._store, name)

    def spooled_snapshot(self, directory):
        assert self.release.wait(60)
        return self._store.spooled_snapshot(directory)


def test_a_request_during_a_long_build_is_told_when_to_come_back(store: GraphStore) -> None:
    held = _HeldSnapshots(store)
    app = create_app(load_settings(query_row_limit=50, query_timeout=10.0), held)
    engine = app.state.sparql_engine
    engine.build_wait = 0.2
    with live_server(app) as base:
        for path, params in (("/sparql", {"query": "ASK {}"}), ("/rdf", {"format": "nquads"})):
            waiting = httpx.get(base + path, params=params)
            assert waiting.status_code == 503 and waiting.headers["retry-after"] == "30"
            assert "being built" in waiting.json()["detail"]
        held.release.set()
        deadline = time.monotonic() + 30
        while (answer := httpx.get(base + "/sparql", params={"query": "ASK {}"})).status_code == 503:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert answer.status_code == 200 and answer.json()["boolean"] is True
        assert engine.builds == 1  # the requests that came during the build waited for that one build
