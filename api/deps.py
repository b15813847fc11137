"""Dependencies: the settings and the one store an app serves from (opened on first use)."""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import Depends, Request

from graph.sparql import SparqlEngine
from graph.store import GraphStore
from regiograph.settings import Settings
from regiograph.stores import open_store


class StoreHolder:
    """Holds the app's store. A store passed in is borrowed; one opened from the settings is owned and
    closed on shutdown. Opening waits for the first request so the API starts even while Neo4j is down
    (requests then answer 503 until it is back)."""

    def __init__(self, settings: Settings, store: GraphStore | None = None):
        self.settings = settings
        self._store = store
        self._owned = store is None
        self._lock = threading.Lock()

    @property
    def kind(self) -> str:
        return self._store.kind if self._store is not None else self.settings.store

    def get(self) -> GraphStore:
        with self._lock:
            if self._store is None:
                self._store = open_store(self.settings)  # raises StoreUnavailable
            return self._store

    def close(self) -> None:
        with self._lock:
            if self._owned and self._store is not None:
                self._store.close()
                self._store = None


def get_holder(request: Request) -> StoreHolder:
    return request.app.state.store_holder


def get_settings(request: Request) -> Settings:
    return request.app.state.store_holder.settings


def get_store(holder: Annotated[StoreHolder, Depends(get_holder)]) -> GraphStore:
    return holder.get()


StoreDep = Annotated[GraphStore, Depends(get_store)]
HolderDep = Annotated[StoreHolder, Depends(get_holder)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_sparql_engine(request: Request) -> SparqlEngine:
    return request.app.state.sparql_engine


SparqlDep = Annotated[SparqlEngine, Depends(get_sparql_engine)]
