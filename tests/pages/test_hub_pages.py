"""A hub's pages: an entity named by many letters lists a bounded number of them per kind of
relationship and says how many there are; a letter's page shows what that letter states, found from
its own contribution. On both stores, and in a real Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hub_graphs import hub_letter
from page_helpers import serve, wait_for

from api.main import create_app
from api.routers import pages
from graph.memory_store import MemoryStore
from graph.model import Graph
from graph.store import GraphStore
from regiograph.settings import load_settings

HUB = "programme:hub"
LETTERS = 5


def _letter(i: int) -> Graph:
    return hub_letter(i, "hub", mentions=True)


def _fill(store: GraphStore) -> GraphStore:
    for i in range(LETTERS):
        store.write_letter(_letter(i))
    return store


@pytest.fixture(params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def hub_store(request, tmp_path: Path) -> GraphStore:
    if request.param == "memory":
        return _fill(MemoryStore(tmp_path / "graph.json"))
    from graph.neo4j_store import Neo4jStore

    return _fill(Neo4jStore(request.getfixturevalue("empty_neo4j"), database=load_settings().neo4j_database))


def test_a_hub_lists_a_bounded_number_per_kind_and_counts_them_all(hub_store, monkeypatch) -> None:
    monkeypatch.setattr(pages, "GROUP_LIMIT", 2)
    with TestClient(create_app(load_settings(), hub_store)) as client:
        page = client.get(f"/entiteit/{HUB}").text
    assert page.count('class="rels"') == 2  # the areas it covers, the letters that name it
    assert page.count("Hubregio ") == 2 * 2  # two areas listed, each with its quote
    assert page.split('class="relgroup mentions"', 1)[1].count("Hubbrief ") == 2
    assert page.count("en nog 3;") == 2
    assert '<span class="count">(5)</span>' in page
    assert "toon 2 van de 5 brieven" in page


def test_a_letter_page_shows_what_that_letter_states(hub_store) -> None:
    with TestClient(create_app(load_settings(), hub_store)) as client:
        page = client.get("/brief/letter:hub-3").text
    assert "Hubregio 3" in page
    assert all(f"Hubregio {i}" not in page for i in range(LETTERS) if i != 3)


@pytest.mark.browser
def test_a_hub_page_in_chromium(tmp_path: Path, browser, monkeypatch) -> None:
    monkeypatch.setattr(pages, "GROUP_LIMIT", 2)
    with serve(_fill(MemoryStore(tmp_path / "graph.json"))) as url:
        browser.get(f"{url}/entiteit/{HUB}")
        headings = wait_for(browser, "return [...document.querySelectorAll('h2')].map(h => h.textContent)")
        assert any("(5)" in h for h in headings)
        hint = browser.find_element("css selector", "section.relgroup:not(.mentions) p.hint")
        assert hint.is_displayed() and "en nog 3" in hint.text
        browser.find_element("css selector", "section.mentions summary").click()
        listed = browser.find_elements("css selector", "section.mentions ul.rels > li")
        assert len(listed) == 2 and all(li.is_displayed() for li in listed)


def test_the_front_page_lists_the_newest_letters_and_counts_the_rest(hub_store, monkeypatch) -> None:
    monkeypatch.setattr(pages, "LETTERS_LISTED", 2)
    with TestClient(create_app(load_settings(), hub_store)) as client:
        page = client.get("/").text
    letters = page.split('id="letters"', 1)[1].split("</table>", 1)[0]
    assert letters.count("<tr data-id=") == 2
    assert letters.index("letter:hub-4") < letters.index("letter:hub-3")  # newest first
    assert "en nog 3 oudere brieven" in page
    programme = page.split(f'data-id="{HUB}"', 1)[1].split("</tr>", 1)[0]
    assert '<td class="num">5</td>' in programme  # the areas it covers, counted in the store
