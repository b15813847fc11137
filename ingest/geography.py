"""Geography read from data, not from text (decisions D1): the PART_OF hierarchy between the areas a
letter names, and the map geometry.

PART_OF points from the part to the whole: municipality -> COROP area and -> province (CBS/TOOI),
COROP area -> province (where the whole area lies in it), woonplaats -> municipality, city district ->
municipality, municipality -> region (data/region_members.yaml), hand-listed region -> province
(data/regions.yaml), NOVEX-gebied <Name> -> <Name> (D3), a region whose name gives its province
("Noord-Groningen") -> that province, and a deelstaat -> its country (Nedersaksen -> Duitsland).
Only between nodes of the letter's graph: where the direct whole is not named, the nearest named
area above it is used (woonplaats -> province). These relationships carry `basis: structure`, the
data file they come from, and no evidence.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from graph.model import Node, Relationship
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
            "source": item.get("source", "region_members.yaml"),
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


def hierarchy(nodes: dict[str, Node], vocab: Vocabulary | None = None) -> list[Relationship]:
    """PART_OF relationships between the Region nodes of one letter's graph, from data."""
    vocab = vocab or vocabulary()
    rels: dict[tuple[str, str], Relationship] = {}

    def add(part: str, whole: str, source: str, **props) -> None:
        if part != whole and whole in nodes and (part, whole) not in rels:
            rels[(part, whole)] = _part_of(part, whole, source, **props)

    provinces = _provinces(vocab)
    compositions = _compositions()
    for node in nodes.values():
        if "NeighbouringState" in node.labels and node.properties.get("country"):  # deelstaat -> land
            add(node.id, "neighbouringstate:" + slug(node.properties["country"]), "neighbouring_states.yaml")
        if "Region" not in node.labels:
            continue
        entry = vocab.entries.get(node.id)
        if entry is not None and entry.part_of:
            kind = entry.kind if entry.kind in _SOURCES else "region"
            source = "region_members.yaml" if entry.props.get("kind") == "stadsdeel" else _SOURCES[kind]
            for whole in _wholes(entry, nodes, vocab, set()):
                add(node.id, whole, source)
        elif entry is None and node.properties.get("area"):  # NOVEX-gebied X -> X (D3)
            area = vocab.region_keys.get(region_key(node.properties["area"], vocab.spelling))
            if area:
                add(node.id, area, "name")
        elif entry is None and _COMPASS_NAME.match(node.name):  # Noord-Groningen -> Groningen
            parts = region_key(node.name, vocab.spelling).split("-")
            if len(parts) > 1 and parts[-1] in provinces:
                add(node.id, provinces[parts[-1]], "name")
        for form in [node.name, *node.aliases]:
            composition = compositions.get(region_key(form, vocab.spelling))
            if composition:
                extra = {"approximate": True} if composition["approximate"] else {}
                for member in composition["members"]:
                    if member in nodes:
                        add(member, node.id, "region_members.yaml: " + composition["source"], **extra)
                break
    return list(rels.values())


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
