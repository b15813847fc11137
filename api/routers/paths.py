"""GET /path: how two entities are connected, step by step, with the evidence of each step."""

from __future__ import annotations

from typing import Annotated

import networkx as nx
from fastapi import APIRouter, HTTPException, Query

from api.deps import StoreDep
from api.schemas import EntitySummary, ErrorOut, PathOut, RelationshipOut
from graph.model import Graph

router = APIRouter(tags=["analysis"])


def _undirected(graph: Graph, include_mentions: bool) -> nx.Graph:
    """One edge per connected pair, holding every relationship between the two (either direction)."""
    g = nx.Graph()
    g.add_nodes_from(n.id for n in graph.nodes)
    for rel in graph.relationships:
        if rel.type == "MENTIONS" and not include_mentions:
            continue
        if g.has_edge(rel.start, rel.end):
            g.edges[rel.start, rel.end]["rels"].append(rel)
        else:
            g.add_edge(rel.start, rel.end, rels=[rel])
    return g


def _id_query(description: str, example: str):
    return Query(
        min_length=1,
        max_length=300,
        description=description,
        openapi_examples={example: {"summary": example, "value": example}},
    )


@router.get(
    "/path",
    response_model=PathOut,
    summary="Shortest path between two entities, with the relationships and evidence on each step",
    description=(
        "Directions are ignored when searching; each step lists the relationships between the two "
        "entities as stored. MENTIONS (a letter names an entity) is left out unless include_mentions=true."
    ),
    responses={404: {"model": ErrorOut, "description": "Unknown entity, or no path"}},
)
def shortest_path(
    store: StoreDep,
    source: Annotated[str, _id_query("Entity id to start from", "programme:npvr")],
    target: Annotated[str, _id_query("Entity id to reach", "neighbouringstate:nedersaksen")],
    include_mentions: Annotated[bool, Query(description="Also walk over MENTIONS")] = False,
) -> PathOut:
    graph = store.snapshot()
    index = graph.node_index()
    for name, node_id in (("source", source), ("target", target)):
        if node_id not in index:
            raise HTTPException(
                404, f"{name}: no entity with id {node_id!r}; search with GET /entities?q=..."
            )
    g = _undirected(graph, include_mentions)
    try:
        ids = nx.shortest_path(g, source, target)
    except nx.NetworkXNoPath:
        hint = "" if include_mentions else " (try include_mentions=true)"
        raise HTTPException(404, f"no path between {source!r} and {target!r}{hint}") from None
    steps = [
        [RelationshipOut.of(r) for r in g.edges[a, b]["rels"]] for a, b in zip(ids, ids[1:], strict=False)
    ]
    return PathOut(
        source=source,
        target=target,
        length=len(ids) - 1,
        nodes=[EntitySummary.of(index[i]) for i in ids],
        steps=steps,
    )
