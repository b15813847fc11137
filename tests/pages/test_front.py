"""The front page: search (names and aliases, accent-insensitive, entities first), programmes with
region counts, letters by date, title and signatory, and links; plain HTML that works without JS."""

from __future__ import annotations

import httpx
import pytest
from page_helpers import external_resources, screenshot, wait_for

from api.routers.pages import rank_hits
from graph.model import Node


def _rows(driver, selector: str) -> list:
    return driver.find_elements("css selector", selector)


@pytest.mark.browser
def test_search_finds_fryslan_without_javascript(browser_without_js, live_server):
    driver = browser_without_js
    driver.get("data:text/html,<title>off</title><script>document.title = 'on'</script>")
    assert driver.title == "off"  # page scripts really do not run in this browser
    driver.get(f"{live_server}/")
    box = driver.find_element("id", "q")
    box.send_keys("fryslan")
    box.submit()
    results = _rows(driver, "#results li")
    assert results, driver.page_source[:2000]
    first = results[0]
    assert first.get_attribute("data-id") == "province:fryslan"
    assert first.find_element("css selector", "a.name").text == "Fryslân"
    names = [r.find_element("css selector", "a.name").text for r in results]
    assert "Zuidoost-Friesland" in names  # found through its alias Zuidoost-Fryslân
    first.find_element("css selector", "a.name").click()
    assert driver.find_element("css selector", "h1").text == "Fryslân"


@pytest.mark.browser
def test_front_page_lists_programmes_letters_and_links(browser, live_server, corpus_store):
    browser.get(f"{live_server}/")
    npvr = browser.find_element("css selector", '#programmes tr[data-id="programme:npvr"]')
    assert npvr.find_element("css selector", "td.num").text == "11"
    letters = _rows(browser, "#letters tbody tr")
    assert len(letters) == len(corpus_store.letters())
    latest = letters[0].text
    assert "19 december 2025" in latest and "F. Rijkaart" in latest
    assert any("Nadere uitwerking Elke regio telt" in row.text for row in letters)
    hrefs = {
        a.get_attribute("href").removeprefix(live_server) for a in browser.find_elements("css selector", "a")
    }
    for link in ("/map", "/viz", "/query", "/docs", "/redoc", "/rdf"):
        assert link in hrefs, link
    assert any(h.startswith("/query?voorbeeld=") for h in hrefs)
    assert external_resources(browser, live_server) == []
    browser.find_element("id", "q").send_keys("NPVR")
    browser.find_element("css selector", "form.search button").click()
    # the results page loads after the click returns: wait for it rather than race it
    first = wait_for(browser, "const li = document.querySelector('#results li'); return li && li.dataset.id")
    assert first == "programme:npvr"
    screenshot(browser, "front.png")


def test_entities_rank_before_commitments_and_letters():
    nodes = [
        Node(id="letter:x", labels=["Letter"], name="Brief over Twente"),
        Node(id="commitment:c", labels=["Commitment"], name="Toezegging over Twente"),
        Node(id="region:twente-oost", labels=["Region"], name="Twente-Oost"),
        Node(id="region:twente", labels=["Region"], name="Twente"),
        Node(id="programme:p", labels=["Programme"], name="Agenda", aliases=["Twente Deal"]),
    ]
    ranked = [n.id for n in rank_hits("twente", nodes)]
    assert ranked == ["region:twente", "programme:p", "region:twente-oost", "commitment:c", "letter:x"]


def test_entity_pages_and_letter_pages(live_server):
    page = httpx.get(f"{live_server}/entiteit/programme:npvr", timeout=30)
    assert page.status_code == 200
    assert "bestrijkt" in page.text and 'title="COVERS"' in page.text  # Dutch name, the type on hover
    assert "Twente" in page.text and "/brief/letter:" in page.text
    letter = httpx.get(f"{live_server}/brief/letter:2024D51884", timeout=30)
    assert letter.status_code == 200
    assert '<mark id="tekens-' in letter.text  # the quoted passages marked in the letter's text
    missing = httpx.get(f"{live_server}/entiteit/region:nergens", timeout=30)
    assert missing.status_code == 404 and "zoek" in missing.json()["detail"]
