"""Programme questions: which regions a programme covers, which programmes reach a region or involve a
ministry, and which programmes overlap."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import StoreDep
from api.routers.params import NOT_FOUND, MinistryId, ProgrammeId, RegionId, require_node
from api.schemas import EntitySummary, EvidenceOut, NeighbourOut, OverlapOut
from graph.model import Node

router = APIRouter(tags=["programmes"])


def _related(store, node_id: str, label: str, types: tuple[str, ...], direction: str) -> list[NeighbourOut]:
    """Neighbours over the given relationship types in one direction, after checking the node's label."""
    require_node(store, node_id, label)
    return [
        NeighbourOut.of(n)
        for rel_type in types
        for n in store.neighbours(node_id, rel_type)
        if n.direction == direction
    ]


@router.get(
    "/programmes/{programme_id}/regions",
    response_model=list[NeighbourOut],
    summary="Regions a programme covers (COVERS), with evidence",
    responses=NOT_FOUND,
)
def programme_regions(store: StoreDep, programme_id: ProgrammeId) -> list[NeighbourOut]:
    return _related(store, programme_id, "Programme", ("COVERS",), "out")


@router.get(
    "/regions/{region_id}/programmes",
    response_model=list[NeighbourOut],
    summary="Programmes covering a region (COVERS), with evidence",
    responses=NOT_FOUND,
)
def region_programmes(store: StoreDep, region_id: RegionId) -> list[NeighbourOut]:
    return _related(store, region_id, "Region", ("COVERS",), "in")


@router.get(
    "/ministries/{ministry_id}/programmes",
    response_model=list[NeighbourOut],
    summary="Programmes a ministry coordinates or takes part in, with evidence",
    responses=NOT_FOUND,
)
def ministry_programmes(store: StoreDep, ministry_id: MinistryId) -> list[NeighbourOut]:
    return _related(store, ministry_id, "Ministry", ("COORDINATES", "PARTICIPATES_IN"), "out")


@router.get(
    "/overlaps",
    response_model=list[OverlapOut],
    summary="Overlapping programmes: asserted in letters (with evidence) and derived from shared regions",
)
def overlaps(
    store: StoreDep,
    derived: Annotated[
        bool | None,
        Query(
            description="Only derived (true) or only asserted (false) overlaps; both when absent",
            openapi_examples={"derived": {"summary": "Derived from shared regions", "value": True}},
        ),
    ] = None,
) -> list[OverlapOut]:
    rels = [r for r in store.relationships("OVERLAPS") if derived is None or r.derived == derived]
    nodes: dict[str, Node | None] = {}
    for node_id in {r.start for r in rels} | {r.end for r in rels}:
        nodes[node_id] = store.get_node(node_id)
    out = []
    for r in rels:
        start, end = nodes[r.start], nodes[r.end]
        if start is None or end is None:  # changed underneath us between the two reads
            continue
        jaccard = r.properties.get("jaccard")
        out.append(
            OverlapOut(
                start=EntitySummary.of(start),
                end=EntitySummary.of(end),
                derived=r.derived,
                shared_regions=list(r.properties.get("shared_regions", [])),
                jaccard=float(jaccard) if jaccard is not None else None,
                evidence=[EvidenceOut.of(e) for e in r.evidence],
            )
        )
    return out
