"""HTTP API latency and throughput under a fixed request rate, against `regiograph serve` on Neo4j.

Steps: ingest the corpus into the configured Neo4j server (`regiograph ingest`, which replaces each
letter's earlier version), start `regiograph serve` in a separate process on 127.0.0.1 and a free
port, then send requests from this process at a fixed rate (open loop: request i is due at
start + i/rate, whether or not earlier ones have finished) for each endpoint in turn:
- entity:  GET /entities/programme:npvr (node, relationships, evidence)
- curated: GET /queries/programmes-covering-region?region=region:twente (Cypher on Neo4j)
- sparql:  GET /sparql with a SELECT over COVERS and its evidence (pyoxigraph over the RDF snapshot)
Latency is measured from the moment a request was due, so queueing behind a slow server counts.
Printed per endpoint: p50/p95/p99 latency, achieved throughput, errors. As baseline for the SPARQL
figure: what rebuilding the RDF dataset on every request (no cache) would cost.

Run: .venv/bin/python bench/bench_api.py [--rate 50] [--seconds 10]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from tqdm import tqdm

from regiograph.settings import load_settings

REPO = Path(__file__).resolve().parent.parent
RG = Path(sys.executable).with_name("regiograph")
SPARQL = (
    "SELECT ?programme ?quote WHERE { ?g rg:nodeId 'region:twente' . "
    "?p rg:covers ?g ; rg:nodeId ?programme . "
    "?a rdf:subject ?p ; rdf:predicate rg:covers ; rdf:object ?g ; rg:evidence/rg:quote ?quote }"
)
ENDPOINTS = {
    "entity": ("/entities/programme:npvr", {}),
    "curated": ("/queries/programmes-covering-region", {"region": "region:twente"}),
    "sparql": ("/sparql", {"query": SPARQL}),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    env = {**os.environ, "REGIOGRAPH_STORE": "neo4j"}
    server = subprocess.Popen(
        [str(RG), "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"regiograph serve exited: {server.stderr.read()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    stop_server(server)
    sys.exit("regiograph serve did not answer /health within 60 s; is Neo4j up (regiograph neo4j status)?")


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def drive(base: str, path: str, params: dict, rate: float, seconds: float, workers: int) -> dict:
    """Open-loop load: `rate` requests per second for `seconds`; latencies from each due time."""
    total = int(rate * seconds)
    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    client = httpx.Client(base_url=base, timeout=30, limits=httpx.Limits(max_connections=workers))
    bar = tqdm(total=total, desc=path.split("?")[0], unit="req", leave=False)

    def one(due: float) -> None:
        try:
            response = client.get(path, params=params)
            status = str(response.status_code) if response.status_code != 200 else None
        except httpx.HTTPError as exc:
            status = type(exc).__name__
        done = time.perf_counter()
        with lock:
            if status is None:
                latencies.append(done - due)
            else:
                errors[status] = errors.get(status, 0) + 1
        bar.update()

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for i in range(total):
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, due)
    elapsed = time.perf_counter() - start
    bar.close()
    client.close()
    return {"sent": total, "ok": len(latencies), "errors": errors, "elapsed": elapsed, "latencies": latencies}


def sparql_rebuild_cost() -> float:
    """Seconds to turn the store into a pyoxigraph dataset: the cost per request without the cache."""
    from graph.sparql import SparqlEngine
    from regiograph.stores import open_store

    store = open_store(load_settings(store="neo4j"))
    try:
        runs = []
        for _ in range(3):
            engine = SparqlEngine(load_settings().base_iri)
            t = time.perf_counter()
            engine.dataset(store)
            runs.append(time.perf_counter() - t)
        return statistics.median(runs)
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=50.0, help="requests per second per endpoint")
    parser.add_argument("--seconds", type=float, default=10.0, help="duration per endpoint (at most 60)")
    parser.add_argument("--workers", type=int, default=32, help="concurrent client connections")
    args = parser.parse_args()
    seconds = min(args.seconds, 60.0)

    settings = load_settings(store="neo4j")
    print(f"ingesting {settings.corpus_dir} into Neo4j at {settings.neo4j_uri}")
    subprocess.run(
        [str(RG), "ingest", str(settings.corpus_dir)],
        cwd=REPO,
        env={**os.environ, "REGIOGRAPH_STORE": "neo4j"},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    port = free_port()
    server = start_server(port)
    base = f"http://127.0.0.1:{port}"
    try:
        for path, params in ENDPOINTS.values():  # warm up: connections, caches, query plans
            for _ in range(5):
                httpx.get(base + path, params=params, timeout=30).raise_for_status()
        results = {
            name: drive(base, p, q, args.rate, seconds, args.workers) for name, (p, q) in ENDPOINTS.items()
        }
    finally:
        stop_server(server)

    print(f"\n{args.rate:g} req/s offered for {seconds:g} s per endpoint; latency from due time (ms)")
    print(f"{'endpoint':<9} {'sent':>5} {'ok':>5} {'p50':>8} {'p95':>8} {'p99':>8} {'req/s':>7}  errors")
    for name, r in results.items():
        lat = [x * 1000 for x in r["latencies"]] or [float("nan")]
        print(
            f"{name:<9} {r['sent']:>5} {r['ok']:>5} {percentile(lat, 50):>8.1f} {percentile(lat, 95):>8.1f} "
            f"{percentile(lat, 99):>8.1f} {r['ok'] / r['elapsed']:>7.1f}  {r['errors'] or '-'}"
        )
    rebuild = sparql_rebuild_cost() * 1000
    sparql_p50 = percentile([x * 1000 for x in results["sparql"]["latencies"]] or [float("nan")], 50)
    print(
        f"\nbaseline: rebuilding the SPARQL dataset per request (no cache) costs {rebuild:.1f} ms alone; "
        f"cached p50 {sparql_p50:.1f} ms ({rebuild / sparql_p50:.1f}x less)"
    )


if __name__ == "__main__":
    main()
