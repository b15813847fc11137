"""The pages over the Neo4j store: the same answers as over the memory store (the store contract)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from page_helpers import serve, wait_for

from api.main import create_app
from regiograph.settings import load_settings


@pytest.fixture
def neo4j_store(empty_neo4j, corpus_graphs, test_settings):
    from graph.neo4j_store import Neo4jStore

    store = Neo4jStore(empty_neo4j, database=test_settings.neo4j_database)
    for graph in corpus_graphs:
        store.write_letter(graph)
    return store


@pytest.fixture
def neo4j_client(neo4j_store):
    with TestClient(create_app(load_settings(), neo4j_store)) as client:
        yield client


def _ids(html: str, section: str) -> list[str]:
    part = html.split(f'id="{section}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'data-id="([^"]+)"', part)


@pytest.mark.neo4j
def test_pages_read_the_neo4j_store_as_the_memory_store(neo4j_client, corpus_store):
    with TestClient(create_app(load_settings(), corpus_store)) as memory:
        for url, section in (("/?q=fryslan", "results"), ("/", "programmes"), ("/", "letters")):
            on_neo4j, in_memory = neo4j_client.get(url), memory.get(url)
            assert on_neo4j.status_code == in_memory.status_code == 200
            assert _ids(on_neo4j.text, section) == _ids(in_memory.text, section), (url, section)
        for url in (
            "/entiteit/programme:npvr",
            "/brief/letter:2024D51884",
            "/map?programma=programme:npvr",
            "/viz",
        ):
            assert neo4j_client.get(url).status_code == 200, url
        page = neo4j_client.get("/entiteit/region:twente").text
        assert "bestrijkt (door)" in page and "Nationaal Programma Vitale Regio" in page


@pytest.mark.neo4j
@pytest.mark.browser
def test_query_page_runs_cypher_on_neo4j(neo4j_store, browser):
    with serve(neo4j_store) as url:
        browser.get(f"{url}/query?voorbeeld=programmes-covering-region")
        assert browser.find_element("id", "language").get_attribute("value") == "cypher"
        region = browser.find_element("css selector", '#params input[data-param="region"]')
        region.clear()
        region.send_keys("region:zuid-limburg")
        browser.find_element("id", "run").click()
        wait_for(
            browser, "return document.body.dataset.rows || document.getElementById('error').textContent;"
        )
        assert browser.find_element("id", "error").text == ""
        assert browser.find_elements("css selector", '#result a[href="/entiteit/programme%3Anpvr"]')
        # a node in an answer: by its id, linked, and its name
        from selenium.webdriver.support.ui import Select

        Select(browser.find_element("id", "example")).select_by_value("")  # an own query, no parameters
        box = browser.find_element("id", "query")
        box.clear()
        box.send_keys("MATCH (p:Programme {id: 'programme:npvr'}) RETURN p")
        browser.find_element("id", "run").click()
        wait_for(browser, "return document.querySelectorAll('#result tbody tr').length === 1;")
        cell = browser.find_element("css selector", "#result tbody td")
        assert cell.text.startswith("programme:npvr") and "Nationaal Programma Vitale Regio's" in cell.text
