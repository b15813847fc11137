"""HTTP API latency and throughput under a fixed request rate, against `regiograph serve` on Neo4j.

Steps: ingest the corpus into a throwaway Neo4j server of its own (`regiograph ingest`; the served
graph is never touched), start `regiograph serve` against it in a separate process on 127.0.0.1 and a
free port, then send requests from this process at a fixed rate (open loop: request i is due at
start + i/rate, whether or not earlier ones have finished) for each endpoint in turn:
- entity:  GET /entities/programme:npvr (node, relationships, evidence)
- curated: GET /queries/programmes-covering-region?region=region:twente (Cypher on Neo4j)
- sparql:  GET /sparql with a SELECT over COVERS and its evidence (pyoxigraph over the RDF snapshot)
Latency is measured from the moment a request was due, so queueing behind a slow server counts.
Printed per endpoint: p50/p95/p99 latency, achieved throughput, errors. As baseline for the SPARQL
figure: what rebuilding the RDF dataset on every request (no cache) would cost.

Time to 503 (goal < 2 s): how long a request takes to answer 503 when Neo4j is down, for `serve` against
a port where nothing listens, and against a throwaway server of its own (never the configured one)
after it was connected: while the server hangs (SIGSTOP: connections open, nothing answers) and after
it died (stopped); then, once it runs again, how long until /health answers 200 by itself.

Run: .venv/bin/python bench/bench_api.py [--rate 50] [--seconds 10] [--outage-only]
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


def server_env(own) -> dict[str, str]:
    """The settings that point `regiograph` commands at a throwaway server's settings `own`."""
    return {
        "REGIOGRAPH_STORE": "neo4j",
        "REGIOGRAPH_NEO4J_URI": own.neo4j_uri,
        "REGIOGRAPH_NEO4J_PASSWORD": own.neo4j_password or "",
        "REGIOGRAPH_RUNTIME_DIR": str(own.runtime_dir),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, env_extra: dict[str, str] | None = None, ready: int = 200) -> subprocess.Popen:
    """`regiograph serve` on `port`, once /health answers `ready` (503 for a server without Neo4j)."""
    env = {**os.environ, "REGIOGRAPH_STORE": "neo4j", **(env_extra or {})}
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
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code == ready:
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


OUTAGE_PATHS = ["/health", "/entities/programme:npvr", "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D"]


def seconds_to_503(base: str, rounds: int = 3) -> list[float]:
    """Seconds each request took to answer 503 (every path, `rounds` times)."""
    times = []
    for _ in range(rounds):
        for path in OUTAGE_PATHS:
            t = time.perf_counter()
            response = httpx.get(base + path, timeout=60)
            times.append(time.perf_counter() - t)
            if response.status_code != 503:
                sys.exit(f"{path}: expected 503 while Neo4j is down, got {response.status_code}")
    return times


def time_to_503() -> dict[str, list[float]]:
    from regiograph.neo4j_server import free_port as free_bolt_port
    from regiograph.neo4j_server import throwaway_server

    results: dict[str, list[float]] = {}
    nothing = {"REGIOGRAPH_NEO4J_URI": f"bolt://127.0.0.1:{free_bolt_port()}"}
    port = free_port()
    server = start_server(port, nothing, ready=503)
    try:
        results["never reachable"] = seconds_to_503(f"http://127.0.0.1:{port}")
    finally:
        stop_server(server)

    print("starting a throwaway Neo4j server for the outage measurements...")
    with throwaway_server(load_settings()) as (neo4j, own):
        env = {"REGIOGRAPH_NEO4J_URI": own.neo4j_uri, "REGIOGRAPH_NEO4J_PASSWORD": own.neo4j_password or ""}
        port = free_port()
        server = start_server(port, env)
        base = f"http://127.0.0.1:{port}"
        try:
            for path in OUTAGE_PATHS * 3:  # connected: the pool holds open connections
                httpx.get(base + path, timeout=30)
            pid = neo4j.running_pid()
            os.kill(pid, signal.SIGSTOP)
            try:
                results["hung (connected, SIGSTOP)"] = seconds_to_503(base)
            finally:
                os.kill(pid, signal.SIGCONT)
            t = time.perf_counter()
            while httpx.get(base + "/health", timeout=30).status_code != 200:
                time.sleep(0.05)
            results["recovered (/health 200 after SIGCONT)"] = [time.perf_counter() - t]
            neo4j.stop()
            results["died (connected, then stopped)"] = seconds_to_503(base)
        finally:
            stop_server(server)
    return results


def print_time_to_503(results: dict[str, list[float]]) -> None:
    print("\ntime to answer 503 while Neo4j is down (goal < 2 s), seconds")
    print(f"{'case':<40} {'requests':>8} {'median':>7} {'max':>7}")
    for name, times in results.items():
        print(f"{name:<40} {len(times):>8} {statistics.median(times):>7.2f} {max(times):>7.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=50.0, help="requests per second per endpoint")
    parser.add_argument("--seconds", type=float, default=10.0, help="duration per endpoint (at most 60)")
    parser.add_argument("--workers", type=int, default=32, help="concurrent client connections")
    parser.add_argument("--outage-only", action="store_true", help="only the time to 503")
    args = parser.parse_args()
    seconds = min(args.seconds, 60.0)
    if args.outage_only:
        print_time_to_503(time_to_503())
        return

    from regiograph.neo4j_server import throwaway_server

    settings = load_settings(store="neo4j")
    with throwaway_server(settings, heap="1g") as (neo4j, own):  # never the served graph
        env = server_env(own)
        print(f"ingesting {settings.corpus_dir} into a throwaway Neo4j at {own.neo4j_uri}")
        subprocess.run(
            [str(RG), "ingest", str(settings.corpus_dir)],
            cwd=REPO,
            env={**os.environ, **env},
            check=True,
            stdout=subprocess.DEVNULL,
        )
        port = free_port()
        server = start_server(port, env)
        base = f"http://127.0.0.1:{port}"
        try:
            for path, params in ENDPOINTS.values():  # warm up: connections, caches, query plans
                for _ in range(5):
                    httpx.get(base + path, params=params, timeout=30).raise_for_status()
            results = {
                name: drive(base, p, q, args.rate, seconds, args.workers)
                for name, (p, q) in ENDPOINTS.items()
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
    print_time_to_503(time_to_503())


if __name__ == "__main__":
    main()
