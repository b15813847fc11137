"""GET /health: is the store reachable, and how much does it hold."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.cache import get_cache
from api.deps import HolderDep
from api.schemas import Health
from graph.store import StoreUnavailable

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    response_model=Health,
    summary="Store kind, reachability and node counts",
    responses={503: {"model": Health, "description": "The store cannot be reached"}},
)
def health(request: Request, holder: HolderDep):
    try:
        store = holder.get()
        if not store.ping():
            raise StoreUnavailable(f"the {holder.kind} store does not answer")
        counts = store.counts()
    except StoreUnavailable as exc:
        body = Health(status="unavailable", store=holder.kind, reachable=False, message=str(exc))
        return JSONResponse(status_code=503, content=body.model_dump())
    return Health(
        status="ok", store=holder.kind, reachable=True, counts=counts, cache=get_cache(request).stats()
    )
