"""A self-contained map page of the Netherlands: which programmes cover which areas, and where it is said.

The page draws the CBS municipalities (Leaflet inlined, no tiles, works offline and from file://) with
the province borders on top. Every Region of the graph is tied to the municipalities it consists of:

- a Municipality by its CBS code (GM...), a COROP area (CR...) or a Province (PV...) by the
  municipalities the CBS assigns to it, a woonplaats (WP...) by its municipality (approximate);
- any other region by its parts in the graph (`PART_OF` from a municipality to the region, decisions
  D1/D2; a store holds the compositions of ingest/data/region_members.yaml that way), approximate
  where the relationship says so;
- "NOVEX-gebied X" that is `PART_OF` region X (D3) by X's municipalities, approximate;
- a region that lies in one municipality (a city district) as that municipality, approximate.

A region that none of these places is listed beside the map, never dropped. The stacking view counts,
per municipality, the programmes that cover it directly or through a region it lies in; the list of
stacked regions next to it counts the programmes per region as `queries/stacking-regions` does.

Geometry is passed in (`Geography`); this module reads no package data of other layers. The API
(`api/geo.py`) and `regiograph map` build the Geography from the shipped CBS files.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from graph.files import write_text_atomic
from graph.labels import kind_name, letter_label, official_page
from graph.model import Evidence, Graph, Node
from graph.store import UnknownNode
from graph.text import fold

TEMPLATE_DIR = Path(__file__).with_name("templates")
LEAFLET = TEMPLATE_DIR / "lib" / "leaflet-1.9.4"
PROGRAMME_COLOUR = "#d9480f"
NO_PROGRAMME = "#e9ecef"
# ColorBrewer YlOrRd, 6 classes: 1, 2, 3, 4, 5, 6+ programmes
STACKING_COLOURS = ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"]
MAX_QUOTES = 3

LetterHref = Callable[[Node | None, Evidence], str | None]


@dataclass
class Geography:
    """What the map draws with: CBS boundaries as TopoJSON and each municipality's province and COROP area."""

    municipalities: dict  # TopoJSON; each geometry's properties carry statcode and statnaam
    provinces: dict | None = None  # TopoJSON of the province borders (drawn as lines)
    municipality_info: dict[str, dict] = field(default_factory=dict)  # GM code -> {name, province, corop}
    attribution: str = "Grenzen: CBS/PDOK 2025"
    _features: list[dict] | None = field(default=None, repr=False, compare=False)

    def features(self) -> list[dict]:
        """The municipalities as GeoJSON features (decoded once)."""
        if self._features is None:
            self._features = topology_features(self.municipalities)
        return self._features


@dataclass(frozen=True)
class Placement:
    codes: tuple[str, ...]  # municipality codes
    approximate: bool
    how: str  # in Dutch, shown in the page


def name_key(name: str) -> str:
    """'Noord- en Oost-Groningen' -> 'noord-en-oost-groningen' (accents, case and punctuation folded)."""
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")


