"""The vocabulary as typed entries and a multi-pattern automaton.

Areas and ministries come from the gazetteers generated from published data (data/generated/*.json,
built by `regiograph vocabulary build`); the hand-written lists (data/*.yaml) add what that data
does not have: programmes, parties, organisations, neighbouring states, regions that are not CBS
areas, letter spellings of CBS areas, Wikidata ids and the forms letters use for ministries.

Single capitalised words and abbreviations match case-sensitively; multi-word names and lower-case
names match case-insensitively; area names always case-sensitively. Matches must start and end on
word boundaries. Area names that are also something else pass the context rules of
data/ambiguity.yaml (see ingest/ambiguity.py).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import ahocorasick
import yaml

from graph.model import Node
from ingest.gazetteer_build import node_id_for
from ingest.text import lower_same_length, region_key, slug

DATA = Path(__file__).with_name("data")
GENERATED = DATA / "generated"
TOOI = "https://identifier.overheid.nl/tooi/id/"
WIKIDATA = "http://www.wikidata.org/entity/"
_DISAMBIGUATOR = re.compile(r"^(?P<bare>.+?) \((?P<tag>[^()]+)\)$")
# the word a form starts with that says which kind of area it names ("gemeente Best")
KIND_PREFIXES = {
    "municipality": ("gemeente", "Gemeente"),
    "province": ("provincie", "Provincie"),
    "corop": ("COROP-gebied", "COROP-regio", "corop-gebied", "corop-regio"),
    "labour_market_region": ("arbeidsmarktregio", "Arbeidsmarktregio"),
    "caribbean_public_body": ("openbaar lichaam", "Openbaar lichaam"),
}


@dataclass
class Entry:
    id: str
    label: str
    name: str
    extra_labels: tuple[str, ...] = ()
    aliases: list[str] = field(default_factory=list)
    props: dict = field(default_factory=dict)
    # surface form -> case-sensitive?
    forms: dict[str, bool] = field(default_factory=dict)
    lowercase_context: str | None = None  # a lower-case match needs this word just before it
    kind: str | None = None  # area kind: province, municipality, corop, ..., region (hand list)
    part_of: tuple[str, ...] = ()  # ids of the areas this one lies in (from data)
    context_names: tuple[str, ...] = ()  # names of those areas, to tell two equal names apart


@dataclass
class MinistryVersion:
    name: str  # "Economische Zaken en Klimaat"
    abbreviation: str
    start: str | None  # ISO dates, inclusive; None = open
    end: str | None

    def valid(self, day: str) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass
class Ministry:
    id: str
    code: str  # TOOI organisatiecode, mnre1045
    versions: list[MinistryVersion]
    end: str | None
    successor: str | None  # entry id of the ministry that took it over

    def version_at(self, day: str | None) -> MinistryVersion:
        if day:
            for v in self.versions:
                if v.valid(day):
                    return v
            if self.versions[0].start and day < self.versions[0].start:
                return self.versions[0]
        return self.versions[-1]


@dataclass
class Vocabulary:
    entries: dict[str, Entry]
    region_keys: dict[str, str]  # region_key -> entry id
    spelling: dict[str, str]  # province spelling variants, folded: friesland -> fryslan
    sensitive: ahocorasick.Automaton
    insensitive: ahocorasick.Automaton
    ministry_by_name: dict[str, str]  # folded short name -> ministry id
    ministries: dict[str, Ministry] = field(default_factory=dict)  # entry id -> TOOI history
    ministry_forms: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # form -> versions
    by_code: dict[str, str] = field(default_factory=dict)  # CBS/TOOI code -> entry id

    def scan(self, text: str):
        """Yield (start, end, entry, surface) for every bounded match; an area name only where
        the context rules of data/ambiguity.yaml allow it. A name that needs context has it as an
        item of an enumeration of places ("Elburg, Putten en Ede"): a neighbouring item is one."""
        from ingest.ambiguity import choose, list_gap

        lowered = lower_same_length(text)
        kept: list[tuple[int, int, list[Entry]]] = []
        waiting: list[tuple[int, int, list[Entry]]] = []  # area names left without context
        for automaton, haystack in ((self.sensitive, text), (self.insensitive, lowered)):
            for end_index, (form, entry_ids) in automaton.iter(haystack):
                start = end_index - len(form) + 1
                end = end_index + 1
                if (start > 0 and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum()):
                    continue
                entries = [self.entries[i] for i in entry_ids]
                if any(e.kind for e in entries):
                    chosen = choose(text, start, end, entries)
                    if not any(e.kind for e in chosen):
                        waiting.append((start, end, entries))
                    entries = chosen
                if entries:
                    kept.append((start, end, entries))
        if waiting:
            places = {(a, b) for a, b, es in kept if any(e.kind for e in es)}
            gap = list_gap()
            grew = True
            while grew and waiting:
                grew = False
                for item in list(waiting):
                    a, b, entries = item
                    near = text[a].isupper() and any(
                        (y <= a and a - y <= 6 and gap.fullmatch(text[y:a]))
                        or (x >= b and x - b <= 6 and gap.fullmatch(text[b:x]))
                        for x, y in places
                    )
                    if not near:
                        continue
                    waiting.remove(item)
                    chosen = choose(text, a, b, entries, in_list=True)
                    if any(e.kind for e in chosen):
                        kept.append((a, b, [e for e in chosen if e.kind]))
                        places.add((a, b))
                        grew = True
        for start, end, entries in kept:
            for entry in entries:
                yield start, end, entry, text[start:end]

    # -- ministries by date ---------------------------------------------------------------------
    def ministry_at(self, surface: str, day: str | None) -> str | None:
        """The ministry a form (name, abbreviation, "minister van X") meant on `day` (ISO date):
        the one that bore it then; after it stopped bearing it, the organisation that carried the
        form (or, when that one ended, the one that took it over); undated, the latest bearer."""
        versions = self.ministry_forms.get(_ministry_key(surface))
        if not versions:
            return None
        bearers = [(self.ministries[mid], self.ministries[mid].versions[i]) for mid, i in versions]
        if not day:
            return max(bearers, key=lambda b: b[1].end or "9999")[0].id
        for ministry, version in bearers:
            if version.valid(day):
                return ministry.id
        ended = [b for b in bearers if b[1].end and b[1].end < day]
        if not ended:
            return min(bearers, key=lambda b: b[1].start or "")[0].id
        ministry = max(ended, key=lambda b: b[1].end or "")[0]
        seen = set()
        while ministry.end and ministry.end < day and ministry.successor and ministry.id not in seen:
            seen.add(ministry.id)
            ministry = self.ministries[ministry.successor]
        return ministry.id

    def ministry_name(self, entry_id: str, day: str | None) -> tuple[str, str] | None:
        """(name, abbreviation) of a ministry as it was called on `day`."""
        ministry = self.ministries.get(entry_id)
        if ministry is None:
            return None
        v = ministry.version_at(day)
        return f"Ministerie van {v.name}", v.abbreviation

    def node(self, entry_id: str) -> Node | None:
        """The graph node of a vocabulary entry (None for an id the data does not know)."""
        entry = self.entries.get(entry_id)
        if entry is None:
            return None
        labels = [entry.label, *[x for x in entry.extra_labels if x != entry.label]]
        return Node(
            id=entry.id,
            labels=labels,
            name=entry.name,
            aliases=list(entry.aliases),
            properties=dict(entry.props),
        )


def _ministry_key(surface: str) -> str:
    return " ".join(lower_same_length(surface).replace("\u2019", "'").split())


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10x faster


def load_yaml(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)


def _load(name: str) -> list[dict]:
    return load_yaml(DATA / name) or []


def _generated(name: str) -> list[dict]:
    return json.loads((GENERATED / name).read_text(encoding="utf-8"))["items"]


def _is_sensitive(form: str) -> bool:
    words = form.split()
    if form[:1].islower():
        return False
    if len(words) == 1:
        return True
    return any(w.isupper() and len(w) > 1 for w in words)


def _ministry_forms(item: dict) -> dict[str, bool]:
    short = item["short"]
    forms = {item["name"]: False, short: False}
    for title in (
        "Minister",
        "minister",
        "Ministerie",
        "ministerie",
        "Staatssecretaris",
        "staatssecretaris",
        "departement",
        "Departement",
    ):
        for prep in ("van", "voor"):
            forms[f"{title} {prep} {short}"] = True
    for alias in item.get("aliases", []):
        forms[alias] = False
    for abbr in item.get("abbreviations", []) + item.get("ocr", []):
        forms[abbr] = True
    for title in ("Minister", "minister", "ministerie", "Ministerie"):
        for abbr in item.get("abbreviations", []):
            forms[f"{title} van {abbr}"] = True
    return forms


def _names(item: dict) -> list[str]:
    return [item["name"], *item.get("aliases", [])]


def _entry(
    item: dict,
    entry_id: str,
    label: str,
    extra: tuple[str, ...] = (),
    props: dict | None = None,
    forms: dict[str, bool] | None = None,
    case_sensitive: bool | None = None,
) -> Entry:
    """An entry from one data-file item; forms default to its name and aliases, case-sensitive when
    `case_sensitive` says so, else by `_is_sensitive`."""
    if forms is None:
        forms = {f: _is_sensitive(f) if case_sensitive is None else case_sensitive for f in _names(item)}
    return Entry(
        entry_id,
        label,
        item["name"],
        extra,
        item.get("aliases", []),
        props or {},
        forms,
        item.get("lowercase_context"),
    )


# -- ministries -------------------------------------------------------------------------------------
def _ministries() -> tuple[list[Entry], dict[str, Ministry], dict[str, list[tuple[str, int]]]]:
    hand = {item["tooi"]: item for item in _load("ministries.yaml")}
    data = _generated("ministries.json")
    ids = {code: item["id"] for code, item in hand.items()}
    for item in data:
        if item["code"] not in ids:
            mid = "ministry:" + slug(item["versions"][-1]["abbreviation"])
            ids[item["code"]] = mid if mid not in ids.values() else "ministry:" + item["code"]
    entries: list[Entry] = []
    ministries: dict[str, Ministry] = {}
    forms_index: dict[str, list[tuple[str, int]]] = {}
    for item in data:
        mid, extra = ids[item["code"]], hand.get(item["code"], {})
        versions = [
            MinistryVersion(v["name"], v["abbreviation"], v["from"], v["to"]) for v in item["versions"]
        ]
        ministries[mid] = Ministry(mid, item["code"], versions, item["end"], ids.get(item.get("successor")))
        forms: dict[str, bool] = {}
        aliases: list[str] = []
        for i, v in enumerate(versions):
            spec = {
                "name": f"Ministerie van {v.name}",
                "short": v.name,
                "abbreviations": [v.abbreviation, *extra.get("abbreviations", [])],
                "aliases": extra.get("aliases", []),
                "ocr": extra.get("ocr", []),
            }
            version_forms = _ministry_forms(spec)
            forms.update(version_forms)
            for form in version_forms:
                forms_index.setdefault(_ministry_key(form), []).append((mid, i))
            aliases += [v.name, v.abbreviation, f"Ministerie van {v.name}"]
        current = versions[-1]
        props = {"tooi_id": item["tooi_id"], "abbreviation": current.abbreviation}
        for key in ("begin", "end"):
            if item[key]:
                props[f"{key}_date"] = item[key]
        aliases += [*extra.get("abbreviations", []), *extra.get("aliases", [])]
        name = f"Ministerie van {current.name}"
        aliases = [a for a in dict.fromkeys(aliases) if a != name]
        entries.append(Entry(mid, "Ministry", name, (), aliases, props, forms))
    for form, bearers in forms_index.items():
        forms_index[form] = list(dict.fromkeys(bearers))
    return entries, ministries, forms_index


# -- areas ------------------------------------------------------------------------------------------
def _area(
    kind: str,
    code: str,
    name: str,
    labels: tuple[str, ...],
    props: dict,
    names: list[str],
    part_of: tuple[str, ...] = (),
    context_names: tuple[str, ...] = (),
    extra_forms: tuple[str, ...] | list[str] = (),
) -> Entry:
    """An area entry: its names as case-sensitive forms, each also with its kind word before it."""
    entry_id = node_id_for(kind, code, name)
    names = list(dict.fromkeys(names))
    forms = {n: True for n in names}
    for prefix in KIND_PREFIXES.get(kind, ()):
        for n in names:
            forms[f"{prefix} {n}"] = True
    for form in extra_forms:
        forms[form] = True
    aliases = [n for n in names if n != name]
    return Entry(entry_id, "Region", name, labels, aliases, props, forms, None, kind, part_of, context_names)


def _municipality_names(item: dict) -> list[str]:
    """CBS name, TOOI name, and for "Hengelo (O.)" also "Hengelo (O)" and "Hengelo" (where two
    municipalities share it, the context rules tell them apart)."""
    names = [item["name"], item["tooi_name"] or item["name"]]
    for n in list(names):
        m = _DISAMBIGUATOR.match(n)
        if m:
            tag = m["tag"].rstrip(".")
            names += [f"{m['bare']} ({tag})", f"{m['bare']} ({tag}.)", m["bare"]]
    return names


def _bare(name: str) -> str:
    m = _DISAMBIGUATOR.match(name)
    return m["bare"] if m else name


def _areas() -> list[Entry]:
    from ingest.ambiguity import rules

    never = rules().never
    variants: dict[str, list[str]] = {}
    for v in _load("area_variants.yaml"):
        variants.setdefault(v["code"], []).append(v["name"])
    hand_provinces = {p["code"]: p for p in _load("provinces.yaml")}
    out: list[Entry] = []
    provinces = {}
    for item in _generated("provinces.json"):
        hand = hand_provinces.get(item["code"], {})
        props = {"cbs_code": item["code"], "tooi_id": item["tooi_id"], "kind": "provincie"}
        if hand.get("wikidata"):
            props["wikidata"] = WIKIDATA + hand["wikidata"]
        names = [
            item["name"],
            item["tooi_name"] or item["name"],
            *hand.get("aliases", []),
            *variants.get(item["code"], []),
        ]
        entry = _area("province", item["code"], item["name"], ("Province",), props, names)
        provinces[item["code"]] = entry
        out.append(entry)
    # hand regions (not CBS areas), before the CBS kinds that share a name with them
    by_province_name = {region_key(p.name): p for p in provinces.values()}
    for alias_entry in provinces.values():
        for alias in alias_entry.aliases:
            by_province_name[region_key(alias)] = alias_entry
    for item in _load("regions.yaml"):
        province = (
            by_province_name.get(region_key(item.get("province", ""))) if item.get("province") else None
        )
        props = {"province": item["province"]} if item.get("province") else {}
        entry = _entry(item, "region:" + slug(item["name"]), "Region", (), props, case_sensitive=True)
        entry.kind = "region"
        if province:
            entry.part_of = (province.id,)
            entry.context_names = (province.name,)
        out.append(entry)
    corops = {}
    for item in _generated("corop_areas.json"):
        province = provinces.get(item.get("province"))
        props = {"cbs_code": item["code"], "kind": "corop-gebied"}
        if province:
            props["province_code"] = province.props["cbs_code"]
        entry = _area(
            "corop",
            item["code"],
            item["name"],
            (),
            props,
            [item["name"], *variants.get(item["code"], [])],
            (province.id,) if province else (),
            (province.name,) if province else (),
        )
        corops[item["code"]] = entry
    municipalities = {}
    items = _generated("municipalities.json")
    current_names = {_bare(n) for item in items for n in (item["name"], item["tooi_name"] or item["name"])}
    woonplaats_names = {w["name"] for w in _generated("woonplaatsen.json")}
    former_counts: dict[str, int] = {}
    for item in items:
        for f in item.get("former", []):
            former_counts[f["name"]] = former_counts.get(f["name"], 0) + 1
    for item in items:
        province, corop = provinces.get(item["province"]), corops.get(item["corop"])
        props = {"cbs_code": item["code"], "kind": "gemeente"}
        if item["tooi_id"]:
            props["tooi_id"] = item["tooi_id"]
        if province:
            props["province_code"] = province.props["cbs_code"]
        if corop:
            props["corop_code"] = corop.props["cbs_code"]
        # a former municipality wholly merged into this one is a form (not an alias) where its name
        # is not also a current municipality or a woonplaats (then that is what the name means now)
        former = [
            f["name"]
            for f in item.get("former", [])
            if not f.get("partly")
            and former_counts[f["name"]] == 1
            and f["name"] not in current_names
            and f["name"] not in woonplaats_names
        ]
        if item.get("former"):
            props["former_municipalities"] = [f["name"] for f in item["former"]]
        extra_forms = [*former, *(f"gemeente {f}" for f in former)]
        part_of = tuple(e.id for e in (corop, province) if e)
        context = tuple(e.name for e in (province, corop) if e)
        entry = _area(
            "municipality",
            item["code"],
            item["name"],
            ("Municipality",),
            props,
            [*_municipality_names(item), *variants.get(item["code"], [])],
            part_of,
            context,
            extra_forms,
        )
        municipalities[item["code"]] = entry
        out.append(entry)
    out.extend(corops.values())
    for item in _generated("labour_market_regions.json"):
        props = {"cbs_code": item["code"], "kind": "arbeidsmarktregio"}
        names = [item["name"], *variants.get(item["code"], [])]
        out.append(_area("labour_market_region", item["code"], item["name"], (), props, names))
    for item in _generated("caribbean_public_bodies.json"):
        props = {"tooi_id": item["tooi_id"], "kind": "openbaar lichaam"}
        names = [item["name"], *variants.get(item["code"], [])]
        out.append(_area("caribbean_public_body", item["code"], item["name"], (), props, names))
    by_name = {e.name: e for e in municipalities.values()}
    members = load_yaml(DATA / "region_members.yaml") or {}
    for district in members.get("districts", []):
        city = by_name[district["municipality"]]
        entry = _entry(
            district,
            "region:" + slug(district["name"]),
            "Region",
            (),
            {"kind": "stadsdeel"},
            case_sensitive=True,
        )
        entry.kind = "region"
        entry.part_of = (city.id,)
        entry.context_names = (city.name,)
        out.append(entry)
    for item in _generated("woonplaatsen.json"):
        found = municipalities.get(item["municipality"])
        if item["name"] in never or found is None:
            continue
        municipality = found
        names = [municipality.name, *municipality.aliases]
        if item["name"] in names or item["name"] in {_bare(n) for n in names}:
            continue  # the namesake town of a municipality: the municipality is meant
        props = {"cbs_code": item["code"], "kind": "woonplaats", "municipality_code": item["municipality"]}
        out.append(
            _area(
                "woonplaats",
                item["code"],
                item["name"],
                (),
                props,
                [item["name"]],
                (municipality.id,),
                (municipality.name, *municipality.context_names),
            )
        )
    return out


def _entries() -> tuple[list[Entry], dict[str, Ministry], dict[str, list[tuple[str, int]]]]:
    ministry_entries, ministries, ministry_forms = _ministries()
    out: list[Entry] = [*ministry_entries, *_areas()]
    for item in _load("neighbouring_states.yaml"):
        props = {"kind": item["kind"]}
        if item.get("country"):
            props["country"] = item["country"]
        if item.get("wikidata"):
            props["wikidata"] = WIKIDATA + item["wikidata"]
        out.append(_entry(item, "neighbouringstate:" + slug(item["name"]), "NeighbouringState", props=props))
    for item in _load("programmes.yaml"):
        out.append(_entry(item, item["id"], "Programme", props={"kind": item.get("kind", "programma")}))
    for item in _load("parties.yaml"):
        out.append(_entry(item, "party:" + slug(item["name"]), "Party", case_sensitive=True))
    for item in _load("organisations.yaml"):
        props = {"kind": item.get("kind", "organisatie")}
        out.append(_entry(item, "organisation:" + slug(item["name"]), "Organisation", props=props))
    return out, ministries, ministry_forms


def _add(automaton: ahocorasick.Automaton, key: str, entry_id: str) -> None:
    ids = automaton.get(key)[1] if key in automaton else []
    if entry_id not in ids:
        automaton.add_word(key, (key, [*ids, entry_id]))


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    entry_list, ministries, ministry_forms = _entries()
    entries = {e.id: e for e in entry_list}
    spelling = {}
    for e in entries.values():
        if "Province" in e.extra_labels:
            for alias in e.aliases:
                spelling[region_key(alias)] = region_key(e.name)
    region_keys: dict[str, str] = {}
    for e in entries.values():
        if e.label == "Region":
            for form in [e.name, *e.aliases]:
                region_keys.setdefault(region_key(form, spelling), e.id)
    # forms of non-area entries: an area whose name is already one of them does not get that form
    taken = {f for e in entries.values() if not e.kind for f in e.forms}
    # areas whose names coincide after normalisation ("Groot Amsterdam", "Groot-Amsterdam") share
    # their bare forms, so the context rules choose between them
    same_name: dict[str, list[str]] = {}
    for e in entries.values():
        if e.kind:
            for form in [e.name, *e.aliases]:
                group = same_name.setdefault(region_key(form, spelling), [])
                if e.id not in group:
                    group.append(e.id)
    # a form two ministries bore goes to the one that bore it last; resolve.py dates it
    latest_bearer = {
        form: max(bearers, key=lambda b: ministries[b[0]].versions[b[1]].end or "9999")[0]
        for form, bearers in ministry_forms.items()
    }
    sensitive, insensitive = ahocorasick.Automaton(), ahocorasick.Automaton()
    for e in entries.values():
        for form, case_sensitive in e.forms.items():
            if e.kind and form in taken:
                continue
            if e.label == "Ministry" and latest_bearer.get(_ministry_key(form), e.id) != e.id:
                continue
            automaton = sensitive if case_sensitive else insensitive
            key = form if case_sensitive else lower_same_length(form)
            key = key.replace("\u2019", "'")
            _add(automaton, key, e.id)
            if e.kind and (form == e.name or form in e.aliases):
                for other in same_name.get(region_key(form, spelling), ()):
                    _add(automaton, key, other)
    sensitive.make_automaton()
    insensitive.make_automaton()
    ministry_by_name: dict[str, str] = {}
    for e in entries.values():
        if e.label == "Ministry":
            for alias in e.aliases:
                ministry_by_name.setdefault(lower_same_length(alias), e.id)
    for form, bearer in latest_bearer.items():
        if form in ministry_by_name:
            ministry_by_name[form] = bearer
    by_code = {}
    for e in entries.values():
        for key in ("cbs_code",):
            if e.props.get(key):
                by_code[e.props[key]] = e.id
        if e.label == "Ministry" and e.id in ministries:
            by_code[ministries[e.id].code] = e.id
    return Vocabulary(
        entries,
        region_keys,
        spelling,
        sensitive,
        insensitive,
        ministry_by_name,
        ministries,
        ministry_forms,
        by_code,
    )
