"""SPARQL limits that hold: slow queries are stopped with their worker process, and the endpoint keeps
answering.

Steps, against the app on a live uvicorn server (127.0.0.1, free port) over a memory store of the corpus,
at the default worker count (graph.sparql.SparqlEngine: 2 worker processes):
1. `ASK {}` latency, as a baseline (p50/p95 of --asks requests);
2. ten slow queries (a cartesian product over rg:nodeId) sent as many at a time as there are workers,
   so each one runs into the time limit (--timeout, default 1 s): 503, its worker killed and replaced;
3. `ASK {}` again: the first answer's latency and p50/p95, the workers busy (must be 0), killed (10) and
   alive (the pool's size), i.e. no worker is left running a query;
4. the same ten sent all at once: those beyond the worker count wait for a worker up to the time limit
   and are refused as busy (503) instead of queueing without end; then `ASK {}` once more.

Run: .venv/bin/python bench/bench_sparql_limits.py [--timeout 1] [--asks 30]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "api"))  # live_server lives with the API test helpers

from api_helpers import live_server  # noqa: E402

from api.main import create_app  # noqa: E402
from graph.memory_store import MemoryStore  # noqa: E402
from ingest.pipeline import extract_file  # noqa: E402
from regiograph.settings import load_settings  # noqa: E402

SLOW = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?s rg:nodeId ?x . ?t rg:nodeId ?y . ?u rg:nodeId ?z . ?v rg:nodeId ?w "
    "FILTER (STRLEN(CONCAT(?x, ?y, ?z, ?w)) > 100000) }"
)


def asks(client: httpx.Client, url: str, n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url, params={"query": "ASK {}"})
        out.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.text
    return out


def p(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--timeout", type=float, default=1.0, help="query time limit in seconds")
    parser.add_argument("--asks", type=int, default=30, help="ASK {} requests per measurement")
    parser.add_argument("--slow", type=int, default=10, help="slow queries sent at once")
    args = parser.parse_args()
    settings = load_settings()
    with tempfile.TemporaryDirectory(prefix="bench-sparql-") as tmp:
        store = MemoryStore(Path(tmp) / "graph.json")
        for path in sorted(settings.corpus_dir.glob("*.txt")):
            store.write_letter(extract_file(path))
        app = create_app(load_settings(query_timeout=args.timeout), store)
        engine = app.state.sparql_engine
        with live_server(app) as base, httpx.Client(timeout=120) as client:
            url = base + "/sparql"
            client.get(url, params={"query": "ASK {}"})  # dump built, a worker started and loaded
            baseline = asks(client, url, args.asks)
            print(f"workers: {engine.workers}; time limit {args.timeout:g} s")
            print(f"ASK {{}} before: p50 {p(baseline, 50):6.1f} ms  p95 {p(baseline, 95):6.1f} ms")

            hits = slow_round(client, url, args.slow, engine.workers)
            first, after = ask_after(client, url, args.asks)
            stats = engine.stats()
            print(
                f"ASK {{}} after:  first {first:6.1f} ms  p50 {p(after, 50):6.1f} ms  "
                f"p95 {p(after, 95):6.1f} ms"
            )
            print(f"workers busy {stats['busy']}, killed {stats['kills']}, alive {len(stats['pids'])}")
            ok = (
                stats["busy"] == 0
                and hits.count(503) == args.slow
                and stats["kills"] == args.slow
                and len(stats["pids"]) == engine.workers
            )
            burst = slow_round(client, url, args.slow, args.slow)
            first, after = ask_after(client, url, args.asks)
            stats = engine.stats()
            print(
                f"ASK {{}} after the burst: first {first:6.1f} ms  p50 {p(after, 50):6.1f} ms; "
                f"workers busy {stats['busy']}, alive {len(stats['pids'])}"
            )
            ok = ok and burst.count(503) == args.slow and stats["busy"] == 0
            print("no worker left running a query" if ok else "FAILED: a worker is still busy or missing")
            if not ok:
                sys.exit(1)


def slow_round(client: httpx.Client, url: str, n: int, at_once: int) -> list[int]:
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=at_once) as pool:
        responses = list(pool.map(lambda _: client.get(url, params={"query": SLOW}), range(n)))
    seconds = time.perf_counter() - start
    statuses = [r.status_code for r in responses]
    stopped = sum("longer than" in r.text for r in responses)
    busy = sum("busy" in r.text for r in responses)
    print(
        f"{n} slow queries, {at_once} at a time: statuses {sorted(set(statuses))}, {stopped} stopped at the "
        f"time limit, {busy} refused as busy, in {seconds:.1f} s"
    )
    return statuses


def ask_after(client: httpx.Client, url: str, n: int) -> tuple[float, list[float]]:
    start = time.perf_counter()
    assert client.get(url, params={"query": "ASK {}"}).status_code == 200
    return (time.perf_counter() - start) * 1000, asks(client, url, n)


if __name__ == "__main__":
    main()
