"""POST /letters and DELETE /letters/{id}: key-protected writes with size limits and clear refusals."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from graph.model import Graph
from graph.store import GraphStore
from regiograph.settings import load_settings

KEY = "test-key-1234"
LETTER = "letter:2024D51884"
AUTH = {"X-API-Key": KEY}


@pytest.fixture
def writer(store: GraphStore) -> Iterator[TestClient]:
    with TestClient(create_app(load_settings(api_key=KEY, max_upload_bytes=200_000), store)) as client:
        yield client


def _source(corpus_graphs: list[Graph], letter_id: str) -> Path:
    for graph in corpus_graphs:
        letter = next(n for n in graph.nodes if "Letter" in n.labels)
        if letter.id == letter_id:
            return load_settings().corpus_dir / letter.properties["source"]
    raise AssertionError(f"{letter_id} not in the corpus")


def test_writes_need_a_configured_key(store: GraphStore) -> None:
    with TestClient(create_app(load_settings(api_key=None), store)) as client:
        response = client.delete(f"/letters/{LETTER}", headers=AUTH)
        assert response.status_code == 403 and "REGIOGRAPH_API_KEY" in response.json()["detail"]
        upload = client.post("/letters", params={"filename": "a.txt"}, content=b"x", headers=AUTH)
        assert upload.status_code == 403
    assert store.get_node(LETTER) is not None


def test_missing_or_wrong_key_is_401(writer: TestClient, store: GraphStore) -> None:
    before = store.counts()
    for headers in ({}, {"X-API-Key": "wrong"}):
        assert writer.delete(f"/letters/{LETTER}", headers=headers).status_code == 401
        response = writer.post(
            "/letters",
            params={"filename": "a.txt"},
            content=b"Brief",
            headers={**headers, "Content-Type": "text/plain"},
        )
        assert response.status_code == 401
    assert store.counts() == before


def test_delete_then_upload_again(writer: TestClient, store: GraphStore, corpus_graphs: list[Graph]) -> None:
    before = store.counts()
    deleted = writer.delete(f"/letters/{LETTER}", headers=AUTH)
    assert deleted.status_code == 200, deleted.text
    summary = deleted.json()
    assert summary["action"] == "deleted" and summary["letter"] == LETTER
    assert summary["nodes_after"] < summary["nodes_before"] == before["nodes"]
    assert store.get_node(LETTER) is None
    assert writer.delete(f"/letters/{LETTER}", headers=AUTH).status_code == 404

    path = _source(corpus_graphs, LETTER)
    with path.open("rb") as handle:
        created = writer.post("/letters", files={"file": (path.name, handle, "text/plain")}, headers=AUTH)
    assert created.status_code == 200, created.text
    assert created.json()["action"] == "created" and created.json()["letter"] == LETTER
    assert store.counts() == before
    assert store.get_node(LETTER).properties["source"] == path.name

    # The same letter as a raw body: nothing changes.
    again = writer.post(
        "/letters",
        params={"filename": path.name},
        content=path.read_bytes(),
        headers={**AUTH, "Content-Type": "text/plain; charset=utf-8"},
    )
    assert again.status_code == 200 and again.json()["action"] == "unchanged"
    assert store.counts() == before


def test_raw_body_letter_in_a_legacy_encoding(writer: TestClient, store: GraphStore, corpus_graphs) -> None:
    letter = "letter:c57b9f3b4ddae385"
    path = _source(corpus_graphs, letter)
    text = path.read_text(encoding="utf-8")
    legacy = text.encode("cp1252", errors="replace")
    with pytest.raises(UnicodeDecodeError):
        legacy.decode("utf-8")
    writer.delete(f"/letters/{letter}", headers=AUTH)
    response = writer.post(
        "/letters",
        params={"filename": "legacy.txt"},
        content=legacy,
        headers={**AUTH, "Content-Type": "text/plain"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["action"] == "created"
    assert store.get_node(response.json()["letter"]).properties["source"] == "legacy.txt"


def test_bad_letters_are_refused_with_the_reason(writer: TestClient, store: GraphStore) -> None:
    before = store.counts()
    cases = [
        ({"files": {"file": ("letter.pdf", b"%PDF-1.4 ...", "application/pdf")}}, "unreadable PDF"),
        ({"files": {"file": ("empty.txt", b"  \n", "text/plain")}}, "empty file"),
        ({"files": {"file": ("binary.txt", b"\x00\x01\x02" * 100, "text/plain")}}, "binary"),
        ({"files": {"other": ("letter.txt", b"Brief", "text/plain")}}, "`file` field"),
        (
            {"content": b"Geachte voorzitter", "headers": {"Content-Type": "text/plain"}},
            "filename",
        ),
    ]
    for kwargs, reason in cases:
        headers = {**AUTH, **kwargs.pop("headers", {})}
        response = writer.post("/letters", headers=headers, **kwargs)
        assert response.status_code == 422, (reason, response.text)
        assert reason in response.json()["detail"]
    wrong_type = writer.post("/letters", content=b"{}", headers={**AUTH, "Content-Type": "application/json"})
    assert wrong_type.status_code == 415
    assert store.counts() == before


def test_size_limit(writer: TestClient, store: GraphStore) -> None:
    before = store.counts()
    big = b"Geachte voorzitter,\n" + b"regio " * 40_000  # 240 kB, over the 200 kB limit
    raw = writer.post(
        "/letters",
        params={"filename": "big.txt"},
        content=big,
        headers={**AUTH, "Content-Type": "text/plain"},
    )
    assert raw.status_code == 413 and "REGIOGRAPH_MAX_UPLOAD_BYTES" in raw.json()["detail"]
    multipart = writer.post("/letters", files={"file": ("big.txt", big, "text/plain")}, headers=AUTH)
    assert multipart.status_code == 413
    assert store.counts() == before
