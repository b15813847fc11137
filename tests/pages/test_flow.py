"""The flow of the issue, as a person does it: open the front page, find NPVR, see the areas of its
11 regions on the map, click Zuid-Limburg and read which programmes cover it, each with its quote,
with no JSON on screen. Runs against REGIOGRAPH_PAGES_URL (e.g. http://127.0.0.1:8000, what
`make run` serves) when set, else against the corpus served by the test's own server."""

from __future__ import annotations

import os
import re

import httpx
import pytest
from page_helpers import click_at_area, screenshot, wait_for

ZUID_LIMBURG = "region:zuid-limburg"


@pytest.fixture
def base_url(request) -> str:
    return os.environ.get("REGIOGRAPH_PAGES_URL") or request.getfixturevalue("live_server")


@pytest.mark.browser
def test_find_npvr_see_its_areas_read_zuid_limburg(browser, base_url):
    browser.get(f"{base_url}/")
    box = browser.find_element("id", "q")
    box.send_keys("NPVR")
    box.submit()
    result = browser.find_element("css selector", '#results li[data-id="programme:npvr"]')
    result.find_element("link text", "op de kaart").click()
    wait_for(browser, "return document.body.dataset.programme === 'programme:npvr';")
    regions = browser.find_elements("css selector", "#programme-regions li")
    assert len(regions) == 11
    coloured = browser.execute_script(
        "return Array.from(document.querySelectorAll('path.area')).filter(function (p) {"
        " return p.dataset.mark === 'exact' || p.dataset.mark === 'approx'; }).length;"
    )
    assert coloured > 11  # the municipalities of the 11 regions

    click_at_area(browser, 'path.area[data-code="GM0935"]')  # Maastricht, in Zuid-Limburg
    wait_for(browser, "return document.body.dataset.selected === 'GM0935';")
    block = browser.find_element("css selector", f'#panel .region[data-region="{ZUID_LIMBURG}"]')
    programmes = block.find_elements("css selector", ".programme")
    covering = httpx.get(f"{base_url}/regions/{ZUID_LIMBURG}/programmes", timeout=30).json()
    expected = {item["node"]["name"] for item in covering}
    shown = {p.find_element("css selector", ".programme-name").text for p in programmes}
    assert shown == expected and "Nationaal Programma Vitale Regio's" in shown
    for p in programmes:
        assert p.find_element("css selector", "blockquote").text.strip()  # each with its quote
    text = browser.find_element("tag name", "body").text
    assert not re.search(r'[{\[]\s*"[a-z_]+"\s*:', text)  # no JSON on screen
    screenshot(browser, "flow-zuid-limburg.png")
