"""GET /queries and GET /queries/{name}: curated questions (queries/*.cypher with .rq twins)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from api.cache import cached_async
from api.curated import DATE_PARAMS, CuratedQuery, load_all
from api.cypher import run_cypher
from api.deps import HolderDep, SettingsDep, SparqlDep, StoreDep, StoreHolder
from api.routers.params import as_of_day
from api.schemas import CuratedQueryOut, CuratedResult, ErrorOut, QueryParamOut, QueryResult
from graph.sparql import SparqlEngine, python_value
from graph.store import GraphStore
from graph.text import fold
from graph.timeline import LetterDates
from regiograph.settings import Settings

router = APIRouter(prefix="/queries", tags=["query"])


class Engine(StrEnum):
    auto = "auto"
    cypher = "cypher"
    sparql = "sparql"


def _out(q: CuratedQuery) -> CuratedQueryOut:
    return CuratedQueryOut(
        name=q.name,
        question=q.question,
        params=[QueryParamOut(name=n, example=e, optional=n in q.optional) for n, e in q.params],
        cypher=q.cypher,
        sparql=q.sparql,
    )


@router.get(
    "", response_model=list[CuratedQueryOut], summary="The curated questions, their parameters and text"
)
def list_queries() -> list[CuratedQueryOut]:
    return [_out(q) for q in load_all().values()]


@router.get(
    "/{name}",
    response_model=CuratedResult,
    summary="Answer one curated question; its parameters go in the query string (?region=region:twente)",
    description=(
        "Runs the Cypher on the Neo4j store and the SPARQL twin on the memory store (engine=auto), or "
        "the one asked for. Rows name the letter and quote behind each stated relationship. Every "
        "curated query takes `as_of=YYYY-MM-DD`: only evidence from letters dated up to that day "
        "counts; letters without a date are left out and listed under `undated_letters`."
    ),
    responses={
        404: {"model": ErrorOut, "description": "No curated query with this name"},
        422: {"model": ErrorOut, "description": "A parameter is missing, or as_of is not a date"},
        501: {"model": ErrorOut, "description": "engine=cypher on the memory store"},
    },
)
async def run_query(
    request: Request,
    holder: HolderDep,
    store: StoreDep,
    engine: SparqlDep,
    settings: SettingsDep,
    name: Annotated[
        str,
        Path(
            max_length=100,
            openapi_examples={"covering": {"summary": "Region", "value": "programmes-covering-region"}},
        ),
    ],
    language: Annotated[Engine, Query(alias="engine", description="auto, cypher or sparql")] = Engine.auto,
) -> Response:
    query = load_all().get(name)
    if query is None:
        raise HTTPException(404, f"no curated query {name!r}; see GET /queries")

    async def answer(_: Response) -> CuratedResult:
        return await _answer(request, holder, store, engine, settings, query, language)

    return await cached_async(request, store, CuratedResult, answer)


async def _answer(
    request: Request,
    holder: StoreHolder,
    store: GraphStore,
    engine: SparqlEngine,
    settings: Settings,
    query: CuratedQuery,
    language: Engine,
) -> CuratedResult:
    values: dict[str, str | None] = {}
    for param, example in query.params:
        value = request.query_params.get(param)
        if not value and param in query.optional:
            values[param] = None
        elif not value:
            raise HTTPException(422, f"missing query parameter {param!r} (e.g. ?{param}={example})")
        elif param in DATE_PARAMS:
            values[param] = as_of_day(value, param)
        else:
            values[param] = await run_in_threadpool(_entity_id, store, param, value, example)
    if language is Engine.auto:
        language = Engine.cypher if holder.kind == "neo4j" else Engine.sparql
    if language is Engine.cypher:
        result = await run_in_threadpool(run_cypher, store, query.cypher, values, settings)
    else:
        result = await run_in_threadpool(_sparql_rows, engine, store, query, values, settings)
    as_of = values.get("as_of")
    undated = await run_in_threadpool(_undated, store) if as_of else []
    return CuratedResult(
        name=query.name, question=query.question, as_of=as_of, undated_letters=undated, **result.model_dump()
    )


def _undated(store) -> list[str]:
    dates = LetterDates.of(store.letters())
    return dates.undated(dates.dates)


def _entity_id(store, param: str, value: str, example: str) -> str:
    """An entity id as given, or the id of the one entity whose name or alias is `value`; 422 otherwise,
    so that a misspelt parameter never answers 200 with no rows."""
    if store.get_node(value) is not None:
        return value
    wanted = fold(value.strip())
    prefix = example.split(":", 1)[0] + ":"
    named = [
        n for n in store.search(value.strip(), limit=50)
        if n.id.startswith(prefix) and wanted in {fold(x) for x in [n.name, *n.aliases]}
    ]
    if len(named) == 1:
        return named[0].id
    if len(named) > 1:
        ids = ", ".join(n.id for n in named)
        raise HTTPException(422, f"{param}={value!r} names several entities ({ids}); pass one id")
    raise HTTPException(
        422,
        f"{param}={value!r} is neither an entity id nor a name; pass an id like {example} or an exact name",
    )


def _sparql_rows(engine, store, query: CuratedQuery, values: dict[str, str | None], settings) -> QueryResult:
    """Entity parameters are bound as the projection's variables, dates fill their VALUES slots."""
    bindings = {k: v for k, v in values.items() if v is not None and k not in DATE_PARAMS}
    days = {k: v for k, v in values.items() if v is not None and k in DATE_PARAMS}
    text = query.sparql_with_dates(days)
    result = engine.query(store, text, settings.query_timeout, settings.query_row_limit, bindings)
    columns = [v for v in result.variables if v not in values]  # parameters are projected, not answers
    rows = [{c: python_value(row.get(c)) for c in columns} for row in result.solutions]
    return QueryResult(language="sparql", columns=columns, rows=rows, truncated=result.truncated)
