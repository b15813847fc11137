"""Linked Data: every IRI of the dump dereferences (/id/...) with content negotiation, browsers are sent
to the entity's page, and /def/ serves the ontology."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph as RDFGraph
from rdflib import Literal, URIRef

from graph.store import GraphStore
from graph.vocab import RDF, RG, SKOS
from regiograph.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]
BASE = load_settings().base_iri
NPVR = URIRef(BASE + "programme/npvr")
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
PARSERS = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}


@pytest.mark.parametrize(("media", "parser"), PARSERS.items())
def test_an_entity_iri_answers_its_triples(
    client: TestClient, store: GraphStore, media: str, parser: str
) -> None:
    response = client.get("/id/programme/npvr", headers={"Accept": media})
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    assert (
        response.headers["vary"] == "Accept" and response.headers["content-location"] == "/id/programme/npvr"
    )
    g = RDFGraph().parse(data=response.content, format=parser)
    assert (NPVR, RDF.type, RG.Programme) in g
    assert (NPVR, SKOS.prefLabel, Literal("Nationaal Programma Vitale Regio's", lang="nl")) in g
    covered = {str(o) for o in g.objects(NPVR, RG.covers)}
    assert covered == {
        BASE + r.end.replace(":", "/", 1) for r in store.relationships("COVERS", start="programme:npvr")
    }
    # what it links to is labelled, and the assertions about it are there to follow
    assert all(g.value(URIRef(o), SKOS.prefLabel) is not None for o in covered)
    assert list(g.subjects(RDF.subject, NPVR))


def test_curl_gets_turtle(client: TestClient) -> None:
    for accept in ("*/*", None):
        response = client.get("/id/programme/npvr", headers={"Accept": accept} if accept else {})
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")


def test_a_browser_is_sent_to_the_page(client: TestClient) -> None:
    response = client.get("/id/programme/npvr", headers=BROWSER, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/entiteit/programme:npvr"
    assert response.headers["vary"] == "Accept"
    assert client.get(response.headers["location"], headers=BROWSER).status_code == 200
    letter = client.get("/id/letter/2024D51884", headers=BROWSER, follow_redirects=False)
    assert letter.status_code == 303 and letter.headers["location"] == "/brief/letter:2024D51884"


def test_resources_without_a_page_get_a_plain_one(client: TestClient) -> None:
    response = client.get("/id/dataset", headers=BROWSER)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "void#triples" in response.text and 'rel="alternate"' in response.text
    g = RDFGraph().parse(data=client.get("/id/dataset").content, format="turtle")
    assert (URIRef(BASE + "dataset"), RDF.type, URIRef("http://rdfs.org/ns/void#Dataset")) in g


def test_every_node_iri_dereferences(client: TestClient, store: GraphStore) -> None:
    turtle = client.get("/rdf", params={"format": "ntriples"}).content
    g = RDFGraph().parse(data=turtle, format="nt")
    nodes = {s for s in g.subjects(RG.nodeId, None)}
    assert len(nodes) == store.counts()["nodes"]
    for node in nodes:
        path = str(node)[len(BASE) - len("id/") :]
        response = client.get("/" + path if not path.startswith("/") else path)
        assert response.status_code == 200, node
    assertion = next(g.subjects(RDF.type, RG.Assertion))
    assert client.get("/id/" + str(assertion)[len(BASE) :]).status_code == 200


def test_unknown_iris_and_types(client: TestClient) -> None:
    missing = client.get("/id/programme/no-such-programme")
    assert missing.status_code == 404 and "/entities?q=" in missing.json()["detail"]
    assert client.get("/id/programme/npvr", headers={"Accept": "image/png"}).status_code == 406


def test_def_serves_the_ontology(client: TestClient) -> None:
    turtle = client.get("/def/", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.text == (ROOT / "ontology.ttl").read_text(encoding="utf-8")
    for media, parser in PARSERS.items():
        response = client.get("/def/", headers={"Accept": media})
        assert (
            response.status_code == 200 and len(RDFGraph().parse(data=response.content, format=parser)) > 300
        )
    page = client.get("/def/", headers=BROWSER)
    assert page.status_code == 200 and 'id="covers"' in page.text and "bestrijkt" in page.text
    term = client.get("/def/covers", headers={"Accept": "application/n-triples"})
    g = RDFGraph().parse(data=term.content, format="nt")
    assert (
        RG.covers,
        URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
        Literal("covers", lang="en"),
    ) in g
    browser = client.get("/def/covers", headers=BROWSER, follow_redirects=False)
    assert browser.status_code == 303 and browser.headers["location"] == "/def/#covers"
    assert client.get("/def/coverz").status_code == 404
    assert client.get("/def", follow_redirects=False).headers["location"] == "/def/"
