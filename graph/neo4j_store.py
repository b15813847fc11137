"""The Neo4j graph store.

Stored layout (README, "Stores and export", lists it for Cypher users)
---------------------------------------------------------------------
Entity graph. Every entity node has its schema labels plus `Entity` (one key to MERGE on, one
uniqueness constraint across kinds, one full-text index), and the properties `id`, `name`, `aliases`
(list), `letters` (ids of the letters that support it), `search_text` (folded name and aliases, for
accent-insensitive CONTAINS search), its own properties (lists of scalars as lists, dicts as JSON
strings, ISO dates under `date`/`*_date` as DATE) and `contributions` (JSON: what each letter stated
about it). A Letter node also lists what its letter contributed (`contributed_nodes`, `contributed_rels`)
and a fingerprint of the extraction and layout (`extraction_sha256`).

Relationships between entities have their real types. Asserted ones carry `derived: false`, their own
properties (MENTIONS: `count`), `letters`, `evidence_count`, `basis` (the distinct bases of their
evidence, decisions.md D4) and `contributions`; derived OVERLAPS carry `derived: true`,
`shared_regions` and `jaccard`.

Lexical graph (graph/lexical.py). Each piece of evidence is a statement node,
`(:Letter)-[:STATES]->(:Statement {id, type, quote, start, end, rule, basis, date, letter, source})`
`-[:SUBJECT]->(start)` and `-[:OBJECT]->(end)`; each quoted passage a `(:Chunk {id, text, index, start,
end, letter, source})-[:FROM_DOCUMENT]->(:Letter)`, chained by `NEXT_CHUNK`, with `FROM_CHUNK` from the
statements and the entities read from it. The letters and quotes behind a relationship:

    MATCH (l:Letter)-[:STATES]->(s:Statement {type: 'COVERS'}),
          (s)-[:SUBJECT]->(:Programme {id: 'programme:npvr'}), (s)-[:OBJECT]->(g:Region)
    RETURN g.name AS region, l.id AS letter, s.quote AS quote, s.basis AS basis

Revision. One `(:GraphRevision {id: 'graph', token, changed})` node: every transaction that changes
the graph sets a new random `token` (graph/neo4j_writer.py `bump_revision`), so a reader that cached an
answer under the token it read knows the answer is current while the token is the same.

Constraints (unique `id` per label), name and letter indexes, and the full-text indexes `entity_names`
(name and aliases), `statement_quotes` and `chunk_text`, all with the accent-folding analyzer, are
created on first write.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from neo4j import READ_ACCESS, Query, unit_of_work
from neo4j.exceptions import AuthError, ClientError, ServiceUnavailable, SessionExpired

from graph.model import Graph, Node, Relationship
from graph.neo4j_reader import Neo4jReader
from graph.neo4j_writer import Neo4jWriter
from graph.store import ChangeSummary, CypherRows, EntityPage, Neighbour, QueryPlan, StoreUnavailable

START_HINT = "start it with `regiograph neo4j start` (or use REGIOGRAPH_STORE=memory)"


def _unavailable(exc: Exception, waits: str = "") -> StoreUnavailable | None:
    """The StoreUnavailable a driver error stands for (server down, hung or refusing the credentials),
    or None for an error of the query itself. `waits` says how long the driver waits for the server."""
    waits = f"; {waits}" if waits else ""
    if isinstance(exc, ServiceUnavailable | SessionExpired):
        return StoreUnavailable(f"Neo4j is not reachable ({exc}){waits}; {START_HINT}")
    if isinstance(exc, AuthError):
        return StoreUnavailable(
            f"Neo4j refused the credentials ({exc}); "
            "check the configured Neo4j password (REGIOGRAPH_NEO4J_PASSWORD or its generated file)"
        )
    if isinstance(exc, ClientError) and exc.code is None:
        # Raised by the driver, not the server: no connection within the acquisition timeout.
        return StoreUnavailable(f"Neo4j is not reachable ({exc}){waits}; {START_HINT}")
    return None


_DRIVER_ERRORS = (ServiceUnavailable, SessionExpired, ClientError)  # AuthError is a ClientError


def _mapped(method):
    """Connection failures become StoreUnavailable with a hint on how to start Neo4j."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except _DRIVER_ERRORS as exc:
            unavailable = _unavailable(exc, self.waits)
            if unavailable is None:
                raise
            raise unavailable from exc

    return wrapper


