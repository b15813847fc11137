"""The security probes run against the test session's own Neo4j server with the corpus loaded: every
probe asserts its status and that the graph (node and relationship counts, indexes, users) is as before.
URLs in probes point at a recording HTTP server that must never be called."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver
from security_helpers import Recorder, probe_settings

from api.main import create_app
from graph.model import Graph
from graph.neo4j_store import Neo4jStore
from ingest.geography import with_reference_areas
from ingest.pipeline import extract_file
from regiograph.settings import Settings


@pytest.fixture(scope="session")
def letter_graphs(test_settings: Settings) -> list[Graph]:
    files = sorted(test_settings.corpus_dir.glob("*.txt"))
    assert files, f"no letters in {test_settings.corpus_dir}"
    return [with_reference_areas(extract_file(path)) for path in files]  # as `ingest` stores them


@pytest.fixture(scope="session")
def _loaded() -> dict:
    return {}


@pytest.fixture(scope="module")
def neo4j_store(
    neo4j_driver: Driver, test_settings: Settings, letter_graphs: list[Graph], _loaded: dict
) -> Neo4jStore:
    """The corpus in the session's server: loaded for the first module, and again when something else
    (another test directory) changed the graph in between."""
    store = Neo4jStore(neo4j_driver, database=test_settings.neo4j_database)
    if store.counts() != _loaded.get("counts"):
        with neo4j_driver.session(database=test_settings.neo4j_database) as session:
            session.run("MATCH (n) DETACH DELETE n").consume()
        for graph in letter_graphs:
            store.write_letter(graph)
        _loaded["counts"] = store.counts()
    return store


@pytest.fixture(scope="module")
def client(neo4j_store: Neo4jStore) -> Iterator[TestClient]:
    with TestClient(create_app(probe_settings(), neo4j_store)) as test_client:
        yield test_client


@pytest.fixture
def graph_state(neo4j_store: Neo4jStore, neo4j_driver: Driver) -> Callable[[], tuple]:
    """What a probe must leave as it was: all nodes and relationships, counts per label, index names
    and users."""

    def state() -> tuple:
        totals, _, _ = neo4j_driver.execute_query(
            "MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS relationships"
        )
        indexes, _, _ = neo4j_driver.execute_query("SHOW INDEXES YIELD name RETURN name ORDER BY name")
        users, _, _ = neo4j_driver.execute_query(
            "SHOW USERS YIELD user RETURN user ORDER BY user", database_="system"
        )
        counts = neo4j_store.counts()
        assert counts["nodes"] > 0 and counts["relationships"] > 0
        return totals[0].data(), counts, [r["name"] for r in indexes], [r["user"] for r in users]

    return state


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    with Recorder() as recording:
        yield recording
    assert recording.requests == [], f"the recording server was called: {recording.requests}"
