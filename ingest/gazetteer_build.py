"""Build the generated gazetteers (ingest/data/generated/) from the published lists in ../shared/data.

Pure functions: read the CBS CSVs, the TOOI JSON-LD registers and the CBS/PDOK TopoJSON with the
standard library, write deterministic JSON. Every generated file starts with a `meta` header naming
each source file, its sha256, size, version and date, so the package works without ../shared and a
reader can tell where each name came from. Run through `regiograph vocabulary build`.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

GENERATED = Path(__file__).with_name("data") / "generated"
TOOI = "https://identifier.overheid.nl/tooi/id/"
GENERATOR = "regiograph vocabulary build (ingest/gazetteer_build.py)"

# What each source file is; its checksum and size are computed, TOOI versions read from the register.
SOURCE_NOTES = {
    "cbs/gemeente_2025.csv": ("CBS gebiedsindeling 2025: gemeenten (statcode, statnaam)", "2025"),
    "cbs/provincie_2025.csv": ("CBS gebiedsindeling 2025: provincies", "2025"),
    "cbs/coropgebied_2025.csv": ("CBS gebiedsindeling 2025: COROP-gebieden", "2025"),
    "cbs/arbeidsmarktregio_2025.csv": ("CBS gebiedsindeling 2025: arbeidsmarktregio's", "2025"),
    "cbs/woonplaatsen_corop.csv": (
        "CBS Woonplaatsen in Nederland + Gebieden in Nederland (woonplaats -> gemeente -> COROP)",
        "2025",
    ),
    "geo/gemeente_2025.topojson": ("CBS/PDOK gemeentegrenzen 2025, generalised (cartomap/nl)", "2025"),
    "geo/coropgebied_2025.topojson": ("CBS/PDOK COROP-grenzen 2025, generalised (cartomap/nl)", "2025"),
    "geo/provincie_2025.topojson": ("CBS/PDOK provinciegrenzen 2025, generalised (cartomap/nl)", "2025"),
}
GEO_KINDS = {"gemeente": "municipality", "coropgebied": "corop", "provincie": "province"}


# -- reading --------------------------------------------------------------------------------------
def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _local(key: str) -> str:
    return key.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _value(item) -> str:
    if isinstance(item, dict):
        return str(item.get("@value", item.get("@id")))
    return str(item)


def tooi_objects(path: Path) -> list[dict]:
    """A TOOI JSON-LD register as flat objects: {"id", "types", <local property name>: [values]}."""
    out = []
    for obj in json.loads(path.read_text(encoding="utf-8")):
        flat: dict = {"id": obj["@id"], "types": [_local(t) for t in obj.get("@type", [])]}
        for key, values in obj.items():
            if not key.startswith("@"):
                flat[_local(key)] = [_value(v) for v in (values if isinstance(values, list) else [values])]
        out.append(flat)
    return out


def _one(obj: dict, key: str) -> str | None:
    values = obj.get(key)
    return values[0] if values else None


def _req(obj: dict, key: str) -> str:
    """A property the register always has."""
    value = _one(obj, key)
    if value is None:
        raise ValueError(f"{obj.get('id')}: no {key}")
    return value


def _code(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def source_entry(data: Path, rel: str, objects: list[dict] | None = None) -> dict:
    """The header line for one source file: path, sha256, size, version and date."""
    path = data / rel
    entry = {"file": rel, "sha256": sha256(path), "bytes": path.stat().st_size}
    if rel in SOURCE_NOTES:
        entry["version"], entry["date"] = SOURCE_NOTES[rel]
    for obj in objects or []:
        if "RegisterwaardelijstCompleet" in obj["types"]:
            entry["version"] = f"{_one(obj, 'titel')} {_one(obj, 'volgnummer')}: {_one(obj, 'versionInfo')}"
            entry["date"] = _one(obj, "publicatiedatum")
    return entry


def _document(kind: str, sources: list[dict], items: list, **extra) -> dict:
    meta = {"kind": kind, "generated_by": GENERATOR, "sources": sources, "count": len(items), **extra}
    return {"meta": meta, "items": items}


# -- areas ----------------------------------------------------------------------------------------
def _statlist(data: Path, rel: str) -> list[dict[str, str]]:
    return read_csv(data / rel)


def build_provinces(data: Path) -> dict:
    cbs = _statlist(data, "cbs/provincie_2025.csv")
    tooi = tooi_objects(data / "tooi-lists/rwc_provincies_compleet_1.json")
    by_code = {_one(o, "organisatiecode"): o for o in tooi if "Provincie" in o["types"]}
    items = []
    for row in cbs:
        code = row["statcode"]
        obj = by_code.get(code.lower(), {})
        items.append(
            {
                "code": code,
                "name": row["statnaam"],
                "tooi_id": obj.get("id"),
                "tooi_name": _one(obj, "officieleNaamExclSoort"),
                "abbreviation": _one(obj, "afkorting"),
            }
        )
    sources = [
        source_entry(data, "cbs/provincie_2025.csv"),
        source_entry(data, "tooi-lists/rwc_provincies_compleet_1.json", tooi),
    ]
    return _document("province", sources, items)


def _current_municipalities(tooi: list[dict]) -> dict[str, dict]:
    return {_req(o, "gemeentecode"): o for o in tooi if "Gemeente" in o["types"] and not _one(o, "einddatum")}


def _corop_of_municipality(data: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for row in read_csv(data / "cbs/woonplaatsen_corop.csv"):
        out["GM" + row["Gemeentecode"]] = "CR" + row["COROP-gebiedcode"].zfill(2)
    return out


def build_corop(data: Path) -> dict:
    """COROP areas; `province` where every municipality of the area lies in that one province."""
    tooi = tooi_objects(data / "tooi-lists/rwc_gemeenten_compleet_5.json")
    current = _current_municipalities(tooi)
    provinces: dict[str, set[str]] = defaultdict(set)
    members: dict[str, int] = defaultdict(int)
    for gm, cr in _corop_of_municipality(data).items():
        obj = current.get(gm[2:])
        if obj and _one(obj, "ligtInProvincie"):
            provinces[cr].add(_code(_req(obj, "ligtInProvincie")).upper())
        members[cr] += 1
    items = []
    for row in _statlist(data, "cbs/coropgebied_2025.csv"):
        code = row["statcode"]
        within = provinces.get(code, set())
        item = {"code": code, "name": row["statnaam"], "municipalities": members.get(code, 0)}
        if len(within) == 1:
            item["province"] = next(iter(within))
        items.append(item)
    sources = [
        source_entry(data, "cbs/coropgebied_2025.csv"),
        source_entry(data, "cbs/woonplaatsen_corop.csv"),
        source_entry(data, "tooi-lists/rwc_gemeenten_compleet_5.json", tooi),
    ]
    return _document("corop", sources, items)


def build_labour_market_regions(data: Path) -> dict:
    items = [
        {"code": r["statcode"], "name": r["statnaam"]}
        for r in _statlist(data, "cbs/arbeidsmarktregio_2025.csv")
    ]
    note = "the source lists codes and names only: which municipalities form each region is not in it"
    return _document(
        "labour_market_region", [source_entry(data, "cbs/arbeidsmarktregio_2025.csv")], items, note=note
    )


def _successors(tooi: list[dict]) -> dict[str, set[str]]:
    """gemeente TOOI id -> the ids that took over its area in the change that ended it."""
    out: dict[str, set[str]] = defaultdict(set)
    for obj in tooi:
        if not {"Samenvoeging", "Uitbreiding", "Herschikking"} & set(obj["types"]):
            continue
        takers = set(obj.get("generated", [])) | set(obj.get("used", []))
        for gone in obj.get("invalidated", []):
            out[gone] |= takers - {gone}
    return out


def _current_successors(tooi_id: str, successors: dict[str, set[str]], current: set[str]) -> set[str]:
    found, todo, seen = set(), [tooi_id], set()
    while todo:
        node = todo.pop()
        for nxt in successors.get(node, ()):
            if nxt in seen:
                continue
            seen.add(nxt)
            (found.add(nxt) if nxt in current else todo.append(nxt))
    return found


def build_municipalities(data: Path) -> dict:
    """The 342 CBS 2025 municipalities with TOOI id, province, COROP area and the former
    municipalities (TOOI mergers) whose whole area went to them."""
    tooi = tooi_objects(data / "tooi-lists/rwc_gemeenten_compleet_5.json")
    current = _current_municipalities(tooi)
    current_ids = {o["id"] for o in current.values()}
    corop = _corop_of_municipality(data)
    successors = _successors(tooi)
    former: dict[str, list[dict]] = defaultdict(list)
    for obj in tooi:
        if "Gemeente" not in obj["types"] or not _one(obj, "einddatum"):
            continue
        heirs = _current_successors(obj["id"], successors, current_ids)
        for heir in sorted(heirs):
            former[heir].append(
                {
                    "name": _one(obj, "officieleNaamExclSoort"),
                    "code": "GM" + _req(obj, "gemeentecode"),
                    "tooi_id": obj["id"],
                    "end": _one(obj, "einddatum"),
                    **({"partly": True} if len(heirs) > 1 else {}),
                }
            )
    items = []
    for row in _statlist(data, "cbs/gemeente_2025.csv"):
        code = row["statcode"]
        obj = current.get(code[2:], {})
        province = _one(obj, "ligtInProvincie")
        item = {
            "code": code,
            "name": row["statnaam"],
            "tooi_id": obj.get("id"),
            "tooi_name": _one(obj, "officieleNaamExclSoort"),
            "province": _code(province).upper() if province else None,
            "corop": corop.get(code),
        }
        if _one(obj, "begindatum"):
            item["begin"] = _one(obj, "begindatum")
        if obj.get("id") in former:
            item["former"] = sorted(former[obj["id"]], key=lambda f: (f["end"], f["name"]))
        items.append(item)
    sources = [
        source_entry(data, "cbs/gemeente_2025.csv"),
        source_entry(data, "cbs/woonplaatsen_corop.csv"),
        source_entry(data, "tooi-lists/rwc_gemeenten_compleet_5.json", tooi),
    ]
    return _document("municipality", sources, items)


def build_woonplaatsen(data: Path) -> dict:
    items = [
        {
            "code": "WP" + r["Woonplaatscode"].zfill(4),
            "name": r["Woonplaats"],
            "municipality": "GM" + r["Gemeentecode"],
        }
        for r in read_csv(data / "cbs/woonplaatsen_corop.csv")
    ]
    items.sort(key=lambda i: i["code"])
    return _document("woonplaats", [source_entry(data, "cbs/woonplaatsen_corop.csv")], items)


def build_caribbean(data: Path) -> dict:
    rel = "tooi-lists/rwc_caribische_openbare_lichamen_compleet_1.json"
    tooi = tooi_objects(data / rel)
    items = [
        {
            "code": _req(o, "organisatiecode").upper(),
            "name": _one(o, "officieleNaamExclSoort"),
            "tooi_id": o["id"],
            "begin": _one(o, "begindatum"),
        }
        for o in tooi
        if "CaribischOpenbaarLichaam" in o["types"]
    ]
    return _document("caribbean_public_body", [source_entry(data, rel, tooi)], items)


# -- ministries -----------------------------------------------------------------------------------
def _day_after(iso: str) -> str:
    return (date.fromisoformat(iso) + timedelta(days=1)).isoformat()


def build_ministries(data: Path) -> dict:
    """TOOI ministries, each with its historical versions (name, abbreviation, valid from/to) and,
    for one that ended, the ministry that took it over."""
    rel = "tooi/tooi_ministeries.json"
    tooi = tooi_objects(data / rel)
    orgs = {o["id"]: o for o in tooi if o["types"] == ["Ministerie"]}
    history: dict[str, list[dict]] = defaultdict(list)
    for o in tooi:
        if "HistorischeVersie" in o["types"]:
            history[_req(o, "specializationOf")].append(o)
    successor: dict[str, str] = {}
    for o in tooi:
        if {"Samenvoeging", "Uitbreiding"} & set(o["types"]):
            takers = o.get("generated", []) + o.get("used", [])
            for gone in o.get("invalidated", []):
                if gone in orgs and takers:
                    successor[gone] = takers[0]
    items = []
    for iri, org in sorted(orgs.items(), key=lambda kv: _req(kv[1], "organisatiecode")):
        versions = []
        start = _one(org, "begindatum")
        for hv in sorted(history.get(iri, []), key=lambda h: _req(h, "einddatumHV")):
            end = _req(hv, "einddatumHV")
            versions.append(
                {
                    "name": _one(hv, "officieleNaamExclSoort"),
                    "abbreviation": _one(hv, "afkorting"),
                    "from": start,
                    "to": end,
                }
            )
            start = _day_after(end)
        versions.append(
            {
                "name": _one(org, "officieleNaamExclSoort"),
                "abbreviation": _one(org, "afkorting"),
                "from": start,
                "to": _one(org, "einddatum"),
            }
        )
        item = {
            "code": _one(org, "organisatiecode"),
            "tooi_id": iri,
            "begin": _one(org, "begindatum"),
            "end": _one(org, "einddatum"),
            "versions": versions,
        }
        if iri in successor:
            item["successor"] = _code(successor[iri])
        items.append(item)
    return _document("ministry", [source_entry(data, rel, tooi)], items)


# -- geometry -------------------------------------------------------------------------------------
def node_id_for(kind: str, code: str, name: str) -> str:
    """The graph node id of a CBS area (decisions D2): readable and deterministic."""
    from ingest.text import slug

    if kind == "municipality":
        return "municipality:" + code.lower()
    if kind == "province":
        return "province:" + slug(name)
    if kind == "corop":
        return "region:" + slug(name)
    if kind == "labour_market_region":
        return "region:arbeidsmarktregio-" + slug(name)
    if kind == "woonplaats":
        return "woonplaats:" + code.lower()
    if kind == "caribbean_public_body":
        return "region:" + slug(name)
    raise ValueError(f"unknown area kind {kind!r}")


def build_geometry(data: Path, name: str) -> dict:
    """One TopoJSON topology as published, each geometry's properties gaining the graph `node_id`;
    the source is recorded in the foreign member `regiograph`."""
    rel = f"geo/{name}.topojson"
    topology = json.loads((data / rel).read_text(encoding="utf-8"))
    kind = GEO_KINDS[name.split("_")[0]]
    for obj in topology.get("objects", {}).values():
        for geometry in obj.get("geometries", []):
            props = geometry.setdefault("properties", {})
            props["node_id"] = node_id_for(kind, props["statcode"], props["statnaam"])
    entry = source_entry(data, rel)
    topology["regiograph"] = {"kind": kind, "year": 2025, "generated_by": GENERATOR, "sources": [entry]}
    return topology


# -- writing --------------------------------------------------------------------------------------
BUILDERS = {
    "provinces.json": build_provinces,
    "corop_areas.json": build_corop,
    "labour_market_regions.json": build_labour_market_regions,
    "municipalities.json": build_municipalities,
    "woonplaatsen.json": build_woonplaatsen,
    "caribbean_public_bodies.json": build_caribbean,
    "ministries.json": build_ministries,
}


def _dump(obj: dict, compact: bool = False) -> str:
    """JSON text: a topology compact; a gazetteer with its header indented and one item a line."""
    if compact:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"
    meta = json.dumps(obj["meta"], ensure_ascii=False, indent=1).replace("\n", "\n ")
    items = ",\n  ".join(json.dumps(item, ensure_ascii=False) for item in obj["items"])
    return f'{{\n "meta": {meta},\n "items": [\n  {items}\n ]\n}}\n'


def build_all(data: Path, out: Path = GENERATED) -> list[tuple[Path, int]]:
    """Regenerate every file; returns (path, bytes) of each file written."""
    data = Path(data)
    missing = [rel for rel in SOURCE_NOTES if not (data / rel).is_file()]
    if missing:
        raise FileNotFoundError(f"{data}: missing source files {', '.join(missing)}")
    out.mkdir(parents=True, exist_ok=True)
    (out / "geo").mkdir(exist_ok=True)
    written = []
    documents = [(out / name, builder(data), False) for name, builder in BUILDERS.items()]
    for name in sorted(GEO_KINDS):
        documents.append((out / "geo" / f"{name}_2025.topojson", build_geometry(data, f"{name}_2025"), True))
    for path, document, compact in documents:
        text = _dump(document, compact)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        written.append((path, len(text.encode("utf-8"))))
    return written
