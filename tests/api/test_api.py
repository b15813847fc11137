"""The HTTP API over both stores (memory file and the real Neo4j server), loaded with the real corpus."""

from __future__ import annotations

import json
import re
from pathlib import Path

from fastapi.testclient import TestClient

from api.main import create_app
from graph.memory_store import MemoryStore
from graph.store import GraphStore
from regiograph.settings import load_settings

NPVR_LETTER = "004_214048bf5620eb56.txt"


def _corpus_text() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(load_settings().corpus_dir.glob("*.txt"))}


def _assert_evidence_in_letters(evidence: list[dict], texts: dict[str, str]) -> None:
    assert evidence
    for e in evidence:
        assert texts[e["source"]][e["start"] : e["end"]] == e["quote"]


def test_programme_regions_carry_quotes_from_the_letter(client: TestClient, store: GraphStore) -> None:
    response = client.get("/programmes/programme:npvr/regions")
    assert response.status_code == 200
    by_region = {item["node"]["id"]: item["relationship"] for item in response.json()}
    assert {"region:twente", "region:zuid-limburg"} <= set(by_region)
    texts = _corpus_text()
    for region in ("region:twente", "region:zuid-limburg"):
        rel = by_region[region]
        assert (rel["type"], rel["start"], rel["end"]) == ("COVERS", "programme:npvr", region)
        assert NPVR_LETTER in {e["source"] for e in rel["evidence"]}
        _assert_evidence_in_letters(rel["evidence"], texts)
    # The API answers what the store holds, no more and no less.
    assert set(by_region) == {r.end for r in store.relationships("COVERS", start="programme:npvr")}


def test_region_programmes_is_the_reverse_view(client: TestClient) -> None:
    response = client.get("/regions/region:twente/programmes")
    assert response.status_code == 200
    items = response.json()
    assert "programme:npvr" in {i["node"]["id"] for i in items}
    assert all(i["direction"] == "in" and i["relationship"]["end"] == "region:twente" for i in items)


def test_search_is_accent_insensitive(client: TestClient) -> None:
    response = client.get("/entities", params={"q": "fryslan"})
    assert response.status_code == 200
    found = response.json()
    # A CBS area keeps its CBS name (Noord-Friesland); the letter's spelling (Noord-Fryslân) is an alias.
    assert found and all(any("Fryslân" in x for x in [e["name"], *e["aliases"]]) for e in found)
    regions = client.get("/entities", params={"q": "FRYSLÂN", "label": "Region"}).json()
    assert regions and all("Region" in e["labels"] for e in regions)
    assert {e["id"] for e in regions} <= {e["id"] for e in response.json()}
    page = client.get("/entities", params={"q": "fryslan", "limit": 1, "offset": 1}).json()
    assert page == response.json()[1:2]


def test_entity_detail_has_relationships_with_evidence(client: TestClient) -> None:
    response = client.get("/entities/programme:npvr")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == "programme:npvr" and body["label"] == "Programme"
    covers = [r for r in body["relationships"] if r["relationship"]["type"] == "COVERS"]
    assert "region:twente" in {r["node"]["id"] for r in covers}
    _assert_evidence_in_letters([e for r in covers for e in r["relationship"]["evidence"]], _corpus_text())
    asserted = [r for r in body["relationships"] if not r["relationship"]["derived"]]
    assert all(r["relationship"]["evidence"] for r in asserted)

    neighbours = client.get("/entities/programme:npvr/neighbours", params={"type": "COVERS"}).json()
    assert {n["node"]["id"] for n in neighbours} == {r["node"]["id"] for r in covers}


def test_ministry_programmes(client: TestClient) -> None:
    response = client.get("/ministries/ministry:bzk/programmes")
    assert response.status_code == 200
    items = response.json()
    assert "programme:npvr" in {i["node"]["id"] for i in items}
    assert {i["relationship"]["type"] for i in items} <= {"COORDINATES", "PARTICIPATES_IN"}
    assert all(i["relationship"]["evidence"] for i in items)


def test_overlaps_asserted_and_derived(client: TestClient, store: GraphStore) -> None:
    items = client.get("/overlaps").json()
    assert len(items) == len(store.relationships("OVERLAPS"))
    derived = [i for i in items if i["derived"]]
    asserted = [i for i in items if not i["derived"]]
    assert derived and asserted
    assert all(i["shared_regions"] for i in derived)
    _assert_evidence_in_letters([e for i in asserted for e in i["evidence"]], _corpus_text())
    assert client.get("/overlaps", params={"derived": True}).json() == derived


def test_unknown_ids_and_bad_input(client: TestClient) -> None:
    for path in (
        "/entities/programme:nope",
        "/entities/programme:nope/neighbours",
        "/programmes/programme:nope/regions",
        "/programmes/region:twente/regions",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "detail" in response.json()
    assert client.get("/entities", params={"label": "Planet"}).status_code == 422
    assert client.get("/entities/programme:npvr/neighbours", params={"type": "FUNDS"}).status_code == 422
    assert client.get("/entities", params={"limit": 0}).status_code == 422


def test_health_counts(client: TestClient, store: GraphStore) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["reachable"] is True
    assert body["store"] == ("memory" if isinstance(store, MemoryStore) else "neo4j")
    assert body["counts"]["nodes"] > 0 and body["counts"]["relationships"] > 0
    assert body["counts"] == store.counts()


def test_openapi_documents_every_endpoint(tmp_path: Path) -> None:
    schema = create_app(load_settings(store="memory"), MemoryStore(tmp_path / "graph.json")).openapi()
    operations = [op for item in schema["paths"].values() for op in item.values()]
    # with /map, /letters/{letter_id}/text, /id/{path}, /def/, /def/{term}, /programmes, its timeline
    assert len(operations) == 25
    assert all(op.get("summary") for op in operations)
    params = schema["paths"]["/programmes/{programme_id}/regions"]["get"]["parameters"]
    assert params[0]["examples"]["npvr"]["value"] == "programme:npvr"


def test_every_operation_has_an_example(tmp_path: Path) -> None:
    schema = create_app(load_settings(store="memory"), MemoryStore(tmp_path / "graph.json")).openapi()
    components = schema.get("components", {}).get("schemas", {})

    def text_with_refs(part: object, seen: set[str]) -> str:
        text = json.dumps(part)
        for ref in re.findall(r'"#/components/schemas/([^"]+)"', text):
            if ref not in seen:
                seen.add(ref)
                text += text_with_refs(components[ref], seen)
        return text

    missing = [
        f"{method.upper()} {path}"
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if '"example' not in text_with_refs(op, set())
    ]
    assert missing == []


def test_unreachable_store_answers_503() -> None:
    # A real connection attempt to a port where nothing listens.
    settings = load_settings(store="neo4j", neo4j_uri="bolt://127.0.0.1:9", neo4j_password="unused")
    with TestClient(create_app(settings)) as down:
        response = down.get("/entities/programme:npvr")
        assert response.status_code == 503
        assert "regiograph neo4j start" in response.json()["detail"]
        health = down.get("/health")
        assert health.status_code == 503
        assert (health.json()["reachable"], health.json()["store"]) == (False, "neo4j")
