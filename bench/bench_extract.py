"""Extraction throughput on one core: the corpus replicated to >= 10 MB, streamed letter by letter.

Prints MB/s, letters/s and peak memory at two input sizes (memory must stay flat as input grows),
and the ratio against a naive baseline that tokenises every letter with a regular expression and
looks each token n-gram up in the vocabulary (no automaton).

    .venv/bin/python bench/bench_extract.py [--mb 10]
"""

from __future__ import annotations

import argparse
import re
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.load import load_letter  # noqa: E402
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


def run(letters, target_bytes: int) -> tuple[float, int, int, int]:
    tracemalloc.start()
    start = time.perf_counter()
    n, size, rels = 0, 0, 0
    for raw in replicated(letters, target_bytes):
        graph = extract_raw(raw)
        n += 1
        size += len(raw.text.encode("utf-8"))
        rels += len(graph.relationships)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, n, size, peak


def naive_recognition(letters, target_bytes: int) -> float:
    """Baseline: tokenise and look up every 1..6-gram in a dict of surface forms."""
    vocab = vocabulary()
    forms = {}
    for e in vocab.entries.values():
        for f in e.forms:
            forms[f.lower()] = e.id
    token = re.compile(r"[\w'-]+")
    start = time.perf_counter()
    for raw in replicated(letters, target_bytes):
        words = token.findall(raw.text.lower())
        hits = 0
        for i in range(len(words)):
            for k in range(1, 7):
                if " ".join(words[i : i + k]) in forms:
                    hits += 1
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0, help="size of the larger run in MB")
    args = parser.parse_args()
    corpus = load_settings().corpus_dir
    letters = [load_letter(p) for p in sorted(corpus.glob("*.txt"))]
    vocabulary()  # build the automaton outside the timings
    extract_raw(letters[0])
    print(f"corpus: {len(letters)} letters from {corpus}")
    print(f"{'input MB':>9} {'letters':>8} {'seconds':>8} {'MB/s':>7} {'letters/s':>10} {'peak MiB':>9}")
    results = []
    for mb in (args.mb / 4, args.mb):
        elapsed, n, size, peak = run(letters, int(mb * 1e6))
        results.append((size, elapsed, peak))
        print(
            f"{size / 1e6:9.1f} {n:8d} {elapsed:8.2f} {size / 1e6 / elapsed:7.2f} {n / elapsed:10.0f} "
            f"{peak / 2**20:9.1f}"
        )
    small, large = results
    print(f"peak memory ratio large/small input: {large[2] / small[2]:.2f} (flat = ~1)")
    naive = naive_recognition(letters, int(args.mb / 4 * 1e6))
    print(
        f"naive n-gram lookup (recognition only) on {small[0] / 1e6:.1f} MB: "
        f"{small[0] / 1e6 / naive:.2f} MB/s; "
        f"full pipeline is {naive / small[1]:.2f}x its speed"
    )
    print(f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
