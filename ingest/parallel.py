"""Extraction in worker processes: letters are read and extracted by `jobs` processes and handed back
in the order they were given, so whoever writes them keeps one transaction per letter, in order.

Extraction is pure CPU work on one letter at a time, so processes (not threads) are what scale it. At
most a few letters per worker are in flight: a slow writer holds back the workers instead of piling up
graphs in memory.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Generator, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from graph.model import Graph
from ingest import renditions
from ingest.errors import LetterError
from ingest.load import MAX_LETTER_BYTES
from ingest.models import RawLetter
from ingest.pipeline import load_tables

AHEAD_PER_JOB = 4  # letters in flight per worker process

Extracted = tuple[RawLetter, Graph] | LetterError


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _extract(path: Path, max_bytes: int) -> Extracted:
    try:
        return renditions.extract_letter(path, max_bytes)
    except LetterError as exc:
        return exc


def extract_letters(
    paths: Iterable[Path], jobs: int = 1, max_bytes: int = MAX_LETTER_BYTES
) -> Generator[tuple[Path, Extracted], None, None]:
    """(path, (raw, graph)) or (path, LetterError) for every path, in the order of `paths`."""
    paths = list(paths)
    if jobs <= 1 or len(paths) < 2:
        for path in paths:
            yield path, _extract(path, max_bytes)
        return
    load_tables()  # loaded once here: forked workers share the tables instead of each loading its own
    fork = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if fork else None)
    with ProcessPoolExecutor(max_workers=min(jobs, len(paths)), mp_context=context) as pool:
        pending: deque[tuple[Path, Future[Extracted]]] = deque()
        queue = iter(paths)
        for path in queue:
            pending.append((path, pool.submit(_extract, path, max_bytes)))
            if len(pending) >= jobs * AHEAD_PER_JOB:
                break
        while pending:
            path, future = pending.popleft()
            yield path, future.result()
            for more in queue:
                pending.append((more, pool.submit(_extract, more, max_bytes)))
                break
