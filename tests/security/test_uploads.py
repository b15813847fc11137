"""POST /letters on the Neo4j store: no key, a wrong key, binary and oversized bodies change nothing."""

from __future__ import annotations

import os

import pytest
from fastapi.testclient import TestClient
from security_helpers import KEY, probe_settings

from api.main import create_app
from graph.neo4j_store import Neo4jStore

pytestmark = pytest.mark.neo4j

LETTER = b"Kamerbrief over het Nationaal Programma Vitale Regio's en Twente.\n"


def _upload(client: TestClient, graph_state, status: int, body: bytes, headers: dict, **kwargs):
    before = graph_state()
    response = client.post(
        "/letters", content=body, headers={"Content-Type": "text/plain", **headers}, **kwargs
    )
    assert response.status_code == status, response.text
    assert graph_state() == before
    return response


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": ""}, {"X-API-Key": "wrong"}, {"X-API-Key": KEY + "x"}])
def test_without_or_with_a_wrong_key(client: TestClient, graph_state, headers: dict) -> None:
    response = _upload(client, graph_state, 401, LETTER, headers, params={"filename": "probe.txt"})
    assert "X-API-Key" in response.json()["detail"]
    multipart = client.post("/letters", files={"file": ("probe.txt", LETTER)}, headers=headers)
    assert multipart.status_code == 401


def test_writes_are_off_without_a_configured_key(neo4j_store: Neo4jStore, graph_state) -> None:
    with TestClient(create_app(probe_settings(api_key=None), neo4j_store)) as client:
        _upload(client, graph_state, 403, LETTER, {"X-API-Key": KEY}, params={"filename": "probe.txt"})
        assert client.delete("/letters/letter:2024D51884", headers={"X-API-Key": KEY}).status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
        os.urandom(4096),
        b"\x00" * 2048,
        b"%PDF-1.7\n" + bytes(range(32)) * 64,
    ],
)
def test_binary_bodies_are_refused(client: TestClient, graph_state, body: bytes) -> None:
    _upload(client, graph_state, 422, body, {"X-API-Key": KEY}, params={"filename": "probe.txt"})
    multipart = client.post(
        "/letters", files={"file": ("probe.txt", body)}, headers={"X-API-Key": KEY}
    )
    assert multipart.status_code == 422


def test_oversized_bodies_are_refused(neo4j_store: Neo4jStore, graph_state) -> None:
    with TestClient(create_app(probe_settings(max_upload_bytes=10_000), neo4j_store)) as client:
        big = LETTER * (10_000 // len(LETTER) + 1)
        _upload(client, graph_state, 413, big, {"X-API-Key": KEY}, params={"filename": "probe.txt"})
        huge = b"a" * 5_000_000  # refused from Content-Length, before it is read
        _upload(client, graph_state, 413, huge, {"X-API-Key": KEY}, params={"filename": "probe.txt"})
        multipart = client.post("/letters", files={"file": ("probe.txt", big)}, headers={"X-API-Key": KEY})
        assert multipart.status_code == 413


def test_other_body_types_are_refused(client: TestClient, graph_state) -> None:
    _upload(client, graph_state, 415, LETTER, {"X-API-Key": KEY, "Content-Type": "application/json"})
