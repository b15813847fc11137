"""The map: CBS areas drawn once each, programme coverage, stacking, the side panel, bad input, offline."""

from __future__ import annotations

import json

import httpx
import pytest
import yaml
from page_helpers import click_at_area, external_resources, screenshot, wait_for

from api.geo import GENERATED, geography
from graph.map import MAP_RELATIONSHIPS, map_data, place_regions, render_html
from graph.model import Evidence, Graph, Node, Relationship

NPVR = "programme:npvr"
INGEST_DATA = GENERATED.parent


def _municipalities() -> dict[str, dict]:
    return {m["code"]: m for m in json.loads((GENERATED / "municipalities.json").read_text())["items"]}


def _expected_areas(graph: Graph, programme: str) -> set[str]:
    """The municipalities of a programme's regions, worked out from the data files directly: a COROP
    area's municipalities from the CBS list, any other region's from region_members.yaml."""
    municipalities = _municipalities()
    members = yaml.safe_load((INGEST_DATA / "region_members.yaml").read_text())["regions"]
    by_name = {m["name"]: code for code, m in municipalities.items()}
    index = graph.node_index()
    codes: set[str] = set()
    for rel in graph.relationships:
        if rel.type != "COVERS" or rel.start != programme:
            continue
        region = index[rel.end]
        cbs = region.properties.get("cbs_code", "")
        if cbs.startswith("CR"):
            codes |= {c for c, m in municipalities.items() if m["corop"] == cbs}
        elif cbs.startswith("PV"):
            codes |= {c for c, m in municipalities.items() if m["province"] == cbs}
        elif cbs.startswith("GM"):
            codes.add(cbs)
        else:
            listed = [m for m in members if m["name"] in [region.name, *region.aliases]]
            assert listed, f"{region.name} has neither a CBS code nor a composition"
            codes |= {by_name[n] for n in listed[0]["municipalities"]}
    return codes


def _open_map(browser, url: str) -> None:
    browser.get(url)
    wait_for(browser, "return document.body.dataset.ready === 'true' && document.body.dataset.painted;")


def _marks(browser) -> dict[str, str]:
    return browser.execute_script(
        "var out = {}; document.querySelectorAll('path.area').forEach(function (p) {"
        " out[p.dataset.code] = p.dataset.mark; }); return out;"
    )


@pytest.fixture(scope="module")
def graph(corpus_store) -> Graph:
    return corpus_store.snapshot()


@pytest.mark.browser
def test_one_shape_per_area_and_nothing_from_outside(browser, live_server):
    _open_map(browser, f"{live_server}/map")
    codes = browser.execute_script(
        "return Array.from(document.querySelectorAll('path.area'))"
        ".map(function (p) { return p.dataset.code; });"
    )
    topology = geography().municipalities
    expected = [g["properties"]["statcode"] for o in topology["objects"].values() for g in o["geometries"]]
    assert len(expected) == 342
    assert sorted(codes) == sorted(expected)  # every CBS municipality once, no duplicates
    assert external_resources(browser, live_server) == []
    assert browser.find_element("css selector", ".leaflet-control-attribution").text.startswith(
        "Grenzen: CBS"
    )


@pytest.mark.browser
def test_choosing_npvr_colours_exactly_its_areas(browser, live_server, graph):
    from selenium.webdriver.support.ui import Select

    _open_map(browser, f"{live_server}/map")
    Select(browser.find_element("id", "programme")).select_by_value(NPVR)
    wait_for(browser, f"return document.body.dataset.programme === '{NPVR}';")
    marks = _marks(browser)
    coloured = {code for code, mark in marks.items() if mark in ("exact", "approx")}
    assert coloured == _expected_areas(graph, NPVR)
    listed = browser.find_elements("css selector", "#programme-regions li")
    assert len(listed) == 11
    fills = browser.execute_script(
        "var out = {}; document.querySelectorAll('path.area').forEach(function (p) {"
        " out[p.dataset.code] = p.getAttribute('fill'); }); return out;"
    )
    assert {fills[c] for c in coloured} == {"#d9480f"}  # what the browser paints, not only our marks
    assert all(fills[c] != "#d9480f" for c in set(fills) - coloured)


