"""GET|POST /sparql: the SPARQL 1.1 Protocol (query operation only) over the dump of the store.

Requests (Protocol §2.1): GET with `query=`, POST form-encoded with `query=`, POST with the query as an
`application/sparql-query` body; `default-graph-uri` and `named-graph-uri` (repeatable) in the URL or
the form replace the query's FROM / FROM NAMED. Exactly one query; UTF-8 only; updates refused.
Responses by `Accept` (`Vary: Accept`), written by pyoxigraph in the query's worker process:
SELECT/ASK as SPARQL JSON (the default, also for `*/*`), XML, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle
(the default), N-Triples, JSON-LD, RDF/XML, TriG or N-Quads; 406 when nothing acceptable fits.
A GET without a query answers the SPARQL 1.1 Service Description.
"""

from __future__ import annotations

import asyncio
from contextlib import suppress
from functools import partial
from typing import Annotated, Any
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.deps import SettingsDep, SparqlDep, StoreDep
from api.negotiation import negotiate
from api.schemas import ErrorOut
from graph.sparql import (
    DEFAULT_PREFIXES,
    Job,
    SparqlCancelled,
    SparqlNotAcceptable,
    service_description,
)

router = APIRouter(tags=["query"])

# Media type -> the worker's format name; the first of each is the default (also for Accept: */*).
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
    "application/trig": "trig",
    "application/n-quads": "nquads",
}
SD_TYPES = {
    media: fmt for media, fmt in GRAPH_TYPES.items() if fmt in ("turtle", "ntriples", "jsonld", "rdfxml")
}
_OX_GRAPH = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
MAX_QUERY_CHARS = 100_000
MAX_BODY_BYTES = 4 * MAX_QUERY_CHARS  # URL-encoding can triple a query's size
VARY = {"Vary": "Accept"}
DATASET_PARAMS = ("default-graph-uri", "named-graph-uri")

_DOC = (
    "SPARQL 1.1 Protocol, query operation, over the RDF dump (ontology.ttl): the default graph is the merge "
    "of all graphs, each letter's assertions and quotes are a named graph (the letter's IRI) and derived "
    "relationships are `<base>graph/derived`; the prefixes rg, dct, skos, rdf, rdfs, owl, xsd... are "
    "predeclared. `default-graph-uri` / `named-graph-uri` (URL or form) replace the query's FROM / FROM "
    "NAMED; a graph not stored is empty, nothing is ever fetched. SELECT/ASK answer SPARQL JSON (default, "
    "also for */*), XML, CSV or TSV; CONSTRUCT/DESCRIBE answer Turtle (default), N-Triples, JSON-LD, "
    "RDF/XML, TriG or N-Quads; 406 when no acceptable type fits. Updates and SERVICE (federation) are "
    "refused (400), as are several `query` parameters, a query in both URL and body, and charsets other than "
    "UTF-8 (415). Each query runs in a worker process: past REGIOGRAPH_QUERY_TIMEOUT seconds it is stopped "
    "(503), and a result over REGIOGRAPH_QUERY_ROW_LIMIT rows or triples is refused (400 naming the cap, "
    "LIMIT and the dump at /rdf), never cut short. A client that disconnects frees its worker. A GET "
    "without a query answers the SPARQL 1.1 Service Description."
)
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {**{media: {} for media in RESULT_TYPES}, **{media: {} for media in GRAPH_TYPES}},
        "description": "Query results, or the service description",
    },
    400: {
        "model": ErrorOut,
        "description": "Missing, ambiguous or invalid query, an update, SERVICE, or a "
        "result over the row cap",
    },
    406: {"model": ErrorOut, "description": "No acceptable result format"},
    413: {"model": ErrorOut, "description": "The query is too long"},
    415: {"model": ErrorOut, "description": "Unsupported request body type or charset"},
    503: {
        "model": ErrorOut,
        "description": "The query took too long, every worker is busy, or the store is down",
    },
}


def _bad(status: int, detail: str) -> HTTPException:
    return HTTPException(status, detail, headers=VARY)


def _one_query(values: list[str], where: str) -> str | None:
    if len(values) > 1:
        raise _bad(400, f"{len(values)} `query` parameters in {where}; send exactly one query")
    return values[0] if values else None


def _check_length(text: str) -> None:
    if len(text) > MAX_QUERY_CHARS:
        raise _bad(413, f"the query has {len(text):,} characters; at most {MAX_QUERY_CHARS:,} are accepted")


