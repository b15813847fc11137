"""User Cypher on Neo4j: refused before it runs when it loads files or calls admin/write procedures,
then run in a READ transaction (the server refuses any write) with a time and a row limit."""

from __future__ import annotations

import re
from typing import Any

from fastapi import HTTPException
from neo4j.exceptions import ClientError, CypherSyntaxError

from api.schemas import QueryResult
from graph.store import CypherCapable, GraphStore
from regiograph.settings import Settings

# Why each is refused outright, even though most would also fail in a READ transaction.
_REFUSED = [
    (re.compile(r"\bLOAD\s+CSV\b", re.I), "LOAD CSV reads files and URLs"),
    (re.compile(r"\bdbms\s*\.", re.I), "dbms.* procedures administer the server"),
    (
        re.compile(
            r"\bapoc\s*\.\s*(create|merge|refactor|periodic|load|import|export|cypher|do|trigger|"
            r"atomic|lock|nodes\s*\.\s*delete|schema|systemdb|custom|uuid|ttl|log)\b",
            re.I,
        ),
        "apoc procedures that write, load or run other statements",
    ),
    (re.compile(r"\bIN\s+TRANSACTIONS\b", re.I), "CALL { ... } IN TRANSACTIONS commits on its own"),
]
NEO4J_ONLY = (
    "Cypher needs the Neo4j store: set REGIOGRAPH_STORE=neo4j, start the server with "
    "`regiograph neo4j start` and load letters with `regiograph ingest` (SPARQL at /sparql works on both)"
)
_INTERNAL_PROPERTIES = {"contributions", "contributed_nodes", "contributed_rels", "search_text"}


def check_cypher(text: str) -> None:
    for pattern, reason in _REFUSED:
        match = pattern.search(text)
        if match:
            raise HTTPException(
                403, f"refused: {match.group(0)!r} is not allowed ({reason}); this endpoint is read-only"
            )


def jsonable(value: Any) -> Any:
    """Neo4j values as JSON: nodes and relationships as small objects, temporal values in ISO form."""
    from neo4j.graph import Node, Path, Relationship

    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Node):
        return {"id": value.get("id"), "labels": sorted(value.labels), "properties": _props(value)}
    if isinstance(value, Relationship):
        return {
            "type": value.type,
            "start": value.start_node.get("id") if value.start_node else None,
            "end": value.end_node.get("id") if value.end_node else None,
            "properties": _props(value),
        }
    if isinstance(value, Path):
        return {"nodes": [jsonable(n) for n in value.nodes], "relationships": [jsonable(r) for r in value]}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, bytes):
        return value.hex()
    iso = getattr(value, "iso_format", None)
    return iso() if callable(iso) else str(value)


def _props(entity) -> dict[str, Any]:
    return {k: jsonable(v) for k, v in entity.items() if k not in _INTERNAL_PROPERTIES}


def run_cypher(
    store: GraphStore, text: str, parameters: dict[str, Any] | None, settings: Settings
) -> QueryResult:
    """Checks, runs and converts; HTTP errors name what went wrong (403 write, 400 syntax, 503 time)."""
    if not isinstance(store, CypherCapable):
        raise HTTPException(501, NEO4J_ONLY)
    check_cypher(text)
    try:
        columns, records, truncated = store.read_query(
            text, parameters or {}, timeout=settings.query_timeout, limit=settings.query_row_limit
        )
    except CypherSyntaxError as exc:
        raise HTTPException(400, f"invalid Cypher: {exc.message}") from None
    except ClientError as exc:
        if exc.code == "Neo.ClientError.Statement.AccessMode":
            raise HTTPException(
                403,
                "refused: the query tries to write (CREATE, MERGE, SET, DELETE, REMOVE or a write "
                "procedure); this endpoint is read-only",
            ) from None
        if exc.code and "TransactionTimedOut" in exc.code:
            raise HTTPException(
                503, f"the query ran longer than {settings.query_timeout:g} s and was stopped; narrow it"
            ) from None
        if exc.code and ".Security." in exc.code:
            raise HTTPException(403, f"refused by the server: {exc.message}") from None
        raise HTTPException(400, f"the query failed: {exc.message} ({exc.code})") from None
    rows = [{key: jsonable(record[key]) for key in columns} for record in records]
    return QueryResult(language="cypher", columns=columns, rows=rows, truncated=truncated)
