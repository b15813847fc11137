"""The response cache of the read endpoints: a hit is the same answer, a write is seen by the next request
(made through the API or straight into the store), different parameters are different answers."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.cache import CachedAnswer, ResponseCache
from api.main import create_app
from graph.model import Evidence, Graph, Node, Relationship
from graph.store import GraphStore
from regiograph.settings import load_settings

KEY = "test-key-1234"
AUTH = {"X-API-Key": KEY}
LETTER = "letter:2024D51884"
CACHED_PATHS = [
    "/entities/programme:npvr",
    "/entities/programme:npvr/neighbours?type=COVERS",
    "/entities?q=twente",
    "/programmes",
    "/programmes/programme:npvr/regions",
    "/programmes/programme:npvr/timeline",
    "/regions/region:twente/programmes",
    "/ministries/ministry:bzk/programmes",
    "/overlaps",
    "/queries/programmes-covering-region?region=region:twente",
]


@pytest.fixture
def writer(store: GraphStore) -> Iterator[TestClient]:
    with TestClient(create_app(load_settings(api_key=KEY), store)) as client:
        yield client


def _extra_letter() -> Graph:
    """A letter of its own: NPVR covers a new region, with evidence."""
    letter = "letter:cache-test"
    quote = "Het NPVR omvat ook Testregio."
    return Graph(
        nodes=[
            Node(id=letter, labels=["Letter"], name="Cachebrief", properties={"date": "2025-01-15"}),
            Node(id="programme:npvr", labels=["Programme"], name="Nationaal Programma Vitale Regio's"),
            Node(id="region:testregio", labels=["Region"], name="Testregio"),
        ],
        relationships=[
            Relationship(
                type="COVERS",
                start="programme:npvr",
                end="region:testregio",
                evidence=[
                    Evidence(letter=letter, source="cache-test.txt", start=0, end=len(quote), quote=quote)
                ],
            )
        ],
    )


def _covered(client: TestClient) -> set[str]:
    response = client.get("/programmes/programme:npvr/regions")
    assert response.status_code == 200, response.text
    return {n["node"]["id"] for n in response.json()}


def test_a_hit_is_the_same_answer(writer: TestClient) -> None:
    for path in CACHED_PATHS:
        first = writer.get(path)
        assert first.status_code == 200, (path, first.text)
        second = writer.get(path)
        assert (first.headers["x-cache"], second.headers["x-cache"]) == ("miss", "hit"), path
        assert second.content == first.content and second.headers["etag"] == first.headers["etag"]
        assert second.headers["content-type"] == "application/json"
    undated = writer.get("/programmes/programme:npvr/regions")
    fresh = TestClient(create_app(load_settings(api_cache_entries=0), writer.app.state.store_holder.get()))
    uncached = fresh.get("/programmes/programme:npvr/regions")
    assert "x-cache" in undated.headers and uncached.headers["x-cache"] == "miss"
    assert undated.json() == uncached.json()
    assert undated.headers.get("x-undated-letters") == uncached.headers.get("x-undated-letters")


def test_if_none_match_is_304(writer: TestClient) -> None:
    first = writer.get("/entities/programme:npvr")
    etag = first.headers["etag"]
    again = writer.get("/entities/programme:npvr", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    other = writer.get("/entities/programme:npvr", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.content == first.content


def test_parameters_are_not_confused(writer: TestClient) -> None:
    twente = writer.get("/queries/programmes-covering-region", params={"region": "region:twente"})
    limburg = writer.get("/queries/programmes-covering-region", params={"region": "region:zuid-limburg"})
    assert twente.status_code == limburg.status_code == 200
    assert twente.content != limburg.content
    twente_search = writer.get("/entities", params={"q": "twente"}).json()
    assert twente_search != writer.get("/entities", params={"q": "npvr"}).json()
    covers = writer.get("/entities/programme:npvr/neighbours", params={"type": "COVERS"}).json()
    everything = writer.get("/entities/programme:npvr/neighbours").json()
    assert {n["relationship"]["type"] for n in covers} == {"COVERS"} and len(everything) > len(covers)
    # An error is never cached, and is not answered from another entry either.
    assert writer.get("/entities/programme:nothing-like-this").status_code == 404
    assert writer.get("/entities/programme:nothing-like-this").status_code == 404


def test_asked_every_request_a_write_into_the_store_is_seen_by_the_next(store: GraphStore) -> None:
    with TestClient(create_app(load_settings(api_revision_interval=0), store)) as client:
        entity_before = client.get("/entities/programme:npvr").json()
        assert "region:testregio" not in _covered(client)
        revision = store.revision()
        store.write_letter(_extra_letter())  # not through the API: another process would do the same
        assert store.revision() not in (None, revision)
        assert "region:testregio" in _covered(client)
        entity_after = client.get("/entities/programme:npvr")
        assert entity_after.headers["x-cache"] == "miss" and entity_after.json() != entity_before
        store.delete_letter("letter:cache-test")
        assert "region:testregio" not in _covered(client)


def test_a_write_from_elsewhere_is_seen_once_the_interval_passed(store: GraphStore) -> None:
    with TestClient(create_app(load_settings(api_revision_interval=0.3), store)) as client:
        assert "region:testregio" not in _covered(client)
        store.write_letter(_extra_letter())
        time.sleep(0.35)
        assert "region:testregio" in _covered(client)


def test_a_write_through_the_api_is_seen_at_once_whatever_the_interval(store: GraphStore) -> None:
    settings = load_settings(api_key=KEY, api_revision_interval=60.0)
    with TestClient(create_app(settings, store)) as client:
        before = client.get("/entities/programme:npvr")
        assert client.get("/entities/programme:npvr").headers["x-cache"] == "hit"
        assert client.delete(f"/letters/{LETTER}", headers=AUTH).status_code == 200
        after = client.get("/entities/programme:npvr")
        assert after.headers["x-cache"] == "miss"
        letters = {n["node"]["id"] for n in after.json()["relationships"]}
        assert LETTER in {n["node"]["id"] for n in before.json()["relationships"]} and LETTER not in letters
        assert client.get(f"/entities/{LETTER}").status_code == 404
        # Within the interval a store write made elsewhere is not asked for: the revision is trusted.
        reads = client.app.state.response_cache.revision_reads
        client.get("/entities/programme:npvr")
        assert client.app.state.response_cache.revision_reads == reads


def test_unchanged_rewrite_keeps_the_revision(store: GraphStore, corpus_graphs: list[Graph]) -> None:
    revision = store.revision()
    assert revision is not None
    assert store.write_letter(corpus_graphs[0]).action == "unchanged"
    assert store.revision() == revision


def test_the_cache_is_bounded() -> None:
    cache = ResponseCache(entries=2, max_bytes=10_000)
    for key in ("a", "b", "c"):
        cache.put("r1", key, CachedAnswer(body=b"x" * 10, etag=key))
    assert cache.get("r1", "a") is None and cache.get("r1", "c") is not None
    cache.get("r1", "b")  # used: "c" is now the oldest
    cache.put("r1", "d", CachedAnswer(body=b"x", etag="d"))
    assert cache.get("r1", "c") is None and cache.get("r1", "b") is not None
    assert cache.get("r2", "b") is None  # another revision: not the same answer
    cache.put("r1", "big", CachedAnswer(body=b"x" * 20_000, etag="big"))  # larger than the whole cache
    assert cache.get("r1", "big") is None
    small = ResponseCache(entries=100, max_bytes=1_000)
    for i in range(10):
        small.put("r1", str(i), CachedAnswer(body=b"x" * 200, etag=str(i)))
    assert small.stats()["bytes"] <= 1_000 and small.get("r1", "9") is not None


class _Revisions:
    """A store stand-in that answers the revision it is set to, counting the reads."""

    def __init__(self) -> None:
        self.token = "r1"
        self.reads = 0
        self.during_read = None

    def revision(self) -> str:
        self.reads += 1
        token = self.token
        if self.during_read is not None:
            self.during_read()
        return token


def test_the_revision_is_trusted_for_the_interval_unless_the_api_wrote() -> None:
    store = _Revisions()
    cache = ResponseCache(revision_interval=60.0)
    assert cache.revision(store) == "r1" and cache.revision(store) == "r1" and store.reads == 1
    store.token = "r2"  # written by another process: trusted r1 for the interval
    assert cache.revision(store) == "r1"
    cache.changed()  # written through the API: asked at once
    assert cache.trusted_revision() is None
    assert cache.revision(store) == "r2" and store.reads == 2

    # A read that began before a write through the API answers, but is not trusted afterwards.
    store.token = "r3"
    store.during_read = cache.changed
    cache.changed()
    assert cache.revision(store) == "r3"
    assert cache.trusted_revision() is None
    store.during_read = None
    assert cache.revision(store) == "r3" and cache.trusted_revision() == "r3"

    every = ResponseCache(revision_interval=0.0)
    reads = store.reads
    every.revision(store), every.revision(store)
    assert store.reads == reads + 2 and every.trusted_revision() is None


def test_answers_missed_at_once_are_computed_once(tmp_path):
    """After a write every request misses: those asking for one answer at the same time wait for the
    one computing it instead of each computing it again."""
    import threading

    from fastapi import FastAPI
    from starlette.requests import Request

    from api.cache import cached
    from graph.memory_store import MemoryStore

    app = FastAPI()
    app.state.response_cache = ResponseCache(entries=16)
    store = MemoryStore(tmp_path / "store")
    computed: list[int] = []
    answers: list[bytes] = []

    def compute(_headers) -> list[int]:
        computed.append(1)
        time.sleep(0.3)  # long enough for every request below to arrive while it runs
        return [1, 2, 3]

    def ask() -> None:
        scope = {
            "type": "http",
            "method": "GET",
            "path": "/slow",
            "query_string": b"",
            "headers": [],
            "app": app,
        }
        answers.append(bytes(cached(Request(scope), store, list[int], compute).body))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == [b"[1,2,3]"] * 8
    assert len(computed) == 1


def test_answers_missed_at_once_by_async_routes_are_computed_once(tmp_path):
    """The same for async routes (the curated queries): requests missing one answer at the same time
    await the one computing it; one whose computation fails leaves the next waiter to compute."""
    import asyncio

    from fastapi import FastAPI, HTTPException
    from starlette.requests import Request

    from api.cache import cached_async
    from graph.memory_store import MemoryStore

    app = FastAPI()
    app.state.response_cache = ResponseCache(entries=16)
    store = MemoryStore(tmp_path / "store")
    computed: list[str] = []

    def request(path: str) -> Request:
        return Request(
            {"type": "http", "method": "GET", "path": path, "query_string": b"", "headers": [], "app": app}
        )

    async def slow(_headers) -> list[int]:
        computed.append("slow")
        await asyncio.sleep(0.2)  # every request below arrives while it runs
        return [1, 2, 3]

    async def failing_once(_headers) -> list[int]:
        computed.append("failing")
        await asyncio.sleep(0.1)
        if computed.count("failing") == 1:
            raise HTTPException(503, "try again")
        return [4]

    async def ask(path: str, compute) -> bytes | int:
        try:
            return bytes((await cached_async(request(path), store, list[int], compute)).body)
        except HTTPException as exc:
            return exc.status_code

    async def main():
        many = await asyncio.gather(*(ask("/slow", slow) for _ in range(8)))
        retried = await asyncio.gather(*(ask("/flaky", failing_once) for _ in range(3)))
        return many, retried

    many, retried = asyncio.run(main())
    assert many == [b"[1,2,3]"] * 8 and computed.count("slow") == 1
    assert sorted(retried, key=str) == sorted([503, b"[4]", b"[4]"], key=str)
    assert computed.count("failing") == 2  # the first failed; one waiter computed it, the other got that


def test_shutdown_waits_for_a_revision_read_under_way(tmp_path) -> None:
    """The revision read again in the background must end before the store is closed: closing a Neo4j
    driver under a read fails."""
    from graph.memory_store import MemoryStore

    class SlowRevisions(MemoryStore):
        slow = False
        reads_under_way = 0
        reads_ended = 0

        def revision(self) -> str | None:
            if self.slow:
                self.reads_under_way += 1
                time.sleep(0.5)
                self.reads_ended += 1
            return super().revision()

    store = SlowRevisions(tmp_path / "store")
    app = create_app(load_settings(api_revision_interval=0.2), store)
    with TestClient(app) as client:
        assert client.get("/programmes").status_code == 200
        time.sleep(0.15)  # past half the interval: the next request reads the revision in the background
        store.slow = True
        assert client.get("/programmes").status_code == 200
        time.sleep(0.05)
        assert store.reads_under_way >= 1 and store.reads_ended < store.reads_under_way
    assert store.reads_ended == store.reads_under_way
