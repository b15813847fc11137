"""An interactive, self-contained network page (pyvis / vis-network) of a Graph.

Colours and shapes come from graph/schema.yaml; edges carry the relationship type as label and
their evidence quotes as hover text. The page inlines vis-network (no CDN), has a legend that
filters by label and a programme filter, and stops physics once laid out so that graphs of
thousands of nodes stay responsive.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path

import pyvis
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pyvis.network import Network

from graph import schema
from graph.files import write_text_atomic
from graph.model import Graph, Node, Relationship
from graph.store import UnknownNode

TEMPLATE_DIR = Path(__file__).with_name("templates")
TEMPLATE = "viz.html"
LARGE = 1000  # nodes; above this, cheaper drawing and fewer layout iterations
MAX_QUOTES = 4
LABEL_CHARS = 40


def neighbourhood(graph: Graph, focus: str, depth: int = 1) -> Graph:
    """The nodes within `depth` hops of `focus` (ignoring direction) and the relationships among them."""
    index = graph.node_index()
    if focus not in index:
        raise UnknownNode(
            f"node {focus!r} is not in the graph; node ids look like programme:npvr or region:twente"
        )
    adjacent: dict[str, set[str]] = {}
    for rel in graph.relationships:
        adjacent.setdefault(rel.start, set()).add(rel.end)
        adjacent.setdefault(rel.end, set()).add(rel.start)
    seen, queue = {focus: 0}, deque([focus])
    while queue:
        current = queue.popleft()
        if seen[current] >= depth:
            continue
        for other in adjacent.get(current, ()):
            if other not in seen and other in index:
                seen[other] = seen[current] + 1
                queue.append(other)
    return Graph(
        nodes=[n for n in graph.nodes if n.id in seen],
        relationships=[r for r in graph.relationships if r.start in seen and r.end in seen],
    )


def display_label(node: Node) -> str:
    """The most specific schema label (Province rather than Region)."""
    known = [label for label in node.labels if label in schema.schema()["labels"]]
    return known[-1] if known else node.label


def render_html(graph: Graph, focus: str | None = None, depth: int = 1, title: str = "RegioGraph") -> str:
    """The whole page as one HTML string (also served by the API)."""
    if focus is not None:
        graph = neighbourhood(graph, focus, depth)
        title = f"{title}: {graph.node_index()[focus].name} (diepte {depth})"
    large = len(graph.nodes) > LARGE
    net = Network(height="100%", width="100%", directed=True, heading=title, cdn_resources="in_line")
    styles = schema.schema()["labels"]
    counts: dict[str, int] = {}
    for node in graph.nodes:
        label = display_label(node)
        counts[label] = counts.get(label, 0) + 1
        style = styles.get(label, {})
        net.add_node(
            node.id,
            label=_short(node.name),
            title=_node_title(node, label),
            color=style.get("colour", "#868e96"),
            shape=style.get("shape", "dot"),
            kind=label,
            size=28 if node.id == focus else 14,
            borderWidth=4 if node.id == focus else 1,
        )
    for rel in graph.relationships:
        net.add_edge(
            rel.start,
            rel.end,
            label=rel.type,
            title=_edge_title(rel),
            dashes=rel.derived,
            arrows="" if schema.schema()["relationships"].get(rel.type, {}).get("symmetric") else "to",
            rel=rel.type,
        )
    net.options = _options(large)
    net.templateEnv = Environment(
        loader=FileSystemLoader([str(TEMPLATE_DIR), str(Path(pyvis.__file__).parent / "templates")]),
        autoescape=select_autoescape(["html"]),
    )
    return _render(net, counts, graph, focus)


def write_html(graph: Graph, path: Path, focus: str | None = None, depth: int = 1) -> Path:
    """Write the page atomically (an earlier page is never left half-written)."""
    html = render_html(graph, focus=focus, depth=depth)
    return write_text_atomic(path, html)


def _render(net: Network, counts: dict[str, int], graph: Graph, focus: str | None) -> str:
    """Render pyvis's network data with our template (pyvis's own template loads Bootstrap from a
    CDN and has no legend)."""
    styles = schema.schema()["labels"]
    legend = [
        {
            "label": label,
            "count": counts[label],
            **styles.get(label, {"nl": label, "en": label, "colour": "#868e96"}),
        }
        for label in list(styles) + sorted(set(counts) - set(styles))
        if label in counts
    ]
    programmes = sorted(
        ({"id": n.id, "name": n.name} for n in graph.nodes if "Programme" in n.labels),
        key=lambda p: p["name"].lower(),
    )
    nodes, edges, heading, height, width, options = net.get_network_data()
    return net.templateEnv.get_template(TEMPLATE).render(
        nodes=nodes,
        edges=edges,
        heading=heading,
        height=height,
        width=width,
        options=options,
        bgcolor=net.bgcolor,
        legend=legend,
        programmes=programmes,
        focus=focus,
    )


def _options(large: bool) -> dict:
    return {
        "nodes": {"font": {"size": 13, "face": "system-ui"}, "scaling": {"label": {"drawThreshold": 6}}},
        "edges": {
            "font": {"size": 9, "align": "middle", "color": "#495057", "strokeWidth": 2},
            "color": {"color": "#adb5bd", "highlight": "#343a40", "hover": "#343a40"},
            "smooth": False if large else {"type": "continuous"},
            "width": 1,
            "selectionWidth": 2,
            "hoverWidth": 1.5,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": large,
            "navigationButtons": False,
        },
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110, "avoidOverlap": 0.2},
            # bounded: the page is drawn after at most this many iterations, then physics stops
            "stabilization": {
                "enabled": True,
                "iterations": 150 if large else 400,
                "updateInterval": 50,
                "fit": True,
            },
        },
        "layout": {"improvedLayout": not large, "randomSeed": 7},
    }


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _node_title(node: Node, label: str) -> str:
    lines = [node.name, f"{label} · {node.id}"]
    if node.aliases:
        lines.append("ook: " + ", ".join(node.aliases[:8]))
    for key in ("date", "document_number", "kind", "cbs_code", "tooi", "tooi_id", "wikidata"):
        if node.properties.get(key):
            lines.append(f"{key}: {node.properties[key]}")
    return "\n".join(lines)


def _edge_title(rel: Relationship) -> str:
    spec = schema.schema()["relationships"].get(rel.type, {})
    head = f"{rel.type} ({spec.get('nl', '')})" + (" · afgeleid" if rel.derived else "")
    lines = [head]
    for ev in rel.evidence[:MAX_QUOTES]:
        lines.append(f"“{ev.quote}”\n  — {ev.letter}, tekens {ev.start}–{ev.end}")
    if len(rel.evidence) > MAX_QUOTES:
        lines.append(f"(en nog {len(rel.evidence) - MAX_QUOTES} citaten)")
    shared = rel.properties.get("shared")
    if shared:
        lines.append("gedeeld: " + ", ".join(map(str, shared)))
    return "\n".join(lines)
