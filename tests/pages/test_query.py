"""The query page: curated queries as examples, run through /cypher or /sparql, a sortable table with
CSV download, node ids linked to the network and the map, API errors shown as the API words them."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from page_helpers import wait_for


def _table(browser) -> list[list[str]]:
    return browser.execute_script(
        "return Array.from(document.querySelectorAll('#result tbody tr')).map(function (tr) {"
        " return Array.from(tr.children).map(function (td) { var a = td.querySelector('a');"
        " return a ? a.textContent : td.textContent; }); });"
    )


@pytest.mark.browser
def test_programmes_covering_zuid_limburg(browser, live_server):
    browser.get(f"{live_server}/query?voorbeeld=programmes-covering-region")
    assert browser.find_element("id", "language").get_attribute("value") == "sparql"  # the memory store
    assert "?region" in browser.find_element("id", "query").get_attribute("value")
    region = browser.find_element("css selector", '#params input[data-param="region"]')
    region.clear()
    region.send_keys("region:zuid-limburg")
    browser.find_element("id", "run").click()
    wait_for(
        browser,
        "return document.body.dataset.rows !== undefined || document.getElementById('error').textContent;",
    )
    assert browser.find_element("id", "error").text == ""
    headers = [th.text for th in browser.find_elements("css selector", "#result th")]
    rows = _table(browser)
    programmes = {row[headers.index("programme")] for row in rows}
    assert "programme:npvr" in programmes
    assert "Nationaal Programma Vitale Regio's" in {row[headers.index("programme_name")] for row in rows}
    npvr = browser.find_element("css selector", '#result a[href="/entiteit/programme%3Anpvr"]')
    links = npvr.find_element("xpath", "..").find_elements("css selector", ".links a")
    assert [a.get_attribute("href").removeprefix(live_server) for a in links] == [
        "/viz?focus=programme%3Anpvr",
        "/map?programma=programme%3Anpvr",
    ]
    # sortable: a click on a header orders the rows by that column, a second click reverses them
    column = headers.index("programme")
    browser.find_elements("css selector", "#result th")[column].click()
    ascending = [row[column] for row in _table(browser)]
    assert ascending == sorted(ascending)
    browser.find_elements("css selector", "#result th")[column].click()
    assert [row[column] for row in _table(browser)] == sorted(ascending, reverse=True)
    text = browser.execute_async_script(
        "var done = arguments[0]; fetch(document.getElementById('csv').href)"
        ".then(function (r) { return r.text(); }).then(done);"
    )
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == headers and len(table) == len(rows) + 1
    assert sorted(table[1:]) == sorted(_table(browser))  # the same cells, quotes with line breaks kept


@pytest.mark.browser
def test_api_errors_are_shown_as_the_api_words_them(browser, live_server):
    expected = httpx.post(f"{live_server}/cypher", json={"query": "RETURN 1"}, timeout=30)
    assert expected.status_code == 501  # Cypher needs Neo4j; this server has the memory store
    browser.get(f"{live_server}/query")
    browser.find_element("css selector", '#language option[value="cypher"]').click()
    browser.find_element("id", "query").send_keys("RETURN 1")
    browser.find_element("id", "run").click()
    wait_for(browser, "return document.getElementById('error').textContent;")
    assert browser.find_element("id", "error").text == expected.json()["detail"]
    # a SPARQL syntax error, worded by the SPARQL endpoint
    browser.find_element("css selector", '#language option[value="sparql"]').click()
    box = browser.find_element("id", "query")
    box.clear()
    box.send_keys("SELECT ?x WHERE { ?x")
    api = httpx.post(f"{live_server}/sparql", data={"query": "SELECT ?x WHERE { ?x"}, timeout=30)
    assert api.status_code == 400
    browser.find_element("id", "run").click()
    wait_for(browser, "return document.getElementById('error').textContent;")
    assert browser.find_element("id", "error").text == api.json()["detail"]
