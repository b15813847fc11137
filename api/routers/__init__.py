"""One router per resource, gathered into the one `api_router` the app includes."""

from fastapi import APIRouter

from api.routers import cypher, entities, health, letters, paths, programmes, queries, rdf, sparql, viz

api_router = APIRouter()
for _module in (health, entities, programmes, paths, queries, cypher, sparql, rdf, viz, letters):
    api_router.include_router(_module.router)
