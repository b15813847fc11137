"""HTML pages for people: the front page (`/`, search, programmes, letters), entity pages
(`/entiteit/{id}`, also what the `/id/...` IRIs show browsers, decisions D9), letter pages with the
quoted passages marked (`/brief/{id}`) and the query page (`/query`). Server-rendered with Jinja
templates (api/templates) and one stylesheet (api/static/site.css); only the query page needs
JavaScript, and it runs queries through the same read-only /cypher and /sparql endpoints."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import yaml
from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.curated import load_all
from api.deps import HolderDep, SettingsDep, StoreDep
from graph import schema
from graph.labels import (
    display_label,
    dutch_date,
    kind_name,
    letter_label,
    letter_title,
    node_label,
    official_page,
    relationship_label,
    signatories,
)
from graph.model import Node
from graph.store import GraphStore, UnknownNode
from graph.text import fold

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
TEMPLATES = Jinja2Templates(directory=str(TEMPLATE_DIR))
router = APIRouter(include_in_schema=False)

# Search ranks entity kinds first, then motions and Kamerstukken, then commitments, then letters.
RANK = {"Motion": 1, "Document": 1, "Kamerstuk": 1, "Dossier": 1, "Commitment": 2, "Letter": 3}
MAX_RESULTS = 50
LETTERS_LISTED = 200  # the newest letters on the front page; the others are found by the search
PROPERTY_NAMES = {
    "cbs_code": "CBS-code",
    "tooi_id": "TOOI",
    "wikidata": "Wikidata",
    "abbreviation": "afkorting",
    "document_number": "documentnummer",
    "kamerstuk": "Kamerstuk",
    "zaak": "zaak",
    "kind": "soort",
    "role": "rol",
    "party": "partij",
    "offices": "ambten",
    "province_code": "provincie (CBS)",
    "corop_code": "COROP-gebied (CBS)",
}


@lru_cache(maxsize=1)
def dutch_questions() -> dict[str, str]:
    return yaml.safe_load((TEMPLATE_DIR / "questions.nl.yaml").read_text(encoding="utf-8")) or {}


def curated() -> list[dict]:
    """The curated queries for the pages, each with its question in Dutch where there is one."""
    return [
        {
            "name": c.name,
            "question": dutch_questions().get(c.name, c.question),
            # an optional parameter (as_of) starts empty: left out, every letter counts
            "params": [{"name": p, "example": "" if p in c.optional else e} for p, e in c.params],
            "cypher": c.cypher,
            "sparql": c.sparql,
        }
        for c in sorted(load_all().values(), key=lambda c: c.name)
    ]


def _quote(value: str) -> str:
    return quote(value, safe=":")


def entity_href(node_id: str) -> str:
    return f"/entiteit/{_quote(node_id)}"


def letter_href(letter_id: str, start: int | None = None, end: int | None = None) -> str:
    anchor = f"#tekens-{start}-{end}" if start is not None else ""
    return f"/brief/{_quote(letter_id)}{anchor}"


def _globals() -> dict:
    return {
        "entity_href": entity_href,
        "letter_href": letter_href,
        "kind_name": kind_name,
        "letter_label": letter_label,
        "node_label": node_label,
        "dutch_date": dutch_date,
        "quote": _quote,
    }


TEMPLATES.env.globals.update(_globals())
# an alias worth showing beside a name: a short other name, not a sentence
TEMPLATES.env.tests["short_alias"] = lambda alias: len(alias) <= 60


def rank_hits(q: str, hits: list[Node]) -> list[Node]:
    """Entities before motions, commitments and letters; exact names before prefixes before the rest."""
    wanted = fold(q.strip())

    def key(node: Node) -> tuple:
        names = [fold(x) for x in [node.name, *node.aliases]]
        closeness = 0 if wanted in names else 1 if any(n.startswith(wanted) for n in names) else 2
        return (RANK.get(display_label(node), 0), closeness, fold(node.name), node.id)

    return sorted(hits, key=key)


def search(store: GraphStore, q: str) -> list[Node]:
    hits = {n.id: n for n in store.search(q.strip(), limit=500)}
    wanted = fold(q.strip())
    for letter in store.letters():  # letters by their title and date as well as their name
        if wanted and wanted in fold(letter_label(letter)) and letter.id not in hits:
            hits[letter.id] = letter
    return rank_hits(q, list(hits.values()))


def _front_data(store: GraphStore, q: str) -> dict:
    programmes = store.search("", label="Programme", limit=10_000)
    regions = store.end_counts("COVERS")
    counted = [(p, regions.get(p.id, 0)) for p in programmes]
    programme_rows = [
        {"node": p, "regions": n} for p, n in sorted(counted, key=lambda r: (-r[1], fold(r[0].name)))
    ]
    letters = sorted(store.letters(), key=lambda n: str(n.properties.get("date") or ""), reverse=True)
    letter_rows = [
        {
            "node": n,
            "date": dutch_date(n.properties.get("date")) or "zonder datum",
            "title": letter_title(n),
            "signatories": signatories(n),
        }
        for n in letters[:LETTERS_LISTED]
    ]
    results = search(store, q)[:MAX_RESULTS] if q.strip() else []
    return {
        "programmes": programme_rows,
        "letters": letter_rows,
        "letters_unlisted": len(letters) - len(letter_rows),
        "results": results,
    }


@router.get("/", response_class=HTMLResponse)
async def front_page(
    request: Request,
    store: StoreDep,
    q: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    data = await run_in_threadpool(_front_data, store, q)
    return TEMPLATES.TemplateResponse(request, "index.html", {"q": q, "queries": curated(), **data})


GROUP_LIMIT = 200  # neighbours listed per kind of relationship: a programme is named by thousands of letters
QUOTES_SHOWN = 5


def _group_neighbours(store: GraphStore, node_id: str, rel_type: str, n_in: int, n_out: int) -> list:
    """At most GROUP_LIMIT neighbours of each direction over one relationship type. Neighbours come
    ordered by type, then direction ('in' before 'out'), so the 'out' ones start at offset n_in."""
    if n_in + n_out <= GROUP_LIMIT:
        return store.neighbours(node_id, rel_type)
    found = store.neighbours(node_id, rel_type, limit=min(n_in, GROUP_LIMIT)) if n_in else []
    return found + (store.neighbours(node_id, rel_type, limit=GROUP_LIMIT, offset=n_in) if n_out else [])


def _relationship_groups(store: GraphStore, node: Node) -> list[dict]:
    counts = store.neighbour_counts(node.id)
    neighbours = [
        nb
        for rel_type in sorted({t for t, _ in counts})
        for nb in _group_neighbours(
            store, node.id, rel_type, counts.get((rel_type, "in"), 0), counts.get((rel_type, "out"), 0)
        )
    ]
    letters = store.get_nodes(
        ev.letter for nb in neighbours for ev in nb.relationship.evidence[:QUOTES_SHOWN]
    )
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for nb in neighbours:
        rel = nb.relationship
        evidence = [
            {
                "quote": ev.quote,
                "letter": letters.get(ev.letter),
                "letter_id": ev.letter,
                "href": letter_href(ev.letter, ev.start, ev.end),
            }
            for ev in rel.evidence[:QUOTES_SHOWN]
        ]
        groups[(rel.type, nb.direction)].append(
            {
                "other": nb.node,
                "evidence": evidence,
                "more": max(0, len(rel.evidence) - QUOTES_SHOWN),
                "rel": rel,
            }
        )
    out = []
    for (rel_type, direction), items in groups.items():
        label = relationship_label(rel_type)
        count = counts.get((rel_type, direction), len(items))
        out.append(
            {
                "type": rel_type,
                "label": label if direction == "out" else f"{label} (door)",
                "direction": direction,
                "entries": sorted(items, key=lambda i: fold(node_label(i["other"]))),
                "count": count,
                "unlisted": max(0, count - len(items)),
                "mentions": rel_type == "MENTIONS",
            }
        )
    return sorted(out, key=lambda g: (g["mentions"], g["direction"] == "in", g["label"]))


@router.get("/entiteit/{entity_id}", response_class=HTMLResponse)
async def entity_page(request: Request, store: StoreDep, entity_id: str) -> HTMLResponse:
    node = await run_in_threadpool(store.get_node, entity_id)
    if node is None:
        raise UnknownNode(
            f"{entity_id!r} staat niet in de graaf; zoek de naam op de voorpagina (/?q=...) "
            "of met /entities?q=..."
        )
    groups = await run_in_threadpool(_relationship_groups, store, node)
    properties = [
        (PROPERTY_NAMES[k], ", ".join(map(str, v)) if isinstance(v, list) else str(v))
        for k, v in node.properties.items()
        if k in PROPERTY_NAMES and v
    ]
    context = {
        "node": node,
        "label": display_label(node),
        "groups": groups,
        "properties": properties,
        "official": official_page(node) if "Letter" in node.labels else None,
        "colour": schema.schema()["labels"].get(display_label(node), {}).get("colour", "#868e96"),
    }
    return TEMPLATES.TemplateResponse(request, "entity.html", context)


def letter_text(node: Node, text_dir: Path, corpus_dir: Path) -> str | None:
    """The text the letter's evidence offsets point into: the rendition kept at ingest
    (`GET /letters/{id}/text`), else the letter's file in the corpus folder when it is the same file
    (same sha256). None when this server has neither."""
    from ingest.errors import LetterError
    from ingest.load import load_letter
    from ingest.renditions import text_file

    kept = text_file(text_dir, node.id)
    if kept.is_file():
        return kept.read_text(encoding="utf-8")
    source = str(node.properties.get("source") or "")
    path = corpus_dir / Path(source).name
    if not source or not path.is_file():
        return None
    try:
        raw = load_letter(path)
    except LetterError:
        return None
    expected = node.properties.get("sha256")
    if expected and expected not in (raw.sha256, hashlib.sha256(path.read_bytes()).hexdigest()):
        return None
    return raw.text


def marked_text(text: str, spans: list[tuple[int, int]]) -> list[dict]:
    """The text cut into plain and quoted pieces (overlapping quotes merged), for the template."""
    merged: list[list[int]] = []
    for start, end in sorted(s for s in spans if 0 <= s[0] < s[1] <= len(text)):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces: list[dict[str, Any]] = []
    at = 0
    for start, end in merged:
        pieces.append({"text": text[at:start]})
        pieces.append({"text": text[start:end], "start": start, "end": end})
        at = end
    pieces.append({"text": text[at:]})
    return pieces


def _letter_data(store: GraphStore, node: Node, text_dir: Path, corpus_dir: Path) -> dict:
    statements: list[dict[str, Any]] = []
    index: dict[str, Node] = {}
    stated = [r for r in store.letter_relationships(node.id) if r.type != "MENTIONS"]
    index.update(store.get_nodes(end for rel in stated for end in (rel.start, rel.end)))
    for rel in stated:
        for ev in (ev for ev in rel.evidence if ev.letter == node.id):
            statements.append({"rel": rel, "ev": ev, "label": relationship_label(rel.type)})
    statements.sort(key=lambda s: s["ev"].start)
    text = letter_text(node, text_dir, corpus_dir)
    anchors: dict[tuple[int, int], str] = {}
    quotes = []
    for s in statements:
        span = (s["ev"].start, s["ev"].end)
        if span not in anchors:
            anchors[span] = f"tekens-{span[0]}-{span[1]}"
            quotes.append({"anchor": anchors[span], "quote": s["ev"].quote})
    pieces = marked_text(text, list(anchors)) if text is not None else None
    return {"statements": statements, "index": index, "pieces": pieces, "anchors": anchors, "quotes": quotes}


@router.get("/brief/{letter_id}", response_class=HTMLResponse)
async def letter_page(
    request: Request, store: StoreDep, settings: SettingsDep, letter_id: str
) -> HTMLResponse:
    node = await run_in_threadpool(store.get_node, letter_id)
    if node is None or "Letter" not in node.labels:
        raise UnknownNode(
            f"brief {letter_id!r} staat niet in de graaf; de brieven staan op de voorpagina (/)"
        )
    data = await run_in_threadpool(_letter_data, store, node, settings.text_dir, settings.corpus_dir)
    context = {
        "node": node,
        "date": dutch_date(node.properties.get("date")) or "zonder datum",
        "title": letter_title(node),
        "signatories": signatories(node),
        "official": official_page(node),
        **data,
    }
    return TEMPLATES.TemplateResponse(request, "letter.html", context)


@router.get("/query", response_class=HTMLResponse)
async def query_page(request: Request, holder: HolderDep) -> HTMLResponse:
    examples = curated()
    language = "cypher" if holder.kind == "neo4j" else "sparql"
    context = {"examples": examples, "language": language, "store_kind": holder.kind}
    return TEMPLATES.TemplateResponse(request, "query.html", context)
