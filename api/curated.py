"""Curated queries: `queries/<name>.cypher` with a SPARQL twin `queries/<name>.rq`, each opening with a
header of `// key: value` (Cypher) or `# key: value` (SPARQL) lines: name, question, params.

    // params: region (e.g. region:twente), kamerstuk (e.g. document:29697-169)

A parameter is `$region` in the Cypher and the variable `?region` (bound to the id as a string) in the
SPARQL. Both return the same columns, one row per fact and piece of evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from queries import QUERIES_DIR

_HEADER = re.compile(r"^(?://|#)\s*(?P<key>[a-z]+):\s*(?P<value>.*?)\s*$")
_PARAM = re.compile(r"(?P<name>[A-Za-z_]\w*)\s*\(e\.g\.\s*(?P<example>[^)]+?)\s*\)")


class CuratedQueryError(ValueError):
    """A curated query file that is incomplete; the message names the file."""


@dataclass(frozen=True)
class CuratedQuery:
    name: str
    question: str
    params: tuple[tuple[str, str], ...]  # (name, example)
    cypher: str
    sparql: str


def _header(path: Path) -> dict[str, str]:
    header: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _HEADER.match(line)
        if not match:
            break
        header[match["key"]] = match["value"]
    return header


def _params(path: Path, header: dict[str, str]) -> tuple[tuple[str, str], ...]:
    text = header.get("params", "").strip()
    if text in ("", "none", "-"):
        return ()
    params = tuple((m["name"], m["example"]) for m in _PARAM.finditer(text))
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
        params=params,
        cypher=path.read_text(encoding="utf-8"),
        sparql=twin.read_text(encoding="utf-8"),
    )


@lru_cache(maxsize=4)
def load_all(folder: Path = QUERIES_DIR) -> dict[str, CuratedQuery]:
    return {path.stem: load(path) for path in sorted(folder.glob("*.cypher"))}
