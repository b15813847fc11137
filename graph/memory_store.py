"""In-memory graph store backed by one JSON file, for use without Neo4j.

The state is what each letter contributed (its prepared extraction); the visible graph (merged
nodes, asserted and derived relationships) is computed from it into a networkx MultiDiGraph.
The file is the graph interchange JSON of the visible graph plus a `contributions` member, so
tools reading interchange JSON can read it, and `ingest` and `serve` can run as separate
processes: writes take a file lock and re-read the file first, reads reload it when it changed.
"""

from __future__ import annotations

import fcntl
import secrets
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import networkx as nx
from pydantic import Field

from graph import derive, projection, schema
from graph.contrib import (
    change_summary,
    check_label,
    check_rel_type,
    extraction_digest,
    file_hash,
    letter_key,
    merge_contributions,
    prepare_letter,
    sort_relationships,
)
from graph.files import write_text_atomic
from graph.model import Graph, Node, Relationship
from graph.store import ChangeSummary, EntityPage, Neighbour, neighbour_order
from graph.text import fold, search_text


class StoreFile(Graph):
    """The persisted form: interchange JSON of the visible graph plus each letter's contribution."""

    contributions: dict[str, Graph] = Field(default_factory=dict)


class _View:
    """The visible graph computed from contributions."""

    def __init__(self, contributions: dict[str, Graph]):
        nodes, rels = merge_contributions(contributions)
        rels = sort_relationships([*rels, *derive.derive_all(rels)])
        self.graph = nx.MultiDiGraph()
        for node in nodes:
            self.graph.add_node(node.id, node=node, search=search_text(node.name, node.aliases))
        for rel in rels:
            self.graph.add_edge(rel.start, rel.end, key=(rel.type, rel.derived), rel=rel)
        self.nodes = nodes
        self.relationships = rels

    def counts(self) -> dict[str, int]:
        result = {label: 0 for label in schema.labels()}
        for node in self.nodes:
            for label in node.labels:
                result[label] = result.get(label, 0) + 1
        result["nodes"] = len(self.nodes)
        result["relationships"] = len(self.relationships)
        return result


