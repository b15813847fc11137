"""GET /rdf: the whole graph as RDF (graph/rdf.py), in the format the client asks for."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.deps import SettingsDep, StoreDep
from api.negotiation import negotiate
from api.schemas import ErrorOut
from graph import rdf

router = APIRouter(tags=["export"])

# Media type -> format name of graph/rdf.py; the first is the default.
MEDIA_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/ld+json": "jsonld",
    "application/trig": "trig",
    "application/n-quads": "nquads",
}
BY_FORMAT = {fmt: media for media, fmt in MEDIA_TYPES.items()}


@router.get(
    "/rdf",
    summary="The whole graph as RDF (Turtle, N-Triples, JSON-LD, TriG or N-Quads)",
    description=(
        "Chosen by `format` when given, else by the Accept header (Turtle when anything goes). TriG and "
        "N-Quads keep one named graph per letter. Unsupported formats answer 406."
    ),
    responses={
        200: {"content": {media: {} for media in MEDIA_TYPES}, "description": "The RDF dump"},
        406: {"model": ErrorOut, "description": "Unsupported format"},
    },
)
async def rdf_dump(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    format: Annotated[
        str | None,
        Query(
            max_length=40,
            description="turtle, ntriples, jsonld, trig or nquads (overrides Accept)",
            openapi_examples={"turtle": {"summary": "Turtle", "value": "turtle"}},
        ),
    ] = None,
) -> Response:
    if format is not None:
        media = BY_FORMAT.get(format.lower())
    else:
        media = negotiate(request.headers.get("accept"), list(MEDIA_TYPES))
    if media is None:
        raise HTTPException(
            406,
            "unsupported RDF format; use format= one of "
            + ", ".join(BY_FORMAT)
            + " or Accept: "
            + ", ".join(MEDIA_TYPES),
        )
    graph = await run_in_threadpool(store.snapshot)
    body = await run_in_threadpool(rdf.serialize, graph, MEDIA_TYPES[media], settings.base_iri)
    return Response(body, media_type=media)
