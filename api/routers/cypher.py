"""POST /cypher: read-only Cypher on the Neo4j store, with a time and a row limit."""

from __future__ import annotations

from fastapi import APIRouter

from api.cypher import run_cypher
from api.deps import SettingsDep, StoreDep
from api.schemas import CypherRequest, ErrorOut, QueryResult

router = APIRouter(tags=["query"])


@router.post(
    "/cypher",
    response_model=QueryResult,
    summary="Run a read-only Cypher query (Neo4j store only)",
    description=(
        "Runs in a READ transaction, so the server refuses CREATE, MERGE, SET, DELETE and write "
        "procedures; LOAD CSV, dbms.* and writing apoc.* calls are refused before running. The query is "
        "stopped after REGIOGRAPH_QUERY_TIMEOUT seconds (503) and at most REGIOGRAPH_QUERY_ROW_LIMIT rows "
        "are returned (`truncated` tells whether more existed)."
    ),
    responses={
        400: {"model": ErrorOut, "description": "Invalid Cypher"},
        403: {"model": ErrorOut, "description": "The query would write or is not allowed"},
        501: {"model": ErrorOut, "description": "The store is the memory store"},
        503: {"model": ErrorOut, "description": "Neo4j is down or the query took too long"},
    },
)
def cypher(body: CypherRequest, store: StoreDep, settings: SettingsDep) -> QueryResult:
    return run_cypher(store, body.query, body.parameters, settings)
