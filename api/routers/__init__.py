"""One router per resource, gathered into the one `api_router` the app includes."""

from fastapi import APIRouter

from api.routers import (
    cypher,
    docs,
    entities,
    health,
    letters,
    linked_data,
    map,
    pages,
    paths,
    programmes,
    queries,
    rdf,
    sparql,
    viz,
)

api_router = APIRouter()
_MODULES = (health, entities, programmes, paths, queries, cypher, sparql, rdf, linked_data, viz, map, letters,
            docs, pages)
for _module in _MODULES:
    api_router.include_router(_module.router)
