"""Entities: search, detail with relationships and evidence, neighbours."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import StoreDep
from api.routers.params import NOT_FOUND, EntityId, LabelName, RelationshipType, require_node
from api.schemas import EntityDetail, EntitySummary, NeighbourOut

router = APIRouter(prefix="/entities", tags=["entities"])


@router.get("", response_model=list[EntitySummary], summary="Search entities by name or alias")
def search_entities(
    store: StoreDep,
    q: Annotated[
        str,
        Query(
            max_length=200,
            description="Part of a name or alias; case and accents are ignored",
            openapi_examples={"fryslan": {"summary": "Accent-insensitive", "value": "fryslan"}},
        ),
    ] = "",
    label: Annotated[
        LabelName | None,
        Query(
            description="Only entities with this label (from graph/schema.yaml)",
            openapi_examples={"region": {"summary": "Regions", "value": "Region"}},
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[EntitySummary]:
    nodes = store.search(q, label.value if label else None, limit, offset)
    return [EntitySummary.of(n) for n in nodes]


@router.get(
    "/{entity_id}",
    response_model=EntityDetail,
    summary="One entity with its properties, aliases and relationships (with evidence)",
    responses=NOT_FOUND,
)
def get_entity(store: StoreDep, entity_id: EntityId) -> EntityDetail:
    node = require_node(store, entity_id)
    return EntityDetail(
        **EntitySummary.of(node).model_dump(),
        properties=dict(node.properties),
        relationships=[NeighbourOut.of(n) for n in store.neighbours(entity_id)],
    )


@router.get(
    "/{entity_id}/neighbours",
    response_model=list[NeighbourOut],
    summary="Entities linked to this one, optionally by one relationship type",
    responses=NOT_FOUND,
)
def get_neighbours(
    store: StoreDep,
    entity_id: EntityId,
    type: Annotated[
        RelationshipType | None,
        Query(
            description="Only this relationship type",
            openapi_examples={"covers": {"summary": "Coverage", "value": "COVERS"}},
        ),
    ] = None,
) -> list[NeighbourOut]:
    require_node(store, entity_id)
    return [NeighbourOut.of(n) for n in store.neighbours(entity_id, type.value if type else None)]
