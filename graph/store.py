"""The store contract: what every graph store (Neo4j, in-memory) offers to the CLI, API and tools.

A store holds the union of letter contributions. Writing a letter replaces that letter's previous
contribution; deleting it removes its evidence and whatever no other letter supports. Derived
relationships (OVERLAPS from shared coverage) are recomputed after each change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, Field

from graph.model import Graph, Node, Relationship


class UnknownNode(LookupError):
    """An id that names no node; the message says how to find the right one."""


class QueryTooSlow(Exception):
    """A store query ran past its time limit and was stopped; the message says how to narrow it."""


class StoreUnavailable(Exception):
    """The backing database cannot be reached; the message says how to bring it back."""


class InvalidGraph(ValueError):
    """A letter's graph that cannot be stored (unknown label or type, wrong evidence letter...);
    the message names the node, relationship or field. Nothing is written."""


class ChangeSummary(BaseModel):
    """What a write changed, in counts (returned by ingest, delete and the API)."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "letter": "letter:2024D51884",
                    "action": "created",
                    "nodes_before": 0,
                    "nodes_after": 96,
                    "relationships_before": 0,
                    "relationships_after": 241,
                }
            ]
        }
    }

    letter: str
    action: str  # "created", "replaced", "unchanged", "deleted", "absent"
    nodes_before: int = 0
    nodes_after: int = 0
    relationships_before: int = 0
    relationships_after: int = 0


class Neighbour(BaseModel):
    relationship: Relationship
    node: Node
    direction: str = Field(description="'out' when the entity is the start, 'in' otherwise")


class EntityPage(BaseModel):
    """A node with one page of its neighbours (in the stores' order) and how many it has in all: a hub
    such as a national programme is named by every letter, so its neighbours are read a page at a time."""

    node: Node
    neighbours: list[Neighbour]
    total: int


def neighbour_order(n: Neighbour) -> tuple:
    """The order both stores list neighbours in (and page them by)."""
    r = n.relationship
    return (r.type, n.direction, n.node.id, r.derived)


@runtime_checkable
class GraphStore(Protocol):
    """Read and write operations shared by all stores."""

    kind: str  # "neo4j" or "memory": what /health reports and what picks the curated query's language

    def write_letter(self, graph: Graph) -> ChangeSummary:
        """Store one letter's extraction (exactly one Letter node), replacing an earlier version."""

    def delete_letter(self, letter_id: str) -> ChangeSummary: ...

    def counts(self) -> dict[str, int]:
        """Node counts per label plus 'nodes' and 'relationships' totals."""

    def letters(self) -> list[Node]: ...

    def get_node(self, node_id: str) -> Node | None: ...

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        """The nodes of these ids that exist, by id, in one read."""

    def entity(self, node_id: str, limit: int | None = None, offset: int = 0) -> EntityPage | None:
        """The node with its neighbours from `offset`, at most `limit` (all when None), in the order
        of `neighbour_order` (get_node and neighbours in one read); None if absent."""

    def revision(self) -> str | None:
        """A token that changes with every write of the graph and is never reused, so that an answer
        computed under one token is current while the store answers the same token (None: unknown,
        cache nothing)."""

    def search(self, q: str = "", label: str | None = None, limit: int = 20, offset: int = 0) -> list[Node]:
        """Nodes whose name or alias contains q (accent- and case-insensitive)."""

    def neighbours(
        self, node_id: str, rel_type: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[Neighbour]:
        """The node's neighbours (of one relationship type when given) in `neighbour_order`, from
        `offset`, at most `limit` (all when None)."""

    def neighbour_counts(self, node_id: str) -> dict[tuple[str, str], int]:
        """How many neighbours the node has per (relationship type, direction)."""

    def end_counts(self, rel_type: str) -> dict[str, int]:
        """For each node that starts a relationship of this type, how many distinct nodes such
        relationships end at (the regions a programme covers), counted without reading evidence."""

    def letter_relationships(self, letter_id: str) -> list[Relationship]:
        """The relationships with evidence from this letter (all of their evidence), found from what
        the letter contributed rather than by reading every relationship."""

    def relationships(
        self, rel_type: str | None = None, start: str | None = None, end: str | None = None
    ) -> list[Relationship]: ...

    def shortest_path(self, source: str, target: str, include_mentions: bool = False) -> list[str] | None:
        """Node ids of a shortest path ignoring directions (MENTIONS only when asked); None if unconnected."""

    def snapshot(self, rel_types: Sequence[str] | None = None) -> Graph:
        """The whole graph with all evidence (for export, analysis and visualisation): every node, and
        the relationships of `rel_types` when given (the map needs COVERS and PART_OF, not the
        MENTIONS of every letter), else all of them."""

    def spooled_snapshot(self, directory: Path) -> Graph:
        """snapshot() for an export of a large store: a store that would otherwise hold every
        relationship in memory keeps them in a file under `directory` (graph/spool.py)."""

    def ping(self) -> bool: ...

    def close(self) -> None: ...


class QueryPlan(BaseModel):
    """What the server plans for a Cypher query without running it (EXPLAIN)."""

    model_config = {"frozen": True}

    query_type: str = Field(description="r (read), w (write), rw (both) or s (schema/administration)")
    operators: tuple[tuple[str, str], ...] = Field(
        description="(operator, details) of every operator, e.g. ('ProcedureCall', 'db.labels() :: ...')"
    )


@dataclass(frozen=True)
class CypherRows:
    """What a read-only Cypher query returned: its columns, at most the row limit of records, whether
    more were left, and the server's notifications (an unknown label, a cartesian product ...)."""

    columns: list[str]
    records: list[Any]
    truncated: bool = False
    notifications: list[dict[str, str]] = field(default_factory=list)  # code, severity, title, description


@runtime_checkable
class CypherCapable(Protocol):
    """A store that can run user Cypher read-only (the Neo4j store)."""

    def explain(self, text: str, parameters: dict | None = None, timeout: float = 10.0) -> QueryPlan: ...

    def read_query(
        self, text: str, parameters: dict | None = None, timeout: float = 10.0, limit: int = 1000
    ) -> CypherRows: ...