class MemoryStore:
    kind = "memory"

    def __init__(self, path: Path):
        self.path = Path(path)
        self._contributions: dict[str, Graph] = {}
        self._view = _View({})
        self._stamp: tuple | None = None
        self._revision = secrets.token_hex(12)
        self._refresh()

    # -- persistence -------------------------------------------------------------------------
    def _file_stamp(self) -> tuple | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _refresh(self) -> None:
        stamp = self._file_stamp()
        if stamp == self._stamp:
            return
        contributions: dict[str, Graph] = {}
        if stamp is not None:
            try:
                contributions = StoreFile.model_validate_json(self.path.read_bytes()).contributions
            except ValueError as exc:
                raise ValueError(
                    f"{self.path} is not a readable memory store file ({exc.__class__.__name__}); "
                    "move it away and ingest the letters again"
                ) from None
        self._contributions = contributions
        self._view = _View(contributions)
        self._stamp = stamp
        self._revision = secrets.token_hex(12)

    def _persist(self, contributions: dict[str, Graph], view: _View) -> None:
        """Write the file atomically: a temp file in the same folder, then os.replace."""
        data = StoreFile(nodes=view.nodes, relationships=view.relationships, contributions=contributions)
        write_text_atomic(self.path, data.model_dump_json(indent=1), durable=True)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(self.path.name + ".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                self._refresh()
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _commit(self, contributions: dict[str, Graph]) -> _View:
        """Compute and persist the new state; the store changes only once both succeeded."""
        view = _View(contributions)
        self._persist(contributions, view)
        self._contributions, self._view, self._stamp = contributions, view, self._file_stamp()
        self._revision = secrets.token_hex(12)
        return view

    # -- writes ------------------------------------------------------------------------------
    def write_letter(self, graph: Graph) -> ChangeSummary:
        prepared, letter_id = prepare_letter(graph)
        with self._locked():
            before = self._view.counts()
            old = self._contributions.get(letter_id)
            if (
                old is not None
                and file_hash(old, letter_id) == file_hash(prepared, letter_id)
                and extraction_digest(old) == extraction_digest(prepared)
            ):
                return change_summary(letter_id, "unchanged", before, before)
            after = self._commit({**self._contributions, letter_id: prepared}).counts()
        return change_summary(letter_id, "replaced" if old is not None else "created", before, after)

    def delete_letter(self, letter_id: str) -> ChangeSummary:
        letter_id = letter_key(letter_id)
        with self._locked():
            before = self._view.counts()
            if letter_id not in self._contributions:
                return change_summary(letter_id, "absent", before, before)
            rest = {k: v for k, v in self._contributions.items() if k != letter_id}
            after = self._commit(rest).counts()
        return change_summary(letter_id, "deleted", before, after)

    # -- reads -------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        self._refresh()
        return self._view.counts()

    def letters(self) -> list[Node]:
        self._refresh()
        return [n for n in self._view.nodes if "Letter" in n.labels]

    def get_node(self, node_id: str) -> Node | None:
        self._refresh()
        data = self._view.graph.nodes.get(node_id)
        return data["node"] if data else None

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        self._refresh()
        nodes = self._view.graph.nodes
        return {i: nodes[i]["node"] for i in dict.fromkeys(node_ids) if i in nodes}

    def entity(self, node_id: str, limit: int | None = None, offset: int = 0) -> EntityPage | None:
        self._refresh()
        view = self._view  # one state for both reads, should a write replace it meanwhile
        data = view.graph.nodes.get(node_id)
        if not data:
            return None
        found = _neighbours(view, node_id)
        return EntityPage(node=data["node"], neighbours=_page(found, limit, offset), total=len(found))

    def revision(self) -> str | None:
        """Changes whenever the visible graph is recomputed: after a write by this store, or when the
        file changed underneath (another process wrote it)."""
        self._refresh()
        return self._revision

    def search(self, q: str = "", label: str | None = None, limit: int = 20, offset: int = 0) -> list[Node]:
        self._refresh()
        if label is not None:
            check_label(label)
        needle = fold(q)
        hits = [
            data["node"]
            for _, data in self._view.graph.nodes(data=True)
            if needle in data["search"] and (label is None or label in data["node"].labels)
        ]
        hits.sort(key=lambda n: (n.name, n.id))
        return hits[offset : offset + limit]

    def neighbours(
        self, node_id: str, rel_type: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[Neighbour]:
        self._refresh()
        if rel_type is not None:
            check_rel_type(rel_type)
        return _page(_neighbours(self._view, node_id, rel_type), limit, offset)

    def neighbour_counts(self, node_id: str) -> dict[tuple[str, str], int]:
        self._refresh()
        return dict(Counter((n.relationship.type, n.direction) for n in _neighbours(self._view, node_id)))

    def end_counts(self, rel_type: str) -> dict[str, int]:
        self._refresh()
        check_rel_type(rel_type)
        ends = {(r.start, r.end) for r in self._view.relationships if r.type == rel_type}
        return dict(Counter(start for start, _ in ends))

    def letter_relationships(self, letter_id: str) -> list[Relationship]:
        self._refresh()
        return [r for r in self._view.relationships if any(e.letter == letter_id for e in r.evidence)]

    def relationships(
        self, rel_type: str | None = None, start: str | None = None, end: str | None = None
    ) -> list[Relationship]:
        self._refresh()
        if rel_type is not None:
            check_rel_type(rel_type)
        return [
            r
            for r in self._view.relationships
            if (rel_type is None or r.type == rel_type)
            and (start is None or r.start == start)
            and (end is None or r.end == end)
        ]

    def shortest_path(self, source: str, target: str, include_mentions: bool = False) -> list[str] | None:
        return projection.shortest_path(self.snapshot(), source, target, include_mentions)

    def spooled_snapshot(self, directory: Path) -> Graph:
        return self.snapshot()  # already in memory

    def snapshot(self, rel_types: Sequence[str] | None = None) -> Graph:
        self._refresh()
        rels = self._view.relationships
        if rel_types is not None:
            wanted = {check_rel_type(t) for t in rel_types}
            rels = [r for r in rels if r.type in wanted]
        return Graph(nodes=list(self._view.nodes), relationships=list(rels))

    def ping(self) -> bool:
        return True

    def close(self) -> None:
        pass


def _page(items: list, limit: int | None, offset: int) -> list:
    return items[offset:] if limit is None else items[offset : offset + limit]


def _neighbours(view: _View, node_id: str, rel_type: str | None = None) -> list[Neighbour]:
    g = view.graph
    if node_id not in g:
        return []
    result = []
    for _, other, data in g.out_edges(node_id, data=True):
        result.append(Neighbour(relationship=data["rel"], node=g.nodes[other]["node"], direction="out"))
    for other, _, data in g.in_edges(node_id, data=True):
        result.append(Neighbour(relationship=data["rel"], node=g.nodes[other]["node"], direction="in"))
    if rel_type is not None:
        result = [n for n in result if n.relationship.type == rel_type]
    result.sort(key=neighbour_order)
    return result
