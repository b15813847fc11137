"""Shared fixtures.

`neo4j_driver` connects to the project's Neo4j server with the settings (REGIOGRAPH_NEO4J_URI, _USER and the
configured or generated password). Tests using it are marked `@pytest.mark.neo4j`. When the server is not
reachable they are skipped, except with CI=true, where they fail: CI must run them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from neo4j import Driver, GraphDatabase
from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

from regiograph.settings import load_settings


@pytest.fixture(scope="session")
def neo4j_driver() -> Iterator[Driver]:
    """A driver to the shared Neo4j server; start it with `make neo4j` (`regiograph neo4j start`)."""
    settings = load_settings()
    auth = (settings.neo4j_user, settings.resolved_neo4j_password() or "")
    driver = GraphDatabase.driver(settings.neo4j_uri, auth=auth)
    try:
        with driver.session(database=settings.neo4j_database) as session:
            session.run("RETURN 1").consume()
    except (ServiceUnavailable, AuthError, Neo4jError, OSError) as exc:
        driver.close()
        message = (
            f"Neo4j is not usable at {settings.neo4j_uri} ({type(exc).__name__}: {exc}). "
            "Start it with `make neo4j` (or `.venv/bin/regiograph neo4j start`)."
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    yield driver
    driver.close()
