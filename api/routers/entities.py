"""Entities: search, detail with relationships and evidence, neighbours."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from api.cache import cached
from api.deps import StoreDep
from api.routers.params import NOT_FOUND, EntityId, LabelName, RelationshipType, no_entity, require_node
from api.schemas import EntityDetail, EntitySummary, NeighbourOut

router = APIRouter(prefix="/entities", tags=["entities"])


@router.get("", response_model=list[EntitySummary], summary="Search entities by name or alias")
def search_entities(
    request: Request,
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
) -> Response:
    def answer(_: Response) -> list[EntitySummary]:
        nodes = store.search(q, label.value if label else None, limit, offset)
        return [EntitySummary.of(n) for n in nodes]

    return cached(request, store, list[EntitySummary], answer)


@router.get(
    "/{entity_id}",
    response_model=EntityDetail,
    summary="One entity with its properties, aliases and a page of its relationships (with evidence)",
    responses=NOT_FOUND,
)
def get_entity(
    request: Request,
    store: StoreDep,
    entity_id: EntityId,
    limit: Annotated[int, Query(ge=1, le=1000, description="Relationships on this page")] = 100,
    offset: Annotated[int, Query(ge=0, description="Relationships skipped before this page")] = 0,
    evidence: Annotated[
        int, Query(ge=0, le=1000, description="Passages shown per relationship (`evidence_count` has all)")
    ] = 20,
) -> Response:
    def answer(headers: Response) -> EntityDetail:
        found = store.entity(entity_id, limit, offset)  # node and one page of relationships in one read
        if found is None:
            raise no_entity(entity_id)
        if offset + limit < found.total:
            next_page(request, headers, offset + limit, limit)
        return EntityDetail(
            **EntitySummary.of(found.node).model_dump(),
            properties=dict(found.node.properties),
            relationships=[NeighbourOut.of(n, evidence) for n in found.neighbours],
            relationship_count=found.total,
        )

    return cached(request, store, EntityDetail, answer)


@router.get(
    "/{entity_id}/neighbours",
    response_model=list[NeighbourOut],
    summary="Entities linked to this one, optionally by one relationship type",
    responses=NOT_FOUND,
)
def get_neighbours(
    request: Request,
    store: StoreDep,
    entity_id: EntityId,
    type: Annotated[
        RelationshipType | None,
        Query(
            description="Only this relationship type",
            openapi_examples={"covers": {"summary": "Coverage", "value": "COVERS"}},
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=10000, description="Neighbours on this page")] = 1000,
    offset: Annotated[int, Query(ge=0, description="Neighbours skipped before this page")] = 0,
) -> Response:
    def answer(headers: Response) -> list[NeighbourOut]:
        require_node(store, entity_id)
        found = store.neighbours(entity_id, type.value if type else None, limit + 1, offset)
        if len(found) > limit:  # one more than asked: another page follows
            next_page(request, headers, offset + limit, limit)
        return [NeighbourOut.of(n) for n in found[:limit]]

    return cached(request, store, list[NeighbourOut], answer)


def next_page(request: Request, headers: Response, offset: int, limit: int) -> None:
    """The `Link: <...>; rel="next"` header of a paged answer."""
    after = request.url.include_query_params(offset=offset, limit=limit)
    headers.headers["Link"] = f'<{after.path}?{after.query}>; rel="next"'