# -- TopoJSON -------------------------------------------------------------------------------------
def topology_features(topology: dict, digits: int = 4) -> list[dict]:
    """The geometries of a TopoJSON topology as GeoJSON features (Polygon and MultiPolygon)."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        points, x, y = [], 0, 0
        for point in arc:
            if transform:
                x, y = x + point[0], y + point[1]
                sx, sy = transform["scale"]
                tx, ty = transform["translate"]
                points.append([round(x * sx + tx, digits), round(y * sy + ty, digits)])
            else:
                points.append([round(point[0], digits), round(point[1], digits)])
        arcs.append(points)

    def ring(indices: list[int]) -> list[list[float]]:
        out: list[list[float]] = []
        for i in indices:
            points = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(points if not out else points[1:])
        return out

    features = []
    for obj in topology["objects"].values():
        for geom in obj.get("geometries", []):
            if geom["type"] == "Polygon":
                coords: list = [ring(r) for r in geom["arcs"]]
            elif geom["type"] == "MultiPolygon":
                coords = [[ring(r) for r in polygon] for polygon in geom["arcs"]]
            else:
                continue
            features.append(
                {
                    "type": "Feature",
                    "properties": dict(geom.get("properties", {})),
                    "geometry": {"type": geom["type"], "coordinates": coords},
                }
            )
    return features


# -- placing regions ------------------------------------------------------------------------------
def _code(node: Node) -> str:
    return str(node.properties.get("cbs_code") or "").upper()


def place_regions(graph: Graph, geo: Geography) -> tuple[dict[str, Placement], list[tuple[Node, str]]]:
    """Every Region node of the graph tied to municipality codes, and those that cannot be placed
    (with the reason, in Dutch)."""
    drawn = {f["properties"]["statcode"] for f in geo.features()}
    info = geo.municipality_info
    by_corop: dict[str, list[str]] = {}
    by_province: dict[str, list[str]] = {}
    for code, item in info.items():
        if item.get("corop"):
            by_corop.setdefault(item["corop"], []).append(code)
        if item.get("province"):
            by_province.setdefault(item["province"], []).append(code)
    index = graph.node_index()
    regions = [n for n in graph.nodes if "Region" in n.labels]
    parts: dict[str, list[tuple[str, bool, str]]] = {}
    wholes: dict[str, list[str]] = {}
    for rel in graph.relationships:
        if rel.type == "PART_OF" and rel.start in index and rel.end in index:
            if "Region" in index[rel.start].labels and "Region" in index[rel.end].labels:
                approximate = bool(rel.properties.get("approximate"))
                source = str(rel.properties.get("source", ""))
                parts.setdefault(rel.end, []).append((rel.start, approximate, source))
                wholes.setdefault(rel.start, []).append(rel.end)

    def own(node: Node) -> Placement | None:
        code = _code(node)
        if code.startswith("GM"):
            return Placement((code,), False, f"gemeente {code}")
        if code.startswith("CR") and code in by_corop:
            return Placement(tuple(sorted(by_corop[code])), False, f"COROP-gebied {code} (CBS)")
        if code.startswith("PV") and code in by_province:
            return Placement(tuple(sorted(by_province[code])), False, f"provincie {code} (CBS)")
        municipality = str(node.properties.get("municipality_code") or "").upper()
        if code.startswith("WP") and municipality:
            return Placement(
                (municipality,), True, f"woonplaats {code}, getekend als gemeente {municipality}"
            )
        return None

    placed: dict[str, Placement] = {}
    for node in regions:
        found = own(node)
        if found:
            placed[node.id] = found
    for node in regions:  # composed regions: their parts in the graph
        if node.id in placed:
            continue
        codes: set[str] = set()
        approximate, sources = False, set()
        graph_parts = [(p, a, src) for p, a, src in parts.get(node.id, []) if p in placed]
        for part, approx, source in graph_parts:
            codes.update(placed[part].codes)
            approximate |= approx or placed[part].approximate
            sources.add(source.removeprefix("region_members.yaml: "))
        if codes:
            how = f"{len(graph_parts)} gemeente(n) die er volgens de graaf deel van zijn (PART_OF)"
            how += (" (bij benadering)" if approximate else "") + f" [bron: {'; '.join(sorted(sources))}]"
            placed[node.id] = Placement(tuple(sorted(codes)), approximate, how)
    for node in regions:  # NOVEX-gebied X, part of region X (D3): drawn as X
        if node.id in placed or not fold(node.name).startswith("novex-gebied "):
            continue
        area = name_key(node.name[len("NOVEX-gebied ") :])
        for whole in wholes.get(node.id, []):
            target = index[whole]
            if whole in placed and area in {name_key(f) for f in [target.name, *target.aliases]}:
                placed[node.id] = Placement(placed[whole].codes, True, f"benaderd door {target.name}")
                break
    for node in regions:  # a city district: drawn as the municipality it lies in
        municipalities = [w for w in wholes.get(node.id, []) if _code(index[w]).startswith("GM")]
        if node.id not in placed and len(municipalities) == 1 and municipalities[0] in placed:
            target = index[municipalities[0]]
            placed[node.id] = Placement(placed[target.id].codes, True, f"getekend als gemeente {target.name}")
    unplaced: list[tuple[Node, str]] = []
    for node in regions:
        placement = placed.get(node.id)
        if placement is None:
            unplaced.append((node, "geen CBS-code en geen gemeenten die er volgens de graaf deel van zijn"))
            continue
        on_map = tuple(c for c in placement.codes if c in drawn)
        if not on_map:
            del placed[node.id]
            unplaced.append((node, f"geen grenzen voor {', '.join(placement.codes)} in de kaart van 2025"))
        elif len(on_map) < len(placement.codes):
            placed[node.id] = Placement(
                on_map, True, placement.how + "; niet elke gemeente staat op de kaart"
            )
    return placed, unplaced


# -- page data ------------------------------------------------------------------------------------
# The relationships the map reads: a store's snapshot of these alone is all it needs.
MAP_RELATIONSHIPS = ("COVERS", "PART_OF")


def default_letter_href(letter: Node | None, evidence: Evidence) -> str | None:
    return official_page(letter) if letter is not None else None


def map_data(
    graph: Graph,
    geo: Geography,
    letter_href: LetterHref = default_letter_href,
    programme: str | None = None,
    region: str | None = None,
) -> dict:
    """Everything the page shows, as JSON-able data (also what the tests read)."""
    index = graph.node_index()
    for wanted, label in ((programme, "Programme"), (region, "Region")):
        if wanted is not None and (wanted not in index or label not in index[wanted].labels):
            kind = "programma" if label == "Programme" else "regio"
            raise UnknownNode(
                f"{kind} {wanted!r} staat niet in de graaf; zoek de juiste id op de voorpagina (/?q=...) "
                f"of met /entities?q=...&label={label}"
            )
    placed, unplaced = place_regions(graph, geo)
    covers: dict[str, list] = {}
    for rel in graph.relationships:
        if rel.type == "COVERS" and rel.start in index and rel.end in index:
            covers.setdefault(rel.end, []).append(rel)
    regions_out: list[dict[str, Any]] = []
    for node in graph.nodes:
        if "Region" not in node.labels:
            continue
        programmes = []
        for rel in sorted(covers.get(node.id, []), key=lambda r: fold(index[r.start].name)):
            quotes = []
            for ev in rel.evidence[:MAX_QUOTES]:
                letter = index.get(ev.letter)
                quotes.append(
                    {
                        "quote": ev.quote,
                        "letter": ev.letter,
                        "letter_label": letter_label(letter) if letter else ev.letter,
                        "href": letter_href(letter, ev),
                    }
                )
            programmes.append(
                {
                    "id": rel.start,
                    "name": index[rel.start].name,
                    "quotes": quotes,
                    "more": len(rel.evidence) - len(quotes),
                }
            )
        placement = placed.get(node.id)
        regions_out.append(
            {
                "id": node.id,
                "name": node.name,
                "kind": kind_name(node),
                "codes": list(placement.codes) if placement else [],
                "approximate": placement.approximate if placement else False,
                "how": placement.how if placement else "",
                "programmes": programmes,
            }
        )
    reasons = {node.id: reason for node, reason in unplaced}
    for item in regions_out:
        item["unplaced"] = reasons.get(item["id"])
    # per municipality: distinct programmes covering it directly or through a region it lies in
    per_area: dict[str, set[str]] = {}
    for item in regions_out:
        for code in item["codes"]:
            per_area.setdefault(code, set()).update(p["id"] for p in item["programmes"])
    stacking = {code: len(ps) for code, ps in per_area.items() if ps}
    stacked_regions = sorted(
        (
            {"id": r["id"], "name": r["name"], "programmes": len(r["programmes"])}
            for r in regions_out
            if len(r["programmes"]) > 1
        ),
        key=lambda r: (-r["programmes"], r["id"]),
    )
    covered: dict[str, set[str]] = {}
    for region_id, rels in covers.items():
        if "Region" in index[region_id].labels:
            for rel in rels:
                covered.setdefault(rel.start, set()).add(region_id)
    programmes_out = [
        {"id": p, "name": index[p].name, "regions": sorted(covered[p])}
        for p in sorted(covered, key=lambda p: fold(index[p].name))
    ]
    features = [
        {
            **f,
            "properties": {"code": f["properties"]["statcode"], "name": f["properties"].get("statnaam", "")},
        }
        for f in geo.features()
    ]
    outlines = topology_features(geo.provinces) if geo.provinces else []
    max_count = max(stacking.values(), default=0)
    legend = [
        {
            "count": i + 1,
            "label": f"{i + 1}+" if i == len(STACKING_COLOURS) - 1 else str(i + 1),
            "colour": colour,
            "areas": sum(1 for c in stacking.values() if min(c, len(STACKING_COLOURS)) == i + 1),
        }
        for i, colour in enumerate(STACKING_COLOURS)
        if i < max(max_count, 1)
    ]
    return {
        "areas": {"type": "FeatureCollection", "features": features},
        "outlines": {"type": "FeatureCollection", "features": outlines},
        "regions": regions_out,
        "programmes": programmes_out,
        "stacking": stacking,
        "stacked_regions": stacked_regions,
        "legend": legend,
        "colours": {"programme": PROGRAMME_COLOUR, "none": NO_PROGRAMME, "stacking": STACKING_COLOURS},
        "attribution": geo.attribution,
        "initial": {"programme": programme, "region": region},
    }


def render_html(
    graph: Graph,
    geo: Geography,
    letter_href: LetterHref = default_letter_href,
    programme: str | None = None,
    region: str | None = None,
    links: dict[str, str] | None = None,
    title: str = "RegioGraph · kaart",
) -> str:
    """The whole page as one HTML string (also served by the API at /map)."""
    data = map_data(graph, geo, letter_href, programme=programme, region=region)
    env = Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=select_autoescape(["html"]))
    return env.get_template("map.html").render(
        title=title,
        data=data,
        links=links or {},
        leaflet_js=(LEAFLET / "leaflet.js").read_text(encoding="utf-8"),
        leaflet_css=(LEAFLET / "leaflet.css").read_text(encoding="utf-8"),
    )


def write_html(graph: Graph, geo: Geography, path: Path, **kwargs) -> Path:
    """Write the page atomically."""
    return write_text_atomic(path, render_html(graph, geo, **kwargs))
