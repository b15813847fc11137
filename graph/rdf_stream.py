"""The dump streamed from a graph into pyoxigraph's serialisers: no Store in between. The default-graph
merge, the per-graph counts and the dataset description are made on the way, the description last, so
memory holds the graph and what is being written, not a second copy of the data (`regiograph export`,
`validate`, `fuseki`). The Store-built dump (graph/rdf.py `build_store`, what the SPARQL endpoint loads)
holds the same quads; tests/graph/test_rdf.py compares the two in every format."""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import chain, islice, starmap
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.files import atomic_path
from graph.model import Graph, Node, Relationship
from graph.rdf import (
    OX_PREFIXES,
    RDF_FORMATS,
    GraphName,
    RDFBuilder,
    RelationshipStatements,
    Statement,
    UnknownFormat,
    content_version,
    describe_dataset,
)
from graph.rdf_parts import can_write_in_parts, write_parts


# -- the streamed dump ----------------------------------------------------------------------------------
@dataclass
class DumpStats:
    """What a streamed dump wrote: the data triples of its default graph and the quads of each named
    graph (the counts its description gives), everything written (the description included) and the
    version it carries."""

    triples: int = 0
    per_graph: Counter = field(default_factory=Counter)
    written: int = 0
    version: str = ""


_CHUNK = 2000  # relationships of a named graph written before their default-graph copies
# Quads handed to pyoxigraph's bulk loader at a time: it holds what it is given until it has written
# it (about 1 KB a quad), so one call for the whole dump would hold the whole dump.
_LOAD_BATCH = 100_000


_BITMAP_BITS = 1 << 26  # 8 MiB, whatever the size of the graph


