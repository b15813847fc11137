"""GET /rdf: the dump in the format asked for by Accept or ?format=, parsed back with rdflib."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from rdflib import Dataset, Literal, URIRef
from rdflib import Graph as RDFGraph

from graph.store import GraphStore
from graph.vocab import RG

TRIPLE_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


def _npvr_covers(graph, store: GraphStore) -> None:
    npvr = next(graph.subjects(RG.nodeId, Literal("programme:npvr")))
    covered = {str(next(graph.objects(o, RG.nodeId))) for o in graph.objects(npvr, RG.covers)}
    assert covered == {r.end for r in store.relationships("COVERS", start="programme:npvr")}


@pytest.mark.parametrize("media,parser", TRIPLE_FORMATS.items())
def test_accept_picks_the_format(client: TestClient, store: GraphStore, media: str, parser: str) -> None:
    response = client.get("/rdf", headers={"Accept": media})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert response.headers["vary"] == "Accept"
    graph = RDFGraph().parse(data=response.text, format=parser)
    assert len(graph) > 1000
    _npvr_covers(graph, store)


def test_trig_keeps_one_graph_per_letter(client: TestClient, store: GraphStore) -> None:
    response = client.get("/rdf", params={"format": "trig"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/trig")
    ds = Dataset().parse(data=response.text, format="trig")
    names = {str(g.identifier) for g in ds.graphs() if isinstance(g.identifier, URIRef)}
    letter_graphs = {n for n in names if "/letter/" in n}
    assert len(letter_graphs) == len(store.letters())


def test_format_parameter_wins_and_defaults(client: TestClient) -> None:
    nt = client.get("/rdf", params={"format": "ntriples"}, headers={"Accept": "text/turtle"})
    assert nt.headers["content-type"].startswith("application/n-triples")
    anything = client.get("/rdf", headers={"Accept": "*/*"})
    assert anything.headers["content-type"].startswith("text/turtle")
    preferred = client.get("/rdf", headers={"Accept": "text/turtle;q=0.5, application/ld+json"})
    assert preferred.headers["content-type"].startswith("application/ld+json")


def test_unsupported_formats_answer_406(client: TestClient) -> None:
    for kwargs in ({"headers": {"Accept": "image/png"}}, {"params": {"format": "rdfa"}}):
        response = client.get("/rdf", **kwargs)
        assert response.status_code == 406
        assert "turtle" in response.json()["detail"]
