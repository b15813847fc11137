"""The FastAPI application: `create_app()` builds it from settings (or an explicit store, for tests)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.cache import CachedAnswers, ResponseCache
from api.deps import StoreHolder
from api.errors import install_error_handlers
from api.routers import api_router
from api.routers.docs import STATIC_DIR
from graph.sparql import SparqlEngine
from graph.store import GraphStore
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
        await cache.settle()
        sparql_engine.close()
        holder.close()

    # /docs and /redoc come from api/routers/docs.py, with Swagger UI and ReDoc served from /static
    app = FastAPI(
        title="RegioGraph",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.store_holder = holder
    app.state.sparql_engine = sparql_engine
    cache = ResponseCache(
        entries=holder.settings.api_cache_entries,
        max_bytes=holder.settings.api_cache_megabytes * 1_000_000,
        revision_interval=holder.settings.api_revision_interval,
    )
    app.state.response_cache = cache

    install_error_handlers(app)
    app.add_middleware(CachedAnswers, cache=cache, store=holder.get)
    app.include_router(api_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
