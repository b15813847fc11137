"""GET /rdf: the whole graph as RDF (graph/rdf.py), in the format the client asks for."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, Response

from api.deps import SparqlDep, StoreDep
from api.negotiation import negotiate
from api.schemas import ErrorOut
from graph import rdf

router = APIRouter(tags=["export"])

# Media type -> format name of graph/rdf.py; the first (Turtle) is the default.
MEDIA_TYPES = {spec.media_type: name for name, spec in rdf.RDF_FORMATS.items()}
BY_FORMAT = {fmt: media for media, fmt in MEDIA_TYPES.items()}


@router.get(
    "/rdf",
    summary="The whole graph as RDF (Turtle, N-Triples, RDF/XML, TriG, N-Quads or JSON-LD)",
    description=(
        "One dump, equal in every format, written by pyoxigraph. Chosen by `format` when given, else by "
        "the Accept header (Turtle when anything goes). TriG, N-Quads and JSON-LD keep one named graph "
        "per letter and `<base>graph/derived`, plus the merge of all graphs as the default graph; Turtle, "
        "N-Triples and RDF/XML hold that default graph. It carries its own VoID/DCAT description "
        "(`<base>dataset`). Unsupported formats answer 406."
    ),
    responses={
        200: {"content": {media: {} for media in MEDIA_TYPES}, "description": "The RDF dump"},
        406: {"model": ErrorOut, "description": "Unsupported format"},
    },
)
async def rdf_dump(
    request: Request,
    store: StoreDep,
    engine: SparqlDep,
    format: Annotated[
        str | None,
        Query(
            max_length=40,
            description="turtle, ntriples, rdfxml, trig, nquads or jsonld (overrides Accept)",
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
    path = await run_in_threadpool(engine.dump_file, store, MEDIA_TYPES[media])
    return FileResponse(path, media_type=media, headers={"Vary": "Accept"})
