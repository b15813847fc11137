"""The network page: self-contained, styled from the schema, focusable, and drawn by a real browser."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from factories import sample_graph, synthetic_graph

from graph import schema
from graph.labels import DOCUMENT_LABELS, ONTOLOGY, display_label, letter_label, ontology_labels
from graph.viz import ReadingNetwork, UnknownNode, neighbourhood, render_html, write_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"


class _Resources(HTMLParser):
    """Collects external resources (script src, link href) a page would fetch."""

    def __init__(self):
        super().__init__()
        self.external: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts += 1
            if attrs.get("src"):
                self.external.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.external.append(attrs["href"])


def _dataset(html: str, name: str) -> list[dict]:
    match = re.search(rf"var {name} = new vis\.DataSet\((\[.*?\])\);\n", html, re.S)
    assert match, f"no {name} DataSet in page"
    return json.loads(match.group(1))


def _shown(graph, focus: str | None = None) -> tuple[set[str], list]:
    """What the page shows before its switch: no letters, Kamerstukken or dossiers, no MENTIONS, and
    no node that only those connect (the focus always)."""
    documents = {n.id for n in graph.nodes if display_label(n) in DOCUMENT_LABELS and n.id != focus}
    edges = [r for r in graph.relationships if r.type != "MENTIONS" and not {r.start, r.end} & documents]
    nodes = {end for r in edges for end in (r.start, r.end)} | ({focus} if focus else set())
    return nodes, edges


@pytest.fixture(scope="module")
def graph():
    return sample_graph()


@pytest.fixture(scope="module")
def page(graph) -> str:
    return render_html(graph)


def test_page_is_self_contained(page):
    resources = _Resources()
    resources.feed(page)
    assert resources.external == []
    assert resources.scripts >= 2  # vis-network inline plus the page script
    assert "vis.Network" in page and len(page) > 300_000  # the library itself is inlined
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']?https?://", page)


def test_nodes_are_styled_from_the_schema(graph, page):
    styles = schema.schema()["labels"]
    nodes = {n["id"]: n for n in _dataset(page, "nodes")}
    assert set(nodes) == {n.id for n in graph.nodes}
    assert nodes["programme:npvr"]["color"] == styles["Programme"]["colour"]
    assert nodes["programme:npvr"]["shape"] == styles["Programme"]["shape"]
    # the most specific label wins: Zeeland is drawn as a province, not a plain region
    assert nodes["province:zeeland"]["color"] == styles["Province"]["colour"]
    assert nodes["province:zeeland"]["kind"] == "Province"


def test_edges_carry_type_and_quotes(graph, page):
    edges = _dataset(page, "edges")
    assert len(edges) == len(graph.relationships)
    for rel in graph.relationships:
        edge = next(e for e in edges if (e["from"], e["to"], e["rel"]) == (rel.start, rel.end, rel.type))
        for ev in rel.evidence:
            assert ev.quote in edge["title"]
            assert ev.quote in [x["quote"] for x in edge["evidence"]]  # for the details panel
        assert bool(edge.get("dashes")) == rel.derived


def test_relationships_are_labelled_in_dutch_from_the_ontology(graph, page):
    ontology = ontology_labels(ONTOLOGY)
    assert ontology["COVERS"] == "bestrijkt" and ontology["PARTICIPATES_IN"] == "neemt deel aan"
    # the schema's Dutch names are the ontology's, so a package without ontology.ttl says the same
    assert {t: spec["nl"] for t, spec in schema.schema()["relationships"].items()} == ontology
    for edge in _dataset(page, "edges"):
        assert edge["label"] == ontology[edge["rel"]]
        assert edge["title"].startswith(f"{ontology[edge['rel']]} ({edge['rel']})")  # the type in the tooltip


def test_letters_are_named_by_date_and_title_and_hidden_with_mentions(graph, page):
    nodes = {n["id"]: n for n in _dataset(page, "nodes")}
    letter = nodes["letter:2024D51884"]
    assert letter["label"].startswith("20 december 2024 · Nadere uitwerking")
    full = letter_label(graph.node_index()["letter:2024D51884"])
    assert letter["label"] == (full if len(full) <= 40 else full[:39] + "…")
    assert letter["name"] == full
    shown, shown_edges = _shown(graph)
    assert shown and len(shown) < len(graph.nodes)
    for node in graph.nodes:
        assert nodes[node.id]["hidden"] == (node.id not in shown), node.id
    visible = {(r.type, r.start, r.end) for r in shown_edges}
    for edge in _dataset(page, "edges"):
        assert edge["hidden"] == ((edge["rel"], edge["from"], edge["to"]) not in visible)
    assert 'id="documents-filter"' in page and 'id="search"' in page and 'id="png"' in page


def test_pyvis_renders_the_page_with_our_template():
    import pyvis

    graph = sample_graph()
    page = render_html(graph)
    assert str(Path(pyvis.__file__).parent) not in page
    assert "@version 9.1.13" in page  # the vendored build, not the copy inside pyvis (9.1.2)
    assert isinstance(ReadingNetwork({}), pyvis.network.Network)


def test_legend_and_filters_list_what_is_in_the_graph(graph, page):
    labels = schema.schema()["labels"]
    present = {lab for n in graph.nodes for lab in n.labels[-1:]}
    for label in present:
        assert f'value="{label}"' in page and labels.get(label, {"nl": label})["nl"] in page
    absent = set(labels) - {lab for n in graph.nodes for lab in n.labels}
    for label in absent:
        assert f'class="label-filter" value="{label}"' not in page
    programmes = [n for n in graph.nodes if "Programme" in n.labels]
    assert page.count('<option value="programme:') == len(programmes)


def test_names_cannot_break_out_of_the_page(graph):
    hostile = graph.model_copy(deep=True)
    hostile.nodes[2].name = "</script><script>alert(1)</script>"
    page = render_html(hostile)
    assert "</script><script>alert(1)" not in page


def test_focus_keeps_the_neighbourhood(graph):
    sub = neighbourhood(graph, "programme:npvr", depth=1)
    expected = {"programme:npvr"} | {
        r.end if r.start == "programme:npvr" else r.start
        for r in graph.relationships
        if "programme:npvr" in (r.start, r.end)
    }
    assert {n.id for n in sub.nodes} == expected
    assert all(r.start in expected and r.end in expected for r in sub.relationships)
    deeper = neighbourhood(graph, "programme:npvr", depth=2)
    assert len(deeper.nodes) > len(sub.nodes)
    page = render_html(graph, focus="programme:npvr")
    assert len(_dataset(page, "nodes")) == len(expected)


def test_unknown_focus_is_a_clear_error(graph):
    with pytest.raises(UnknownNode, match="programme:nope") as info:
        render_html(graph, focus="programme:nope")
    assert "zoek" in str(info.value)  # says how to find the right id


# -- a real browser ---------------------------------------------------------------------------
def _chromium_or_skip() -> str:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    if os.environ.get("CI") == "true":
        pytest.fail("chromium not found; install it: apt-get install -y chromium")
    pytest.skip("chromium not installed (apt-get install -y chromium)")


def _chromium(page: Path, profile: Path, *args: str, budget_ms: int = 15_000) -> subprocess.CompletedProcess:
    command = [
        _chromium_or_skip(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        f"--virtual-time-budget={budget_ms}",
        "--window-size=1400,900",
        "--hide-scrollbars",
        *args,
        page.as_uri(),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=True)


def _body_data(dom: str) -> dict[str, str]:
    body = re.search(r"<body([^>]*)>", dom)
    assert body, dom[:500]
    return dict(re.findall(r'data-([a-z-]+)="([^"]*)"', body.group(1)))


@pytest.mark.browser
def test_browser_draws_every_node(graph, tmp_path):
    page = write_html(graph, tmp_path / "graph.html")
    data = _body_data(_chromium(page, tmp_path / "profile", "--dump-dom").stdout)
    shown, edges = _shown(graph)
    assert data.get("dataset-nodes") == str(len(graph.nodes))
    assert data.get("rendered-nodes") == str(len(shown))
    assert data.get("rendered-edges") == str(len(edges))
    assert data.get("stabilized") == "true"


@pytest.mark.browser
def test_browser_draws_a_focused_page_and_a_screenshot(graph, tmp_path):
    page = write_html(graph, tmp_path / "focus.html", focus="region:zuid-limburg", depth=1)
    expected, _ = _shown(neighbourhood(graph, "region:zuid-limburg", 1), "region:zuid-limburg")
    data = _body_data(_chromium(page, tmp_path / "profile", "--dump-dom").stdout)
    assert data.get("rendered-nodes") == str(len(expected))
    assert data.get("pinned") == "region:zuid-limburg"  # the focus opens its details panel
    shot = tmp_path / "graph.png"
    _chromium(write_html(graph, tmp_path / "all.html"), tmp_path / "profile2", f"--screenshot={shot}")
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000  # a drawn network, not a blank page


@pytest.mark.browser
def test_browser_draws_five_thousand_nodes(tmp_path):
    big = synthetic_graph(programmes=938, regions=4000, covers_per_programme=10)
    assert len(big.nodes) == 5000
    page = write_html(big, tmp_path / "big.html")
    data = _body_data(_chromium(page, tmp_path / "profile", "--dump-dom", budget_ms=120_000).stdout)
    shown, edges = _shown(big)
    assert data.get("dataset-nodes") == "5000"
    assert data.get("rendered-nodes") == str(len(shown))  # letters wait behind the switch
    assert data.get("rendered-edges") == str(len(edges))
    assert data.get("stabilized") == "true"  # the bounded layout finished and physics is off
