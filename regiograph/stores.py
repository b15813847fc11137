"""Store wiring: opens the store the settings ask for (`REGIOGRAPH_STORE=neo4j|memory`)."""

from __future__ import annotations

from typing import Any

from graph.store import GraphStore, StoreUnavailable
from regiograph.settings import Settings


def open_store(settings: Settings) -> GraphStore:
    if settings.store == "memory":
        from graph.memory_store import MemoryStore

        return MemoryStore(settings.graph_file)
    return open_neo4j_store(settings)


def driver_options(settings: Settings) -> dict[str, Any]:
    """Fail fast when the server is down or hangs: a request answers 503 within the connection timeout
    instead of after the driver's default 30 s of retries (settings REGIOGRAPH_NEO4J_CONNECTION_TIMEOUT and
    REGIOGRAPH_NEO4J_RETRY_TIME). The timeout bounds a new connection (connect and handshake) and the wait
    for a pooled one; each pooled connection is checked (RESET) within that bound before it is used, so a
    server that hangs with connections open is found out too, not only one that closed them."""
    return {
        "connection_timeout": settings.neo4j_connection_timeout,
        "connection_acquisition_timeout": settings.neo4j_connection_timeout,
        "liveness_check_timeout": 0.0,
        "max_transaction_retry_time": settings.neo4j_retry_time,
    }


def open_neo4j_store(settings: Settings) -> GraphStore:
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, ServiceUnavailable

    from graph.neo4j_store import START_HINT, Neo4jStore

    password = settings.resolved_neo4j_password()
    if password is None:
        raise StoreUnavailable(
            f"no Neo4j password: neither REGIOGRAPH_NEO4J_PASSWORD nor {settings.password_file} is set; "
            + START_HINT
        )
    auth = (settings.neo4j_user, password)
    driver = GraphDatabase.driver(settings.neo4j_uri, auth=auth, **driver_options(settings))
    waits = (
        f"the API waits at most {settings.neo4j_connection_timeout:g} s for it "
        "(REGIOGRAPH_NEO4J_CONNECTION_TIMEOUT)"
    )
    try:
        driver.verify_connectivity()
    except ServiceUnavailable as exc:
        driver.close()
        raise StoreUnavailable(
            f"Neo4j is not reachable at {settings.neo4j_uri} ({exc}); {waits}; {START_HINT}"
        ) from None
    except AuthError:
        driver.close()
        raise StoreUnavailable(
            f"Neo4j at {settings.neo4j_uri} refused the credentials of user {settings.neo4j_user!r}; "
            f"check REGIOGRAPH_NEO4J_PASSWORD or {settings.password_file}"
        ) from None
    return Neo4jStore(
        driver,
        database=settings.neo4j_database,
        batch_size=settings.batch_size,
        owns_driver=True,
        waits=waits,
    )
