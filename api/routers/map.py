"""GET /map: the self-contained map page (graph/map.py) over the CBS 2025 boundaries (api/geo.py)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from api.deps import StoreDep
from api.geo import geography
from api.schemas import ErrorOut
from graph.map import MAP_RELATIONSHIPS, render_html
from graph.model import Evidence, Node

router = APIRouter(tags=["export"])
NAV = {"Voorpagina": "/", "Netwerk": "/viz", "Vragen en query's": "/query", "API": "/docs"}


def letter_href(letter: Node | None, evidence: Evidence) -> str:
    """The letter's page on this server, scrolled to the quote."""
    return f"/brief/{quote(evidence.letter, safe=':')}#tekens-{evidence.start}-{evidence.end}"


@router.get(
    "/map",
    response_class=HTMLResponse,
    summary="Self-contained HTML map: programme coverage and stacking on the CBS 2025 municipalities",
    responses={404: {"model": ErrorOut, "description": "The programme or region is unknown"}},
)
async def map_page(
    store: StoreDep,
    programma: Annotated[
        str | None,
        Query(
            max_length=300,
            description="Programme whose coverage is shown first; the stacking view when absent",
            openapi_examples={"npvr": {"summary": "NPVR", "value": "programme:npvr"}},
        ),
    ] = None,
    regio: Annotated[
        str | None,
        Query(
            max_length=300,
            description="Region whose programmes and quotes are shown in the side panel",
            openapi_examples={"twente": {"summary": "Twente", "value": "region:twente"}},
        ),
    ] = None,
) -> HTMLResponse:
    graph = await run_in_threadpool(store.snapshot, MAP_RELATIONSHIPS)
    page = await run_in_threadpool(render_html, graph, geography(), letter_href, programma, regio, NAV)
    return HTMLResponse(page)
