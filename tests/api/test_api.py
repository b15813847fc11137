"""The HTTP API over both stores (memory file and the real Neo4j server), loaded with the real corpus."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from graph.memory_store import MemoryStore
from graph.model import Graph
from graph.store import GraphStore
from ingest.pipeline import extract_file
from regiograph.settings import load_settings

NPVR_LETTER = "004_214048bf5620eb56.txt"


def _corpus_text() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(load_settings().corpus_dir.glob("*.txt"))}


@pytest.fixture(scope="module")
def corpus_graphs() -> list[Graph]:
    files = sorted(load_settings().corpus_dir.glob("*.txt"))
    assert files, f"no letters in {load_settings().corpus_dir}"
    return [extract_file(path) for path in files]


# Loaded afresh for each test: the Neo4j server is shared, so other test runs may have replaced its content.
@pytest.fixture(params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request, tmp_path: Path, corpus_graphs: list[Graph]) -> Iterator[GraphStore]:
    settings = load_settings()
    if request.param == "memory":
        graph_store: GraphStore = MemoryStore(tmp_path / "graph.json")
    else:
        from graph.neo4j_store import Neo4jStore

        driver = request.getfixturevalue("neo4j_driver")
        with driver.session(database=settings.neo4j_database) as session:
            # A managed transaction: retried when the shared server reports a transient deadlock.
            session.execute_write(lambda tx: tx.run("MATCH (n) DETACH DELETE n").consume())
        graph_store = Neo4jStore(driver, database=settings.neo4j_database)
    for graph in corpus_graphs:
        graph_store.write_letter(graph)
    yield graph_store


@pytest.fixture
def client(store: GraphStore) -> Iterator[TestClient]:
    with TestClient(create_app(load_settings(), store)) as test_client:
        yield test_client


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
    names = [e["name"] for e in response.json()]
    assert names and all("Fryslân" in name for name in names)
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
    assert len(operations) == 8
    assert all(op.get("summary") for op in operations)
    params = schema["paths"]["/programmes/{programme_id}/regions"]["get"]["parameters"]
    assert params[0]["examples"]["npvr"]["value"] == "programme:npvr"


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