class Neo4jStore:
    kind = "neo4j"

    def __init__(
        self,
        driver,
        database: str | None = None,
        batch_size: int = 500,
        owns_driver: bool = False,
        waits: str = "",
    ):
        self.driver = driver
        self.writer = Neo4jWriter(driver, database=database, batch_size=batch_size)
        self.reader = Neo4jReader(driver, database=database)
        self._owns_driver = owns_driver
        self.waits = waits  # how long the driver waits for the server, named in StoreUnavailable

    @_mapped
    def ensure_schema(self) -> None:
        self.writer.ensure_schema()

    @_mapped
    def write_letter(self, graph: Graph) -> ChangeSummary:
        return self.writer.write_letter(graph)

    @_mapped
    def delete_letter(self, letter_id: str) -> ChangeSummary:
        return self.writer.delete_letter(letter_id)

    @_mapped
    def counts(self) -> dict[str, int]:
        return self.reader.counts()

    @_mapped
    def letters(self) -> list[Node]:
        return self.reader.letters()

    @_mapped
    def get_node(self, node_id: str) -> Node | None:
        return self.reader.get_node(node_id)

    @_mapped
    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        return self.reader.get_nodes(node_ids)

    @_mapped
    def entity(self, node_id: str, limit: int | None = None, offset: int = 0) -> EntityPage | None:
        return self.reader.entity(node_id, limit, offset)

    @_mapped
    def revision(self) -> str | None:
        return self.reader.revision()

    @_mapped
    def search(self, q: str = "", label: str | None = None, limit: int = 20, offset: int = 0) -> list[Node]:
        return self.reader.search(q, label, limit, offset)

    @_mapped
    def neighbours(
        self, node_id: str, rel_type: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[Neighbour]:
        return self.reader.neighbours(node_id, rel_type, limit, offset)

    @_mapped
    def neighbour_counts(self, node_id: str) -> dict[tuple[str, str], int]:
        return self.reader.neighbour_counts(node_id)

    @_mapped
    def end_counts(self, rel_type: str) -> dict[str, int]:
        return self.reader.end_counts(rel_type)

    @_mapped
    def letter_relationships(self, letter_id: str) -> list[Relationship]:
        return self.reader.letter_relationships(letter_id)

    @_mapped
    def relationships(
        self, rel_type: str | None = None, start: str | None = None, end: str | None = None
    ) -> list[Relationship]:
        return self.reader.relationships(rel_type, start, end)

    @_mapped
    def shortest_path(self, source: str, target: str, include_mentions: bool = False) -> list[str] | None:
        return self.reader.shortest_path(source, target, include_mentions)

    @_mapped
    def spooled_snapshot(self, directory: Path) -> Graph:
        return self.reader.spooled_snapshot(directory)

    @_mapped
    def snapshot(self, rel_types: Sequence[str] | None = None) -> Graph:
        return self.reader.snapshot(rel_types)

    @_mapped
    def explain(
        self, text: str, parameters: dict[str, Any] | None = None, timeout: float = 10.0
    ) -> QueryPlan:
        """The server's plan for `text` (EXPLAIN: planned, not run): its query type and operators.
        Errors are the server's (syntax, unknown procedure, unsupported administration command...)."""
        with self.driver.session(
            database=self.reader.database, default_access_mode=READ_ACCESS, notifications_min_severity="OFF"
        ) as session:
            planned = _EXPLAIN.sub("", text, count=1)  # `EXPLAIN q` is checked as the plan of q
            summary = session.run(Query("EXPLAIN " + planned, timeout=timeout), parameters or {}).consume()
        return QueryPlan(query_type=summary.query_type or "", operators=tuple(_operators(summary.plan)))

    @_mapped
    def read_query(
        self, text: str, parameters: dict[str, Any] | None = None, timeout: float = 10.0, limit: int = 1000
    ) -> CypherRows:
        """Run Cypher in a READ transaction (the server refuses writes) that the server ends after
        `timeout` seconds: the column names, at most `limit` records, whether more were left and the
        server's notifications. `EXPLAIN q` answers one row with the column `plan`: the operator tree
        (see `plan_tree`)."""

        @unit_of_work(timeout=timeout)
        def work(tx):
            result = tx.run(text, parameters or {})
            records = result.fetch(limit + 1)
            keys = list(result.keys())
            summary = result.consume()
            notes = [_notification(n) for n in summary.summary_notifications]
            if summary.plan and _EXPLAIN.match(text):
                return CypherRows(["plan"], [{"plan": plan_tree(summary.plan)}], False, notes)
            return CypherRows(keys, records[:limit], len(records) > limit, notes)

        # Every notification, whatever the driver was opened with: they are passed through to the user.
        with self.driver.session(
            database=self.reader.database, notifications_min_severity="INFORMATION"
        ) as session:
            return session.execute_read(work)

    def ping(self) -> bool:
        try:
            return self.reader.ping()
        except _DRIVER_ERRORS as exc:
            if _unavailable(exc) is None:
                raise
            return False

    def close(self) -> None:
        if self._owns_driver:
            self.driver.close()


def _notification(note) -> dict[str, str]:
    return {
        "code": note.code or "",
        "severity": str(note.raw_severity_level or ""),
        "title": note.title or "",
        "description": note.description or "",
    }


# A leading EXPLAIN keyword, after any comments.
_EXPLAIN = re.compile(r"^(?:\s+|//[^\n]*(?:\n|$)|/\*.*?\*/)*EXPLAIN\b", re.IGNORECASE | re.DOTALL)


def plan_tree(plan: dict) -> dict[str, Any]:
    """A server plan as `{operator, details, identifiers, estimated_rows, arguments, children}`."""
    args = dict(plan.get("args") or {})
    return {
        "operator": str(plan.get("operatorType", "")).split("@")[0],
        "details": str(args.pop("Details", "")),
        "identifiers": list(plan.get("identifiers") or []),
        "estimated_rows": args.pop("EstimatedRows", None),
        "arguments": args,
        "children": [plan_tree(child) for child in plan.get("children") or []],
    }


def _operators(plan: dict | None):
    """(operator, details) of a plan and all its children; "ProcedureCall@neo4j" becomes "ProcedureCall"."""
    if not plan:
        return
    yield plan.get("operatorType", "").split("@")[0], str(plan.get("args", {}).get("Details", ""))
    for child in plan.get("children", []):
        yield from _operators(child)
