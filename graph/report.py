"""Analyses of the whole graph with networkx: programme stacking per region, overlap between
programmes, and the most central ministries and programmes; as aligned tables or CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import astuple, dataclass, fields
from itertools import combinations

import networkx as nx

from graph.derive import coverage, jaccard
from graph.model import Graph
from graph.projection import actor_graph

SECTIONS = ("stacking", "overlap", "centrality")
CENTRALITY_LABELS = ("Ministry", "Programme")
# Left out of the centrality projection: letters are sources, not actors, and MENTIONS would
# make every letter a hub.


@dataclass(frozen=True)
class RegionStack:
    """How many programmes cover one region."""

    region_id: str
    region: str
    programmes: int
    programme_names: str  # "; "-separated, sorted


@dataclass(frozen=True)
class ProgrammeOverlap:
    """One cell of the (symmetric) overlap matrix: two programmes and the regions both cover."""

    programme_a: str
    programme_b: str
    shared: int
    regions_a: int
    regions_b: int
    jaccard: float
    shared_regions: str


@dataclass(frozen=True)
class Centrality:
    label: str
    node_id: str
    name: str
    degree: int
    degree_centrality: float
    betweenness: float


@dataclass(frozen=True)
class GraphReport:
    stacking: list[RegionStack]
    overlap: list[ProgrammeOverlap]
    centrality: list[Centrality]

    def rows(self, section: str) -> list:
        if section not in SECTIONS:
            raise ValueError(f"unknown report section {section!r}; valid: {', '.join(SECTIONS)}")
        return getattr(self, section)


ROW_TYPES = {"stacking": RegionStack, "overlap": ProgrammeOverlap, "centrality": Centrality}


def stacking(graph: Graph) -> list[RegionStack]:
    """Every region some programme covers, with those programmes, most stacked first."""
    names = {n.id: n.name for n in graph.nodes}
    by_region: dict[str, set[str]] = {}
    for programme, regions in coverage(graph.relationships).items():
        for region in regions:
            by_region.setdefault(region, set()).add(programme)
    rows = [
        RegionStack(
            region_id=region,
            region=names.get(region, region),
            programmes=len(programmes),
            programme_names="; ".join(sorted(names.get(p, p) for p in programmes)),
        )
        for region, programmes in by_region.items()
    ]
    return sorted(rows, key=lambda r: (-r.programmes, r.region.lower()))


def overlap(graph: Graph) -> list[ProgrammeOverlap]:
    """Programme pairs sharing at least one covered region, by Jaccard similarity of their regions."""
    names = {n.id: n.name for n in graph.nodes}
    covered = coverage(graph.relationships)
    rows = []
    for a, b in combinations(sorted(covered, key=lambda p: (names.get(p) or p).lower()), 2):
        shared = covered[a] & covered[b]
        if not shared:
            continue
        rows.append(
            ProgrammeOverlap(
                programme_a=names.get(a, a),
                programme_b=names.get(b, b),
                shared=len(shared),
                regions_a=len(covered[a]),
                regions_b=len(covered[b]),
                jaccard=jaccard(covered[a], covered[b]),
                shared_regions="; ".join(sorted(names.get(r, r) for r in shared)),
            )
        )
    return sorted(rows, key=lambda r: (-r.jaccard, -r.shared, r.programme_a, r.programme_b))


def centrality(graph: Graph, top: int = 10) -> list[Centrality]:
    """The `top` ministries and `top` programmes by betweenness (then degree) in the projection."""
    g = actor_graph(graph)
    if g.number_of_nodes() == 0:
        return []
    # exact betweenness is O(V*E); sample pivots on big graphs (seeded, so reports are repeatable)
    k = 500 if g.number_of_nodes() > 2000 else None
    betweenness = nx.betweenness_centrality(g, k=k, seed=7 if k else None)
    degree = nx.degree_centrality(g)
    rows = []
    for label in CENTRALITY_LABELS:
        ids = [n for n, data in g.nodes(data=True) if label in data["labels"]]
        ids.sort(key=lambda n: (-betweenness[n], -g.degree(n), g.nodes[n]["name"].lower()))
        rows += [
            Centrality(
                label=label,
                node_id=n,
                name=g.nodes[n]["name"],
                degree=g.degree(n),
                degree_centrality=round(degree[n], 4),
                betweenness=round(betweenness[n], 4),
            )
            for n in ids[:top]
        ]
    return rows


def build_report(graph: Graph, top: int = 10) -> GraphReport:
    return GraphReport(stacking=stacking(graph), overlap=overlap(graph), centrality=centrality(graph, top))


# -- output -----------------------------------------------------------------------------------
TITLES = {
    "stacking": "Programme stacking per region (regions no programme covers are left out)",
    "overlap": "Overlap between programmes (shared covered regions)",
    "centrality": (
        "Most central ministries and programmes: ranked by betweenness centrality, then degree, in the "
        "undirected graph of entities (letters and MENTIONS left out)"
    ),
}


def to_csv(report: GraphReport, section: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([f.name for f in fields(ROW_TYPES[section])])
    writer.writerows(astuple(row) for row in report.rows(section))
    return out.getvalue()


def to_table(report: GraphReport, section: str, max_width: int = 60) -> str:
    """An aligned plain-text table; numbers right-aligned, long text cut at `max_width`."""
    columns = [f.name for f in fields(ROW_TYPES[section])]
    rows = [[_cell(v, max_width) for v in astuple(row)] for row in report.rows(section)]
    numeric = [
        all(isinstance(astuple(r)[i], int | float) for r in report.rows(section)) for i in range(len(columns))
    ]
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(columns)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if num else c.ljust(w) for c, w, num in zip(cells, widths, numeric, strict=True)
        ).rstrip()

    body = [line(columns), "  ".join("-" * w for w in widths)] + [line(r) for r in rows]
    if not rows:
        body.append("(none)")
    return f"{TITLES[section]}\n" + "\n".join(body) + "\n"


def _cell(value, max_width: int) -> str:
    text = f"{value:.4f}" if isinstance(value, float) else str(value)
    return text if len(text) <= max_width else text[: max_width - 1] + "…"
