"""Curated queries: `queries/<name>.cypher` with a SPARQL twin `queries/<name>.rq`, each opening with a
header of `// key: value` (Cypher) or `# key: value` (SPARQL) lines: name, question, params.

    // params: region (e.g. region:twente), as_of (optional, e.g. 2024-12-31)

A parameter is `$region` in the Cypher and the variable `?region` (bound to the id as a string) in the
SPARQL. Both return the same columns, one row per fact and piece of evidence. An `optional` parameter
may be left out: the Cypher gets null, the SPARQL variable stays unbound. The date parameter `as_of`
(decisions.md D6) is `date($as_of)` in the Cypher; in the SPARQL it fills the slots
`VALUES ?as_of { UNDEF }` (a filter must see it, which a binding of the projection does not reach).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from queries import QUERIES_DIR

_HEADER = re.compile(r"^(?://|#)\s*(?P<key>[a-z]+):\s*(?P<value>.*?)\s*$")
_PARAM = re.compile(
    r"(?P<name>[A-Za-z_]\w*)\s*\((?P<optional>optional,\s*)?e\.g\.\s*(?P<example>[^)]+?)\s*\)"
)
# Parameters holding a day (YYYY-MM-DD) rather than an entity id.
DATE_PARAMS = frozenset({"as_of"})
_DATE_SLOT = re.compile(r"VALUES\s+\?(?P<name>[A-Za-z_]\w*)\s*\{\s*UNDEF\s*\}")
_XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"


class CuratedQueryError(ValueError):
    """A curated query file that is incomplete; the message names the file."""


@dataclass(frozen=True)
class CuratedQuery:
    name: str
    question: str
    params: tuple[tuple[str, str], ...]  # (name, example)
    cypher: str
    sparql: str
    optional: frozenset[str] = frozenset()

    def sparql_with_dates(self, days: dict[str, str]) -> str:
        """The SPARQL with each `VALUES ?name { UNDEF }` of a given date parameter filled with the day
        as an xsd:date; `days` holds only checked `YYYY-MM-DD` strings (see api/routers/params.py)."""

        def fill(match: re.Match) -> str:
            day = days.get(match["name"])
            return match[0] if day is None else f'VALUES ?{match["name"]} {{ "{day}"^^<{_XSD_DATE}> }}'

        return _DATE_SLOT.sub(fill, self.sparql)


def _header(path: Path) -> dict[str, str]:
    header: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _HEADER.match(line)
        if not match:
            break
        header[match["key"]] = match["value"]
    return header


def _params(path: Path, header: dict[str, str]) -> tuple[tuple[str, str, bool], ...]:
    text = header.get("params", "").strip()
    if text in ("", "none", "-"):
        return ()
    params = tuple((m["name"], m["example"], bool(m["optional"])) for m in _PARAM.finditer(text))
    if not params:
        raise CuratedQueryError(f"{path}: params should read like `region (e.g. region:twente)`")
    return params


def load(path: Path) -> CuratedQuery:
    twin = path.with_suffix(".rq")
    if not twin.exists():
        raise CuratedQueryError(f"{path}: no SPARQL twin {twin.name}")
    head, twin_head = _header(path), _header(twin)
    for file, h in ((path, head), (twin, twin_head)):
        missing = {"name", "question", "params"} - set(h)
        if missing:
            raise CuratedQueryError(f"{file}: header lacks {', '.join(sorted(missing))}")
        if h["name"] != path.stem:
            raise CuratedQueryError(f"{file}: header name {h['name']!r} differs from the file name")
    params = _params(path, head)
    if params != _params(twin, twin_head):
        raise CuratedQueryError(f"{twin}: params differ from {path.name}")
    return CuratedQuery(
        name=path.stem,
        question=head["question"],
        params=tuple((name, example) for name, example, _ in params),
        cypher=path.read_text(encoding="utf-8"),
        sparql=twin.read_text(encoding="utf-8"),
        optional=frozenset(name for name, _, optional in params if optional),
    )


@lru_cache(maxsize=4)
def load_all(folder: Path = QUERIES_DIR) -> dict[str, CuratedQuery]:
    return {path.stem: load(path) for path in sorted(folder.glob("*.cypher"))}
