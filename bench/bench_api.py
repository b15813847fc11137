"""HTTP API latency and throughput under a fixed request rate, against `regiograph serve` on Neo4j.

Steps: ingest the corpus into a throwaway Neo4j server of its own (`regiograph ingest`; the served
graph is never touched), start `regiograph serve` against it in a separate process on 127.0.0.1 and a
free port (its default settings: one worker, the response cache on), then send requests from this
process at a fixed rate (open loop: request i is due at start + i/rate, whether or not earlier ones have
finished; one asyncio event loop, aiohttp over keep-alive connections) for each
endpoint in turn:
- entity:            GET /entities/programme:npvr (node, relationships, evidence)
- programme-regions: GET /programmes/programme:npvr/regions (COVERS with evidence)
- curated:           GET /queries/programmes-covering-region?region=region:twente (Cypher on Neo4j)
- sparql (on ask):   GET /sparql with a SELECT over COVERS and its evidence (pyoxigraph over the RDF snapshot)
Latency is measured from the moment a request was due, so queueing behind a slow server counts, and so
does a load generator that falls behind (its lag, send time minus due time, is printed beside). The
load generator and the API share the machine: on a 2-core machine they take cores from each other.
Printed per endpoint: p50/p95/p99 latency, achieved throughput, errors. With sparql: as baseline, what
rebuilding the RDF dataset on every request (no cache) would cost.

Time to 503 (goal < 2 s): how long a request takes to answer 503 when Neo4j is down, for `serve` against
a port where nothing listens, and against a throwaway server of its own (never the configured one)
after it was connected: while the server hangs (SIGSTOP: connections open, nothing answers) and after
it died (stopped); then, once it runs again, how long until /health answers 200 by itself.

Run: .venv/bin/python bench/bench_api.py [--rate 200] [--seconds 60] [--endpoints entity,curated]
     [--no-cache] [--no-outage] [--outage-only]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import httpx

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
    "programme-regions": ("/programmes/programme:npvr/regions", {}),
    "curated": ("/queries/programmes-covering-region", {"region": "region:twente"}),
    "sparql": ("/sparql", {"query": SPARQL}),
}
DEFAULT_ENDPOINTS = "entity,programme-regions,curated"


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


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process used so far (Linux /proc), NaN where unknown."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def drive(
    base: str,
    path: str,
    params: dict,
    rate: float,
    seconds: float,
    connections: int,
    server_pid: int | None = None,
) -> dict:
    """Open-loop load: `rate` requests per second for `seconds`; latencies from each due time. With
    `server_pid`: the CPU time that process and this one spent per request (the machine's other load
    aside). The endpoint is asked once before the timed run (`first_ms`: that answer's time, computed
    cold), so the percentiles are of the API as it serves, not of its first answer."""
    started = time.perf_counter()
    httpx.get(base + path, params=params, timeout=120)
    first_ms = (time.perf_counter() - started) * 1000
    server_before = cpu_seconds(server_pid) if server_pid else float("nan")
    own_before = time.process_time()
    result = asyncio.run(_drive(base, path, params, rate, seconds, connections))
    sent = max(result["sent"], 1)
    server_after = cpu_seconds(server_pid) if server_pid else float("nan")
    result["server_cpu_ms"] = (server_after - server_before) * 1000 / sent
    result["client_cpu_ms"] = (time.process_time() - own_before) * 1000 / sent
    result["first_ms"] = first_ms
    return result


async def _drive(base: str, path: str, params: dict, rate: float, seconds: float, connections: int) -> dict:
    """The schedule puts each request's due time on a queue at that time; `connections` keep-alive
    connections (aiohttp, whose client spends a fraction of a millisecond per request; httpx's pool
    costs more than the API's cached answers once requests wait for a connection) take them off."""
    url = str(httpx.URL(base + path, params=params))
    total = int(rate * seconds)
    latencies: list[float] = []
    lags: list[float] = []
    errors: dict[str, int] = {}
    queue: asyncio.Queue[float | None] = asyncio.Queue()
    timeout = aiohttp.ClientTimeout(total=30)
    connector = aiohttp.TCPConnector(limit=connections)

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def worker() -> None:
            while (due := await queue.get()) is not None:
                try:
                    async with session.get(url, headers={"Accept": "application/json"}) as answer:
                        await answer.read()
                        failure = None if answer.status == 200 else str(answer.status)
                except (TimeoutError, aiohttp.ClientError) as exc:
                    failure = type(exc).__name__
                if failure is None:
                    latencies.append(time.perf_counter() - due)
                else:
                    errors[failure] = errors.get(failure, 0) + 1

        workers = [asyncio.create_task(worker()) for _ in range(connections)]
        start = time.perf_counter()
        for i in range(total):
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            lags.append(time.perf_counter() - due)
            queue.put_nowait(due)
        sent = time.perf_counter() - start
        for _ in workers:
            queue.put_nowait(None)
        await asyncio.gather(*workers)
        elapsed = time.perf_counter() - start
    return {
        "sent": total,
        "ok": len(latencies),
        "errors": errors,
        "elapsed": elapsed,
        "send_rate": total / sent if sent > 0 else float("nan"),
        "latencies": latencies,
        "lags": lags,
    }


def cache_stats(base: str) -> str:
    """What the server's response cache did, from its /health answer (when it says)."""
    try:
        cache = httpx.get(base + "/health", timeout=10).json().get("cache")
    except (httpx.HTTPError, ValueError):
        return "-"
    if not cache:
        return "-"
    return f"{cache['hits']} hits, {cache['misses']} misses, {cache['revision_reads']} revision reads"


def sparql_rebuild_cost() -> float:
    """Seconds to turn the store into the SPARQL endpoint's dataset (a pyoxigraph Store on disk): what
    the first query after a change waits for."""
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
            engine.close()  # its dataset on disk goes with it
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
                # Cached answers are served without asking Neo4j while their revision is trusted.
                time.sleep(load_settings().api_revision_interval)
                results["hung (connected, SIGSTOP)"] = seconds_to_503(base)
            finally:
                os.kill(pid, signal.SIGCONT)
            t = time.perf_counter()
            while httpx.get(base + "/health", timeout=30).status_code != 200:
                time.sleep(0.05)
            results["recovered (/health 200 after SIGCONT)"] = [time.perf_counter() - t]
            neo4j.stop()
            time.sleep(load_settings().api_revision_interval)
            results["died (connected, then stopped)"] = seconds_to_503(base)
        finally:
            stop_server(server)
    return results


def print_time_to_503(results: dict[str, list[float]]) -> None:
    print("\ntime to answer 503 while Neo4j is down (goal < 2 s), seconds")
    print(f"{'case':<40} {'requests':>8} {'median':>7} {'max':>7}")
    for name, times in results.items():
        print(f"{name:<40} {len(times):>8} {statistics.median(times):>7.2f} {max(times):>7.2f}")


def print_results(results: dict[str, dict], rate: float, seconds: float, cached: bool) -> None:
    cores = os.cpu_count()
    print(
        f"\n{rate:g} req/s offered for {seconds:g} s per endpoint, open loop; latency from due time (ms). "
        f"The load generator (this process) shares the {cores}-core machine with the API (one uvicorn "
        f"worker) and Neo4j; response cache {'on' if cached else 'off'}."
    )
    print(
        f"{'endpoint':<18} {'sent':>6} {'ok':>6} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7} {'req/s':>7} "
        f"{'lag p99':>7} {'api cpu':>7} {'gen cpu':>7} {'first':>7}  errors"
    )
    for name, r in results.items():
        lat = [x * 1000 for x in r["latencies"]] or [float("nan")]
        lag = [x * 1000 for x in r["lags"]] or [float("nan")]
        print(
            f"{name:<18} {r['sent']:>6} {r['ok']:>6} {percentile(lat, 50):>7.1f} {percentile(lat, 95):>7.1f} "
            f"{percentile(lat, 99):>7.1f} {max(lat):>7.1f} {r['ok'] / r['elapsed']:>7.1f} "
            f"{percentile(lag, 99):>7.1f} {r.get('server_cpu_ms', float('nan')):>7.2f} "
            f"{r.get('client_cpu_ms', float('nan')):>7.2f} {r.get('first_ms', float('nan')):>7.1f}  "
            f"{r['errors'] or '-'}"
        )
    print(
        "(req/s: answered per second; lag p99: how late the load generator sent a request; api cpu / gen "
        "cpu: CPU ms per request of the API process / of the load generator, whatever else the machine runs; "
        "first: the one request asked before the timed run, answered cold)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200.0, help="requests per second per endpoint")
    parser.add_argument("--seconds", type=float, default=60.0, help="duration per endpoint (at most 600)")
    parser.add_argument("--connections", type=int, default=64, help="client connections at most")
    parser.add_argument(
        "--endpoints", default=DEFAULT_ENDPOINTS, help=f"comma-separated, of: {', '.join(ENDPOINTS)}"
    )
    parser.add_argument("--no-cache", action="store_true", help="serve with the response cache off")
    parser.add_argument("--no-outage", action="store_true", help="leave out the time to 503")
    parser.add_argument("--outage-only", action="store_true", help="only the time to 503")
    args = parser.parse_args()
    seconds = min(args.seconds, 600.0)
    names = [n.strip() for n in args.endpoints.split(",") if n.strip()]
    unknown = [n for n in names if n not in ENDPOINTS]
    if unknown:
        parser.error(f"unknown endpoint(s) {', '.join(unknown)}; known: {', '.join(ENDPOINTS)}")
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
        serve_env = {**env, **({"REGIOGRAPH_API_CACHE_ENTRIES": "0"} if args.no_cache else {})}
        server = start_server(port, serve_env)
        base = f"http://127.0.0.1:{port}"
        results = {}
        try:
            for name in names:  # warm up: connections, caches, query plans
                path, params = ENDPOINTS[name]
                for _ in range(5):
                    httpx.get(base + path, params=params, timeout=30).raise_for_status()
            for name in names:
                path, params = ENDPOINTS[name]
                print(f"{name}: {args.rate:g} req/s for {seconds:g} s ...", flush=True)
                results[name] = drive(base, path, params, args.rate, seconds, args.connections, server.pid)
            cache = cache_stats(base)
        finally:
            stop_server(server)

    print_results(results, args.rate, seconds, not args.no_cache)
    print(f"response cache: {cache}")
    if "sparql" in results:
        rebuild = sparql_rebuild_cost() * 1000
        sparql_p50 = percentile([x * 1000 for x in results["sparql"]["latencies"]] or [float("nan")], 50)
        print(
            f"\nbaseline: rebuilding the SPARQL dataset per request (no cache) costs {rebuild:.1f} ms alone; "
            f"cached p50 {sparql_p50:.1f} ms ({rebuild / sparql_p50:.1f}x less)"
        )
    if not args.no_outage:
        print_time_to_503(time_to_503())


if __name__ == "__main__":
    main()
