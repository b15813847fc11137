"""/docs and /redoc render from assets in the package, with no network but the API itself."""

from __future__ import annotations

import pytest
from page_helpers import external_resources, wait_for


@pytest.mark.browser
def test_swagger_ui_renders_offline(browser, live_server):
    browser.get(f"{live_server}/docs")
    count = wait_for(browser, "return document.querySelectorAll('.opblock').length;", timeout=30)
    assert count >= 10  # every operation drawn from /openapi.json
    assert "RegioGraph" in browser.find_element("css selector", ".info .title").text
    assert external_resources(browser, live_server) == []


@pytest.mark.browser
def test_redoc_renders_offline(browser, live_server):
    browser.get(f"{live_server}/redoc")
    wait_for(browser, "return document.querySelector('.api-content h1') !== null;", timeout=30)
    assert "RegioGraph" in browser.find_element("css selector", ".api-content h1").text
    assert external_resources(browser, live_server) == []
