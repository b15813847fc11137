"""The one home of graph projections: the views of a `Graph` that paths, reports and networkx users need.

- `undirected`: one edge per connected pair, holding every relationship between the two (paths).
- `actor_graph`: entities only (no letters, no MENTIONS), parallel relationships collapsed (centrality).
- `to_networkx`: a `MultiDiGraph` that keeps every relationship as its own edge (research, GraphML).
"""

from __future__ import annotations

import networkx as nx

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


def _edge_attributes(rel: Relationship) -> dict:
    bases = sorted({e.basis for e in rel.evidence if getattr(e, "basis", None)})
    return {
        "type": rel.type,
        "derived": rel.derived,
        "evidence_count": len(rel.evidence),
        "basis": ",".join(bases),
    }


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """Every node (with labels joined by ':' and its name) and every relationship as its own edge:
    a stated and a derived OVERLAPS between the same pair stay two edges. GraphML-safe attributes."""
    g = nx.MultiDiGraph()
    for node in graph.nodes:
        g.add_node(node.id, labels=":".join(node.labels), name=node.name)
    for rel in graph.relationships:
        key = f"{rel.type}:derived" if rel.derived else rel.type
        g.add_edge(rel.start, rel.end, key=key, **_edge_attributes(rel))
    return g
