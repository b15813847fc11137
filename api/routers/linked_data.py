"""Linked Data: the dump's IRIs dereference on this server.

- `GET /id/{type}/{key}` (and every other IRI under the base, e.g. `/id/dataset`, `/id/assertion/...`):
  RDF clients (Turtle, the default for `*/*`; JSON-LD; N-Triples; RDF/XML) get the resource's
  description directly, 200 with `Content-Location`; browsers (`text/html` preferred) get
  `303 See Other` to the page that shows the entity (the front end's `/entiteit/{id}` or `/brief/{id}`),
  or a plain page for resources without one (assertions, evidence, the dataset description).
- `GET /def/` serves the ontology (ontology.ttl) the same way, with an HTML overview for browsers;
  `GET /def/{term}` the term's own triples, or 303 to `/def/#{term}` for a browser.
IRIs are `REGIOGRAPH_BASE_IRI` + path: `/id/` resolves them when the base IRI ends in `/id/` and the API
is served at that host.
"""

from __future__ import annotations

import html
from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import NoMatchFound

from api.deps import SettingsDep, SparqlDep, StoreDep
from api.negotiation import negotiate
from api.schemas import ErrorOut
from graph import rdf
from graph.rg_namespace import ONTOLOGY_TURTLE, RG

router = APIRouter(tags=["linked data"])

RDF_TYPES = {
    "text/turtle": "turtle",
    "application/ld+json": "jsonld",
    "application/n-triples": "ntriples",
    "application/rdf+xml": "rdfxml",
}
HTML_TYPES = ("text/html", "application/xhtml+xml")
OFFERED = [*RDF_TYPES, *HTML_TYPES]
VARY = {"Vary": "Accept"}
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            **{m: {} for m in RDF_TYPES},
            "text/turtle": {"example": "<https://regiograph.nl/id/programme/npvr> a rg:Programme ."},
            "text/html": {},
        },
        "description": "The description",
    },
    303: {"description": "A browser is sent to the entity's page"},
    404: {"model": ErrorOut, "description": "The dump names no such resource"},
    406: {"model": ErrorOut, "description": "No acceptable type"},
}


def _choose(request: Request) -> str:
    media = negotiate(request.headers.get("accept"), OFFERED)
    if media is None:
        raise HTTPException(406, "acceptable types: " + ", ".join(OFFERED), headers=VARY)
    return media


def _page(request: Request, name: str, **params: str) -> str | None:
    """The path of the front end's page `name` (pages router), or None when the app has none."""
    try:
        return str(request.app.url_path_for(name, **params))
    except NoMatchFound:
        return None


def _local(iri: str, base_iri: str) -> str:
    """A link a browser can follow on this server for IRIs under the base or the ontology namespace."""
    if iri.startswith(base_iri) and base_iri.endswith("/id/"):
        return "/id/" + iri[len(base_iri) :]
    if iri.startswith(str(RG)):
        return "/def/#" + iri[len(str(RG)) :] if iri != str(RG) else "/def/"
    return iri


def _term_html(term, base_iri: str) -> str:
    if isinstance(term, ox.NamedNode):
        return f'<a href="{html.escape(_local(term.value, base_iri))}">{html.escape(term.value)}</a>'
    if isinstance(term, ox.Literal):
        suffix = f" @{term.language}" if term.language else ""
        return f"{html.escape(term.value)}<small>{html.escape(suffix)}</small>"
    return html.escape(str(term))


def _plain_page(title: str, triples: list[ox.Triple], subject: str, base_iri: str, alternates: str) -> str:
    own = [t for t in triples if isinstance(t.subject, ox.NamedNode) and t.subject.value == subject]
    incoming = [t for t in triples if isinstance(t.object, ox.NamedNode) and t.object.value == subject]
    rows = "".join(
        f"<tr><td>{_term_html(t.predicate, base_iri)}</td><td>{_term_html(t.object, base_iri)}</td></tr>"
        for t in own
    )
    back = "".join(
        f"<tr><td>{_term_html(t.subject, base_iri)}</td><td>{_term_html(t.predicate, base_iri)}</td></tr>"
        for t in incoming
    )
    return (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>{alternates}</head><body>"
        f"<h1>{html.escape(title)}</h1><p><code>{html.escape(subject)}</code></p>"
        f"<table><tbody>{rows}</tbody></table>"
        + (f"<h2>Verwijzingen</h2><table><tbody>{back}</tbody></table>" if back else "")
        + "<p>Als RDF: Turtle, JSON-LD, N-Triples of RDF/XML via de Accept-header.</p></body></html>"
    )


def _alternates(path: str) -> str:
    return "".join(f'<link rel="alternate" type="{m}" href="{html.escape(path)}">' for m in RDF_TYPES)


