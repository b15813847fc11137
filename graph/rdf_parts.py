"""The N-Triples dump written by worker processes, in parts: the file is what one process writes, byte
for byte, in a fraction of the time on a machine with more than one core.

What bounds a streamed export is Python making pyoxigraph terms, one relationship at a time (see the
README's Performance section). In a triple format every relationship's statements are independent of
the others' except where two relationships share a triple (DumpStream defers those), and N-Triples is
one statement per line with no header, so ranges of relationships can be written apart and the files
joined: forked workers each write ranges into files of their own while the parent writes the node
descriptions; the parent then appends the parts in order, the deferred relationships and the dataset
description, from the counts the workers send back.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import pyoxigraph as ox

if TYPE_CHECKING:
    from graph.rdf_stream import DumpStream

log = logging.getLogger(__name__)

LINE_FORMATS = frozenset({"ntriples"})  # formats whose files can be joined: a statement per line, no header
MIN_RELATIONSHIPS = 20_000  # fewer than this are written sooner by one process than by forking workers
PARTS_PER_JOB = 4  # ranges per worker, so a slow range does not leave the other workers idle

_STREAM: DumpStream | None = None  # the dump the forked workers inherit

PartResult = tuple[int, dict[str, int], list[int]]  # triples, per-graph counts by IRI, deferred positions


def can_write_in_parts(fmt: str, relationships: int, jobs: int) -> bool:
    return (
        jobs > 1
        and fmt in LINE_FORMATS
        and relationships >= MIN_RELATIONSHIPS
        and "fork" in multiprocessing.get_all_start_methods()
    )


def _write_range(start: int, end: int, path: str) -> PartResult:
    """In a worker: relationships [start, end) into `path`; what it counted, apart from the parent's."""
    stream = _STREAM
    assert stream is not None, "workers are forked from write_parts"
    rels = stream.graph.relationships
    stream.stats.triples, stream.stats.per_graph, stream.deferred = 0, Counter(), []  # this range's alone
    with open(path, "wb") as out:
        ox.serialize(
            stream.relationship_triples((i, rels[i]) for i in range(start, end)),
            out,
            format=ox.RdfFormat.N_TRIPLES,
        )
    per_graph = {name.value: n for name, n in stream.stats.per_graph.items()}
    return stream.stats.triples, per_graph, stream.deferred


def _ranges(n: int, parts: int) -> list[tuple[int, int]]:
    bounds = [n * k // parts for k in range(parts + 1)]
    return [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def write_parts(
    stream: DumpStream,
    out: BinaryIO,
    jobs: int,
    folder: Path,
    progress: Callable[[int], object] | None = None,
) -> None:
    """Write `stream` (a triple-format DumpStream) as N-Triples to `out` with `jobs` worker processes,
    their parts in a temporary folder inside `folder`; `progress` is told the relationships of each
    range as it is appended."""
    global _STREAM
    n = len(stream.graph.relationships)
    ranges = _ranges(n, jobs * PARTS_PER_JOB)
    log.info("writing %d relationships in %d ranges with %d processes", n, len(ranges), jobs)
    context = multiprocessing.get_context("fork")
    with tempfile.TemporaryDirectory(prefix=".parts-", dir=folder) as tmp:
        _STREAM = stream
        gc.freeze()  # the collector leaves the inherited objects alone, so their pages stay shared
        try:
            with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
                parts = [(Path(tmp) / f"{k:04d}.nt", a, b) for k, (a, b) in enumerate(ranges)]
                futures = [pool.submit(_write_range, a, b, str(path)) for path, a, b in parts]
                ox.serialize(stream.node_triples(), out, format=ox.RdfFormat.N_TRIPLES)  # meanwhile
                for (path, a, b), future in zip(parts, futures, strict=True):
                    triples, per_graph, deferred = future.result()
                    stream.stats.triples += triples
                    for name, count in per_graph.items():
                        stream.stats.per_graph[ox.NamedNode(name)] += count
                    stream.deferred += deferred
                    with open(path, "rb") as part:
                        shutil.copyfileobj(part, out, 1 << 20)
                    path.unlink()
                    if progress is not None:
                        progress(b - a)
        finally:
            _STREAM = None
            gc.unfreeze()
    # a worker's failure has raised above; what is left is the parent's, in the order one process writes
    ox.serialize(stream.deferred_triples(), out, format=ox.RdfFormat.N_TRIPLES)
    description: Any = stream.description()  # default-graph quads: N-Triples takes them as triples
    ox.serialize(description, out, format=ox.RdfFormat.N_TRIPLES)
