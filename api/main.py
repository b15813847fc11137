"""The FastAPI application: `create_app()` builds it from settings (or an explicit store, for tests)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from api.deps import StoreHolder
from api.routers import cypher, entities, health, letters, paths, programmes, queries, rdf, sparql, viz
from graph.sparql import SparqlEngine
from graph.store import GraphStore, InvalidGraph, StoreUnavailable
from regiograph.settings import Settings, get_settings

DESCRIPTION = (
    "Read-only queries over RegioGraph, a knowledge graph of Dutch regional governance read from "
    "parliamentary letters. Every relationship carries its evidence: the letter, source file, quote "
    "and character offsets into that file."
)


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    holder = StoreHolder(settings or get_settings(), store)
    sparql_engine = SparqlEngine(holder.settings.base_iri)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        sparql_engine.close()
        holder.close()

    app = FastAPI(title="RegioGraph", version="0.1.0", description=DESCRIPTION, lifespan=lifespan)
    app.state.store_holder = holder
    app.state.sparql_engine = sparql_engine

    @app.exception_handler(StoreUnavailable)
    async def store_unavailable(request: Request, exc: StoreUnavailable) -> JSONResponse:
        return JSONResponse(status_code=503, content={"detail": str(exc)})

    @app.exception_handler(InvalidGraph)
    async def invalid_request(request: Request, exc: InvalidGraph) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": str(exc)})

    app.include_router(health.router)
    app.include_router(entities.router)
    app.include_router(programmes.router)
    for module in (paths, queries, cypher, sparql, rdf, viz, letters):
        app.include_router(module.router)
    return app
