"""Extraction throughput on one core: the corpus replicated to >= 10 MB, streamed letter by letter.

Prints the size of the gazetteer automata and the time to build them, MB/s and letters/s per CPU
second (and wall clock), peak memory at two input sizes (memory must stay flat as input grows), and
the ratio against a naive baseline that tokenises every letter with a regular expression and looks
each token n-gram up in the vocabulary (no automaton). Then what `ingest --jobs` gains: the same
files extracted by ingest.parallel with one process and with --jobs (wall clock, side by side).

    .venv/bin/python bench/bench_extract.py [--mb 10] [--jobs 2]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.load import load_letter  # noqa: E402
from ingest.parallel import extract_letters  # noqa: E402
from ingest.pipeline import extract_raw  # noqa: E402
from ingest.vocabulary import vocabulary  # noqa: E402
from regiograph.settings import load_settings  # noqa: E402


def replicated(letters, target_bytes: int):
    """Yield letters round-robin until target_bytes of text have been produced (streamed)."""
    produced = 0
    while produced < target_bytes:
        for raw in letters:
            produced += len(raw.text.encode("utf-8"))
            yield raw
            if produced >= target_bytes:
                return


def automaton_size(automaton) -> str:
    stats = automaton.get_stats()
    return f"{len(automaton):,} forms, {stats['nodes_count']:,} nodes, {stats['total_size'] / 2**20:.1f} MiB"


def run(letters, target_bytes: int, trace_memory: bool = False) -> tuple[float, float, int, int, int]:
    """Extract letters up to target_bytes; (cpu seconds, wall seconds, letters, bytes, peak traced bytes).
    CPU time is this process's alone, so other work on the machine does not count as extraction time."""
    if trace_memory:
        tracemalloc.start()
    cpu, wall = time.process_time(), time.perf_counter()
    n, size = 0, 0
    for raw in replicated(letters, target_bytes):
        extract_raw(raw)
        n += 1
        size += len(raw.text.encode("utf-8"))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    peak = 0
    if trace_memory:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return cpu, wall, n, size, peak


def naive_recognition(letters, target_bytes: int) -> float:
    """Baseline: tokenise and look up every 1..6-gram in a dict of surface forms."""
    vocab = vocabulary()
    forms = {}
    for e in vocab.entries.values():
        for f in e.forms:
            forms[f.lower()] = e.id
    token = re.compile(r"[\w'-]+")
    start = time.process_time()
    for raw in replicated(letters, target_bytes):
        words = token.findall(raw.text.lower())
        hits = 0
        for i in range(len(words)):
            for k in range(1, 7):
                if " ".join(words[i : i + k]) in forms:
                    hits += 1
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0, help="size of the larger run in MB")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)), help="processes to compare")
    args = parser.parse_args()
    corpus = load_settings().corpus_dir
    letters = [load_letter(p) for p in sorted(corpus.glob("*.txt"))]
    started = time.perf_counter()
    vocab = vocabulary()  # build the automata outside the timings
    vocab_s = time.perf_counter() - started
    started = time.perf_counter()
    extract_raw(letters[0])  # loads the pattern files, the relation grammar and the triggers
    rest_s = time.perf_counter() - started
    print(f"corpus: {len(letters)} letters from {corpus}")
    print(
        f"gazetteers: {len(vocab.entries):,} entries; automata {automaton_size(vocab.sensitive)} "
        f"(case-sensitive) and {automaton_size(vocab.insensitive)} (case-insensitive); "
        f"built in {vocab_s:.2f} s, pattern files and grammar loaded in {rest_s:.2f} s (wall clock)"
    )
    cpu, wall, n, size, _ = run(letters, int(args.mb * 1e6))
    pipeline_mbps = size / 1e6 / cpu
    print(
        f"throughput on {size / 1e6:.1f} MB ({n} letters): {pipeline_mbps:.2f} MB/s and "
        f"{n / cpu:.0f} letters/s per CPU second (one core); wall clock {size / 1e6 / wall:.2f} MB/s"
    )
    print("peak traced memory (tracemalloc slows extraction, so it runs apart from the timing):")
    peaks = []
    for mb in (args.mb / 10, args.mb / 2.5):
        *_, size, peak = run(letters, int(mb * 1e6), trace_memory=True)
        peaks.append(peak)
        print(f"  {size / 1e6:5.1f} MB input: {peak / 2**20:.1f} MiB")
    print(f"  ratio larger/smaller input: {peaks[1] / peaks[0]:.2f} (flat = ~1)")
    baseline_bytes = int(args.mb / 4 * 1e6)
    naive_mbps = baseline_bytes / 1e6 / naive_recognition(letters, baseline_bytes)
    print(
        f"naive n-gram dictionary lookup (recognition only): {naive_mbps:.2f} MB/s per CPU second; "
        f"the full pipeline runs at {pipeline_mbps / naive_mbps:.2f}x its speed"
    )
    print(f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    scaling(letters, int(args.mb / 2 * 1e6), args.jobs)


def scaling(letters, target_bytes: int, jobs: int) -> None:
    """Wall time of extracting the same files with one process and with `jobs` (ingest.parallel)."""
    with tempfile.TemporaryDirectory(prefix="bench-extract-") as tmp:
        paths, size = [], 0
        for i, raw in enumerate(replicated(letters, target_bytes)):
            path = Path(tmp) / f"letter-{i:04d}.txt"
            path.write_text(raw.text, encoding="utf-8")
            paths.append(path)
            size += len(raw.text.encode("utf-8"))
        walls = {}
        for n in (1, jobs):
            started = time.perf_counter()
            for _ in extract_letters(paths, n):
                pass
            walls[n] = time.perf_counter() - started
    print(
        f"ingest extraction of {size / 1e6:.1f} MB ({len(paths)} files, wall clock): 1 process "
        f"{size / 1e6 / walls[1]:.2f} MB/s, {jobs} processes {size / 1e6 / walls[jobs]:.2f} MB/s: "
        f"{walls[1] / walls[jobs]:.2f}x on {len(os.sched_getaffinity(0))} cores"
    )


if __name__ == "__main__":
    main()
