"""GET /viz (the network page, also drawn by headless Chromium) and GET /path (with evidence)."""

from __future__ import annotations

import importlib
import json
import re
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph.store import GraphStore
from graph.viz import neighbourhood


def _nodes_in_page(html: str) -> list[dict]:
    match = re.search(r"var nodes = new vis\.DataSet\((\[.*?\])\);\n", html, re.S)
    assert match, "no nodes DataSet in the page"
    return json.loads(match.group(1))


def _browser_helpers():
    """The headless-Chromium helpers of tests/graph/test_viz.py."""
    graph_tests = str(Path(__file__).resolve().parents[1] / "graph")
    if graph_tests not in sys.path:
        sys.path.insert(0, graph_tests)
    return importlib.import_module("test_viz")


def test_viz_whole_graph_and_focus(client: TestClient, store: GraphStore) -> None:
    whole = client.get("/viz")
    assert whole.status_code == 200 and whole.headers["content-type"].startswith("text/html")
    assert len(_nodes_in_page(whole.text)) == store.counts()["nodes"]
    focused = client.get("/viz", params={"focus": "programme:npvr", "depth": 1})
    expected = {n.id for n in neighbourhood(store.snapshot(), "programme:npvr", 1).nodes}
    assert {n["id"] for n in _nodes_in_page(focused.text)} == expected
    assert "region:twente" in expected


def test_viz_unknown_focus_and_bad_depth(client: TestClient) -> None:
    response = client.get("/viz", params={"focus": "programme:nope"})
    assert response.status_code == 404 and "programme:nope" in response.json()["detail"]
    assert client.get("/viz", params={"focus": "programme:npvr", "depth": 9}).status_code == 422


@pytest.mark.browser
def test_served_page_draws_in_chromium(client: TestClient, tmp_path: Path) -> None:
    helpers = _browser_helpers()
    html = client.get("/viz", params={"focus": "region:zuid-limburg", "depth": 1}).text
    page = tmp_path / "served.html"
    page.write_text(html, encoding="utf-8")
    data = helpers._body_data(helpers._chromium(page, tmp_path / "profile", "--dump-dom").stdout)
    nodes = _nodes_in_page(html)
    assert data.get("dataset-nodes") == str(len(nodes))
    # Letters and documents wait behind the switch; every other node is drawn.
    assert data.get("rendered-nodes") == str(sum(1 for n in nodes if not n.get("hidden")))
    assert data.get("stabilized") == "true"


def test_path_steps_carry_evidence(
    client: TestClient, store: GraphStore, corpus_texts: dict[str, str]
) -> None:
    response = client.get(
        "/path", params={"source": "region:twente", "target": "neighbouringstate:nedersaksen"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    ids = [n["id"] for n in body["nodes"]]
    assert ids[0] == "region:twente" and ids[-1] == "neighbouringstate:nedersaksen"
    assert body["length"] == len(ids) - 1 == len(body["steps"]) >= 1
    for (a, b), rels in zip(zip(ids, ids[1:], strict=False), body["steps"], strict=True):
        assert rels
        for rel in rels:
            assert {rel["start"], rel["end"]} == {a, b} and rel["type"] != "MENTIONS"
            for e in rel["evidence"]:
                assert corpus_texts[e["source"]][e["start"] : e["end"]] == e["quote"]
        assert any(rel["evidence"] for rel in rels) or all(rel["derived"] for rel in rels)
    # Shortest: no relationship joins the two ends directly.
    assert body["length"] > 1
    assert not [r for r in store.relationships(start=ids[0], end=ids[-1]) if r.type != "MENTIONS"]
    assert not [r for r in store.relationships(start=ids[-1], end=ids[0]) if r.type != "MENTIONS"]


def test_path_over_mentions_only_when_asked(client: TestClient, store: GraphStore) -> None:
    # An organisation the letters only mention: reachable through a letter, but not otherwise.
    snapshot = store.snapshot()
    organisation = next(
        n.id
        for n in snapshot.nodes
        if "Organisation" in n.labels
        and all(r.type == "MENTIONS" for r in snapshot.relationships if n.id in (r.start, r.end))
    )
    params = {"source": "programme:npvr", "target": organisation}
    without = client.get("/path", params=params)
    assert without.status_code == 404 and "include_mentions" in without.json()["detail"]
    with_mentions = client.get("/path", params={**params, "include_mentions": True})
    assert with_mentions.status_code == 200
    assert with_mentions.json()["steps"][-1][0]["type"] == "MENTIONS"
    assert client.get("/path", params={"source": "programme:nope", "target": organisation}).status_code == 404
