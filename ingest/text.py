"""Small text helpers shared by the stages: folding, slugs and canonical region keys."""

from __future__ import annotations

import re
from functools import lru_cache

from graph.text import fold as fold_accents

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_COMPASS_COMPOUND = re.compile(r"\b(noord|zuid)[- ](oost|west)\b")
# "J.J.M.", "H.G.J.", "Th.", "J.-P.": initials before a surname
_INITIALS = re.compile(r"^(?:(?:IJ|Th|Ch|Ph|[A-Z])\.[\s-]*)+")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Accent- and case-insensitive form (as the stores search), with curly quotes unified."""
    return fold_accents(text).replace("\u2019", "'").replace("\u2018", "'")


def slug(text: str) -> str:
    return _NON_ALNUM.sub("-", fold(text).replace("'", "")).strip("-")


def name_parts(name: str) -> tuple[str, str]:
    """A person's name as (initials, surname): `J.J.M. Uitermark` -> (`J.J.M.`, `Uitermark`),
    `Bruins Slot` -> (``, `Bruins Slot`)."""
    name = " ".join(name.split())
    m = _INITIALS.match(name)
    if not m or m.end() == len(name):
        return "", name
    return m.group().strip(), name[m.end() :].strip()


def person_key(name: str, surname: str | None = None) -> str:
    """decisions.md D7: initials and surname when the name gives initials (`person:jjm-uitermark`),
    else the surname alone (`person:bruins-slot`). `surname` overrides the surname read from `name`
    ("Piet Bakker" is keyed by "Bakker")."""
    initials, rest = name_parts(name)
    letters = _NON_ALNUM.sub("", fold(initials))
    tail = slug(surname or rest)
    return f"person:{letters}-{tail}" if letters else f"person:{tail}"


def lower_same_length(text: str) -> str:
    """Lower-case text without changing its length (offsets stay valid)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def region_key(name: str, spelling: dict[str, str] | None = None) -> str:
    """Key under which spelling variants of a region coincide: `Zuid-Oost Friesland`,
    `Zuidoost-Fryslân` and `zuidoost fryslan` all give `zuidoost-fryslan`."""
    text = fold(name).replace("'", "")
    text = _COMPASS_COMPOUND.sub(r"\1\2", text)
    words = _NON_ALNUM.split(text)
    if spelling:
        words = [spelling.get(w, w) for w in words]
    return "-".join(w for w in words if w)
