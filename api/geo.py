"""The map's Geography from the data shipped in the `ingest` package (decisions D1/D2): the CBS 2025
boundaries (ingest/data/generated/geo, written by `regiograph vocabulary build` with source and year),
and the municipality list with each municipality's province and COROP area. Regions composed of
municipalities are drawn from their PART_OF in the graph. Read once; used by GET /map and
`regiograph map`."""

from __future__ import annotations

import json
from functools import lru_cache

from graph.map import Geography
from ingest.gazetteer_build import GENERATED

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


@lru_cache(maxsize=1)
def geography() -> Geography:
    municipalities = _municipalities()
    topology = _topology("municipality")
    return Geography(
        municipalities=topology,
        provinces=_topology("province"),
        municipality_info=municipalities,
        attribution=_attribution(topology),
    )
