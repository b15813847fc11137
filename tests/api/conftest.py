"""Fixtures shared by the API tests: the real corpus loaded into each store (memory file and Neo4j)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from graph.memory_store import MemoryStore
from graph.model import Graph
from graph.store import GraphStore
from ingest.geography import with_reference_areas
from ingest.pipeline import extract_file
from regiograph.settings import load_settings


@pytest.fixture(scope="session")
def corpus_graphs() -> list[Graph]:
    files = sorted(load_settings().corpus_dir.glob("*.txt"))
    assert files, f"no letters in {load_settings().corpus_dir}"
    return [with_reference_areas(extract_file(path)) for path in files]  # as `ingest` stores them


@pytest.fixture(scope="session")
def corpus_texts() -> dict[str, str]:
    """The letter files by name, to check that quotes are the text at their offsets."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(load_settings().corpus_dir.glob("*.txt"))}


# Loaded afresh for each test, so no test sees what another one wrote.
@pytest.fixture(params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request, tmp_path: Path, corpus_graphs: list[Graph]) -> Iterator[GraphStore]:
    settings = load_settings()
    if request.param == "memory":
        graph_store: GraphStore = MemoryStore(tmp_path / "graph.json")
    else:
        from graph.neo4j_store import Neo4jStore

        driver = request.getfixturevalue("empty_neo4j")
        graph_store = Neo4jStore(driver, database=settings.neo4j_database)
    for graph in corpus_graphs:
        graph_store.write_letter(graph)
    yield graph_store


@pytest.fixture
def client(store: GraphStore) -> Iterator[TestClient]:
    with TestClient(create_app(load_settings(), store)) as test_client:
        yield test_client
