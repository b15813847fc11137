"""GET|POST /sparql: the SPARQL 1.1 Protocol (query operation only) over the RDF rendering of the store."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from rdflib import BNode, URIRef, Variable
from rdflib import Literal as RDFLiteral
from rdflib.query import Result

from api.deps import SettingsDep, SparqlDep, StoreDep
from api.negotiation import negotiate
from api.schemas import ErrorOut
from graph.sparql import DEFAULT_PREFIXES, SparqlResult

router = APIRouter(tags=["query"])

# Result media types of SELECT/ASK, first is the default; rdflib's serialiser writes each.
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
}
TURTLE = "text/turtle"
TRUNCATED_HEADER = "X-RegioGraph-Truncated"
MAX_QUERY_CHARS = 100_000

_DOC = (
    "SPARQL 1.1 Protocol, query operation. Triples: the RDF export (ontology.ttl), with the union of "
    "all graphs as default graph; the prefixes rg, dct, skos, rdf, rdfs, owl, xsd... are predeclared. "
    "SELECT/ASK answer JSON (default), XML or CSV by Accept; CONSTRUCT/DESCRIBE answer Turtle. Updates "
    "and SERVICE (federation: the server never fetches another endpoint) are refused (400); FROM and FROM "
    "NAMED select graphs of the data. A query running longer than REGIOGRAPH_QUERY_TIMEOUT seconds is "
    "abandoned with 503; at most REGIOGRAPH_QUERY_ROW_LIMIT solutions are returned (header "
    f"{TRUNCATED_HEADER}: true when more existed)."
)
_RESPONSES = {
    200: {
        "content": {
            "application/sparql-results+json": {},
            "application/sparql-results+xml": {},
            "text/csv": {},
            "text/turtle": {},
        },
        "description": "Query results",
    },
    400: {"model": ErrorOut, "description": "Missing or invalid query, an update, or SERVICE"},
    406: {"model": ErrorOut, "description": "No acceptable result format"},
    503: {"model": ErrorOut, "description": "The query took too long, or the store is down"},
}


def _rdflib(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return RDFLiteral(term.value, lang=term.language)
        return RDFLiteral(term.value, datatype=URIRef(term.datatype.value))
    return RDFLiteral(str(term))  # RDF-star triple terms: their text


def _respond(result: SparqlResult, accept: str | None) -> Response:
    headers = {TRUNCATED_HEADER: "true"} if result.truncated else {}
    if result.kind == "graph":
        body = ox.serialize(result.triples, format=ox.RdfFormat.TURTLE, prefixes=DEFAULT_PREFIXES)
        return Response(body, media_type=TURTLE, headers=headers)
    media = negotiate(accept, list(RESULT_TYPES))
    if media is None:
        raise HTTPException(406, "acceptable result types: " + ", ".join(RESULT_TYPES))
    answer = Result("ASK" if result.kind == "ask" else "SELECT")
    if result.kind == "ask":
        answer.askAnswer = bool(result.boolean)
    else:
        answer.vars = [Variable(v) for v in result.variables]
        answer.bindings = [
            {Variable(k): _rdflib(term) for k, term in row.items()} for row in result.solutions
        ]
    body = answer.serialize(format=RESULT_TYPES[media])
    return Response(body, media_type=media, headers=headers)


async def _execute(text: str | None, request: Request, store, engine, settings) -> Response:
    if not text or not text.strip():
        raise HTTPException(400, "missing query: pass it as ?query=... or POST it (application/sparql-query)")
    if len(text) > MAX_QUERY_CHARS:
        raise HTTPException(400, f"query longer than {MAX_QUERY_CHARS} characters")
    result = await run_in_threadpool(
        engine.query, store, text, settings.query_timeout, settings.query_row_limit
    )
    return _respond(result, request.headers.get("accept"))


@router.get("/sparql", summary="SPARQL query (GET)", description=_DOC, responses=_RESPONSES)
async def sparql_get(
    request: Request,
    store: StoreDep,
    engine: SparqlDep,
    settings: SettingsDep,
    query: Annotated[
        str | None,
        Query(
            description="The SPARQL query",
            openapi_examples={
                "covers": {
                    "summary": "Regions covered by NPVR",
                    "value": "SELECT ?region WHERE { ?p rg:nodeId 'programme:npvr' ; rg:covers ?r . "
                    "?r skos:prefLabel ?region }",
                }
            },
        ),
    ] = None,
) -> Response:
    return await _execute(query, request, store, engine, settings)


@router.post(
    "/sparql",
    summary="SPARQL query (POST: application/sparql-query or form-encoded query=)",
    description=_DOC,
    responses={**_RESPONSES, 415: {"model": ErrorOut, "description": "Unsupported request body type"}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/sparql-query": {"schema": {"type": "string"}},
                "application/x-www-form-urlencoded": {
                    "schema": {"type": "object", "properties": {"query": {"type": "string"}}},
                    "example": {"query": "SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }"},
                },
            },
        }
    },
)
async def sparql_post(
    request: Request, store: StoreDep, engine: SparqlDep, settings: SettingsDep
) -> Response:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if len(body) > MAX_QUERY_CHARS * 4:
        raise HTTPException(400, f"query longer than {MAX_QUERY_CHARS} characters")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPException(400, "the request body is not UTF-8") from None
    if content_type == "application/sparql-query":
        query = text
    elif content_type == "application/x-www-form-urlencoded":
        form = parse_qs(text)
        if "update" in form:
            raise HTTPException(400, "SPARQL Update is refused: this endpoint is read-only")
        query = (form.get("query") or [None])[0]
    else:
        raise HTTPException(
            415,
            "send the query as application/sparql-query or as form field query= "
            "(application/x-www-form-urlencoded)",
        )
    return await _execute(query, request, store, engine, settings)
