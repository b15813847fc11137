"""GET /viz: the interactive network page (graph/viz.py) of the whole graph or one neighbourhood."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from api.deps import StoreDep
from api.routers.map import NAV, letter_href
from api.routers.pages import entity_href
from api.schemas import ErrorOut
from graph.viz import read_neighbourhood, render_html

router = APIRouter(tags=["export"])


@router.get(
    "/viz",
    response_class=HTMLResponse,
    summary="Self-contained HTML network page, optionally around one entity",
    responses={
        404: {
            "model": ErrorOut,
            "description": "The focus entity is unknown (the answer says how to search for it)",
        }
    },
)
async def viz(
    store: StoreDep,
    focus: Annotated[
        str | None,
        Query(
            max_length=300,
            description="Entity id to centre on; the whole graph when absent",
            openapi_examples={"npvr": {"summary": "NPVR", "value": "programme:npvr"}},
        ),
    ] = None,
    depth: Annotated[int, Query(ge=1, le=4, description="Hops around the focus")] = 1,
) -> HTMLResponse:
    # around a focus only its neighbourhood is read; the whole graph needs the snapshot
    if focus is None:
        graph = await run_in_threadpool(store.snapshot)
    else:
        graph = await run_in_threadpool(read_neighbourhood, store, focus, depth)
    page = await run_in_threadpool(
        lambda: render_html(graph, focus, depth, entity_href=entity_href, letter_href=letter_href, links=NAV)
    )
    return HTMLResponse(page)
