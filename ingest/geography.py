"""Geography read from data, not from text (decisions D1): the PART_OF hierarchy between the areas a
letter names, and the map geometry.

PART_OF points from the part to the whole: municipality -> COROP area and -> province (CBS/TOOI),
COROP area -> province (where the whole area lies in it), woonplaats -> municipality, city district ->
municipality, municipality -> region (data/region_members.yaml), hand-listed region -> province
(data/regions.yaml), NOVEX-gebied <Name> -> <Name> (D3), a region whose name gives its province
("Noord-Groningen") -> that province, and a deelstaat -> its country (Nedersaksen -> Duitsland).
Extraction links only nodes of the letter's graph: where the direct whole is not named, the nearest
named area above it is used (woonplaats -> province). These relationships carry `basis: structure`,
the data file they come from, and no evidence.

What a store holds goes further (`with_reference_areas`): every area a letter names brings the areas
it lies in (up to its province and country) and, for a region composed from data, its member
municipalities, so `(:Region {name: 'Twente'})-[:PART_OF*]->(:Province)` answers from any letter
that names Twente. The extraction output a scorer reads stays what the letter names.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from graph.model import Graph, Node, Relationship
from ingest.text import region_key, slug
from ingest.vocabulary import GENERATED, Entry, Vocabulary, load_yaml, vocabulary

DATA = Path(__file__).with_name("data")
GEO = GENERATED / "geo"
TOPOLOGIES = {"municipality": "gemeente_2025", "corop": "coropgebied_2025", "province": "provincie_2025"}
_SOURCES = {
    "municipality": "generated/municipalities.json",
    "woonplaats": "generated/woonplaatsen.json",
    "corop": "generated/corop_areas.json",
    "region": "regions.yaml",
}
_COMPASS_NAME = re.compile(r"[A-Z][a-z]*-")


@lru_cache(maxsize=1)
def _compositions() -> dict[str, dict]:
    """region_key of a region -> {"members": [municipality entry ids], "source", "approximate"}."""
    vocab = vocabulary()
    raw = load_yaml(DATA / "region_members.yaml") or {}
    by_name = {e.name: e.id for e in vocab.entries.values() if e.kind == "municipality"}
    out = {}
    for item in raw.get("regions", []):
        members = []
        for name in item["municipalities"]:
            if name not in by_name:
                raise ValueError(f"region_members.yaml: {item['name']}: unknown municipality {name!r}")
            members.append(by_name[name])
        out[region_key(item["name"], vocab.spelling)] = {
            "members": members,
            "source": "; ".join(x for x in (item.get("source", ""), item.get("note", "")) if x),
            "approximate": bool(item.get("approximate")),
        }
    return out


def _part_of(part: str, whole: str, source: str, **props) -> Relationship:
    return Relationship(
        type="PART_OF",
        start=part,
        end=whole,
        properties={"basis": "structure", "source": source, **props},
    )


def _wholes(entry: Entry, nodes: dict[str, Node], vocab: Vocabulary, seen: set[str]) -> list[str]:
    """The areas containing `entry` that the letter names: each direct whole, or where that is not
    named, the nearest named area above it."""
    found = []
    for whole in entry.part_of:
        if whole in seen:
            continue
        seen.add(whole)
        if whole in nodes:
            found.append(whole)
        elif whole in vocab.entries:
            found += _wholes(vocab.entries[whole], nodes, vocab, seen)
    return found


_PROVINCES: dict[int, dict[str, str]] = {}


def _provinces(vocab: Vocabulary) -> dict[str, str]:
    """Province ids by their region key (once per vocabulary: a scan of all its entries)."""
    found = _PROVINCES.get(id(vocab))
    if found is None:
        found = {
            region_key(e.name, vocab.spelling): e.id for e in vocab.entries.values() if e.kind == "province"
        }
        _PROVINCES.clear()
        _PROVINCES[id(vocab)] = found
    return found


def _source(entry: Entry) -> str:
    if entry.props.get("kind") == "stadsdeel":
        return "region_members.yaml"
    return _SOURCES[entry.kind if entry.kind in _SOURCES else "region"]


def _containers(node: Node, vocab: Vocabulary, provinces: dict[str, str]) -> list[tuple[str, str]]:
    """(id, source) of the areas `node` lies in directly according to data."""
    entry = vocab.entries.get(node.id)
    found = []
    if entry is not None:
        found = [(whole, _source(entry)) for whole in entry.part_of]
    elif node.properties.get("area"):  # NOVEX-gebied X -> X (D3)
        area = vocab.region_keys.get(region_key(node.properties["area"], vocab.spelling))
        found = [(area, "name")] if area else []
    elif _COMPASS_NAME.match(node.name):  # Noord-Groningen -> Groningen
        parts = region_key(node.name, vocab.spelling).split("-")
        if len(parts) > 1 and parts[-1] in provinces:
            found = [(provinces[parts[-1]], "name")]
    if "NeighbouringState" in node.labels and node.properties.get("country"):  # deelstaat -> land
        found.append(("neighbouringstate:" + slug(node.properties["country"]), "neighbouring_states.yaml"))
    return found


def _composition(node: Node, vocab: Vocabulary) -> dict | None:
    """The data composition of a region named like `node` (region_members.yaml), if any."""
    compositions = _compositions()
    for form in [node.name, *node.aliases]:
        if (found := compositions.get(region_key(form, vocab.spelling))) is not None:
            return found
    return None


def hierarchy(nodes: dict[str, Node], vocab: Vocabulary | None = None) -> list[Relationship]:
    """PART_OF relationships between the Region nodes of one letter's graph, from data."""
    vocab = vocab or vocabulary()
    rels: dict[tuple[str, str], Relationship] = {}

    def add(part: str, whole: str, source: str, **props) -> None:
        if part != whole and whole in nodes and (part, whole) not in rels:
            rels[(part, whole)] = _part_of(part, whole, source, **props)

    provinces = _provinces(vocab)
    for node in nodes.values():
        if "Region" not in node.labels and "NeighbouringState" not in node.labels:
            continue
        entry = vocab.entries.get(node.id)
        if entry is not None and entry.part_of:  # each direct whole, or the nearest named one above it
            for whole in _wholes(entry, nodes, vocab, set()):
                add(node.id, whole, _source(entry))
        else:
            for whole, source in _containers(node, vocab, provinces):
                add(node.id, whole, source)
        composition = _composition(node, vocab) if "Region" in node.labels else None
        if composition:
            extra = {"approximate": True} if composition["approximate"] else {}
            for member in composition["members"]:
                if member in nodes:
                    add(member, node.id, "region_members.yaml: " + composition["source"], **extra)
    return list(rels.values())