def _repeated(values: array) -> set[int]:
    """The values that occur more than once, in memory of fixed size beside `values` itself (no set of
    them all): a bitmap marks what was seen, values that hit a marked bit are candidates, and a
    second pass counts the candidates only."""
    bits = min(_BITMAP_BITS, 1 << max(13, (16 * len(values)).bit_length()))  # few false candidates
    bitmap = bytearray(bits // 8)
    mask = bits - 1
    candidates: set[int] = set()
    for v in values:
        bit = v & mask
        byte, flag = bit >> 3, 1 << (bit & 7)
        if bitmap[byte] & flag:
            candidates.add(v)
        else:
            bitmap[byte] |= flag
    if not candidates:
        return set()
    counts = Counter(v for v in values if v in candidates)
    return {v for v, n in counts.items() if n > 1}


def _unseen(statements: Iterable[Statement], seen: set[Statement]) -> list[Statement]:
    out = []
    for st in statements:
        if st not in seen:
            seen.add(st)
            out.append(st)
    return out


class DumpStream:
    """The dump of a Graph as one pass of pyoxigraph statements for ox.serialize to write with no Store
    in between, the dataset description last, from counts gathered on the way. The same RDF dataset as
    build_store (the same quads, description and version).

    Triple formats get the default graph only: node descriptions, then each relationship's statements
    merged over its graphs (those of relationships that share a triple with another last). Quad
    formats get the node descriptions and the relationships no letter states (default graph), then
    each named graph in turn, every quad followed by its default-graph copy (`quad.triple`, made by
    pyoxigraph, not built again) unless it was copied already; the copies of statements two
    relationships share come after the last graph.

    The default graph holds each triple once without remembering every triple: a relationship's copies
    in its letters' graphs are merged as it is written, and the statements of different nodes or
    relationships are distinct (their subjects are the node, or assertion and evidence IRIs made from
    the relationship's key) except where two of them name the same thing: one node IRI for two node
    ids (`document:` and `kamerstuk:` ids, D5), or one direct triple for two relationships (a stated
    and a derived OVERLAPS, a relationship listed twice). A survey of the graph before writing finds
    those (by hashes, dropped after it); only their statements are remembered. Quad formats also keep,
    per named graph, the positions of its relationships."""

    def __init__(
        self,
        graph: Graph,
        base_iri: str,
        named_graphs: bool,
        relationships: Iterable[Relationship] | None = None,
        *,
        created: date | None = None,
    ):
        self.graph, self.base_iri, self.named_graphs = graph, base_iri, named_graphs
        self.relationships = graph.relationships if relationships is None else relationships
        self.created = created or date.today()
        self.builder = RDFBuilder(base_iri)
        self.stats = DumpStats()
        self._seen_nodes: set[Statement] = set()
        self._seen_default: set[Statement] = set()
        self._seen_named: dict[GraphName, set[Statement]] = {}
        self.deferred: list[int] = []  # positions of relationships written after the others
        self.copies_deferred: list[Statement] = []  # default-graph copies written after the named graphs
        self._survey()

    def _survey(self) -> None:
        b = self.builder
        seen: set[int] = set()
        self._shared_nodes: set[int] = set()
        for node in self.graph.nodes:
            h = hash(b.node_iri(node.id))
            (self._shared_nodes if h in seen else seen).add(h)
        hashes = array("q")
        self._graphs: dict[ox.NamedNode, array[int]] = {}
        iris, node_iri, predicates = b._iris, b.node_iri, b._predicates
        for i, rel in enumerate(self.graph.relationships):
            p = predicates[rel.type] if rel.type in predicates else b.predicate(rel.type)
            if p is None:
                continue
            hashes.append(
                hash((iris.get(rel.start) or node_iri(rel.start), p, iris.get(rel.end) or node_iri(rel.end)))
            )
            if self.named_graphs:
                names = {b.node_iri(e.letter) for e in rel.evidence}
                if rel.derived:
                    names.add(b.derived_graph)
                for name in names:
                    positions = self._graphs.get(name)
                    if positions is None:
                        positions = self._graphs[name] = array("I")
                    positions.append(i)
        self._shared_triples = _repeated(hashes)

    def __iter__(self) -> Iterator[ox.Quad | ox.Triple]:
        parts: list[Iterable[ox.Quad | ox.Triple]] = [self.node_triples()]
        if self.named_graphs:
            parts.append(self.unstated_triples())
            parts += [self.named_graph(name) for name in self.graph_names()]
            parts.append(self.deferred_copies())
        else:
            parts += [self.relationship_triples(enumerate(self.relationships)), self.deferred_triples()]
        parts.append(self.description())
        return chain.from_iterable(parts)

    # -- the default graph ---------------------------------------------------------------------------
    def node_triples(self) -> Iterator[ox.Triple]:
        return chain.from_iterable(map(self._node, self.graph.nodes))

    def _node(self, node: Node) -> list[ox.Triple]:
        s = self.builder.node_iri(node.id)
        statements = [(s, p, o) for p, o in self.builder.node_statements(node)]
        if self._shared_nodes and hash(s) in self._shared_nodes:
            statements = _unseen(statements, self._seen_nodes)
        self.stats.triples += len(statements)
        return list(starmap(ox.Triple, statements))

    def _shared(self, st: RelationshipStatements) -> bool:
        return bool(self._shared_triples) and hash(st.triples[0]) in self._shared_triples

    def relationship_triples(self, positioned: Iterable[tuple[int, Relationship]]) -> Iterator[ox.Triple]:
        """The default-graph statements of (position, relationship) pairs, merged over their graphs
        (triple formats), except those of relationships that share a triple with another: their
        positions go to `deferred`, written after all others by deferred_triples. Relationships apart
        from those are independent of each other, so any range of them can be written on its own
        (graph/rdf_parts.py writes ranges in worker processes)."""
        return chain.from_iterable(starmap(self._merged_unshared, positioned))

    def _merged_unshared(self, i: int, rel: Relationship) -> list[ox.Triple]:
        st = self.builder.relationship_statements(rel)
        if st is None:
            return []
        if self._shared(st):
            self.deferred.append(i)
            return []
        return self._written_merged(st, False)

    def deferred_triples(self) -> Iterator[ox.Triple]:
        """The statements of the deferred relationships, each triple once over all of them."""
        rels = self.graph.relationships
        for i in self.deferred:
            yield from self._merged(rels[i])

    def _merged(self, rel: Relationship) -> list[ox.Triple]:
        """A relationship's statements in the default graph, merged over its graphs."""
        st = self.builder.relationship_statements(rel)
        if st is None:
            return []
        return self._written_merged(st, self._shared(st))

    def _written_merged(self, st: RelationshipStatements, shared: bool) -> list[ox.Triple]:
        """The merged statements to write, counted; a shared relationship's only where not written yet."""
        statements = st.merged()
        if shared:
            statements = _unseen(statements, self._seen_default)
        self.stats.triples += len(statements)
        self._count_named(st, shared)
        return list(starmap(ox.Triple, statements))

    def unstated_triples(self) -> Iterator[ox.Triple]:
        return chain.from_iterable(map(self._unstated, self.relationships))

    def _unstated(self, rel: Relationship) -> list[ox.Triple]:
        """A relationship no letter states and not derived, in the default graph only (quad formats)."""
        if rel.derived or rel.evidence:
            return []
        return self._merged(rel)

    def _count_named(self, st: RelationshipStatements, shared: bool) -> None:
        """The named-graph counts of a relationship written merged."""
        per_graph = self.stats.per_graph
        if shared or st.repeats:
            names = [c for c in st.contexts if isinstance(c, ox.NamedNode)] + [c for c, _ in st.evidence]
            for name in dict.fromkeys(names):
                statements = st.in_graph(name)
                if shared:
                    statements = _unseen(statements, self._seen_named.setdefault(name, set()))
                per_graph[name] += len(set(statements))
            return
        n = len(st.triples)
        for ctx in st.contexts:
            if isinstance(ctx, ox.NamedNode):
                per_graph[ctx] += n
        for ctx, statements in st.evidence:
            per_graph[ctx] += len(statements)

    # -- the named graphs ----------------------------------------------------------------------------
    def graph_names(self) -> list[ox.NamedNode]:
        """The named graphs, in the order they are written."""
        return sorted(self._graphs, key=lambda n: n.value)

    def graph_size(self, name: ox.NamedNode) -> int:
        """The relationships with statements in a named graph."""
        return len(self._graphs[name])

    def named_graph(self, name: ox.NamedNode) -> Iterator[ox.Quad | ox.Triple]:
        """One named graph's quads with the default-graph copies of its statements (a relationship's
        direct triple and assertion in its first graph, each quote's statements in its letter's),
        `_CHUNK` relationships at a time: their quads, then their copies, so TriG and JSON-LD keep a
        graph's statements together. A statement shared with another relationship has its copy
        deferred (`copies_deferred`, written by deferred_copies once all graphs are written), so each
        graph is written independently of the others (graph/rdf_parts.py writes graphs in workers)."""
        positions = self._graphs[name]
        return chain.from_iterable(
            self._chunk(name, positions[k : k + _CHUNK]) for k in range(0, len(positions), _CHUNK)
        )

    def _chunk(self, name: ox.NamedNode, positions: Iterable[int]) -> list[ox.Quad | ox.Triple]:
        rels, builder, stats = self.graph.relationships, self.builder, self.stats
        seen_named = self._seen_named.setdefault(name, set())
        quads: list[ox.Quad] = []
        copies: list[ox.Triple] = []
        for i in positions:
            st = builder.relationship_statements(rels[i])
            if st is None:
                continue
            triples = st.triples if name in st.contexts else []
            quotes = [x for ctx, statements in st.evidence if ctx == name for x in statements]
            if st.repeats:  # within one graph (a quote's statements never repeat a triple's)
                triples, quotes = list(dict.fromkeys(triples)), list(dict.fromkeys(quotes))
            if self._shared(st):
                unseen = _unseen(triples + quotes, seen_named)
                quads += [ox.Quad(s, p, o, name) for s, p, o in unseen]
                self.copies_deferred += unseen
                continue
            start = len(quads)
            quads += [ox.Quad(s, p, o, name) for s, p, o in triples]
            if triples and st.contexts[0] != name:
                start = len(quads)  # copied in the relationship's first graph
            quads += [ox.Quad(s, p, o, name) for s, p, o in quotes]
            copies += [q.triple for q in quads[start:]]
        stats.per_graph[name] += len(quads)
        stats.triples += len(copies)
        return [*quads, *copies]

    def deferred_copies(self) -> Iterator[ox.Triple]:
        """The default-graph copies of the shared statements of the named graphs, each once."""
        out = _unseen(self.copies_deferred, self._seen_default)  # a generator: run once all are deferred
        self.stats.triples += len(out)
        yield from starmap(ox.Triple, out)

    # -- the description -----------------------------------------------------------------------------
    def description(self) -> Iterator[ox.Quad | ox.Triple]:
        stats = self.stats
        stats.version = content_version(self.graph, self.base_iri)
        quads = describe_dataset(
            self.graph,
            self.base_iri,
            triples=stats.triples,
            per_graph=stats.per_graph,
            created=self.created,
            version=stats.version,
        )
        stats.written = stats.triples + sum(stats.per_graph.values()) * self.named_graphs + len(quads)
        yield from quads  # default-graph quads: triple formats take them as triples


def stream_dump(
    graph: Graph,
    base_iri: str,
    fmt: str,
    output: Any,
    relationships: Iterable[Relationship] | None = None,
    *,
    created: date | None = None,
    progress: Callable[[int], object] | None = None,
) -> DumpStats:
    """Write the dump of `graph` in one of RDF_FORMATS to `output` (a path or a binary file object) as
    it is made: pyoxigraph's serialiser reads the statements straight from the graph (DumpStream).
    `progress` is told how many relationships were written, every few thousand."""
    spec = RDF_FORMATS.get(fmt)
    if spec is None:
        raise UnknownFormat(fmt)
    if progress is not None:
        relationships = _counted(graph.relationships if relationships is None else relationships, progress)
    statements = DumpStream(graph, base_iri, spec.named_graphs, relationships, created=created)
    written: Any = iter(statements)  # Triples for triple formats, Quads for quad formats
    ox.serialize(written, output, format=spec.ox_format, prefixes=OX_PREFIXES)
    return statements.stats


_PROGRESS_EVERY = 5000  # relationships between two progress reports


def _counted(
    relationships: Iterable[Relationship], progress: Callable[[int], object]
) -> Iterator[Relationship]:
    n = 0
    for n, rel in enumerate(relationships, 1):
        yield rel
        if n % _PROGRESS_EVERY == 0:
            progress(_PROGRESS_EVERY)
    if n % _PROGRESS_EVERY:
        progress(n % _PROGRESS_EVERY)


def write_graph(
    graph: Graph,
    base_iri: str,
    fmt: str,
    path: Path,
    relationships: Iterable[Relationship] | None = None,
    *,
    created: date | None = None,
    progress: Callable[[int], object] | None = None,
    jobs: int = 1,
) -> DumpStats:
    """stream_dump to `path` atomically, so an earlier export is never left half-overwritten. With
    `jobs` > 1, N-Triples and N-Quads of a large graph are written by that many worker processes
    (graph/rdf_parts.py), into the same bytes."""
    spec = RDF_FORMATS.get(fmt)
    if spec is None:
        raise UnknownFormat(fmt)
    with atomic_path(path) as tmp, open(tmp, "wb") as out:
        if not can_write_in_parts(fmt, len(graph.relationships), jobs):
            return stream_dump(graph, base_iri, fmt, out, relationships, created=created, progress=progress)
        statements = DumpStream(graph, base_iri, spec.named_graphs, created=created)
        write_parts(statements, out, jobs, path.parent, progress)
        return statements.stats


def load_store(
    graph: Graph,
    base_iri: str,
    path: Path,
    relationships: Iterable[Relationship] | None = None,
    *,
    created: date | None = None,
    progress: Callable[[int], object] | None = None,
) -> DumpStats:
    """The dump loaded into a new pyoxigraph Store on disk at `path`, straight from the statements (no
    text in between, no Store in memory): the SPARQL endpoint's dataset, which its processes open
    read-only. The same quads as `build_store`. `progress` is told the quads loaded after each batch."""
    statements = DumpStream(graph, base_iri, True, relationships, created=created)
    # the default-graph copies come as Triples (what quad serialisers take); a Store takes Quads
    fill_store(path, (q if type(q) is ox.Quad else ox.Quad(*q) for q in statements), progress)
    return statements.stats


def fill_store(path: Path, quads: Iterable[ox.Quad], progress: Callable[[int], object] | None = None) -> int:
    """A new pyoxigraph Store on disk at `path` holding `quads`, loaded `_LOAD_BATCH` at a time and
    closed, so read-only openers see everything; `progress` is told the quads loaded after each batch."""
    store = ox.Store(str(path))
    loaded, quads = 0, iter(quads)
    while batch := list(islice(quads, _LOAD_BATCH)):
        store.bulk_extend(batch)
        loaded += len(batch)
        if progress is not None:
            progress(loaded)
    store.flush()
    del store
    return loaded
