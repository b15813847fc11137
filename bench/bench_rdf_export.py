"""RDF export throughput on a synthetic graph: building the dump (graph.rdf.build_store: quads into a
pyoxigraph Store, the merge of all graphs as default graph, the dataset description) and writing it
in every format with pyoxigraph's serialisers (decisions.md D9), in quads or triples per second.

Baseline, side by side on the same triples: rdflib (an rdflib Graph filled with the default graph's
triples, then its N-Triples and Turtle serialisers), end to end (build + write) against pyoxigraph's
end to end, with the ratio.

Run: .venv/bin/python bench/bench_rdf_export.py [--relationships 100000] [--no-baseline]
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "graph"))  # the synthetic graph lives with the test factories

import pyoxigraph as ox  # noqa: E402
import rdflib  # noqa: E402
from factories import synthetic_graph  # noqa: E402

from graph.rdf import RDF_FORMATS, build_store, dump  # noqa: E402

BASE = "https://regiograph.nl/id/"


def timed(fn, *args):
    gc.collect()
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--relationships", type=int, default=100_000, help="approximate relationships")
    parser.add_argument("--no-baseline", action="store_true", help="skip the rdflib baseline")
    args = parser.parse_args()
    covers = 8
    programmes = max(1, args.relationships // (covers + 2))
    graph = synthetic_graph(programmes=programmes, regions=3000, covers_per_programme=covers, letters=200)
    print(
        f"synthetic graph: {len(graph.nodes):,} nodes, {len(graph.relationships):,} relationships "
        f"(each with one evidence quote)"
    )
    store, build_s = timed(build_store, graph, BASE)
    quads = len(store)
    triples = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    print(
        f"build  {build_s:7.2f} s  {quads:,} quads ({triples:,} triples in the default graph), "
        f"{quads / build_s:>10,.0f} quads/s"
    )
    written: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-rdf-") as tmp:
        for name, fmt in RDF_FORMATS.items():
            path = Path(tmp) / f"graph.{fmt.extension}"
            with path.open("wb") as out:
                _, ser_s = timed(dump, store, name, out)
            written[name] = ser_s
            n = quads if fmt.named_graphs else triples
            unit = "quads" if fmt.named_graphs else "triples"
            print(
                f"{name:9s} write {ser_s:7.2f} s ({path.stat().st_size / 1e6:7,.1f} MB) "
                f"{n / ser_s:>12,.0f} {unit}/s"
            )
        if not args.no_baseline:
            baseline(store, triples, build_s, written, Path(tmp))


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


def baseline(store: ox.Store, triples: int, build_s: float, written: dict[str, float], tmp: Path) -> None:
    """rdflib on the same default-graph triples; end to end = building + writing, for both."""
    g, fill_s = timed(_rdflib_graph, store)
    assert len(g) == triples, (len(g), triples)
    print(f"\nend to end on the same {triples:,} triples (build + write), rdflib vs pyoxigraph:")
    for name, rdflib_format in (("ntriples", "nt"), ("turtle", "turtle")):
        _, ser_s = timed(g.serialize, str(tmp / f"rdflib.{rdflib_format}"), rdflib_format, None, "utf-8")
        rdflib_rate = triples / (fill_s + ser_s)
        ox_rate = triples / (build_s + written[name])
        print(
            f"{name:9s} rdflib {rdflib_rate:>10,.0f} triples/s ({fill_s:.1f} s fill + {ser_s:.1f} s write)"
            f"   pyoxigraph {ox_rate:>10,.0f} triples/s   ratio {ox_rate / rdflib_rate:5.1f}x"
        )


if __name__ == "__main__":
    main()
