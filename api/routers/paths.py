"""GET /path: how two entities are connected, step by step, with the evidence of each step."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from api.deps import StoreDep
from api.schemas import EntitySummary, ErrorOut, PathOut, RelationshipOut
from graph.store import UnknownNode

router = APIRouter(tags=["analysis"])


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
    nodes = {}
    for name, node_id in (("source", source), ("target", target)):
        node = store.get_node(node_id)
        if node is None:
            raise UnknownNode(f"{name}: no entity with id {node_id!r}; search with GET /entities?q=...")
        nodes[node_id] = node
    ids = store.shortest_path(source, target, include_mentions)
    if ids is None:
        hint = "" if include_mentions else " (try include_mentions=true)"
        raise HTTPException(404, f"no path between {source!r} and {target!r}{hint}")
    steps = [_step(store, a, b, include_mentions) for a, b in zip(ids, ids[1:], strict=False)]
    found = (nodes.get(i) or store.get_node(i) for i in ids)
    summaries = [EntitySummary.of(n) for n in found if n is not None]
    return PathOut(source=source, target=target, length=len(ids) - 1, nodes=summaries, steps=steps)


def _step(store, a: str, b: str, include_mentions: bool) -> list[RelationshipOut]:
    """Every relationship between two neighbours on the path, in either direction."""
    rels = store.relationships(start=a, end=b) + store.relationships(start=b, end=a)
    return [RelationshipOut.of(r) for r in rels if include_mentions or r.type != "MENTIONS"]
