"""The curated vocabulary (ingest/data/*.yaml) as typed entries and a multi-pattern automaton.

Single capitalised words and abbreviations match case-sensitively; multi-word names and lower-case
names match case-insensitively. Matches must start and end on word boundaries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import ahocorasick
import yaml

from ingest.text import lower_same_length, region_key, slug

DATA = Path(__file__).with_name("data")
TOOI = "https://identifier.overheid.nl/tooi/id/"
WIKIDATA = "http://www.wikidata.org/entity/"


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


@dataclass
class Vocabulary:
    entries: dict[str, Entry]
    region_keys: dict[str, str]  # region_key -> entry id
    spelling: dict[str, str]  # province spelling variants, folded: friesland -> fryslan
    sensitive: ahocorasick.Automaton
    insensitive: ahocorasick.Automaton
    ministry_by_name: dict[str, str]  # folded short name -> ministry id

    def scan(self, text: str):
        """Yield (start, end, entry, surface) for every bounded match."""
        lowered = lower_same_length(text)
        for automaton, haystack in ((self.sensitive, text), (self.insensitive, lowered)):
            for end_index, (form, entry_ids) in automaton.iter(haystack):
                start = end_index - len(form) + 1
                end = end_index + 1
                if (start > 0 and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum()):
                    continue
                for entry_id in entry_ids:
                    yield start, end, self.entries[entry_id], text[start:end]


def _load(name: str) -> list[dict]:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8")) or []


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


def _gemeente(code: str) -> dict:
    return {"cbs": "GM" + code, "tooi": TOOI + "gemeente/gm" + code}


def _entries() -> list[Entry]:
    out: list[Entry] = []
    for item in _load("ministries.yaml"):
        props = {"tooi": TOOI + "ministerie/" + item["tooi"], "abbreviation": item["abbreviations"][0]}
        if item.get("former"):
            props["former"] = True
        entry = _entry(item, item["id"], "Ministry", props=props, forms=_ministry_forms(item))
        entry.aliases = [item["short"], *item["abbreviations"], *item.get("aliases", [])]
        out.append(entry)
    for item in _load("provinces.yaml"):
        props = {
            "cbs": item["code"].upper(),
            "tooi": TOOI + "provincie/" + item["code"],
            "wikidata": WIKIDATA + item["wikidata"],
        }
        forms = {
            f: True
            for f in [
                item["name"],
                f"provincie {item['name']}",
                f"Provincie {item['name']}",
                *item.get("aliases", []),
            ]
        }
        out.append(_entry(item, "province:" + slug(item["name"]), "Region", ("Province",), props, forms))
    for item in _load("regions.yaml"):
        props = {"province": item["province"]} if item.get("province") else {}
        extra: tuple[str, ...] = ()
        if item.get("municipality"):
            extra = ("Municipality",)
            props.update(_gemeente(item["municipality"]))
        out.append(_entry(item, "region:" + slug(item["name"]), "Region", extra, props, case_sensitive=True))
    for item in _load("municipalities.yaml"):
        props = _gemeente(item["code"]) if item.get("code") else {}
        # a metonym ("Den Haag" for the government) only counts as "gemeente X"
        forms = {} if item.get("metonym") else {f: True for f in _names(item)}
        forms[f"gemeente {item['name']}"] = True
        out.append(
            _entry(item, "municipality:" + slug(item["name"]), "Region", ("Municipality",), props, forms)
        )
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
    return out


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    entries = {e.id: e for e in _entries()}
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
    sensitive, insensitive = ahocorasick.Automaton(), ahocorasick.Automaton()
    for e in entries.values():
        for form, case_sensitive in e.forms.items():
            automaton = sensitive if case_sensitive else insensitive
            key = form if case_sensitive else lower_same_length(form)
            key = key.replace("\u2019", "'")
            ids = automaton.get(key, (key, []))[1] if key in automaton else []
            automaton.add_word(key, (key, [*ids, e.id]))
    sensitive.make_automaton()
    insensitive.make_automaton()
    ministry_by_name = {}
    for e in entries.values():
        if e.label == "Ministry":
            for alias in e.aliases:
                ministry_by_name[lower_same_length(alias)] = e.id
    return Vocabulary(entries, region_keys, spelling, sensitive, insensitive, ministry_by_name)
