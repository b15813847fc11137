"""The API answers 503 while Neo4j cannot be reached and recovers by itself once it can."""

from __future__ import annotations

import time
from urllib.parse import urlparse

import pytest
from api_helpers import TcpForwarder, free_port
from fastapi.testclient import TestClient

from api.main import create_app
from graph.store import GraphStore
from regiograph.settings import load_settings

ENDPOINTS = [
    ("get", "/entities/programme:npvr", {}),
    ("get", "/queries/stacking-regions", {}),
    ("get", "/sparql", {"params": {"query": "ASK { ?s ?p ?o }"}}),
    ("get", "/rdf", {}),
    ("get", "/viz", {}),
    ("get", "/path", {"params": {"source": "programme:npvr", "target": "region:twente"}}),
    ("post", "/cypher", {"json": {"query": "RETURN 1 AS one"}}),
    ("delete", "/letters/letter:nope", {"headers": {"X-API-Key": "k"}}),
]


@pytest.mark.neo4j
@pytest.mark.parametrize("store", [pytest.param("neo4j", marks=pytest.mark.neo4j)], indirect=True)
def test_down_then_up_then_down_again(store: GraphStore) -> None:
    # The real server behind a forwarder on a port of our own: closing the forwarder is Neo4j going
    # away for this app only, without disturbing the shared server.
    real = urlparse(load_settings().neo4j_uri)
    port = free_port()
    forwarder = TcpForwarder(port, (real.hostname, real.port or 7687))
    settings = load_settings(store="neo4j", neo4j_uri=f"bolt://127.0.0.1:{port}", api_key="k")
    with TestClient(create_app(settings)) as client:
        for method, path, kwargs in ENDPOINTS:  # never reached: nothing listens yet
            response = getattr(client, method)(path, **kwargs)
            assert response.status_code == 503, (path, response.text)
            assert "regiograph neo4j start" in response.json()["detail"]

        forwarder.start()
        try:
            for method, path, kwargs in ENDPOINTS:
                response = getattr(client, method)(path, **kwargs)
                assert response.status_code in (200, 404), (path, response.text)
            assert client.get("/entities/programme:npvr").json()["id"] == "programme:npvr"
        finally:
            forwarder.stop()

        # Connected once, then gone: the open driver answers 503 too, once the revision the cached answers
        # were served under is no longer trusted (REGIOGRAPH_API_REVISION_INTERVAL).
        time.sleep(settings.api_revision_interval)
        assert client.get("/entities/programme:npvr").status_code == 503
        assert client.post("/cypher", json={"query": "RETURN 1 AS one"}).status_code == 503

        forwarder.start()
        try:
            assert client.get("/entities/programme:npvr").status_code == 200
        finally:
            forwarder.stop()
