"""Fixtures of the page tests: the corpus in a memory store, served by a real uvicorn on a free port,
and a real headless Chromium (tests/pages/page_helpers.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from page_helpers import make_driver, serve

from graph.memory_store import MemoryStore
from graph.model import Graph
from ingest.geography import with_reference_areas
from ingest.pipeline import extract_file
from regiograph.settings import load_settings


@pytest.fixture(scope="session")
def corpus_graphs() -> list[Graph]:
    files = sorted(load_settings().corpus_dir.glob("*.txt"))
    assert files, f"no letters in {load_settings().corpus_dir}"
    return [with_reference_areas(extract_file(path)) for path in files]  # as `ingest` stores them


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory, corpus_graphs) -> MemoryStore:
    store = MemoryStore(tmp_path_factory.mktemp("pages") / "graph.json")
    for graph in corpus_graphs:
        store.write_letter(graph)
    return store


@pytest.fixture(scope="session")
def live_server(corpus_store) -> Iterator[str]:
    """The API over the corpus, served by uvicorn in a thread: http://127.0.0.1:<port>."""
    with serve(corpus_store) as url:
        yield url


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