async def _disconnected(request: Request) -> None:
    """Returns when the client has gone away (the body has been read already, or there is none)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            return


async def _execute(
    request: Request,
    store,
    engine,
    settings,
    text: str | None,
    default_graph: list[str],
    named_graphs: list[str],
) -> Response:
    if text is None or not text.strip():
        raise _bad(400, "missing query: pass it as ?query=... or POST it (application/sparql-query)")
    _check_length(text)
    for name, values in (("default-graph-uri", default_graph), ("named-graph-uri", named_graphs)):
        for value in values:
            try:
                ox.NamedNode(value)
            except ValueError:
                raise _bad(400, f"{name} {value!r} is not an absolute IRI") from None
    accept = request.headers.get("accept")
    results_media = negotiate(accept, list(RESULT_TYPES))
    graph_media = negotiate(accept, list(GRAPH_TYPES))
    dataset = bool(default_graph or named_graphs)
    job = Job()
    run = partial(
        engine.run,
        store,
        text,
        timeout=settings.query_timeout,
        limit=settings.query_row_limit,
        results=(RESULT_TYPES[results_media], results_media) if results_media else None,
        graph=(GRAPH_TYPES[graph_media], graph_media) if graph_media else None,
        default_graph=default_graph if dataset else None,
        named_graphs=named_graphs if dataset else None,
        job=job,
        base_iri=str(request.url.replace(query="")),
    )
    task = asyncio.ensure_future(run_in_threadpool(run))
    watcher = asyncio.ensure_future(_disconnected(request))
    try:
        await asyncio.wait({task, watcher}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        watcher.cancel()
    if not task.done():
        job.cancel()  # the client is gone: kill its worker, a fresh one takes its place
        with suppress(Exception):
            await task
        return Response(status_code=499)
    try:
        answer = task.result()
    except SparqlNotAcceptable as exc:
        offered = RESULT_TYPES if exc.kind == "results" else GRAPH_TYPES
        kind = "SELECT and ASK" if exc.kind == "results" else "CONSTRUCT and DESCRIBE"
        raise _bad(406, f"acceptable result types for {kind}: " + ", ".join(offered)) from None
    except SparqlCancelled:
        return Response(status_code=499)
    return Response(answer.body, media_type=answer.media_type, headers=VARY)


async def _service_description(request: Request, store, engine, settings) -> Response:
    media = negotiate(request.headers.get("accept"), list(SD_TYPES))
    if media is None:
        raise _bad(406, "acceptable types for the service description: " + ", ".join(SD_TYPES))
    dump = await run_in_threadpool(engine.rdf_store, store)
    endpoint = str(request.url.replace(query=""))
    triples = service_description(
        endpoint,
        dump,
        settings.base_iri,
        triples=engine.default_graph_size(store),
        timeout=settings.query_timeout,
        row_limit=settings.query_row_limit,
    )
    body = ox.serialize(triples, format=_OX_GRAPH[SD_TYPES[media]], prefixes=DEFAULT_PREFIXES)
    return Response(body, media_type=media, headers=VARY)


@router.get(
    "/sparql",
    summary="SPARQL query (GET), or the service description",
    description=_DOC,
    responses=_RESPONSES,
)
async def sparql_get(
    request: Request,
    store: StoreDep,
    engine: SparqlDep,
    settings: SettingsDep,
    query: Annotated[
        str | None,
        Query(
            description="The SPARQL query (exactly one); without it, the SPARQL 1.1 Service Description",
            openapi_examples={
                "covers": {
                    "summary": "Regions covered by NPVR",
                    "value": "SELECT ?region WHERE { ?p rg:nodeId 'programme:npvr' ; rg:covers ?r . "
                    "?r skos:prefLabel ?region }",
                }
            },
        ),
    ] = None,
    default_graph_uri: Annotated[
        list[str] | None,
        Query(alias="default-graph-uri", description="A stored graph to use as (part of) the default graph"),
    ] = None,
    named_graph_uri: Annotated[
        list[str] | None,
        Query(alias="named-graph-uri", description="A stored graph to make available to GRAPH"),
    ] = None,
) -> Response:
    params = request.query_params
    text = _one_query(params.getlist("query"), "the URL")
    if text is None and not any(params.getlist(p) for p in DATASET_PARAMS):
        return await _service_description(request, store, engine, settings)
    return await _execute(
        request,
        store,
        engine,
        settings,
        text,
        params.getlist("default-graph-uri"),
        params.getlist("named-graph-uri"),
    )


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _bad(
            413, f"the request body has {int(declared):,} bytes; at most {MAX_BODY_BYTES:,} are accepted"
        )
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _bad(413, f"the request body is over {MAX_BODY_BYTES:,} bytes; send a shorter query")
        chunks.append(chunk)
    return b"".join(chunks)


def _content_type(request: Request) -> tuple[str, str | None]:
    media, *params = (part.strip() for part in request.headers.get("content-type", "").split(";"))
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.lower(), charset


@router.post(
    "/sparql",
    summary="SPARQL query (POST: application/sparql-query or form-encoded query=)",
    description=_DOC,
    responses=_RESPONSES,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/sparql-query": {"schema": {"type": "string"}},
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "query": {"type": "string"},
                            "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                            "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                        },
                    },
                    "example": {"query": "SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }"},
                },
            },
        }
    },
)
async def sparql_post(
    request: Request, store: StoreDep, engine: SparqlDep, settings: SettingsDep
) -> Response:
    media, charset = _content_type(request)
    if media not in ("application/sparql-query", "application/x-www-form-urlencoded"):
        raise _bad(
            415,
            "send the query as application/sparql-query or as form field query= "
            "(application/x-www-form-urlencoded)",
        )
    if charset not in (None, "utf-8", "utf8"):
        raise _bad(415, f"charset={charset} is not supported: send the query in UTF-8")
    body = await _read_body(request)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise _bad(400, "the request body is not UTF-8") from None
    url = request.query_params
    if url.getlist("query"):
        raise _bad(400, "a query in the URL and one in the body: send exactly one query")
    default_graph, named_graphs = url.getlist("default-graph-uri"), url.getlist("named-graph-uri")
    if media == "application/sparql-query":
        query: str | None = text
    else:
        try:
            form = parse_qs(text, keep_blank_values=True, strict_parsing=False, errors="strict")
        except (UnicodeDecodeError, ValueError):
            raise _bad(400, "the form is not UTF-8 URL-encoded") from None
        if "update" in form:
            raise _bad(400, "SPARQL Update is refused: this endpoint is read-only")
        query = _one_query(form.get("query", []), "the form")
        default_graph += form.get("default-graph-uri", [])
        named_graphs += form.get("named-graph-uri", [])
    return await _execute(request, store, engine, settings, query, default_graph, named_graphs)
