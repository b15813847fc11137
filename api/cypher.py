"""User Cypher on Neo4j: planned first (EXPLAIN) and refused unless the plan only reads
(api/cypher_policy.py), then run in a READ transaction (the server refuses any write) with a time and
a row limit."""

from __future__ import annotations

from typing import Any

from neo4j.exceptions import CypherSyntaxError, Neo4jError, TransientError

from api.cypher_policy import READ_ONLY, CypherRefused, check_plan, refusal
from api.schemas import Notification, QueryResult
from graph.store import CypherCapable, GraphStore
from regiograph.settings import Settings

NEO4J_ONLY = (
    "Cypher needs the Neo4j store: set REGIOGRAPH_STORE=neo4j, start the server with "
    "`regiograph neo4j start` and load letters with `regiograph ingest` (SPARQL at /sparql works on both)"
)
_INTERNAL_PROPERTIES = {"contributions", "contributed_nodes", "contributed_rels", "search_text"}


class CypherUnsupported(Exception):
    """The store cannot run Cypher (the memory store): 501."""


class CypherInvalid(Exception):
    """The query is not valid Cypher or failed as a query: 400."""


class CypherTimedOut(Exception):
    """The server stopped the query at the time limit, or could not run it now: 503."""


def jsonable(value: Any) -> Any:
    """Neo4j values as JSON, structure kept (README, "POST /cypher"): a node is
    `{"kind": "node", "element_id", "id", "labels", "properties"}`, a relationship
    `{"kind": "relationship", "element_id", "type", "start", "end", "start_element_id", "end_element_id",
    "properties"}` (`start`/`end` are the ends' `id` properties, null when an end carries none, e.g. when
    it was not returned itself), a path `{"kind": "path", "start", "end", "nodes", "relationships"}`;
    temporal values in ISO form, maps and lists as such."""
    from neo4j.graph import Node, Path, Relationship

    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Node):
        return {
            "kind": "node",
            "element_id": value.element_id,
            "id": value.get("id"),
            "labels": sorted(value.labels),
            "properties": _props(value),
        }
    if isinstance(value, Relationship):
        start, end = value.start_node, value.end_node
        return {
            "kind": "relationship",
            "element_id": value.element_id,
            "type": value.type,
            "start": start.get("id") if start is not None else None,
            "end": end.get("id") if end is not None else None,
            "start_element_id": start.element_id if start is not None else None,
            "end_element_id": end.element_id if end is not None else None,
            "properties": _props(value),
        }
    if isinstance(value, Path):
        return {
            "kind": "path",
            "start": value.start_node.element_id,
            "end": value.end_node.element_id,
            "nodes": [jsonable(n) for n in value.nodes],
            "relationships": [jsonable(r) for r in value.relationships],
        }
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
    """Plans, checks, runs and converts; raises CypherRefused (403), CypherInvalid (400), CypherTimedOut
    (503) or CypherUnsupported (501)."""
    if not isinstance(store, CypherCapable):
        raise CypherUnsupported(NEO4J_ONLY)
    parameters = parameters or {}
    try:
        check_plan(store.explain(text, parameters, timeout=settings.query_timeout))
        found = store.read_query(
            text, parameters, timeout=settings.query_timeout, limit=settings.query_row_limit
        )
    except Neo4jError as exc:
        raise _failure(exc, settings) from None
    rows = [{key: jsonable(record[key]) for key in found.columns} for record in found.records]
    message = None
    if found.truncated:
        message = (
            f"more than {settings.query_row_limit} rows; the first {settings.query_row_limit} are shown "
            "(REGIOGRAPH_QUERY_ROW_LIMIT): add LIMIT or narrow the query"
        )
    return QueryResult(
        language="cypher",
        columns=found.columns,
        rows=rows,
        truncated=found.truncated,
        message=message,
        notifications=[Notification(**n) for n in found.notifications],
    )


def _failure(exc: Neo4jError, settings: Settings) -> Exception:
    refused = refusal(exc)
    if refused is not None:
        return refused
    code = exc.code or ""
    if isinstance(exc, CypherSyntaxError):
        return CypherInvalid(f"invalid Cypher: {exc.message}")
    if code == "Neo.ClientError.Statement.AccessMode":  # the READ transaction, should a plan slip through
        return CypherRefused(f"refused: the query tries to write; {READ_ONLY}")
    if "TransactionTimedOut" in code:
        return CypherTimedOut(
            f"the query ran longer than {settings.query_timeout:g} s and was stopped; narrow it"
        )
    if ".Security." in code:
        return CypherRefused(f"refused by the server: {exc.message}; {READ_ONLY}")
    if isinstance(exc, TransientError):  # out of memory, locks...: the same query may run later
        return CypherTimedOut(f"Neo4j could not run the query now: {exc.message} ({code})")
    return CypherInvalid(f"the query failed: {exc.message} ({code})")
