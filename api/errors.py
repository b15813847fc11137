"""Errors mapped to HTTP answers once, for every router: routes raise the domain's exceptions."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from api.cypher import CypherInvalid, CypherTimedOut, CypherUnsupported
from api.cypher_policy import CypherRefused
from graph.sparql import SparqlError, SparqlTimeout
from graph.store import InvalidGraph, QueryTooSlow, StoreUnavailable, UnknownNode
from ingest.errors import LetterError

# Exception type -> HTTP status; the exception's message is the `detail`.
STATUS = {
    StoreUnavailable: 503,
    SparqlTimeout: 503,
    SparqlError: 400,
    CypherRefused: 403,
    CypherInvalid: 400,
    CypherTimedOut: 503,
    CypherUnsupported: 501,
    InvalidGraph: 422,
    LetterError: 422,
    UnknownNode: 404,
    QueryTooSlow: 503,
}


def install_error_handlers(app: FastAPI) -> None:
    for exc_type, status in STATUS.items():
        app.add_exception_handler(exc_type, _handler(status))


def _handler(status: int):
    async def handle(request: Request, exc: Exception) -> JSONResponse:
        # an exception may say when to come back (DatasetBuilding: Retry-After)
        return JSONResponse(
            status_code=status, content={"detail": str(exc)}, headers=getattr(exc, "headers", None)
        )

    return handle
