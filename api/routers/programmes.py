"""Programme questions: which programmes there are, which regions a programme covers, which programmes
reach a region or involve a ministry, which programmes overlap, and a programme's timeline. Each takes
`as_of`: only evidence from letters dated up to that day counts (graph/timeline.py)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from api.cache import cached
from api.deps import StoreDep
from api.routers.params import NOT_FOUND, AsOf, MinistryId, ProgrammeId, RegionId, require_node
from api.schemas import (
    EntitySummary,
    EvidenceOut,
    NeighbourOut,
    OverlapOut,
    ProgrammeOut,
    ProgrammesOut,
    TimelineLetterOut,
    TimelineOut,
    UndatedLetterOut,
)
from graph import timeline
from graph.model import Node
from graph.store import GraphStore

router = APIRouter(tags=["programmes"])

UNDATED_HEADER = "X-Undated-Letters"
WITH_UNDATED: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    200: {
        "description": "The relationships, each with its evidence",
        "headers": {
            UNDATED_HEADER: {
                "description": "Space-separated ids of the letters without a date behind the answer: "
                "left out of an as_of view, never given a guessed date",
                "schema": {"type": "string"},
            }
        },
    },
}


def _related(
    store: GraphStore,
    response: Response,
    node_id: str,
    label: str,
    types: tuple[str, ...],
    direction: str,
    as_of: str | None,
) -> list[NeighbourOut]:
    """Neighbours over the given relationship types in one direction, after checking the node's label,
    as of the day; the undated letters behind them go in a header."""
    require_node(store, node_id, label)
    found = [n for rel_type in types for n in store.neighbours(node_id, rel_type) if n.direction == direction]
    dates = timeline.LetterDates.of(store.letters())
    undated = dates.undated(timeline.evidence_letters(n.relationship for n in found))
    if undated:
        response.headers[UNDATED_HEADER] = " ".join(undated)
    return [NeighbourOut.of(n) for n in timeline.as_of_neighbours(found, dates, as_of)]


@router.get(
    "/programmes",
    response_model=ProgrammesOut,
    summary="The programmes, each with the letters that name it; as_of lists those named up to that day",
)
def programmes(request: Request, store: StoreDep, as_of: AsOf) -> Response:
    return cached(request, store, ProgrammesOut, lambda _: _programmes(store, as_of))


def _programmes(store: GraphStore, as_of: str | None) -> ProgrammesOut:
    dates = timeline.LetterDates.of(store.letters())
    found = store.search("", label="Programme", limit=100_000)
    listed = []
    for node in found:
        letters = [x for x in node.properties.get("letters", []) if dates.counts(x, as_of)]
        if not letters:
            continue
        named = sorted(d for d in (dates.dates.get(x) for x in letters) if d is not None)
        summary = EntitySummary.of(node).model_dump()
        listed.append(ProgrammeOut(**summary, letters=letters, first_named=named[0] if named else None))
    undated = dates.undated(x for node in found for x in node.properties.get("letters", []))
    return ProgrammesOut(as_of=as_of, programmes=listed, undated_letters=undated)


@router.get(
    "/programmes/{programme_id}/regions",
    response_model=list[NeighbourOut],
    summary="Regions a programme covers (COVERS), with evidence",
    responses=WITH_UNDATED,
)
def programme_regions(request: Request, store: StoreDep, programme_id: ProgrammeId, as_of: AsOf) -> Response:
    return cached(
        request,
        store,
        list[NeighbourOut],
        lambda response: _related(store, response, programme_id, "Programme", ("COVERS",), "out", as_of),
    )


@router.get(
    "/programmes/{programme_id}/timeline",
    response_model=TimelineOut,
    summary="What was said when: the programme's letters in date order, each with what it first stated, "
    "stated again or no longer stated",
    description=(
        "Every dated letter that states a relationship of the programme (MENTIONS and derived "
        "relationships left out), by date and then id. `first_stated`: relationships no earlier letter "
        "stated; `stated_again`: those an earlier letter stated too (each with this letter's evidence, "
        "and `first_stated`/`last_stated` over the whole timeline); `no_longer_stated`: those an earlier "
        "letter stated that neither this letter nor any later one states again, listed once, at the "
        "first letter after their last statement. Letters without a date are listed apart under "
        "`undated`, with what they state, and never placed in the order. `as_of` cuts the timeline at "
        "that day."
    ),
    responses=NOT_FOUND,
)
def programme_timeline(request: Request, store: StoreDep, programme_id: ProgrammeId, as_of: AsOf) -> Response:
    return cached(request, store, TimelineOut, lambda _: _timeline(store, programme_id, as_of))


def _timeline(store: GraphStore, programme_id: str, as_of: str | None) -> TimelineOut:
    programme = require_node(store, programme_id, "Programme")
    letters = {n.id: n for n in store.letters()}
    dates = timeline.LetterDates.of(letters.values())
    steps, undated = timeline.timeline(store.neighbours(programme_id), dates, as_of)

    def letter(letter_id: str) -> EntitySummary:
        node = letters.get(letter_id) or Node(id=letter_id, labels=["Letter"], name=letter_id)
        return EntitySummary.of(node)

    def out(items) -> list[NeighbourOut]:
        return [NeighbourOut.of(n) for n in items]

    return TimelineOut(
        programme=EntitySummary.of(programme),
        as_of=as_of,
        letters=[
            TimelineLetterOut(
                letter=letter(s.letter),
                date=s.date or "",
                first_stated=out(s.first_stated),
                stated_again=out(s.stated_again),
                no_longer_stated=out(s.no_longer_stated),
            )
            for s in steps
        ],
        undated=[UndatedLetterOut(letter=letter(s.letter), stated=out(s.stated)) for s in undated],
    )


@router.get(
    "/regions/{region_id}/programmes",
    response_model=list[NeighbourOut],
    summary="Programmes covering a region (COVERS), with evidence",
    responses=WITH_UNDATED,
)
def region_programmes(request: Request, store: StoreDep, region_id: RegionId, as_of: AsOf) -> Response:
    return cached(
        request,
        store,
        list[NeighbourOut],
        lambda response: _related(store, response, region_id, "Region", ("COVERS",), "in", as_of),
    )


@router.get(
    "/ministries/{ministry_id}/programmes",
    response_model=list[NeighbourOut],
    summary="Programmes a ministry coordinates or takes part in, with evidence",
    responses=WITH_UNDATED,
)
def ministry_programmes(request: Request, store: StoreDep, ministry_id: MinistryId, as_of: AsOf) -> Response:
    types = ("COORDINATES", "PARTICIPATES_IN")
    return cached(
        request,
        store,
        list[NeighbourOut],
        lambda response: _related(store, response, ministry_id, "Ministry", types, "out", as_of),
    )


@router.get(
    "/overlaps",
    response_model=list[OverlapOut],
    summary="Overlapping programmes: asserted in letters (with evidence) and derived from shared regions",
    description="With as_of, asserted overlaps keep the evidence of letters up to that day and derived ones "
    "are computed from the coverage stated up to that day.",
)
def overlaps(
    request: Request,
    store: StoreDep,
    as_of: AsOf,
    derived: Annotated[
        bool | None,
        Query(
            description="Only derived (true) or only asserted (false) overlaps; both when absent",
            openapi_examples={"derived": {"summary": "Derived from shared regions", "value": True}},
        ),
    ] = None,
) -> Response:
    return cached(request, store, list[OverlapOut], lambda _: _overlaps(store, as_of, derived))


def _overlaps(store: GraphStore, as_of: str | None, derived: bool | None) -> list[OverlapOut]:
    rels = store.relationships("OVERLAPS")
    if as_of is not None:
        dates = timeline.LetterDates.of(store.letters())
        rels = timeline.overlaps_as_of(rels, store.relationships("COVERS"), dates, as_of)
    rels = [r for r in rels if derived is None or r.derived == derived]
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