@router.get(
    "/id/{path:path}",
    summary="Dereference an IRI of the dump (RDF for clients, the entity's page for browsers)",
    description=__doc__,
    responses=_RESPONSES,
    response_class=Response,
)
async def resolve_iri(
    path: Annotated[
        str,
        PathParam(openapi_examples={"npvr": {"summary": "A programme", "value": "programme/npvr"}}),
    ],
    request: Request, store: StoreDep, engine: SparqlDep, settings: SettingsDep
) -> Response:
    media = _choose(request)
    base = settings.base_iri
    iri = base + path if base.endswith("/id/") else None
    if iri is None:
        raise HTTPException(404, f"REGIOGRAPH_BASE_IRI ({base}) does not end in /id/; its IRIs resolve there")
    try:
        ox.NamedNode(iri)
    except ValueError:
        raise HTTPException(
            404,
            f"{path!r} is not part of any IRI of the dump; find entities with /entities?q=...",
            headers=VARY,
        ) from None
    dump = await run_in_threadpool(engine.rdf_store, store)
    triples = await run_in_threadpool(rdf.describe, dump, iri)
    if not triples:
        raise HTTPException(
            404,
            f"the dump names no resource {iri}; find entities with /entities?q=... or query /sparql",
            headers=VARY,
        )
    if media in HTML_TYPES:
        node_id = rdf.node_id_of(dump, iri)
        if node_id is not None:
            key = quote(node_id, safe=":")
            if node_id.startswith("letter:"):
                page = _page(request, "letter_page", letter_id=key) or _page(
                    request, "entity_page", entity_id=key
                )
            else:
                page = _page(request, "entity_page", entity_id=key)
            if page is not None:
                return RedirectResponse(page, status_code=303, headers=VARY)
        title = next(
            (
                t.object.value
                for t in triples
                if t.subject == ox.NamedNode(iri)
                and t.predicate.value.endswith("prefLabel")
                and isinstance(t.object, ox.Literal)
            ),
            iri,
        )
        return HTMLResponse(
            _plain_page(title, triples, iri, base, _alternates(request.url.path)), headers=VARY
        )
    body = await run_in_threadpool(rdf.serialize_triples, triples, RDF_TYPES[media])
    return Response(body, media_type=media, headers={**VARY, "Content-Location": request.url.path})


@lru_cache(maxsize=1)
def _ontology() -> list[ox.Triple]:
    return [q.triple for q in ox.parse(ONTOLOGY_TURTLE.encode("utf-8"), format=ox.RdfFormat.TURTLE)]


def _ontology_page() -> str:
    triples = _ontology()
    ns = str(RG)
    by_term: dict[str, dict[str, list[str]]] = {}
    for t in triples:
        if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(ns) and t.subject.value != ns:
            name = t.subject.value[len(ns) :]
            if isinstance(t.object, ox.Literal) and t.predicate.value.endswith(("#label", "#comment")):
                key = (
                    "label" if t.predicate.value.endswith("#label") else "comment"
                ) + f"@{t.object.language}"
                by_term.setdefault(name, {}).setdefault(key, []).append(t.object.value)
    entries = []
    for name, d in sorted(by_term.items()):
        labels = f"{', '.join(d.get('label@nl', []))} / {', '.join(d.get('label@en', []))}"
        entries.append(
            f'<dt id="{html.escape(name)}"><code>rg:{html.escape(name)}</code> — {html.escape(labels)}</dt>'
            f"<dd>{html.escape(' '.join(d.get('comment@nl', [])))}<br>"
            f"<i>{html.escape(' '.join(d.get('comment@en', [])))}</i></dd>"
        )
    items = "".join(entries)
    return (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>RegioGraph-ontologie</title>'
        f"{_alternates('/def/')}</head><body><h1>RegioGraph-ontologie</h1>"
        f"<p><code>{html.escape(ns)}</code>; als Turtle, JSON-LD, N-Triples of RDF/XML "
        "via de Accept-header.</p>"
        f"<dl>{items}</dl></body></html>"
    )


@router.get("/def", include_in_schema=False)
async def ontology_root() -> Response:
    return RedirectResponse("/def/", status_code=301)


@router.get(
    "/def/",
    summary="The ontology (ontology.ttl): RDF for clients, an overview of its terms for browsers",
    responses=_RESPONSES,
    response_class=Response,
)
async def ontology(request: Request) -> Response:
    media = _choose(request)
    if media in HTML_TYPES:
        return HTMLResponse(_ontology_page(), headers=VARY)
    if media == "text/turtle":
        return Response(ONTOLOGY_TURTLE, media_type=media, headers=VARY)
    return Response(rdf.serialize_triples(_ontology(), RDF_TYPES[media]), media_type=media, headers=VARY)


@router.get(
    "/def/{term}",
    summary="One term of the ontology: its triples for clients, 303 to its entry in /def/ for browsers",
    responses=_RESPONSES,
    response_class=Response,
)
async def ontology_term(
    term: Annotated[
        str, PathParam(openapi_examples={"covers": {"summary": "A property", "value": "covers"}})
    ],
    request: Request,
) -> Response:
    media = _choose(request)
    iri = str(RG) + term
    triples = [t for t in _ontology() if isinstance(t.subject, ox.NamedNode) and t.subject.value == iri]
    if not triples:
        raise HTTPException(404, f"the ontology declares no term rg:{term}; see /def/", headers=VARY)
    if media in HTML_TYPES:
        return RedirectResponse(f"/def/#{quote(term)}", status_code=303, headers=VARY)
    return Response(rdf.serialize_triples(triples, RDF_TYPES[media]), media_type=media, headers=VARY)
