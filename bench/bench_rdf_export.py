"""RDF export throughput on a synthetic graph, end to end (graph -> file), in triples or quads per second,
three ways side by side in one run on the same triples:

- streamed (graph.rdf_stream.write_graph, what `regiograph export` does): the statements go straight from the
  graph into pyoxigraph's serialiser, with the default-graph merge, the counts and the dataset
  description made on the way (no Store); N-Triples also with --jobs processes writing it in parts
  (graph.rdf_parts), checked to be the same bytes;
- Store-built (graph.rdf.build_store, then graph.rdf.dump): quads into an in-memory pyoxigraph Store,
  the merge of all graphs as default graph by SPARQL, the description, then pyoxigraph's serialiser
  over the Store;
- before those, the SPARQL endpoint's dataset (graph.rdf_stream.load_store): the streamed statements
  loaded into a pyoxigraph Store on disk, in quads per second;
- rdflib (N-Triples and Turtle): an rdflib Graph filled with the default graph's triples, then its
  serialisers.

Peak RSS is read after the streamed exports (which run first) and again after the Store build.

Run: .venv/bin/python bench/bench_rdf_export.py [--relationships 100000] [--no-baseline] [--jobs N]
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "graph"))  # the synthetic graph lives with the test factories

import pyoxigraph as ox  # noqa: E402
import rdflib  # noqa: E402
from factories import synthetic_graph  # noqa: E402

from graph.rdf import RDF_FORMATS, build_store, dump  # noqa: E402
from graph.rdf_stream import load_store, write_graph  # noqa: E402
from ingest.parallel import default_jobs  # noqa: E402

BASE = "https://regiograph.nl/id/"
CREATED = date(2026, 1, 1)  # one date for the files compared byte for byte


def timed(fn, *args):
    gc.collect()
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def timed_cpu(fn, *args):
    """Wall clock and CPU seconds of this process (the machine may be shared: CPU time is what the
    export itself costs)."""
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    result = fn(*args)
    return result, time.perf_counter() - start, time.process_time() - cpu


def peak_rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--relationships", type=int, default=100_000, help="approximate relationships")
    parser.add_argument("--no-baseline", action="store_true", help="skip the rdflib baseline")
    parser.add_argument("--jobs", type=int, default=default_jobs(), help="processes for N-Triples in parts")
    args = parser.parse_args()
    covers = 8
    programmes = max(1, args.relationships // (covers + 2))
    graph = synthetic_graph(programmes=programmes, regions=3000, covers_per_programme=covers, letters=200)
    print(
        f"synthetic graph: {len(graph.nodes):,} nodes, {len(graph.relationships):,} relationships "
        f"(each with one evidence quote); peak RSS {peak_rss_mib():,.0f} MiB"
    )
    with tempfile.TemporaryDirectory(prefix="bench-rdf-") as tmp:
        folder = Path(tmp)
        streamed: dict[str, tuple[float, int]] = {}
        print("\nstreamed (graph -> file, no Store):")
        for name, fmt in RDF_FORMATS.items():
            path = folder / f"streamed.{fmt.extension}"
            stats, seconds, cpu = timed_cpu(write_graph, graph, BASE, name, path)
            streamed[name] = (seconds, stats.written)
            unit = "quads" if fmt.named_graphs else "triples"
            print(
                f"  {name:9s} {seconds:7.2f} s ({path.stat().st_size / 1e6:7,.1f} MB) {stats.written:>11,} "
                f"{unit}  {stats.written / seconds:>10,.0f} {unit}/s  (CPU {cpu:.2f} s: "
                f"{stats.written / cpu:,.0f} {unit}/s)"
            )
            path.unlink()
        streamed_rss = peak_rss_mib()
        print(f"  peak RSS after the streamed exports: {streamed_rss:,.0f} MiB")
        if args.jobs > 1:
            in_parts(graph, folder, args.jobs, streamed)

        stats, seconds, cpu = timed_cpu(load_store, graph, BASE, folder / "dataset")
        loaded = len(ox.Store.read_only(str(folder / "dataset")))
        assert loaded == streamed["nquads"][1], (loaded, streamed["nquads"][1])  # the same quads
        print(
            f"\nthe SPARQL endpoint's dataset (load_store, graph -> Store on disk): {seconds:.2f} s, "
            f"{loaded:,} quads, {loaded / seconds:,.0f} quads/s (CPU {cpu:.2f} s); "
            f"peak RSS {peak_rss_mib():,.0f} MiB"
        )

        store, build_s, build_cpu = timed_cpu(build_store, graph, BASE)
        quads = len(store)
        triples = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        print(
            f"\nStore-built: build_store {build_s:.2f} s (CPU {build_cpu:.2f} s), {quads:,} quads "
            f"({triples:,} triples in the default graph), {quads / build_s:,.0f} quads/s; "
            f"peak RSS {peak_rss_mib():,.0f} MiB"
        )
        store_total: dict[str, float] = {}
        for name, fmt in RDF_FORMATS.items():
            path = folder / f"store.{fmt.extension}"
            with path.open("wb") as out:
                _, ser_s = timed(dump, store, name, out)
            n = quads if fmt.named_graphs else triples
            assert n == streamed[name][1], (name, n, streamed[name][1])  # the same statements
            store_total[name] = build_s + ser_s
            unit = "quads" if fmt.named_graphs else "triples"
            print(
                f"  {name:9s} write {ser_s:7.2f} s ({n / ser_s:>10,.0f} {unit}/s), build + write "
                f"{store_total[name]:7.2f} s  {n / store_total[name]:>10,.0f} {unit}/s"
            )
            path.unlink()

        print("\nend to end (graph -> file), same statements, streamed vs Store-built:")
        for name, fmt in RDF_FORMATS.items():
            seconds, n = streamed[name]
            unit = "quads" if fmt.named_graphs else "triples"
            print(
                f"  {name:9s} streamed {n / seconds:>10,.0f} {unit}/s   Store-built "
                f"{n / store_total[name]:>10,.0f} {unit}/s   ratio {store_total[name] / seconds:5.1f}x"
            )
        if not args.no_baseline:
            baseline(store, triples, streamed, store_total, folder)


def in_parts(graph, folder: Path, jobs: int, streamed: dict[str, tuple[float, int]]) -> None:
    """N-Triples and N-Quads written by `jobs` processes (graph.rdf_parts), beside one process; the
    files are compared byte for byte."""
    for name in ("ntriples", "nquads"):
        ext = RDF_FORMATS[name].extension
        one, path = folder / f"one.{ext}", folder / f"jobs-{jobs}.{ext}"
        write_graph(graph, BASE, name, one, created=CREATED)
        stats, seconds = timed(lambda: write_graph(graph, BASE, name, path, created=CREATED, jobs=jobs))  # noqa: B023
        assert path.read_bytes() == one.read_bytes()  # the same file as one process writes
        single_s = streamed[name][0]
        unit = "quads" if RDF_FORMATS[name].named_graphs else "triples"
        print(
            f"  {name} with {jobs} processes (regiograph export --jobs {jobs}): {seconds:.2f} s, "
            f"{stats.written / seconds:,.0f} {unit}/s, {single_s / seconds:.2f}x one process, the same "
            f"bytes; largest worker peak RSS {peak_rss_mib(resource.RUSAGE_CHILDREN):,.0f} MiB"
        )
        one.unlink()
        path.unlink()


def _rdflib_term(term):
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def _rdflib_graph(store: ox.Store) -> rdflib.Graph:
    g = rdflib.Graph()
    for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        g.add((_rdflib_term(q.subject), _rdflib_term(q.predicate), _rdflib_term(q.object)))
    return g


def baseline(
    store: ox.Store,
    triples: int,
    streamed: dict[str, tuple[float, int]],
    store_total: dict[str, float],
    tmp: Path,
) -> None:
    """rdflib on the same default-graph triples; end to end = filling + writing."""
    g, fill_s = timed(_rdflib_graph, store)
    assert len(g) == triples, (len(g), triples)
    print(f"\nend to end on the same {triples:,} triples, rdflib vs pyoxigraph (streamed and Store-built):")
    for name, rdflib_format in (("ntriples", "nt"), ("turtle", "turtle")):
        _, ser_s = timed(g.serialize, str(tmp / f"rdflib.{rdflib_format}"), rdflib_format, None, "utf-8")
        rdflib_rate = triples / (fill_s + ser_s)
        stream_rate = triples / streamed[name][0]
        store_rate = triples / store_total[name]
        print(
            f"  {name:9s} rdflib {rdflib_rate:>9,.0f} triples/s ({fill_s:.1f} s fill + {ser_s:.1f} s write)"
            f"   streamed {stream_rate:>9,.0f} ({stream_rate / rdflib_rate:4.1f}x)"
            f"   Store-built {store_rate:>9,.0f} ({store_rate / rdflib_rate:4.1f}x)"
        )


if __name__ == "__main__":
    main()
