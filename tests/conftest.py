"""Shared fixtures. Tests never touch the user's data.

Before any test module is imported, the settings are pointed at a temporary runtime folder (memory store,
outputs) and at a throwaway Neo4j server of the test session's own (temporary home, free port, its own
password; the jars are shared with the user's `var/neo4j/lib` cache). The server starts on the first test
that asks for `neo4j_driver` and is deleted at the end. Tests needing it are marked `@pytest.mark.neo4j`;
when it cannot start they are skipped, except with CI=true, where they fail: CI must run them.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import Driver, GraphDatabase

from regiograph.neo4j_server import Neo4jServer, Neo4jServerError, free_port
from regiograph.settings import Settings, get_settings, load_settings

_SESSION_DIR = Path(tempfile.mkdtemp(prefix="regiograph-tests-"))


def pytest_configure(config: pytest.Config) -> None:
    user = load_settings()
    port = free_port()
    os.environ.update(
        REGIOGRAPH_RUNTIME_DIR=str(_SESSION_DIR / "var"),
        REGIOGRAPH_MEMORY_STORE_PATH=str(_SESSION_DIR / "var" / "graph.json"),
        REGIOGRAPH_NEO4J_LIB_DIR=str(user.jar_dir),
        REGIOGRAPH_NEO4J_BOLT_PORT=str(port),
        REGIOGRAPH_NEO4J_HTTP_PORT=str(free_port()),
        REGIOGRAPH_NEO4J_URI=f"bolt://127.0.0.1:{port}",
        REGIOGRAPH_NEO4J_PASSWORD=secrets.token_urlsafe(18),
        REGIOGRAPH_NEO4J_DATABASE="neo4j",
        REGIOGRAPH_NEO4J_HEAP="512m",
        REGIOGRAPH_API_PORT=str(free_port()),
    )
    os.environ.pop("REGIOGRAPH_STORE", None)
    get_settings.cache_clear()


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_SESSION_DIR, ignore_errors=True)


@pytest.fixture(scope="session")
def test_settings() -> Settings:
    """The settings every test sees: temporary folders and the throwaway server."""
    return load_settings()


@pytest.fixture(scope="session")
def neo4j_server(test_settings: Settings) -> Iterator[Neo4jServer]:
    server = Neo4jServer(test_settings)
    try:
        server.start()
    except Neo4jServerError as exc:
        message = (
            f"could not start a throwaway Neo4j server for the tests ({exc}). Tests need Java 17 and "
            "Maven for the server jars; `make neo4j` provisions them."
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_server: Neo4jServer, test_settings: Settings) -> Iterator[Driver]:
    """A driver to the test session's own server."""
    auth = (test_settings.neo4j_user, test_settings.neo4j_password or "")
    driver = GraphDatabase.driver(neo4j_server.uri, auth=auth, notifications_min_severity="OFF")
    yield driver
    driver.close()


@pytest.fixture
def empty_neo4j(neo4j_driver: Driver, test_settings: Settings) -> Driver:
    """The throwaway server with its database emptied (each test loads what it needs)."""
    with neo4j_driver.session(database=test_settings.neo4j_database) as session:
        session.execute_write(lambda tx: tx.run("MATCH (n) DETACH DELETE n").consume())
    return neo4j_driver
