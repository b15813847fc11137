"""The graph model as RDF (ontology.ttl): nodes, direct relationship triples, and reified
assertions with their evidence.

Where quads go (TriG / N-Quads):
- default graph: node descriptions and every non-derived relationship as a direct triple;
- one named graph per letter (the letter's IRI): the direct triples that letter supports, their
  rg:Assertion resources and its rg:Evidence (quote, offsets), so SPARQL `GRAPH ?letter {...}`
  tells which letters support a claim and with which quote;
- `<base>graph/derived`: derived relationships and their assertions.
Triple formats (Turtle, N-Triples, JSON-LD) hold the union of all of these.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import BNode, Dataset, Literal, URIRef
from rdflib import Graph as RDFGraph

from graph.files import atomic_path
from graph.model import Evidence, Graph, Node, Relationship
from graph.vocab import (
    DCT,
    OB_KAMERSTUK_PAGE,
    OWL,
    RDF,
    RDFS,
    RG,
    SKOS,
    TK_LETTER_PAGE,
    TOOI,
    WD,
    XSD,
    bind_prefixes,
    camel_case,
    class_term,
    iri_segment,
    property_term,
)

Quad = tuple[URIRef | BNode, URIRef, URIRef | BNode | Literal, URIRef | None]

# CLI name -> (rdflib format, needs named graphs). "json" is the graph interchange JSON, not RDF.
RDF_FORMATS: dict[str, tuple[str, bool]] = {
    "turtle": ("turtle", False),
    "ntriples": ("nt", False),
    "jsonld": ("json-ld", False),
    "trig": ("trig", True),
    "nquads": ("nquads", True),
}
FORMATS: tuple[str, ...] = (*RDF_FORMATS, "json")

# Node properties with a vocabulary term; other simple properties become rg:<camelCase>.
NODE_PROPERTY_TERMS = {
    "title": DCT.title,
    "date": DCT.date,
    "document_number": DCT.identifier,
    "zaak": DCT.identifier,
    "source": RG.source,
    "sha256": RG.sha256,
    "kind": RG.kind,
    "role": RG.role,
    "cbs": RG.cbsCode,
    "abbreviation": SKOS.notation,
}
REL_PROPERTY_TERMS = {"count": RG["count"], "role": RG.role, "date": DCT.date}
_SKIPPED_NODE_PROPERTIES = {"tooi", "tooi_id", "wikidata", "dossiers"}
_PROPERTY_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_KAMERSTUK = re.compile(r"^(?P<dossier>\d+(?:-[A-Za-z0-9]+)?)-(?P<number>\d+)$")
_TOOI_KINDS = (("mnre", "ministerie"), ("pv", "provincie"), ("gm", "gemeente"), ("ws", "waterschap"))


class UnknownFormat(ValueError):
    def __init__(self, fmt: str):
        super().__init__(f"unknown export format {fmt!r}; valid formats: {', '.join(FORMATS)}")


class RDFBuilder:
    """Turns one Graph into quads with stable IRIs under `base_iri` (`<base><kind>/<slug>`)."""

    def __init__(self, base_iri: str):
        self.base = base_iri
        self.derived_graph = URIRef(base_iri + "graph/derived")
        self._iris: dict[str, URIRef] = {}

    # -- identifiers -------------------------------------------------------------------------
    def node_iri(self, node_id: str) -> URIRef:
        iri = self._iris.get(node_id)
        if iri is None:
            kind, sep, slug = node_id.partition(":")
            path = f"{iri_segment(kind)}/{iri_segment(slug)}" if sep else f"node/{iri_segment(node_id)}"
            iri = self._iris[node_id] = URIRef(self.base + path)
        return iri

    def assertion_iri(self, rel: Relationship) -> URIRef:
        return URIRef(f"{self.base}assertion/{_digest(*rel.key)}")

    def evidence_iri(self, rel: Relationship, ev: Evidence) -> URIRef:
        return URIRef(f"{self.base}evidence/{_digest(*rel.key, ev.letter, ev.start, ev.end)}")

    # -- quads -------------------------------------------------------------------------------
    def quads(self, graph: Graph, relationships: Iterable[Relationship] | None = None) -> Iterator[Quad]:
        """All quads of the graph (context None = default graph). `relationships` may wrap
        graph.relationships (e.g. in a progress bar)."""
        ids = {n.id for n in graph.nodes}
        for node in graph.nodes:
            yield from self.node_quads(node)
        for rel in graph.relationships if relationships is None else relationships:
            yield from self.relationship_quads(rel, ids)

    def node_quads(self, node: Node) -> Iterator[Quad]:
        s = self.node_iri(node.id)
        for label in node.labels:
            yield s, RDF.type, class_term(label), None
        yield s, RG.nodeId, Literal(node.id), None
        yield s, DCT.identifier, Literal(node.id), None
        yield s, SKOS.prefLabel, Literal(node.name), None
        for alias in node.aliases:
            if alias != node.name:
                yield s, SKOS.altLabel, Literal(alias), None
        props = node.properties
        for key, value in props.items():
            if key in _SKIPPED_NODE_PROPERTIES or not _PROPERTY_KEY.match(key):
                continue
            term = NODE_PROPERTY_TERMS.get(key) or RG[camel_case(key)]
            for lit in _literals(value):
                yield s, term, lit, None
        for key, resolve in (("tooi", _tooi_iri), ("tooi_id", _tooi_iri), ("wikidata", _wikidata_iri)):
            for value in _as_list(props.get(key)):
                iri = resolve(str(value))
                if iri is not None:
                    yield s, OWL.sameAs, iri, None
        for dossier in _as_list(props.get("dossiers")):
            yield s, DCT.isPartOf, self.node_iri(f"dossier:{dossier}"), None
        yield from self._public_pages(node, s)

    def _public_pages(self, node: Node, s: URIRef) -> Iterator[Quad]:
        props = node.properties
        if "Letter" in node.labels and props.get("document_number"):
            yield s, RDFS.seeAlso, URIRef(TK_LETTER_PAGE.format(number=props["document_number"])), None
        if "Document" in node.labels:
            dossier, number = props.get("dossier"), props.get("number")
            if not (dossier and number):
                match = _KAMERSTUK.match(node.id.partition(":")[2])
                dossier, number = (match["dossier"], match["number"]) if match else (None, None)
            if dossier and number:
                yield s, DCT.identifier, Literal(f"kst-{dossier}-{number}"), None
                yield s, RDFS.seeAlso, URIRef(OB_KAMERSTUK_PAGE.format(dossier=dossier, number=number)), None
                yield s, DCT.isPartOf, self.node_iri(f"dossier:{dossier}"), None

    def relationship_quads(
        self, rel: Relationship, node_ids: set[str] | frozenset = frozenset()
    ) -> Iterator[Quad]:
        s, p, o = self.node_iri(rel.start), property_term(rel.type), self.node_iri(rel.end)
        a = self.assertion_iri(rel)
        if rel.derived:
            contexts = [self.derived_graph]
        else:
            yield s, p, o, None
            contexts: list[URIRef | None] = [self.node_iri(letter) for letter in rel.letters] or [None]
        description = [
            (a, RDF.type, RG.Assertion),
            (a, RDF.subject, s),
            (a, RDF.predicate, p),
            (a, RDF.object, o),
            (a, RG.relationshipType, _type_literal(rel.type)),
            (a, RG.derived, _TRUE if rel.derived else _FALSE),
        ]
        for key, value in rel.properties.items():
            if not _PROPERTY_KEY.match(key):
                continue
            term = REL_PROPERTY_TERMS.get(key) or RG[camel_case(key)]
            for item in _as_list(value):
                if isinstance(item, str) and item in node_ids:
                    description.append((a, term, self.node_iri(item)))
                else:
                    description.extend((a, term, lit) for lit in _literals(item))
        for ctx in contexts:
            if ctx is not None:
                yield s, p, o, ctx
            for t in description:
                yield (*t, ctx)
        for ev in rel.evidence:
            e = self.evidence_iri(rel, ev)
            ctx = self.derived_graph if rel.derived else self.node_iri(ev.letter)
            yield a, RG.evidence, e, ctx
            yield e, RDF.type, RG.Evidence, ctx
            yield e, RG.quote, Literal(ev.quote), ctx
            yield e, RG.start, Literal(ev.start, datatype=XSD.nonNegativeInteger), ctx
            yield e, RG.end, Literal(ev.end, datatype=XSD.nonNegativeInteger), ctx
            yield e, RG.letter, self.node_iri(ev.letter), ctx
            yield e, RG.source, Literal(ev.source), ctx
            if ev.rule:
                yield e, RG.rule, Literal(ev.rule), ctx


def to_dataset(graph: Graph, base_iri: str, relationships: Iterable[Relationship] | None = None) -> Dataset:
    """Quads in named graphs (for TriG, N-Quads and SPARQL over letters)."""
    ds = Dataset()
    bind_prefixes(ds)
    contexts: dict[URIRef | None, RDFGraph] = {None: ds.default_graph}

    def context(iri: URIRef | None) -> RDFGraph:
        ctx = contexts.get(iri)
        if ctx is None:
            ctx = contexts[iri] = ds.graph(iri)
        return ctx

    builder = RDFBuilder(base_iri)
    ds.addN((s, p, o, context(c)) for s, p, o, c in builder.quads(graph, relationships))
    return ds


def to_rdf_graph(
    graph: Graph, base_iri: str, relationships: Iterable[Relationship] | None = None
) -> RDFGraph:
    """All triples in one graph (the union of the dataset's graphs)."""
    g = RDFGraph()
    bind_prefixes(g)
    g.addN((s, p, o, g) for s, p, o, _ in RDFBuilder(base_iri).quads(graph, relationships))
    return g


def build(graph: Graph, fmt: str, base_iri: str, relationships: Iterable[Relationship] | None = None):
    """The rdflib Graph or Dataset that `fmt` serialises."""
    if fmt not in RDF_FORMATS:
        raise UnknownFormat(fmt)
    named = RDF_FORMATS[fmt][1]
    return (to_dataset if named else to_rdf_graph)(graph, base_iri, relationships)


def serialize(graph: Graph, fmt: str, base_iri: str) -> str:
    """The graph in one of FORMATS, as text."""
    if fmt == "json":
        return graph.to_json()
    rdf = build(graph, fmt, base_iri)
    return rdf.serialize(format=RDF_FORMATS[fmt][0], **_serialize_options(fmt))


def write(rdf_or_graph, fmt: str, path: Path) -> None:
    """Write an rdflib Graph/Dataset (or a model Graph for "json") to `path` atomically, so an
    earlier export is never left half-overwritten."""
    with atomic_path(path) as tmp:
        if fmt == "json":
            tmp.write_text(rdf_or_graph.to_json(), encoding="utf-8")
        else:
            rdf_or_graph.serialize(
                destination=str(tmp), format=RDF_FORMATS[fmt][0], encoding="utf-8", **_serialize_options(fmt)
            )


def _serialize_options(fmt: str) -> dict[str, Any]:
    if fmt == "jsonld":
        from graph.vocab import PREFIXES

        return {"context": {prefix: str(ns) for prefix, ns in PREFIXES.items()}, "auto_compact": True}
    return {}


# -- helpers ------------------------------------------------------------------------------------
_TRUE, _FALSE = Literal(True), Literal(False)


@lru_cache(maxsize=256)
def _type_literal(rel_type: str) -> Literal:
    return Literal(rel_type)


def _digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:20]


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple, set)) else [value]


def _literals(value: Any) -> Iterator[Literal]:
    for item in _as_list(value):
        if isinstance(item, bool | int | float):
            yield Literal(item)
        elif isinstance(item, str):
            yield Literal(item, datatype=XSD.date) if _ISO_DATE.match(item) else Literal(item)
        # nested objects have no agreed RDF shape; they stay in the JSON export only


def _tooi_iri(value: str) -> URIRef | None:
    if value.startswith(("http://", "https://")):
        return URIRef(value)
    for prefix, kind in _TOOI_KINDS:
        if value.startswith(prefix):
            return TOOI[f"{kind}/{value}"]
    return None


def _wikidata_iri(value: str) -> URIRef | None:
    if value.startswith(("http://", "https://")):
        return URIRef(value)
    return WD[value] if re.fullmatch(r"Q\d+", value) else None
