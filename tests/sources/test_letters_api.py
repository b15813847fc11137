"""POST /letters takes every published format (sniffed from the bytes), GET /letters/{id}/text
serves the rendition the evidence offsets point into. Memory store; files written for the test and
the real Kamerstuk XML of ../shared/data/koop."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import docbuilders as build
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from graph.memory_store import MemoryStore
from regiograph.settings import load_settings

KEY = "test-key-sources"
AUTH = {"X-API-Key": KEY}
KOOP = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "koop"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = load_settings(api_key=KEY, texts_dir=tmp_path / "texts")
    with TestClient(create_app(settings, MemoryStore(tmp_path / "graph.json"))) as c:
        yield c


def test_xml_upload_named_as_text_is_read_as_xml_and_its_text_served(client: TestClient):
    data = (KOOP / "kst_28844_269.xml").read_bytes()
    # the header and the name say text; the bytes say XML, and the bytes win
    response = client.post(
        "/letters",
        params={"filename": "brief.txt"},
        content=data,
        headers={**AUTH, "Content-Type": "text/plain"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["letter"] == "letter:kst-28844-269"
    text = client.get("/letters/letter:kst-28844-269/text")
    assert text.status_code == 200 and text.headers["content-type"].startswith("text/plain")
    assert "28 844 Integriteitsbeleid openbaar bestuur en politie" in text.text
    entity = client.get("/entities/letter:kst-28844-269").json()
    quotes = [
        (e["start"], e["end"], e["quote"])
        for n in entity["relationships"]
        for e in n["relationship"]["evidence"]
        if e["letter"] == "letter:kst-28844-269"
    ]
    assert len(quotes) > 10
    for start, end, quote in quotes:
        assert text.text[start:end] == quote


def test_pdf_and_docx_uploads(client: TestClient):
    pdf = build.pdf([["Den Haag, 7 juli 2023", "Een zin over de proefregio."]])
    r = client.post("/letters", files={"file": ("brief", pdf, "application/octet-stream")}, headers=AUTH)
    assert r.status_code == 200, r.text
    assert "Een zin over de proefregio." in client.get(f"/letters/{r.json()['letter']}/text").text
    docx = build.docx(["Den Haag, 8 juli 2023", "Nog een zin over de proefregio."])
    r = client.post("/letters", files={"file": ("brief.docx", docx, "application/msword")}, headers=AUTH)
    assert r.status_code == 200, r.text


def test_bad_documents_are_refused_with_the_reason(client: TestClient):
    cases = [
        (build.pdf(None), "without a text layer"),
        (build.pdf([["x"]], password="pw"), "password-protected"),
        (build.docx_bomb(), "zip bomb"),
        (b"<?xml version='1.0'?><officiele-publicatie><kamerstuk>", "malformed XML"),
    ]
    for data, reason in cases:
        r = client.post("/letters", files={"file": ("x.bin", data, "application/octet-stream")}, headers=AUTH)
        assert r.status_code == 422 and reason in r.json()["detail"], (reason, r.text)


def test_text_of_an_unknown_letter_is_404(client: TestClient):
    assert client.get("/letters/letter:kst-1-1/text").status_code == 404
