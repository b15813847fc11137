"""Answers of the read endpoints, cached in the process under the graph's revision.

An answer is kept as the JSON bytes it was sent with, keyed by the request's path and query string and
by the revision the store reported before the answer was computed (`GraphStore.revision`: a token that
every write changes and that is never reused). An answer is served again only while the store reports
the same revision, so a write is seen by the next request after it, from any process that wrote it.
Asking the store costs one small query on Neo4j (a file stat on the memory store); with
`REGIOGRAPH_API_REVISION_INTERVAL` above 0 a revision read is trusted that long, except that a write
made through this API makes the next request ask again. Each answer carries an ETag (a hash of its
bytes): a request whose If-None-Match names it is answered 304 without a body.

Bounded: least recently used answers go first past `REGIOGRAPH_API_CACHE_ENTRIES` answers or
`REGIOGRAPH_API_CACHE_MEGABYTES`. Only 200 answers are kept; errors are computed every time.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import TypeAdapter
from starlette.types import ASGIApp, Receive, Scope, Send

from graph.store import GraphStore

# Headers an answer is sent with; those set by the route (X-Undated-Letters ...) are kept with it.
_OWN_HEADERS = frozenset({"content-length", "content-type"})
CACHE_HEADER = "X-Cache"


@dataclass(frozen=True)
class CachedAnswer:
    body: bytes
    etag: str
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def size(self) -> int:
        return len(self.body) + 200  # the key, headers and bookkeeping, roughly


def _etag(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag in tags


class ResponseCache:
    def __init__(self, entries: int = 2048, max_bytes: int = 64_000_000, revision_interval: float = 0.0):
        self.max_entries = entries
        self.max_bytes = max_bytes
        self.revision_interval = revision_interval
        self._answers: OrderedDict[tuple[str, str], CachedAnswer] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        # The last revision read, when it was read and under which write generation (interval > 0).
        self._revision: str | None = None
        self._read_at = -math.inf
        self._read_generation = -1
        self._generation = 0
        self._refreshing = False
        self._flights: dict[tuple[str, str], threading.Lock] = {}  # answers being computed
        # the same for async routes, which all run on the event loop's thread
        self.async_flights: dict[tuple[str, str], asyncio.Event] = {}
        self._background: set[asyncio.Task] = set()  # revision reads under way
        self.hits = self.misses = self.revision_reads = 0

    @property
    def enabled(self) -> bool:
        return self.max_entries > 0

    # -- the revision ------------------------------------------------------------------------
    def revision(self, store: GraphStore) -> str | None:
        """The store's revision now: asked every time, or trusted for `revision_interval` seconds
        unless `changed()` was called since it was read."""
        if self.revision_interval <= 0:
            self.revision_reads += 1
            return store.revision()
        trusted = self.trusted_revision()
        return trusted if trusted is not None else self.read_revision(store)

    def read_revision(self, store: GraphStore) -> str | None:
        """Ask the store, and trust the answer from now on unless a write through this API came between."""
        with self._lock:
            generation = self._generation
        started = time.monotonic()
        try:
            revision = store.revision()
        finally:
            with self._lock:
                self.revision_reads += 1
                self._refreshing = False
        with self._lock:
            # A read that began before a write through this API (generation moved on) is not kept.
            if generation == self._generation and started >= self._read_at:
                self._revision, self._read_at, self._read_generation = revision, started, generation
        return revision

    def refresh_failed(self) -> None:
        with self._lock:
            self._refreshing = False

    def trusted_revision(self) -> str | None:
        """The revision read less than `revision_interval` ago with no write through this API since;
        None when it has to be asked (or is asked every time)."""
        return self.trusted(claim_refresh=False)[0]

    def trusted(self, claim_refresh: bool) -> tuple[str | None, bool]:
        """(trusted revision or None, whether the caller is to read it again in the background now:
        past half the interval, so that requests seldom wait for it; one caller at a time is told so)."""
        if self.revision_interval <= 0:
            return None, False
        with self._lock:
            age = time.monotonic() - self._read_at
            if self._read_generation != self._generation or age >= self.revision_interval:
                return None, False
            refresh = claim_refresh and age >= self.revision_interval / 2 and not self._refreshing
            if refresh:
                self._refreshing = True
            return self._revision, refresh

    def changed(self) -> None:
        """This API wrote the graph: the next request asks the store for the revision again."""
        with self._lock:
            self._generation += 1

    # -- the answers ----------------------------------------------------------------------------
    def get(self, revision: str, key: str, count_miss: bool = True) -> CachedAnswer | None:
        with self._lock:
            answer = self._answers.get((revision, key))
            if answer is None:
                self.misses += count_miss
                return None
            self._answers.move_to_end((revision, key))
            self.hits += 1
            return answer

    def put(self, revision: str, key: str, answer: CachedAnswer) -> None:
        if answer.size > self.max_bytes:
            return
        with self._lock:
            old = self._answers.pop((revision, key), None)
            if old is not None:
                self._bytes -= old.size
            self._answers[(revision, key)] = answer
            self._bytes += answer.size
            while len(self._answers) > self.max_entries or self._bytes > self.max_bytes:
                _, dropped = self._answers.popitem(last=False)
                self._bytes -= dropped.size

    def flight(self, revision: str, key: str) -> threading.Lock:
        """The lock of an answer being computed: requests that miss the same answer at once wait for
        the one that computes it instead of each computing it (after a write every request misses)."""
        with self._lock:
            return self._flights.setdefault((revision, key), threading.Lock())

    def landed(self, revision: str, key: str) -> None:
        with self._lock:
            self._flights.pop((revision, key), None)

    def in_background(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._background.add(task)  # held until done: the loop keeps weak references only
        task.add_done_callback(self._background.discard)

    async def settle(self) -> None:
        """Wait for the background revision reads, so that the store is not closed under one."""
        await asyncio.gather(*self._background, return_exceptions=True)

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()
            self._bytes = 0

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {
                "entries": len(self._answers),
                "bytes": self._bytes,
                "hits": self.hits,
                "misses": self.misses,
                "revision_reads": self.revision_reads,
            }


def get_cache(request: Request) -> ResponseCache:
    return request.app.state.response_cache


@lru_cache(maxsize=64)
def _adapter(answer_type: Any) -> TypeAdapter:
    return TypeAdapter(answer_type)


def request_key(scope: Scope) -> str:
    """What an answer is cached under besides the revision: the path and the query string as sent."""
    path = scope.get("root_path", "") + scope["path"]
    query = scope.get("query_string", b"")
    return path + ("?" + query.decode("latin-1") if query else "")


def _key(request: Request) -> str:
    return request_key(request.scope)


def _answer(value: Any, answer_type: Any, headers: Response) -> CachedAnswer:
    body = _adapter(answer_type).dump_json(value)
    kept = tuple((k, v) for k, v in headers.headers.items() if k.lower() not in _OWN_HEADERS)
    return CachedAnswer(body=body, etag=_etag(body), headers=kept)


def _respond(request: Request, answer: CachedAnswer, state: str) -> Response:
    headers = dict(answer.headers)
    headers.update({"ETag": answer.etag, "Cache-Control": "no-cache", CACHE_HEADER: state})
    if _matches(request.headers.get("if-none-match"), answer.etag):
        return Response(status_code=304, headers=headers)
    return Response(content=answer.body, media_type="application/json", headers=headers)


def cached(
    request: Request, store: GraphStore, answer_type: Any, compute: Callable[[Response], Any]
) -> Response:
    """The answer of a read endpoint (a value of `answer_type`), from the cache when the graph's
    revision is the one it was computed under, else from `compute(response)`, which may set headers on
    `response` (kept with the answer) and raise HTTPException (not cached). For sync routes."""
    cache = get_cache(request)
    revision = cache.revision(store) if cache.enabled else None
    key = _key(request)
    if revision is None:
        headers = Response()
        return _respond(request, _answer(compute(headers), answer_type, headers), "miss")
    hit = cache.get(revision, key)
    if hit is not None:
        return _respond(request, hit, "hit")
    try:
        with cache.flight(revision, key):
            hit = cache.get(revision, key, count_miss=False)  # computed while this one waited
            if hit is not None:
                return _respond(request, hit, "hit")
            headers = Response()
            answer = _answer(compute(headers), answer_type, headers)
            cache.put(revision, key, answer)
    finally:
        cache.landed(revision, key)
    return _respond(request, answer, "miss")


async def cached_async(
    request: Request, store: GraphStore, answer_type: Any, compute: Callable[[Response], Awaitable[Any]]
) -> Response:
    """`cached` for async routes: the revision is read in the thread pool, `compute` is awaited."""
    cache = get_cache(request)
    revision = await run_in_threadpool(cache.revision, store) if cache.enabled else None
    key = _key(request)
    if revision is None:
        headers = Response()
        return _respond(request, _answer(await compute(headers), answer_type, headers), "miss")
    hit = cache.get(revision, key)
    if hit is not None:
        return _respond(request, hit, "hit")
    flights = cache.async_flights
    while (computing := flights.get((revision, key))) is not None:
        await computing.wait()  # another request computes this answer: wait for it
        hit = cache.get(revision, key, count_miss=False)
        if hit is not None:
            return _respond(request, hit, "hit")
    done = flights[(revision, key)] = asyncio.Event()
    try:
        headers = Response()
        answer = _answer(await compute(headers), answer_type, headers)
        cache.put(revision, key, answer)
    finally:
        del flights[(revision, key)]
        done.set()
    return _respond(request, answer, "miss")


class CachedAnswers:
    """ASGI middleware: a GET whose answer is cached under the trusted revision (`trusted_revision`)
    is answered here, before routing, dependencies and the thread pool; every other request goes on to
    the app, whose cached routes read the revision and fill the cache. Past half the interval the
    revision is read again in the background, so that requests seldom wait for that read."""

    def __init__(self, app: ASGIApp, cache: ResponseCache, store: Callable[[], GraphStore]):
        self.app = app
        self.cache = cache
        self.store = store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and self.cache.enabled:
            revision, refresh = self.cache.trusted(claim_refresh=True)
            if refresh:
                self.cache.in_background(self._refresh())
            if revision is not None:
                answer = self.cache.get(revision, request_key(scope), count_miss=False)
                if answer is not None:
                    await _respond(Request(scope), answer, "hit")(scope, receive, send)
                    return
        await self.app(scope, receive, send)

    async def _refresh(self) -> None:
        try:
            await run_in_threadpool(lambda: self.cache.read_revision(self.store()))
        except Exception:  # noqa: BLE001 - the store is down: the next request past the interval says so
            self.cache.refresh_failed()