def with_reference_areas(graph: Graph, vocab: Vocabulary | None = None) -> Graph:
    """One letter's graph as a store keeps it: with the areas its areas lie in and the members of its
    composed regions added from data (nodes without mentions, PART_OF with `basis: structure`)."""
    vocab = vocab or vocabulary()
    provinces = _provinces(vocab)
    nodes = {n.id: n for n in graph.nodes}
    todo = [n for n in graph.nodes if "Region" in n.labels or "NeighbouringState" in n.labels]

    def bring(node_id: str) -> None:
        if node_id not in nodes and (found := vocab.node(node_id)) is not None:
            nodes[node_id] = found
            todo.append(found)

    for node in list(todo):
        composition = _composition(node, vocab) if "Region" in node.labels else None
        for member in composition["members"] if composition else []:
            bring(member)
    while todo:
        for whole, _ in _containers(todo.pop(), vocab, provinces):
            bring(whole)
    known = {r.key for r in graph.relationships}
    extra = [r for r in hierarchy(nodes, vocab) if r.key not in known]
    if len(nodes) == len(graph.nodes) and not extra:
        return graph
    return graph.model_copy(
        update={"nodes": list(nodes.values()), "relationships": [*graph.relationships, *extra]}
    )


def add_structure(
    rels: dict, nodes: dict[str, Node], vocab: Vocabulary | None = None, date: str | None = None
) -> None:
    """What one letter's graph gains from data, not text: the PART_OF hierarchy between the areas it
    names (into `rels`, keyed (type, start, end), never replacing one read from text) and ministries
    named as they were called on the letter's date."""
    vocab = vocab or vocabulary()
    for rel in hierarchy(nodes, vocab):
        rels.setdefault(rel.key, rel)
    for node in nodes.values():
        if "Ministry" in node.labels:
            named = vocab.ministry_name(node.id, date)
            if named and node.name != named[0]:
                if node.name not in node.aliases:
                    node.aliases.append(node.name)
                node.name = named[0]
                node.properties["abbreviation"] = named[1]
            if named and named[0] in node.aliases:
                node.aliases.remove(named[0])


@lru_cache(maxsize=4)
def topology(kind: str) -> dict:
    """The 2025 boundaries of one area kind (municipality, corop, province) as TopoJSON, each
    geometry's properties carrying its graph `node_id`; the source is in `topology["regiograph"]`."""
    if kind not in TOPOLOGIES:
        raise ValueError(f"no map geometry for {kind!r}; there is for {', '.join(TOPOLOGIES)}")
    return json.loads((GEO / f"{TOPOLOGIES[kind]}.topojson").read_text(encoding="utf-8"))
