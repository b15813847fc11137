"""RDF export throughput (triples/s) for Turtle and N-Triples on a synthetic graph.

Compared, on the same quads from graph.rdf.RDFBuilder:
- export:   graph.rdf.to_rdf_graph (one Graph.addN over a generator) + rdflib serialiser;
- baseline: "Graph.add per triple", the obvious loop calling Graph.add once per triple, + the same
            serialiser;
- reference (N-Triples only): a hand-written string writer (f-strings with manual escaping).
  It is not what the export uses (the project serialises with rdflib); it shows what the
  library's serialiser costs against writing lines directly.

Run: .venv/bin/python bench/bench_rdf_export.py [--relationships 100000]
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Graph as RDFGraph
from rdflib import Literal, URIRef

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "graph"))  # the synthetic graph lives with the test factories

from factories import synthetic_graph  # noqa: E402

from graph.rdf import RDFBuilder, to_rdf_graph  # noqa: E402
from graph.vocab import bind_prefixes  # noqa: E402

BASE = "https://regiograph.nl/id/"
RDFLIB_FORMAT = {"turtle": "turtle", "ntriples": "nt"}


def naive_graph(graph) -> RDFGraph:
    g = RDFGraph()
    bind_prefixes(g)
    for s, p, o, _ in RDFBuilder(BASE).quads(graph):
        g.add((s, p, o))
    return g


def string_ntriples(graph, path: Path) -> int:
    """Hand-written N-Triples: one f-string per triple (deduplicated like a graph would be)."""

    def term(t) -> str:
        if isinstance(t, URIRef):
            return f"<{t}>"
        if isinstance(t, Literal):
            text = str(t).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
            return f'"{text}"^^<{t.datatype}>' if t.datatype else f'"{text}"'
        return f"_:{t}"

    lines = {f"{term(s)} <{p}> {term(o)} .\n" for s, p, o, _ in RDFBuilder(BASE).quads(graph)}
    with path.open("w", encoding="utf-8") as out:
        out.writelines(lines)
    return len(lines)


def timed(fn, *args):
    gc.collect()
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--relationships", type=int, default=100_000, help="approximate relationships (>= 100k)"
    )
    args = parser.parse_args()
    covers = 8
    programmes = max(1, args.relationships // (covers + 2))
    graph = synthetic_graph(programmes=programmes, regions=3000, covers_per_programme=covers, letters=200)
    print(
        f"synthetic graph: {len(graph.nodes):,} nodes, {len(graph.relationships):,} relationships "
        f"(each with one evidence quote)"
    )
    tmp = Path(tempfile.mkdtemp(prefix="bench-rdf-"))

    # baseline first, so that any warm-up favours it rather than the export
    naive, naive_build_s = timed(naive_graph, graph)
    naive_triples = len(naive)
    del naive
    rdf, build_s = timed(to_rdf_graph, graph, BASE)
    triples = len(rdf)
    assert naive_triples == triples
    print(f"triples: {triples:,}")
    print(f"build  export   (addN over generator)   {build_s:7.2f} s  {triples / build_s:>12,.0f} triples/s")
    print(
        f"build  baseline (Graph.add per triple)  {naive_build_s:7.2f} s  "
        f"{triples / naive_build_s:>12,.0f} triples/s   export/baseline speed: {naive_build_s / build_s:.2f}x"
    )

    end_to_end = {}
    for fmt in ("ntriples", "turtle"):
        path = tmp / f"graph.{fmt}"
        _, ser_s = timed(rdf.serialize, str(path), RDFLIB_FORMAT[fmt], None, "utf-8")
        total = end_to_end[fmt] = build_s + ser_s
        naive_total = naive_build_s + ser_s
        print(
            f"{fmt:9s} serialise {ser_s:7.2f} s ({path.stat().st_size / 1e6:,.0f} MB); "
            f"end to end: export {triples / total:>9,.0f} triples/s, baseline {triples / naive_total:>9,.0f} "
            f"triples/s ({naive_total / total:.2f}x)"
        )
        path.unlink()

    count, string_s = timed(string_ntriples, graph, tmp / "strings.nt")
    assert count == triples
    print(
        f"reference: hand-written N-Triples strings {string_s:7.2f} s, "
        f"{triples / string_s:>9,.0f} triples/s; "
        f"rdflib N-Triples export takes {end_to_end['ntriples'] / string_s:.2f}x as long"
    )
    (tmp / "strings.nt").unlink()
    os.rmdir(tmp)


if __name__ == "__main__":
    main()