@pytest.mark.browser
def test_clicking_twente_shows_npvr_with_its_quote(browser, live_server, graph):
    _open_map(browser, f"{live_server}/map")
    click_at_area(browser, 'path.area[data-code="GM0153"]')  # Enschede, in COROP Twente
    wait_for(browser, "return document.body.dataset.selected === 'GM0153';")
    block = browser.find_element("css selector", '#panel .region[data-region="region:twente"]')
    programme = block.find_element("css selector", f'.programme[data-programme="{NPVR}"]')
    quote = next(
        r.evidence[0].quote
        for r in graph.relationships
        if (r.type, r.start, r.end) == ("COVERS", NPVR, "region:twente")
    )
    assert "Nationaal Programma Vitale Regio's" in programme.text
    assert quote in programme.find_element("css selector", "blockquote").text.replace("\n", " ")
    link = programme.find_element("css selector", ".source a")
    assert "/brief/letter:" in link.get_attribute("href")
    assert "20 december 2024" in programme.text  # the letter by date and title, not by id


@pytest.mark.browser
def test_stacking_legend_matches_the_curated_query(browser, live_server):
    rows = httpx.get(f"{live_server}/queries/stacking-regions", timeout=30).json()["rows"]
    expected = {row["region"]: int(row["programmes"]) for row in rows}
    _open_map(browser, f"{live_server}/map")
    shown = browser.execute_script(
        "var out = {}; document.querySelectorAll('#stacked-regions tr[data-region]').forEach(function (r) {"
        " out[r.dataset.region] = Number(r.dataset.programmes); }); return out;"
    )
    assert shown == expected and expected  # the same regions with the same counts
    marks = _marks(browser)
    legend = browser.find_elements("css selector", "#stacking-legend li[data-count]")
    for item in legend:  # each class of the colour scale counts the areas painted in it
        count = int(item.get_attribute("data-count"))
        painted = sum(1 for m in marks.values() if m and m != "0" and min(int(m), 6) == count)
        assert int(item.get_attribute("data-areas")) == painted
    screenshot(browser, "map-stacking.png")


@pytest.mark.browser
def test_unplaceable_regions_are_listed_and_screenshot(browser, live_server, graph):
    _open_map(browser, f"{live_server}/map?programma={NPVR}&regio=region:zuid-limburg")
    _, unplaced = place_regions(graph, geography())
    listed = {li.get_attribute("data-region") for li in browser.find_elements("css selector", "#unplaced li")}
    assert listed == {node.id for node, _ in unplaced}
    assert "region:randstad" in listed
    shot = screenshot(browser, "map.png")  # docs/map.png in the README is a copy of this one
    assert shot.stat().st_size > 30_000


def test_a_region_without_geometry_is_listed_not_an_error():
    ev = Evidence(letter="letter:t", source="t.txt", start=0, end=5, quote="Regio")
    graph = Graph(
        nodes=[
            Node(id="letter:t", labels=["Letter"], name="Brief", properties={"date": "2025-01-01"}),
            Node(id="programme:p", labels=["Programme"], name="P"),
            Node(
                id="region:gone", labels=["Region"], name="Oude gemeente", properties={"cbs_code": "GM9999"}
            ),
            Node(id="region:nowhere", labels=["Region"], name="Nergensland"),
            Node(id="region:twente", labels=["Region"], name="Twente", properties={"cbs_code": "CR12"}),
        ],
        relationships=[
            Relationship(type="COVERS", start="programme:p", end=r, evidence=[ev])
            for r in ("region:gone", "region:nowhere", "region:twente")
        ],
    )
    data = map_data(graph, geography())
    unplaced = {r["id"]: r["unplaced"] for r in data["regions"] if r["unplaced"]}
    assert set(unplaced) == {"region:gone", "region:nowhere"}
    assert "GM9999" in unplaced["region:gone"]
    assert data["programmes"][0]["regions"] == ["region:gone", "region:nowhere", "region:twente"]
    twente = next(r for r in data["regions"] if r["id"] == "region:twente")
    assert set(data["stacking"]) == set(twente["codes"]) and len(twente["codes"]) == 14
    page = render_html(graph, geography())
    assert 'data-region="region:nowhere"' in page and "Nergensland" in page


def test_unknown_programme_or_region_is_404_with_a_hint(live_server):
    for url in ("/map?programma=programme:nope", "/map?regio=region:nope", "/viz?focus=region:nope"):
        response = httpx.get(live_server + url, timeout=30)
        assert response.status_code == 404, url
        assert "zoek" in response.json()["detail"].lower()


def test_the_map_reads_only_the_relationships_it_draws(corpus_store) -> None:
    """The page asks the store for COVERS and PART_OF alone: the same map as from the whole graph."""
    whole = map_data(corpus_store.snapshot(), geography())
    part = map_data(corpus_store.snapshot(MAP_RELATIONSHIPS), geography())
    assert part == whole and whole["regions"]
