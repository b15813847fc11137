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
        "The server plans the query first (EXPLAIN) and it runs only when that plan is read-only: no "
        "CREATE, MERGE, SET, DELETE, REMOVE, schema or administration commands (SHOW USERS, SHOW "
        "DATABASES, TERMINATE ...; SHOW INDEXES, CONSTRAINTS, PROCEDURES and FUNCTIONS are allowed), no "
        "LOAD CSV, and procedures only from the allow-list (db.labels, db.relationshipTypes, "
        "db.propertyKeys, db.schema.visualization, db.index.fulltext.queryNodes, read-only APOC). It then "
        "runs in a READ transaction, is stopped after REGIOGRAPH_QUERY_TIMEOUT seconds (503) and returns "
        "at most REGIOGRAPH_QUERY_ROW_LIMIT rows (`truncated` tells whether more existed). Pass values as "
        "`parameters` ($name in the query): they are bound, never pasted into the text."
    ),
    responses={
        400: {"model": ErrorOut, "description": "Invalid Cypher"},
        403: {"model": ErrorOut, "description": "The query writes, administers or is otherwise not allowed"},
        501: {"model": ErrorOut, "description": "The store is the memory store"},
        503: {"model": ErrorOut, "description": "Neo4j is down or the query took too long"},
    },
)
def cypher(body: CypherRequest, store: StoreDep, settings: SettingsDep) -> QueryResult:
    return run_cypher(store, body.query, body.parameters, settings)
