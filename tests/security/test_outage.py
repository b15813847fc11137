"""A Neo4j server that hangs (SIGSTOP: connections stay open, nothing answers) makes the API answer 503
from the connection-timeout settings instead of waiting, /health says so, and recovery is automatic."""

from __future__ import annotations

import os
import signal
import time

import neo4j
import pytest
from fastapi.testclient import TestClient
from security_helpers import probe_settings

from api.main import create_app
from regiograph import stores
from regiograph.neo4j_server import Neo4jServer

pytestmark = pytest.mark.neo4j

ENDPOINTS = [
    ("get", "/entities/programme:npvr", {}),
    ("post", "/cypher", {"json": {"query": "RETURN 1 AS one"}}),
    ("get", "/sparql", {"params": {"query": "ASK { ?s ?p ?o }"}}),
]


def test_the_driver_is_configured_from_the_settings(neo4j_server: Neo4jServer, monkeypatch) -> None:
    seen: dict = {}
    real_driver = neo4j.GraphDatabase.driver

    def spy(uri, **options):
        seen.update(options)
        return real_driver(uri, **options)

    monkeypatch.setattr(neo4j.GraphDatabase, "driver", spy)
    settings = probe_settings(neo4j_connection_timeout=0.75, neo4j_retry_time=0.0)
    stores.open_neo4j_store(settings).close()
    assert seen["connection_timeout"] == 0.75
    assert seen["connection_acquisition_timeout"] == 0.75  # the wait for a pooled connection too
    assert seen["liveness_check_timeout"] == 0  # a pooled connection is checked before each use
    assert seen["max_transaction_retry_time"] == 0.0


def test_a_hung_server_answers_503_then_recovers(neo4j_server: Neo4jServer, neo4j_store) -> None:
    settings = probe_settings(neo4j_connection_timeout=0.75, neo4j_retry_time=0.0)
    pid = neo4j_server.running_pid()
    assert pid is not None
    with TestClient(create_app(settings)) as client:  # the store opened from the settings
        for method, path, kwargs in ENDPOINTS:  # connected: the pool holds open connections
            assert getattr(client, method)(path, **kwargs).status_code == 200, path
        os.kill(pid, signal.SIGSTOP)
        try:
            # Cached answers are served without asking the store while their revision is trusted.
            time.sleep(settings.api_revision_interval)
            for method, path, kwargs in ENDPOINTS:
                response = getattr(client, method)(path, **kwargs)
                assert response.status_code == 503, (path, response.text)
                detail = response.json()["detail"]
                # The driver gave up after REGIOGRAPH_NEO4J_CONNECTION_TIMEOUT (0.75 s), named in the detail.
                assert "Neo4j is not reachable" in detail, detail
                assert "at most 0.75 s for it (REGIOGRAPH_NEO4J_CONNECTION_TIMEOUT)" in detail, detail
            health = client.get("/health")
            assert health.status_code == 503 and health.json()["reachable"] is False
        finally:
            os.kill(pid, signal.SIGCONT)
        for method, path, kwargs in ENDPOINTS:
            assert getattr(client, method)(path, **kwargs).status_code == 200, path
        assert client.get("/health").json()["reachable"] is True
