"""The map's Geography from the data shipped in the `ingest` package (decisions D1/D2): the CBS 2025
boundaries (ingest/data/generated/geo, written by `regiograph vocabulary build` with source and year),
the municipality list with each municipality's province and COROP area, and the hand-written region
compositions (ingest/data/region_members.yaml). Read once; used by GET /map and `regiograph map`."""

from __future__ import annotations

import json
from functools import lru_cache

import yaml

from graph.map import Composition, Geography, name_key
from ingest.gazetteer_build import GENERATED

INGEST_DATA = GENERATED.parent
TOPOLOGIES = {"municipality": "gemeente_2025", "corop": "coropgebied_2025", "province": "provincie_2025"}


def _topology(kind: str) -> dict:
    return json.loads((GENERATED / "geo" / f"{TOPOLOGIES[kind]}.topojson").read_text(encoding="utf-8"))


def _attribution(topology: dict) -> str:
    meta = topology.get("regiograph", {})
    versions = sorted({s.get("version", "") for s in meta.get("sources", []) if s.get("version")})
    return "Grenzen: " + ("; ".join(versions) or "CBS/PDOK 2025") + " (CC BY 4.0)"


def _municipalities() -> dict[str, dict]:
    raw = json.loads((GENERATED / "municipalities.json").read_text(encoding="utf-8"))
    return {
        item["code"]: {"name": item["name"], "province": item.get("province"), "corop": item.get("corop")}
        for item in raw["items"]
    }


def _compositions(municipalities: dict[str, dict]) -> dict[str, Composition]:
    path = INGEST_DATA / "region_members.yaml"
    if not path.exists():
        return {}
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    by_name = {info["name"]: code for code, info in municipalities.items()}
    out: dict[str, Composition] = {}
    for item in raw.get("regions", []):
        members = tuple(sorted(by_name[n] for n in item.get("municipalities", []) if n in by_name))
        if members:
            out[name_key(item["name"])] = Composition(
                members=members,
                source=str(item.get("source", "region_members.yaml")),
                approximate=bool(item.get("approximate")),
                note=str(item.get("note", "")),
            )
    for item in raw.get("districts", []):  # city districts: drawn as their municipality, approximately
        code = by_name.get(item.get("municipality", ""))
        if code:
            composition = Composition((code,), f"stadsdeel van {item['municipality']}", approximate=True)
            for name in [item["name"], *item.get("aliases", [])]:
                out.setdefault(name_key(name), composition)
    return out


@lru_cache(maxsize=1)
def geography() -> Geography:
    municipalities = _municipalities()
    topology = _topology("municipality")
    return Geography(
        municipalities=topology,
        provinces=_topology("province"),
        municipality_info=municipalities,
        compositions=_compositions(municipalities),
        attribution=_attribution(topology),
    )
