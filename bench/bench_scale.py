"""The whole path at the scale of the field: a synthetic corpus of letters, extracted, loaded into Neo4j,
exported as RDF and served, at two sizes side by side (default 1,000 and 10,000 letters) to show how the
cost grows.

The letters are generated from templates filled with names from the gazetteers (municipalities, COROP
areas, provinces, programmes, ministries), seeded, 5-60 KB each (log-normal, median about 15 KB): a
dated header, a subject line, paragraphs that tie programmes to regions and ministries, general
paragraphs, and a signature. Each stage runs in a process of its own, so its peak RSS is its own:

- extract: `ingest.parallel.extract_letters` over the files with --jobs workers, graphs streamed to a
  JSON-lines file (peak RSS of the parent and of the largest worker);
- load: the graphs streamed into a throwaway Neo4j server, one transaction per letter (or, with --bulk,
  through `ingest --bulk`'s import);
- export: the store's snapshot as an RDF dump (pyoxigraph, N-Quads), its relationships spooled to a
  file as `regiograph export` reads them, written by --jobs processes as `export --jobs` does;
- api: `regiograph serve` (default workers) against that server, open-loop load per endpoint, the load
  generator on the same machine; the same endpoints on the five corpus letters as the baseline.

Printed per size: wall time and throughput per stage, peak RSS per process, Neo4j store size; then the
ratios between the sizes and the API p99 against the 5-letter figure.

Run: .venv/bin/python bench/bench_scale.py [--sizes 1000,10000] [--jobs 2] [--api-seconds 60] [--rate 50]
[--bulk] [--skip export] (--bulk loads each size with `ingest --bulk`'s import: one transaction per
letter takes hours at 10,000 letters on this machine)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

import bench_api  # noqa: E402

from regiograph.settings import load_settings  # noqa: E402

ENDPOINTS = {
    "entity": ("/entities/programme:npvr", {}),
    "programme-regions": ("/programmes/programme:npvr/regions", {}),
    "curated": ("/queries/programmes-covering-region", {"region": "region:twente"}),
}
MONTHS = "januari februari maart april mei juni juli augustus september oktober november december".split()


# -- the synthetic corpus ---------------------------------------------------------------------------
def _names() -> dict[str, list[str]]:
    from ingest.vocabulary import vocabulary

    entries = list(vocabulary().entries.values())
    by_kind = {
        kind: sorted({e.name for e in entries if e.kind == kind})
        for kind in ("municipality", "corop", "province")
    }
    by_kind["programme"] = sorted({e.name for e in entries if e.label == "Programme" and len(e.name) > 6})
    by_kind["ministry"] = sorted(
        {e.name.removeprefix("Ministerie van ") for e in entries if e.label == "Ministry" and "van" in e.name}
    )
    return by_kind


def _enumeration(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def synthetic_letter(rng: random.Random, names: dict[str, list[str]], number: int) -> str:
    """One letter of about the drawn size, from templates filled with gazetteer names."""
    target = int(min(60_000, max(5_000, rng.lognormvariate(9.6, 0.6))))
    day, month, year = rng.randint(1, 28), rng.choice(MONTHS), rng.randint(2018, 2026)
    programme = "Nationaal Programma Vitale Regio's" if number % 5 == 0 else rng.choice(names["programme"])
    ministry = rng.choice(names["ministry"])
    lines = [
        "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal",
        "",
        f"Den Haag, {day} {month} {year}",
        f"Betreft: Voortgang {programme} ({number})",
        "",
    ]
    size = sum(len(x) + 1 for x in lines)
    while size < target:
        regions = rng.sample(names["corop"], rng.randint(1, 4))
        places = rng.sample(names["municipality"], 2)
        other = rng.choice(names["programme"])
        paragraph = rng.choice(
            [
                f"Het {programme} richt zich in de komende jaren op {_enumeration(regions)}. ",
                f"Binnen {other} werken {places[0]} en {places[1]} samen met de provincie "
                f"{rng.choice(names['province'])}. ",
                f"Het ministerie van {ministry} coördineert {programme}; andere departementen dragen bij. ",
                f"In {_enumeration(places)} is de uitvoering gestart, met steun van het Rijk. ",
            ]
        ) + rng.choice(
            [
                "Het kabinet wil zo de brede welvaart in alle delen van het land versterken.",
                "De regio's stellen daarvoor samen met het Rijk een gezamenlijke agenda op.",
                "Over de voortgang informeer ik uw Kamer in het voorjaar.",
                "De middelen worden verdeeld op basis van de afspraken uit het regioprogramma.",
            ]
        )
        lines += [paragraph, ""]
        size += len(paragraph) + 1
    lines += [f"De minister van {ministry},", "", f"{rng.choice('ABCDEFGHJKLMNPRSTW')}. {rng.choice(places)}"]
    return "\n".join(lines) + "\n"


def generate(folder: Path, count: int, seed: int) -> int:
    rng = random.Random(seed)
    names = _names()
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(count):
        text = synthetic_letter(rng, names, i)
        (folder / f"letter-{i:05d}.txt").write_text(text, encoding="utf-8")
        total += len(text.encode())
    return total


# -- stages, each run in a process of its own ----------------------------------------------------------
def _rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def stage_extract(folder: Path, out: Path, jobs: int) -> dict:
    from ingest.errors import LetterError
    from ingest.parallel import extract_letters

    paths = sorted((folder / "letters").glob("*.txt"))
    started, failed, rels = time.perf_counter(), 0, 0
    with out.open("w", encoding="utf-8") as sink:
        for _, result in extract_letters(paths, jobs):
            if isinstance(result, LetterError):
                failed += 1
                continue
            rels += len(result[1].relationships)
            sink.write(result[1].model_dump_json() + "\n")
    return {
        "seconds": time.perf_counter() - started,
        "letters": len(paths),
        "failed": failed,
        "relationships": rels,
        "rss_mib": _rss_mib(),
        "worker_rss_mib": _rss_mib(resource.RUSAGE_CHILDREN),
    }


def stage_load(graphs: Path) -> dict:
    from graph.model import Graph
    from regiograph.stores import open_neo4j_store

    store = open_neo4j_store(load_settings())
    started, rels, letters = time.perf_counter(), 0, 0
    try:
        with graphs.open(encoding="utf-8") as source:
            for line in source:
                graph = Graph.model_validate_json(line)
                store.write_letter(graph)
                rels += len(graph.relationships)
                letters += 1
        counts = store.counts()
    finally:
        store.close()
    return {
        "seconds": time.perf_counter() - started,
        "letters": letters,
        "relationships": rels,
        "stored_relationships": counts["relationships"],
        "stored_nodes": counts["nodes"],
        "rss_mib": _rss_mib(),
    }


def stage_bulk(graphs: Path) -> dict:
    """The graphs into the empty database by `ingest --bulk`'s import (CSV, the server stopped,
    neo4j-admin, started again, schema), read one at a time as that path reads them."""
    from graph.model import Graph
    from regiograph.commands.bulk import import_graphs
    from regiograph.neo4j_server import Neo4jServer

    settings = load_settings()
    tally = {"letters": 0, "relationships": 0}

    def letters():
        with graphs.open(encoding="utf-8") as source:
            for line in source:
                graph = Graph.model_validate_json(line)
                tally["letters"] += 1
                tally["relationships"] += len(graph.relationships)
                yield graph

    started = time.perf_counter()
    done = import_graphs(letters(), settings, Neo4jServer(settings))
    return {
        "seconds": time.perf_counter() - started,
        "steps": done.seconds,
        **tally,
        "written": done.files.relationship_count,
        "stored_relationships": done.counts["relationships"],
        "stored_nodes": done.counts["nodes"],
        "rss_mib": _rss_mib(),
    }


def stage_export(out: Path, jobs: int) -> dict:
    from graph.rdf_stream import write_graph
    from regiograph.stores import open_neo4j_store

    settings = load_settings()
    store = open_neo4j_store(settings)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-scale-spool-") as spool:
        try:  # as `regiograph export` reads it: relationships spooled to a file
            snapshot = store.spooled_snapshot(Path(spool))
        finally:
            store.close()
        stats = write_graph(snapshot, settings.base_iri, "nquads", out, jobs=jobs)  # as `export --jobs`
    return {
        "seconds": time.perf_counter() - started,
        "quads": stats.written,
        "rss_mib": _rss_mib(),
        "worker_rss_mib": _rss_mib(resource.RUSAGE_CHILDREN),
    }


def run_stage(name: str, env: dict[str, str], *args: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--stage", name, *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"stage {name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the run -----------------------------------------------------------------------------------------
def _du_mib(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def api_latency(env: dict[str, str], seconds: float, rate: float) -> dict[str, float]:
    port = bench_api.free_port()
    server = bench_api.start_server(port, env)
    try:
        out = {}
        for name, (path, params) in ENDPOINTS.items():
            result = bench_api.drive(f"http://127.0.0.1:{port}", path, params, rate, seconds, connections=32)
            lat = result["latencies"] or [float("nan")]
            errors = sum(result["errors"].values())
            out[name] = bench_api.percentile(lat, 99) * 1000
            print(
                f"    {name:18s} p50 {bench_api.percentile(lat, 50) * 1000:7.1f} ms  p99 {out[name]:7.1f} ms"
                f"  {result['ok'] / result['elapsed']:6.1f} req/s  errors {errors}"
                f"  first (cold) {result['first_ms']:.0f} ms"
            )
        return out
    finally:
        bench_api.stop_server(server)


def _server_settings(own) -> dict[str, str]:
    """What a stage process needs besides bench_api.server_env to stop and start the throwaway server
    itself (the bulk import runs with it stopped)."""
    return {
        "REGIOGRAPH_NEO4J_BOLT_PORT": str(own.neo4j_bolt_port),
        "REGIOGRAPH_NEO4J_HTTP_PORT": str(own.neo4j_http_port),
        "REGIOGRAPH_NEO4J_LIB_DIR": str(own.jar_dir),
        "REGIOGRAPH_NEO4J_HEAP": own.neo4j_heap,
        "REGIOGRAPH_NEO4J_PAGECACHE": own.neo4j_pagecache,
        "REGIOGRAPH_NEO4J_DATABASE": own.neo4j_database,
    }


def one_size(count: int, args, base_env: dict[str, str], workdir: Path) -> dict:
    from regiograph.neo4j_server import throwaway_server

    folder = workdir / f"n{count}"
    started = time.perf_counter()
    size = generate(folder / "letters", count, args.seed)
    print(
        f"\n== {count:,} letters, {size / 1e6:,.1f} MB (generated in {time.perf_counter() - started:.1f} s)"
    )
    figures: dict = {"letters": count, "mb": size / 1e6}
    figures["extract"] = run_stage("extract", base_env, str(folder), str(args.jobs))
    ex = figures["extract"]
    print(
        f"  extract {ex['seconds']:8.1f} s  {size / 1e6 / ex['seconds']:6.2f} MB/s with {args.jobs} jobs  "
        f"{ex['relationships']:,} relationships, {ex['failed']} failed  "
        f"peak RSS parent {ex['rss_mib']:.0f} MiB, largest worker {ex['worker_rss_mib']:.0f} MiB"
    )
    with throwaway_server(load_settings(), heap=args.heap) as (server, own):
        env = {**base_env, **bench_api.server_env(own), **_server_settings(own)}
        figures["load"] = run_stage(args.load, env, str(folder))
        ld = figures["load"]
        how = "one transaction per letter" if args.load == "load" else "ingest --bulk's import"
        print(
            f"  load    {ld['seconds']:8.1f} s  {ld['relationships'] / ld['seconds']:8,.0f} rels/s ({how})  "
            f"stored {ld['stored_nodes']:,} nodes, {ld['stored_relationships']:,} relationships  "
            f"peak RSS {ld['rss_mib']:.0f} MiB"
        )
        if "steps" in ld:
            print("          " + ", ".join(f"{k} {v:.1f} s" for k, v in ld["steps"].items()))
        figures["store_mib"] = _du_mib(own.neo4j_home / "data")
        print(f"  Neo4j store {figures['store_mib']:,.0f} MiB")
        if "export" in args.stages:
            figures["export"] = run_stage("export", env, str(folder), str(args.jobs))
            xp = figures["export"]
            print(
                f"  export  {xp['seconds']:8.1f} s  {xp['quads'] / xp['seconds']:8,.0f} quads/s  "
                f"{xp['quads']:,} quads  peak RSS {xp['rss_mib']:.0f} MiB, largest worker "
                f"{xp['worker_rss_mib']:.0f} MiB"
            )
        print(
            f"  api ({args.rate:g} req/s, {args.api_seconds:g} s per endpoint, "
            "load generator on this machine):"
        )
        figures["api"] = api_latency(env, args.api_seconds, args.rate)
    return figures


def baseline_api(args, base_env: dict[str, str]) -> dict[str, float]:
    from regiograph.neo4j_server import throwaway_server

    with throwaway_server(load_settings(), heap=args.heap) as (server, own):
        env = {**base_env, **bench_api.server_env(own)}
        corpus = load_settings().corpus_dir
        done = subprocess.run(
            [str(bench_api.RG), "ingest", str(corpus)], env=env, capture_output=True, text=True
        )
        if done.returncode != 0:
            sys.exit(f"ingest of the corpus failed: {done.stderr[-2000:]}")
        print(f"\n== baseline: the {len(list(corpus.glob('*.txt')))} corpus letters")
        return api_latency(env, args.api_seconds, args.rate)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="letter counts, comma-separated")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--api-seconds", type=float, default=60.0)
    parser.add_argument("--rate", type=float, default=50.0, help="requests per second per endpoint")
    parser.add_argument("--heap", default="2g", help="Neo4j heap")
    parser.add_argument(
        "--bulk",
        dest="load",
        action="store_const",
        const="bulk",
        default="load",
        help="load each size with ingest --bulk's import instead of one transaction per letter",
    )
    parser.add_argument(
        "--skip",
        action="append",
        choices=["export"],
        default=[],
        help="leave out a stage (the export of 10,000 letters takes over half an hour)",
    )
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.stages = {"export"} - set(args.skip)
    if args.stage:  # a child process: one stage, figures as the last line of JSON
        folder = Path(args.rest[0])
        if args.stage == "extract":
            result = stage_extract(folder, folder / "graphs.jsonl", int(args.rest[1]))
        elif args.stage == "load":
            result = stage_load(folder / "graphs.jsonl")
        elif args.stage == "bulk":
            result = stage_bulk(folder / "graphs.jsonl")
        else:
            result = stage_export(folder / "graph.nq", int(args.rest[1]))
        print(json.dumps(result))
        return

    sizes = [int(x) for x in args.sizes.split(",")]
    base_env = {**os.environ, "PYTHONPATH": str(REPO)}
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        baseline = baseline_api(args, base_env)
        results = [one_size(n, args, base_env, Path(tmp)) for n in sizes]
    small, large = results[0], results[-1]
    grow = large["letters"] / small["letters"]
    print(f"\n== growth {small['letters']:,} -> {large['letters']:,} letters ({grow:g}x)")
    for stage in ("extract", "load", *sorted(args.stages)):
        print(
            f"  {stage:8s} time {large[stage]['seconds'] / small[stage]['seconds']:6.1f}x   "
            f"peak RSS {large[stage]['rss_mib'] / small[stage]['rss_mib']:5.2f}x"
        )
    print(
        "  extract worker peak RSS "
        f"{large['extract']['worker_rss_mib'] / small['extract']['worker_rss_mib']:5.2f}x"
    )
    print(f"  Neo4j store size {large['store_mib'] / small['store_mib']:6.1f}x")
    for name in ENDPOINTS:
        print(
            f"  api {name:18s} p99 {large['api'][name]:7.1f} ms = "
            f"{large['api'][name] / baseline[name]:5.2f}x "
            f"the 5-letter figure ({baseline[name]:.1f} ms)"
        )


if __name__ == "__main__":
    main()
