"""Fixtures of the page tests: the corpus in a memory store, served by a real uvicorn on a free port,
and a real headless Chromium (tests/pages/page_helpers.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from page_helpers import make_driver

from api.main import create_app
from graph.memory_store import MemoryStore
from graph.model import Graph
from ingest.pipeline import extract_file
from regiograph.neo4j_server import free_port
from regiograph.settings import load_settings


@pytest.fixture(scope="session")
def corpus_graphs() -> list[Graph]:
    files = sorted(load_settings().corpus_dir.glob("*.txt"))
    assert files, f"no letters in {load_settings().corpus_dir}"
    return [extract_file(path) for path in files]


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory, corpus_graphs) -> MemoryStore:
    store = MemoryStore(tmp_path_factory.mktemp("pages") / "graph.json")
    for graph in corpus_graphs:
        store.write_letter(graph)
    return store


@pytest.fixture(scope="session")
def live_server(corpus_store) -> Iterator[str]:
    """The API over the corpus, served by uvicorn in a thread: http://127.0.0.1:<port>."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(
        create_app(load_settings(), corpus_store), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the API did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    driver = make_driver()
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def browser_without_js() -> Iterator:
    driver = make_driver(javascript=False)
    yield driver
    driver.quit()
