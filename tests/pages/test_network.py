"""The network page over the corpus, in a real browser: documents and MENTIONS behind one switch,
search focusing a node, a pinned details panel with Dutch relationship names and quotes, PNG export."""

from __future__ import annotations

import httpx
import pytest
from page_helpers import external_resources, screenshot, wait_for

from graph.labels import DOCUMENT_LABELS, display_label


def _data(browser) -> dict:
    return browser.execute_script("return Object.assign({}, document.body.dataset);")


@pytest.mark.browser
def test_network_reads_well(browser, live_server, corpus_store):
    graph = corpus_store.snapshot()
    browser.get(f"{live_server}/viz")
    wait_for(browser, "return document.body.dataset.stabilized === 'true';", timeout=60)
    documents = {n.id for n in graph.nodes if display_label(n) in DOCUMENT_LABELS}
    readable = [r for r in graph.relationships if r.type != "MENTIONS" and not {r.start, r.end} & documents]
    shown = {end for r in readable for end in (r.start, r.end)}
    data = _data(browser)
    assert int(data["datasetNodes"]) == len(graph.nodes)
    assert int(data["renderedNodes"]) == len(shown) and int(data["renderedEdges"]) == len(readable)
    assert "region:twente" in shown and "programme:npvr" in shown
    assert external_resources(browser, live_server) == []
    screenshot(browser, "network.png")

    # one switch shows letters, Kamerstukken, dossiers and the MENTIONS edges
    browser.find_element("id", "documents-filter").click()
    assert int(_data(browser)["renderedNodes"]) == len(graph.nodes)
    browser.find_element("id", "documents-filter").click()

    # search focuses a node and pins its details
    box = browser.find_element("id", "search")
    box.send_keys("twente\n")
    wait_for(browser, "return document.body.dataset.pinned === 'region:twente';")
    panel = browser.find_element("id", "details")
    heading = panel.find_element("css selector", 'h3[data-rel="COVERS"]')
    assert heading.text.startswith("bestrijkt (door)") and heading.get_attribute("title") == "COVERS"
    quote = next(r for r in graph.relationships if (r.type, r.end) == ("COVERS", "region:twente")).evidence[0]
    assert quote.quote in panel.text.replace("\n", " ")
    assert "20 december 2024 · Nadere uitwerking Elke regio telt" in panel.text
    link = panel.find_element("css selector", ".source a").get_attribute("href")
    assert link.startswith(f"{live_server}/brief/letter:2024D51884#tekens-")
    assert httpx.get(link.split("#")[0], timeout=30).status_code == 200
    screenshot(browser, "network-twente.png")

    # PNG export of the current view
    browser.find_element("id", "png").click()
    size = wait_for(browser, "return Number(document.body.dataset.png || 0);")
    assert size > 20_000
    href = browser.find_element("id", "png-link").get_attribute("href")
    assert href.startswith("data:image/png;base64,")
