"""An interactive, self-contained network page of a Graph, drawn by pyvis / vis-network.

pyvis builds the nodes, edges and options and renders the page: `ReadingNetwork` is a pyvis `Network`
that keeps pyvis's own rendering (`generate_html`) but points pyvis's template mechanism
(`set_template_dir`) at graph/templates/network.html, with autoescaping, and hands the template the
page's extra context (legend, programmes, letters) through the Jinja environment. vis-network itself is
vendored (graph/templates/lib/vis-network-9.1.13, from npm) and inlined, so the page works offline and
from file:// and does not depend on the files inside the pyvis package.

Made for reading: letters, Kamerstukken and dossiers and the MENTIONS edges are hidden until one switch
shows them; relationships are labelled in Dutch (the ontology's rdfs:label@nl, graph/labels.py) with
the type in the tooltip; letters are labelled by date and title; a search box focuses a node; a click
pins a panel with the node's relationships and the quotes behind them; the current view exports as PNG.
Physics stops once laid out so that graphs of thousands of nodes stay responsive.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from pyvis.edge import Edge
from pyvis.network import Network

from graph import schema
from graph.contrib import sort_relationships
from graph.files import write_text_atomic
from graph.labels import (
    DOCUMENT_LABELS,
    display_label,
    kind_name,
    letter_label,
    node_label,
    official_page,
    relationship_label,
)
from graph.model import Evidence, Graph, Node, Relationship
from graph.store import GraphStore, UnknownNode

TEMPLATE_DIR = Path(__file__).with_name("templates")
TEMPLATE = "network.html"
VIS_NETWORK = TEMPLATE_DIR / "lib" / "vis-network-9.1.13" / "vis-network.min.js"
LARGE = 1000  # nodes; above this, cheaper drawing and fewer layout iterations
SMALL = 40  # shown nodes; up to this, a wider layout (a neighbourhood around its focus)
MAX_QUOTES = 4
LABEL_CHARS = 40
LAYOUT_BUDGET_MS = {False: 20_000, True: 3_000}  # the layout stops after this, large graph or not
HIDDEN_RELATIONSHIPS = ("MENTIONS",)

__all__ = ["ReadingNetwork", "UnknownNode", "display_label", "neighbourhood", "render_html", "write_html"]

EntityHref = Callable[[str], str | None]
LetterHref = Callable[[Node | None, Evidence], str | None]


class ReadingNetwork(Network):
    """A pyvis Network rendered with RegioGraph's template through pyvis's own template mechanism.

    pyvis's `generate_html()` renders `self.path` from `self.templateEnv` with its variables (nodes,
    edges, options, heading, ...); `set_template_dir()` is pyvis's documented way to use another
    template. This subclass only swaps in an autoescaping environment for that directory and adds
    `context` (the page's own variables) to the environment's globals.
    """

    def __init__(self, context: dict, **kwargs):
        super().__init__(cdn_resources="in_line", **kwargs)
        self.set_template_dir(str(TEMPLATE_DIR), TEMPLATE)
        self.context = context

    def set_template_dir(self, template_directory, template_file="template.html"):
        super().set_template_dir(template_directory, template_file)
        self.templateEnv = Environment(
            loader=FileSystemLoader(self.template_dir), autoescape=select_autoescape(["html"])
        )

    def add_edge(self, source, to, **options):
        """pyvis's add_edge for a directed network, checking the ends against pyvis's `node_map` (a
        dict) rather than its node list, so that adding E edges among N nodes is O(E), not O(E·N)."""
        if not self.directed:
            return super().add_edge(source, to, **options)
        for end in (source, to):
            if end not in self.node_map:
                raise ValueError(f"non existent node {end!r}")
        self.edges.append(Edge(source, to, self.directed, **options).options)

    def generate_html(self, name="index.html", local=True, notebook=False):
        self.templateEnv.globals.update(self.context)
        return super().generate_html(name=name, local=local, notebook=notebook)


def neighbourhood(graph: Graph, focus: str, depth: int = 1) -> Graph:
    """The nodes within `depth` hops of `focus` (ignoring direction) and the relationships among them."""
    index = graph.node_index()
    if focus not in index:
        raise UnknownNode(_unknown(focus))
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


def read_neighbourhood(store: GraphStore, focus: str, depth: int = 1) -> Graph:
    """`neighbourhood` read from a store node by node (each node's neighbours, one query each) instead
    of from a snapshot of everything: the same nodes and relationships, at the cost of what is drawn."""
    node = store.get_node(focus)
    if node is None:
        raise UnknownNode(_unknown(focus))
    nodes: dict[str, Node] = {focus: node}
    rels: dict[tuple, Relationship] = {}
    ring = [focus]
    for hop in range(depth + 1):  # the last round keeps the outer ring's relationships among the nodes
        outer = []
        for current in ring:
            for found in store.neighbours(current):
                other = found.node.id
                if other not in nodes:
                    if hop == depth:
                        continue
                    nodes[other] = found.node
                    outer.append(other)
                rel = found.relationship
                rels[(rel.type, rel.start, rel.end, rel.derived)] = rel
        ring = outer
    return Graph(
        nodes=sorted(nodes.values(), key=lambda n: n.id), relationships=sort_relationships(rels.values())
    )


def _unknown(focus: str) -> str:
    return (
        f"{focus!r} staat niet in de graaf; zoek de naam op de voorpagina (/?q=...) of met "
        "/entities?q=... (ids zien eruit als programme:npvr of region:twente)"
    )


def default_letter_href(letter: Node | None, evidence: Evidence) -> str | None:
    return official_page(letter) if letter is not None else None


def render_html(
    graph: Graph,
    focus: str | None = None,
    depth: int = 1,
    title: str = "RegioGraph · netwerk",
    entity_href: EntityHref | None = None,
    letter_href: LetterHref = default_letter_href,
    links: dict[str, str] | None = None,
) -> str:
    """The whole page as one HTML string (also served by the API at /viz)."""
    if focus is not None:
        graph = neighbourhood(graph, focus, depth)
        title = f"{title}: {node_label(graph.node_index()[focus])} (diepte {depth})"
    index = graph.node_index()
    large = len(graph.nodes) > LARGE
    styles = schema.schema()["labels"]
    counts: dict[str, int] = {}
    nodes = []
    documents = {n.id for n in graph.nodes if display_label(n) in DOCUMENT_LABELS and n.id != focus}
    hidden_edges = [_behind_switch(rel, documents) for rel in graph.relationships]
    connected = {
        end
        for rel, hidden in zip(graph.relationships, hidden_edges, strict=True)
        if not hidden
        for end in (rel.start, rel.end)
    }
    for node in graph.nodes:
        label = display_label(node)
        counts[label] = counts.get(label, 0) + 1
        style = styles.get(label, {})
        # letters and Kamerstukken, and what only they connect, wait behind the switch
        document = node.id in documents or (node.id not in connected and node.id != focus)
        nodes.append(
            dict(
                n_id=node.id,
                label=_short(node_label(node)),
                title=_node_title(node),
                color=style.get("colour", "#868e96"),
                shape=style.get("shape", "dot"),
                kind=label,
                kind_nl=kind_name(node),
                name=node_label(node),
                search=" ".join([node_label(node), *node.aliases, node.id]),
                href=entity_href(node.id) if entity_href else None,
                document=document,
                hidden=document,
                size=30 if node.id == focus else 16,
                borderWidth=4 if node.id == focus else 1,
            )
        )
    context = {
        "legend": _legend(counts),
        "programmes": sorted(
            ({"id": n.id, "name": n.name} for n in graph.nodes if "Programme" in n.labels),
            key=lambda p: p["name"].lower(),
        ),
        "focus": focus,
        "vis_network_js": VIS_NETWORK.read_text(encoding="utf-8"),
        "links": links or {},
        "layout_budget_ms": LAYOUT_BUDGET_MS[large],
        "hidden_kinds": [styles.get(k, {}).get("nl", k) for k in DOCUMENT_LABELS if k in counts],
    }
    net = ReadingNetwork(context, height="100%", width="100%", directed=True, heading=title)
    for item in nodes:
        net.add_node(item.pop("n_id"), **item)
    for rel, hidden in zip(graph.relationships, hidden_edges, strict=True):
        net.add_edge(
            rel.start,
            rel.end,
            label=relationship_label(rel.type),
            title=_edge_title(rel, index),
            dashes=rel.derived,
            arrows="" if schema.schema()["relationships"].get(rel.type, {}).get("symmetric") else "to",
            rel=rel.type,
            hidden=hidden,
            document=hidden,
            evidence=_evidence(rel, index, letter_href),
            shared=[str(x) for x in rel.properties.get("shared", []) or []],
        )
    net.options = _options(large, small=len(connected) <= SMALL)
    return net.generate_html()


def write_html(graph: Graph, path: Path, focus: str | None = None, depth: int = 1, **kwargs) -> Path:
    """Write the page atomically (an earlier page is never left half-written)."""
    html = render_html(graph, focus=focus, depth=depth, **kwargs)
    return write_text_atomic(path, html)


def _behind_switch(rel: Relationship, documents: set[str]) -> bool:
    """MENTIONS, and every relationship of a letter, Kamerstuk or dossier, show only when asked."""
    return rel.type in HIDDEN_RELATIONSHIPS or rel.start in documents or rel.end in documents


def _legend(counts: dict[str, int]) -> list[dict]:
    styles = schema.schema()["labels"]
    return [
        {
            "label": label,
            "count": counts[label],
            "document": label in DOCUMENT_LABELS,
            **styles.get(label, {"nl": label, "en": label, "colour": "#868e96"}),
        }
        for label in list(styles) + sorted(set(counts) - set(styles))
        if label in counts
    ]


def _evidence(rel: Relationship, index: dict[str, Node], letter_href: LetterHref) -> list[dict]:
    out = []
    for ev in rel.evidence[:MAX_QUOTES]:
        letter = index.get(ev.letter)
        out.append(
            {
                "quote": ev.quote,
                "letter": letter_label(letter) if letter else ev.letter,
                "href": letter_href(letter, ev),
            }
        )
    return out


def _options(large: bool, small: bool = False) -> dict:
    return {
        "nodes": {
            "font": {"size": 16, "face": "system-ui", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "scaling": {"label": {"drawThreshold": 5}},
        },
        "edges": {
            "font": {"size": 12, "align": "middle", "color": "#343a40", "strokeWidth": 3},
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
            "solver": "barnesHut" if large else "forceAtlas2Based",
            "barnesHut": {"gravitationalConstant": -3000, "springLength": 120, "avoidOverlap": 0},
            # a neighbourhood spreads out around its centre; a whole graph keeps closer together
            "forceAtlas2Based": {
                "gravitationalConstant": -200 if small else -80,
                "centralGravity": 0.01,
                "springLength": 150 if small else 110,
                "springConstant": 0.05 if small else 0.08,
                "avoidOverlap": 1,
            },
            # bounded: the page is drawn after at most this many iterations, then physics stops
            "stabilization": {
                "enabled": True,
                "iterations": 100 if large else 400,
                "updateInterval": 5 if large else 25,  # small batches: the time budget can stop the layout
                "fit": True,
            },
        },
        "layout": {"improvedLayout": not large, "randomSeed": 7},
    }


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _node_title(node: Node) -> str:
    lines = [node_label(node), f"{kind_name(node)} · {node.id}"]
    if node.aliases:
        lines.append("ook: " + ", ".join(node.aliases[:8]))
    for key in ("document_number", "kind", "cbs_code", "tooi", "tooi_id", "wikidata"):
        if node.properties.get(key):
            lines.append(f"{key}: {node.properties[key]}")
    return "\n".join(lines)


def _edge_title(rel: Relationship, index: dict[str, Node]) -> str:
    head = f"{relationship_label(rel.type)} ({rel.type})" + (" · afgeleid" if rel.derived else "")
    lines = [head]
    for ev in rel.evidence[:MAX_QUOTES]:
        letter = index.get(ev.letter)
        lines.append(f"“{ev.quote}”\n  — {letter_label(letter) if letter else ev.letter}")
    if len(rel.evidence) > MAX_QUOTES:
        lines.append(f"(en nog {len(rel.evidence) - MAX_QUOTES} citaten)")
    shared = rel.properties.get("shared")
    if shared:
        lines.append("gedeeld: " + ", ".join(map(str, shared)))
    return "\n".join(lines)
