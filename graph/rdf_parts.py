"""The N-Triples and N-Quads dumps written by worker processes, in parts: the file is what one process
writes, byte for byte, in a fraction of the time on a machine with more than one core.

What bounds a streamed export is Python making pyoxigraph terms, one relationship at a time (see the
README's Performance section). Both formats are one statement per line with no header, so files written
apart can be joined. In N-Triples the relationships are independent of each other except where two
share a triple (DumpStream defers those); in N-Quads the named graphs are, except for the default-graph
copies of such shared statements (deferred too). Forked workers each write ranges of relationships or
of named graphs into files of their own while the parent writes the node descriptions; the parent then
appends the parts in order, what was deferred and the dataset description, from the counts the workers
send back.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import shutil
import tempfile
from bisect import bisect_left
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import accumulate, chain, islice, starmap
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import pyoxigraph as ox

if TYPE_CHECKING:
    from graph.rdf import Statement
    from graph.rdf_stream import DumpStream

log = logging.getLogger(__name__)

# formats whose files can be joined (a statement per line, no header), by whether they hold named graphs
LINE_FORMATS = {False: ("ntriples", ox.RdfFormat.N_TRIPLES), True: ("nquads", ox.RdfFormat.N_QUADS)}
MIN_RELATIONSHIPS = 20_000  # fewer than this are written sooner by one process than by forking workers
PARTS_PER_JOB = 4  # ranges per worker, so a slow range does not leave the other workers idle
IN_FLIGHT = 1  # parts written ahead beyond one per worker

_STREAM: DumpStream | None = None  # the dump the forked workers inherit


@dataclass
class Part:
    """What a worker wrote into one part file, counted apart from the parent's counts."""

    triples: int = 0
    per_graph: dict[str, int] = field(default_factory=dict)  # named graph IRI -> quads
    deferred: list[int] = field(default_factory=list)  # relationships left to the parent (N-Triples)
    copies_deferred: list[Statement] = field(default_factory=list)  # copies left to the parent (N-Quads)


def can_write_in_parts(fmt: str, relationships: int, jobs: int) -> bool:
    return (
        jobs > 1
        and fmt in {name for name, _ in LINE_FORMATS.values()}
        and relationships >= MIN_RELATIONSHIPS
        and "fork" in multiprocessing.get_all_start_methods()
    )


def _write_range(start: int, end: int, path: str) -> Part:
    """In a worker: relationships [start, end) (N-Triples) or named graphs [start, end) (N-Quads) into
    `path`."""
    stream = _STREAM
    assert stream is not None, "workers are forked from write_parts"
    stats = stream.stats
    stats.triples, stats.per_graph, stream.deferred, stream.copies_deferred = 0, Counter(), [], []
    statements: Iterator[Any]
    if stream.named_graphs:
        statements = chain.from_iterable(map(stream.named_graph, stream.graph_names()[start:end]))
    else:
        rels = stream.graph.relationships
        statements = stream.relationship_triples((i, rels[i]) for i in range(start, end))
    with open(path, "wb") as out:
        ox.serialize(statements, out, format=LINE_FORMATS[stream.named_graphs][1])
    per_graph = {name.value: n for name, n in stats.per_graph.items()}
    return Part(stats.triples, per_graph, stream.deferred, stream.copies_deferred)


def _ranges(ends: Sequence[int], parts: int) -> list[tuple[int, int]]:
    """Up to `parts` consecutive, non-empty ranges of items of about equal weight, from the running
    totals of their weights (`ends[k]`: the weight of items 0..k)."""
    total = ends[-1] if ends else 0
    bounds = [0]
    for part in range(1, parts):
        k = bisect_left(ends, total * part / parts) + 1  # the first item that reaches the share, included
        if bounds[-1] < k < len(ends):
            bounds.append(k)
    bounds.append(len(ends))
    return [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def write_parts(
    stream: DumpStream,
    out: BinaryIO,
    jobs: int,
    folder: Path,
    progress: Callable[[int], object] | None = None,
) -> None:
    """Write `stream` as N-Triples (a triple-format DumpStream) or N-Quads to `out` with `jobs` worker
    processes, their parts in a temporary folder inside `folder`; `progress` is told, as each part is
    appended, its share of the relationships."""
    global _STREAM
    fmt = LINE_FORMATS[stream.named_graphs][1]
    n = len(stream.graph.relationships)
    ends: Sequence[int]
    if stream.named_graphs:
        ends = list(accumulate(stream.graph_size(name) for name in stream.graph_names()))
        head: Iterator[Any] = chain(stream.node_triples(), stream.unstated_triples())
        tail: Iterator[Any] = chain(stream.deferred_copies(), stream.description())
    else:
        ends = range(1, n + 1)  # every relationship weighs one
        head, tail = stream.node_triples(), chain(stream.deferred_triples(), stream.description())
    ranges = _ranges(ends, jobs * PARTS_PER_JOB)
    total = ends[-1] if ends else 1
    log.info("writing %d relationships in %d ranges with %d processes", n, len(ranges), jobs)
    context = multiprocessing.get_context("fork")
    reported = 0
    with tempfile.TemporaryDirectory(prefix=".parts-", dir=folder) as tmp:
        _STREAM = stream
        gc.freeze()  # the collector leaves the inherited objects alone, so their pages stay shared
        try:
            with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
                queue = iter(enumerate(ranges))

                def submit(k: int, bounds: tuple[int, int]) -> tuple[Path, int, Future[Part]]:
                    path = Path(tmp) / f"{k:04d}.part"
                    return path, bounds[1], pool.submit(_write_range, *bounds, str(path))

                # parts wait on disk until appended: a few at a time, not a second copy of the file
                pending = deque(starmap(submit, islice(queue, jobs + IN_FLIGHT)))
                ox.serialize(head, out, format=fmt)  # the parent's share, meanwhile
                while pending:
                    path, end, future = pending.popleft()
                    part = future.result()
                    pending.extend(starmap(submit, islice(queue, 1)))
                    stream.stats.triples += part.triples
                    for name, count in part.per_graph.items():
                        stream.stats.per_graph[ox.NamedNode(name)] += count
                    stream.deferred += part.deferred
                    stream.copies_deferred += part.copies_deferred
                    with open(path, "rb") as source:
                        shutil.copyfileobj(source, out, 1 << 20)
                    path.unlink()
                    if progress is not None:  # the relationships written so far, in proportion
                        done = n * ends[end - 1] // total
                        progress(done - reported)
                        reported = done
        finally:
            _STREAM = None
            gc.unfreeze()
    # a worker's failure has raised above; what is left is the parent's, in the order one process writes
    ox.serialize(tail, out, format=fmt)
