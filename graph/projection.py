"""The one home of graph projections: the views of a `Graph` that paths, reports and networkx users need.

- `undirected`: one edge per connected pair, holding every relationship between the two (paths).
- `actor_graph`: entities only (no letters, no MENTIONS), parallel relationships collapsed (centrality).
- `to_networkx`: a `MultiDiGraph` that keeps every relationship as its own edge (research, GraphML).
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from graph.files import atomic_path
from graph.lexical import bases
from graph.model import Graph, Relationship

SKIP_LABELS = frozenset({"Letter"})
SKIP_TYPES = frozenset({"MENTIONS"})


def undirected(graph: Graph, include_mentions: bool = False) -> nx.Graph:
    """Directions ignored; each edge's `rels` lists the relationships between its two ends."""
    g = nx.Graph()
    g.add_nodes_from(n.id for n in graph.nodes)
    for rel in graph.relationships:
        if rel.type in SKIP_TYPES and not include_mentions:
            continue
        if g.has_edge(rel.start, rel.end):
            g.edges[rel.start, rel.end]["rels"].append(rel)
        else:
            g.add_edge(rel.start, rel.end, rels=[rel])
    return g


def shortest_path(graph: Graph, source: str, target: str, include_mentions: bool = False) -> list[str] | None:
    """Node ids of one shortest undirected path, or None when the two are not connected."""
    try:
        return nx.shortest_path(undirected(graph, include_mentions), source, target)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return None


def actor_graph(graph: Graph) -> nx.Graph:
    """Undirected graph of the actors: no letters, no MENTIONS, no self-loops, parallel edges collapsed."""
    g = nx.Graph()
    for node in graph.nodes:
        if not SKIP_LABELS.intersection(node.labels):
            g.add_node(node.id, labels=node.labels, name=node.name)
    for rel in graph.relationships:
        if rel.type in SKIP_TYPES or rel.start == rel.end:
            continue
        if rel.start in g and rel.end in g:
            g.add_edge(rel.start, rel.end)
    return g


_SCALARS = (str, int, float, bool)
_RESERVED_ATTRIBUTES = frozenset({"labels", "name", "aliases", "letters", "type", "derived", "evidence_count",
                                  "basis", "letter_count"})


def _scalar_properties(properties: dict) -> dict:
    """Properties GraphML can hold (scalars), keeping the projection's own attribute names free."""
    return {
        k: v for k, v in properties.items() if isinstance(v, _SCALARS) and k not in _RESERVED_ATTRIBUTES
    }


def _edge_attributes(rel: Relationship) -> dict:
    return {
        **_scalar_properties(rel.properties),
        "type": rel.type,
        "derived": rel.derived,
        "evidence_count": len(rel.evidence),
        "basis": ",".join(bases(rel)),
        "letters": "|".join(rel.letters),
    }


def to_networkx(
    graph: Graph, labels: set[str] | None = None, types: set[str] | None = None
) -> nx.MultiDiGraph:
    """The graph as a networkx `MultiDiGraph`: every node keyed by its id, every relationship its own
    edge (stated and derived, MENTIONS included; a stated and a derived OVERLAPS between the same pair
    stay two edges, keys `OVERLAPS` and `OVERLAPS:derived`).

    Node attributes: `labels` (joined by ':'), `name`, `aliases` (joined by '|'), `letter_count` and the
    node's scalar properties. Edge attributes: `type`, `derived`, `evidence_count`, `basis` (the distinct
    bases, decisions.md D4, joined by ','), `letters` (joined by '|') and the scalar properties. All are
    GraphML-safe, so `nx.write_graphml` writes the result as it is.

    `labels` keeps only nodes with one of those labels, `types` only relationships of those types (with
    both ends kept). For any other subgraph use networkx itself: `g.subgraph(ids)`,
    `g.edge_subgraph(...)`, `nx.ego_graph(g, "programme:npvr", radius=2, undirected=True)`."""
    g = nx.MultiDiGraph()
    for node in graph.nodes:
        if labels is not None and not labels.intersection(node.labels):
            continue
        g.add_node(
            node.id,
            **_scalar_properties(node.properties),
            labels=":".join(node.labels),
            name=node.name,
            aliases="|".join(node.aliases),
            letter_count=len(node.properties.get("letters") or []),
        )
    for rel in graph.relationships:
        if types is not None and rel.type not in types:
            continue
        if rel.start not in g or rel.end not in g:
            continue
        key = f"{rel.type}:derived" if rel.derived else rel.type
        g.add_edge(rel.start, rel.end, key=key, **_edge_attributes(rel))
    return g


def write_graphml(graph: Graph, path: Path) -> nx.MultiDiGraph:
    """`to_networkx(graph)` written as GraphML, atomically (read back with `nx.read_graphml(path)`)."""
    g = to_networkx(graph)
    with atomic_path(Path(path)) as tmp:
        nx.write_graphml(g, str(tmp))
    return g
