"""The graph model as RDF (ontology.ttl): nodes, direct relationship triples, reified assertions with
their evidence, and a VoID/DCAT description of the dataset; written with pyoxigraph's serialisers.

One dump, equal in every format (`build_store`):
- one named graph per letter (the letter's IRI): the direct triples that letter supports, their
  rg:Assertion resources and its rg:Evidence (quote, offsets), so SPARQL `GRAPH ?letter {...}` tells
  which letters support a claim and with which quote;
- `<base>graph/derived`: derived relationships (OVERLAPS from shared coverage) and their assertions,
  distinct resources from any stated OVERLAPS between the same programmes (decisions.md D8);
- the default graph: node descriptions, relationships no letter states (from structure or data files),
  the dataset description (`<base>dataset`, VoID/DCAT), and the merge of every named graph, so the
  default graph alone holds each triple once.
Triple formats (Turtle, N-Triples, RDF/XML) hold that default graph; quad formats (TriG, N-Quads,
JSON-LD) hold the default graph and the named graphs. The SPARQL endpoint loads the same quads, so it
serves exactly the dump's terms; every literal goes through a pyoxigraph Store first, whose
normalisation (integer offsets are xsd:integer, decimals canonical) the dump therefore shares.

Terms come from graph/rg_namespace.py (generated from ontology.ttl, closed): a node or relationship
property without a mapping below is left out of the RDF (it stays in the interchange JSON) and logged
once; properties that are strings standing for a link (signatories, submitters, country, province
codes ...) are left out because the relationship they stand for is exported.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyoxigraph as ox
from rdflib import Dataset, URIRef
from rdflib import Graph as RDFGraph

from graph.files import atomic_path
from graph.model import Evidence, Graph, Node, Relationship
from graph.vocab import (
    DCT,
    OB_KAMERSTUK_PAGE,
    ONTOLOGY_IRI,
    ORG,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    RG,
    SCHEMA,
    SD,
    SKOS,
    TK_LETTER_PAGE,
    TOOI,
    WD,
    XSD,
    class_term,
    iri_segment,
    property_term,
)

log = logging.getLogger(__name__)

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
LICENSE = "https://joinup.ec.europa.eu/collection/eupl/eupl-text-eupl-12"
IANA_MEDIA = "http://www.iana.org/assignments/media-types/"


@dataclass(frozen=True)
class RdfFormat:
    name: str
    ox_format: ox.RdfFormat
    media_type: str
    extension: str
    named_graphs: bool  # False: the default graph only (the merge of all graphs)


RDF_FORMATS: dict[str, RdfFormat] = {
    f.name: f
    for f in (
        RdfFormat("turtle", ox.RdfFormat.TURTLE, "text/turtle", "ttl", False),
        RdfFormat("ntriples", ox.RdfFormat.N_TRIPLES, "application/n-triples", "nt", False),
        RdfFormat("rdfxml", ox.RdfFormat.RDF_XML, "application/rdf+xml", "rdf", False),
        RdfFormat("trig", ox.RdfFormat.TRIG, "application/trig", "trig", True),
        RdfFormat("nquads", ox.RdfFormat.N_QUADS, "application/n-quads", "nq", True),
        RdfFormat("jsonld", ox.RdfFormat.JSON_LD, "application/ld+json", "jsonld", True),
    )
}
FORMATS: tuple[str, ...] = (*RDF_FORMATS, "json")  # "json" is the graph interchange JSON, not RDF
OX_PREFIXES = {prefix: str(ns) for prefix, ns in PREFIXES.items()}


class UnknownFormat(ValueError):
    def __init__(self, fmt: str):
        super().__init__(f"unknown export format {fmt!r}; valid formats: {', '.join(FORMATS)}")


# -- terms ----------------------------------------------------------------------------------------------
@lru_cache(maxsize=4096)
def _iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def _n(term: URIRef | str) -> ox.NamedNode:
    return _iri(str(term))


_XSD_DATE, _XSD_DECIMAL = _n(XSD.date), _n(XSD.decimal)
_DEFAULT = ox.DefaultGraph()
_TRUE, _FALSE = ox.Literal(True), ox.Literal(False)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_KAMERSTUK = re.compile(r"^(?:kst-)?(?P<dossier>\d+(?:-[A-Za-z0-9]+)?)-(?P<number>\d+)$")
_TOOI_KINDS = (("mnre", "ministerie"), ("pv", "provincie"), ("gm", "gemeente"), ("ws", "waterschap"))
# Node id prefix -> IRI type segment, for types renamed after their ids were minted (D5).
_IRI_TYPES = {"document": "kamerstuk"}
_PLACE_LABELS = {"Region", "Province", "Municipality"}


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple | set) else [value]


def _string(value: Any) -> list[ox.Literal]:
    return [ox.Literal(str(v)) for v in _as_list(value) if v is not None and str(v) != ""]


def _dutch(value: Any) -> list[ox.Literal]:
    return [ox.Literal(str(v), language="nl") for v in _as_list(value) if v is not None and str(v) != ""]


def _integer(value: Any) -> list[ox.Literal]:
    return [ox.Literal(int(v)) for v in _as_list(value) if isinstance(v, int) and not isinstance(v, bool)]


def _boolean(value: Any) -> list[ox.Literal]:
    return [_TRUE if v else _FALSE for v in _as_list(value) if isinstance(v, bool)]


def _decimal(value: Any) -> list[ox.Literal]:
    out = []
    for v in _as_list(value):
        try:
            text = format(Decimal(repr(v) if isinstance(v, float) else str(v)), "f")
        except (InvalidOperation, ValueError):
            continue
        out.append(ox.Literal(text, datatype=_XSD_DECIMAL))
    return out


def _date(value: Any) -> list[ox.Literal]:
    return [ox.Literal(str(v), datatype=_XSD_DATE) for v in _as_list(value) if _ISO_DATE.match(str(v))]


Converter = Callable[[Any], list[ox.Literal]]

# Node property -> (ontology term, literal converter). Keys not here and not in _LINK_PROPERTIES are
# left out of the RDF.
NODE_PROPERTIES: dict[str, tuple[URIRef, Converter]] = {
    "title": (DCT.title, _dutch),
    "date": (DCT.date, _date),
    "document_number": (RG.documentNumber, _string),
    "zaak": (RG.zaakNumber, _string),
    "source": (RG.source, _string),
    "sha256": (RG.sha256, _string),
    "encoding": (RG.encoding, _string),
    "length": (RG.length, _integer),
    "kind": (RG.kind, _string),
    "cbs_code": (RG.cbsCode, _string),
    "cbs": (RG.cbsCode, _string),
    "abbreviation": (SKOS.notation, _string),
    "begin_date": (SCHEMA.foundingDate, _date),
    "end_date": (SCHEMA.dissolutionDate, _date),
    "text": (DCT.description, _dutch),
    "volgnummer": (RG.volgnummer, _string),
    "former_municipalities": (RG.formerMunicipality, _dutch),
}
# Node properties that become links (skos:exactMatch/closeMatch, dct:isPartOf, identifiers and pages).
_LINK_PROPERTIES = {"tooi", "tooi_id", "wikidata", "dossiers", "kamerstuk", "dossier", "number", "letters"}
# Strings standing for a link the graph holds as a relationship: not exported as literals.
LINK_STAND_INS = {
    "signatories": "SIGNED_BY",
    "submitters": "SUBMITTED",
    "offices": "HOLDS_OFFICE",
    "role": "HOLDS_OFFICE (rg:role on its assertion), SUBMITTED or MEMBER_OF",
    "party": "MEMBER_OF",
    "country": "PART_OF",
    "province": "PART_OF",
    "province_code": "PART_OF",
    "corop_code": "PART_OF",
    "municipality_code": "PART_OF",
    "dossier_titles": "dct:isPartOf the dossier (its dct:title)",
    "new": "MAKES or RESPONDS_TO",
}
REL_PROPERTIES: dict[str, tuple[URIRef, Converter]] = {
    "count": (RG["count"], _integer),
    "role": (RG.role, _string),
    "date": (DCT.date, _date),
    "office": (RG.office, _dutch),
    "approximate": (RG.approximate, _boolean),
    "basis": (RG.basis, _string),
    "source": (RG.source, _string),
    "jaccard": (RG.jaccard, _decimal),
    "first_stated": (RG.firstStated, _date),
    "last_stated": (RG.lastStated, _date),
}
_REL_LINK_PROPERTIES = {"shared_regions": RG.sharedRegions}
# Relationship types whose assertion is also an ORG membership (org:member, org:organization).
_MEMBERSHIPS = {"HOLDS_OFFICE", "MEMBER_OF"}
_unmapped_logged: set[tuple[str, str]] = set()


def _unmapped(where: str, key: str) -> None:
    if (where, key) not in _unmapped_logged:
        _unmapped_logged.add((where, key))
        log.warning(
            "RDF: %s property %r has no ontology term; left out of the RDF (kept in JSON)", where, key
        )


def _digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:20]


def site_root(base_iri: str) -> str:
    """The web root the IRIs dereference at: `https://regiograph.nl/` for base `https://regiograph.nl/id/`
    (the API serves /id/, /def/, /sparql and /rdf there)."""
    if base_iri.endswith("/id/"):
        return base_iri[: -len("id/")]
    parts = urlsplit(base_iri)
    return f"{parts.scheme}://{parts.netloc}/"


# -- quads ----------------------------------------------------------------------------------------------
class RDFBuilder:
    """Turns one Graph into pyoxigraph quads with stable IRIs under `base_iri`: `<base><type>/<key>`
    from the node ids (decisions.md D2/D7 keys: `programme:npvr` -> `<base>programme/npvr`)."""

    def __init__(self, base_iri: str):
        self.base = base_iri
        self.derived_graph = _iri(base_iri + "graph/derived")
        self._iris: dict[str, ox.NamedNode] = {}

    # -- identifiers -------------------------------------------------------------------------
    def node_iri(self, node_id: str) -> ox.NamedNode:
        iri = self._iris.get(node_id)
        if iri is None:
            kind, sep, slug = node_id.partition(":")
            if sep:
                kind = _IRI_TYPES.get(kind, kind)
                path = f"{iri_segment(kind)}/{iri_segment(slug)}"
            else:
                path = f"node/{iri_segment(node_id)}"
            iri = self._iris[node_id] = _iri(self.base + path)
        return iri

    def assertion_iri(self, rel: Relationship) -> ox.NamedNode:
        # A derived relationship is a resource of its own, never the stated one's (D8).
        parts = (*rel.key, "derived") if rel.derived else rel.key
        return _iri(f"{self.base}assertion/{_digest(*parts)}")

    def evidence_iri(self, rel: Relationship, ev: Evidence) -> ox.NamedNode:
        return _iri(f"{self.base}evidence/{_digest(*rel.key, ev.letter, ev.start, ev.end)}")

    # -- quads -------------------------------------------------------------------------------
    def quads(self, graph: Graph, relationships: Iterable[Relationship] | None = None) -> Iterator[ox.Quad]:
        """The data quads (without the union default graph and the dataset description).
        `relationships` may wrap graph.relationships (e.g. in a progress bar)."""
        ids = {n.id for n in graph.nodes}
        for node in graph.nodes:
            yield from self.node_quads(node)
        for rel in graph.relationships if relationships is None else relationships:
            yield from self.relationship_quads(rel, ids)

    def node_quads(self, node: Node) -> Iterator[ox.Quad]:
        s = self.node_iri(node.id)

        def q(p, o) -> ox.Quad:
            return ox.Quad(s, _n(p), o, _DEFAULT)

        for label in node.labels:
            try:
                yield q(RDF.type, _n(class_term(label)))
            except AttributeError:
                _unmapped("label", label)
        yield q(RG.nodeId, ox.Literal(node.id))
        yield q(DCT.identifier, ox.Literal(node.id))
        yield q(SKOS.prefLabel, ox.Literal(node.name, language="nl"))
        for alias in dict.fromkeys(node.aliases):
            if alias and alias != node.name:
                yield q(SKOS.altLabel, ox.Literal(alias, language="nl"))
        props = node.properties
        is_dossier = "Dossier" in node.labels
        for key, value in props.items():
            if key in NODE_PROPERTIES:
                term, convert = NODE_PROPERTIES[key]
                for lit in convert(value):
                    yield q(term, lit)
            elif key == "number" and is_dossier:
                for lit in _string(value):
                    yield q(SKOS.notation, lit)
            elif key not in _LINK_PROPERTIES and key not in LINK_STAND_INS:
                _unmapped(node.label, key)
        yield from (q(p, o) for p, o in self._links(node))

    def _links(self, node: Node) -> Iterator[tuple[URIRef, Any]]:
        props = node.properties
        place = bool(_PLACE_LABELS & set(node.labels))
        # TOOI names organisations: the same thing for a ministry, the government of an area for a
        # province or municipality. Wikidata's provinces are the areas, its states and countries both.
        tooi_match = SKOS.closeMatch if place else SKOS.exactMatch
        wikidata_match = SKOS.exactMatch if place else SKOS.closeMatch
        for key, resolve, mapping in (
            ("tooi", _tooi_iri, tooi_match),
            ("tooi_id", _tooi_iri, tooi_match),
            ("wikidata", _wikidata_iri, wikidata_match),
        ):
            for value in _as_list(props.get(key)):
                iri = resolve(str(value))
                if iri is not None:
                    yield mapping, iri
        for dossier in _as_list(props.get("dossiers")):
            yield DCT.isPartOf, self.node_iri(f"dossier:{dossier}")
        # The letters a store saw the node in (its bookkeeping): the letters that refer to it.
        for letter in _as_list(props.get("letters")):
            if str(letter).startswith("letter:") and letter != node.id:
                yield DCT.isReferencedBy, self.node_iri(str(letter))
        if "Letter" in node.labels and props.get("document_number"):
            yield RDFS.seeAlso, _iri(TK_LETTER_PAGE.format(number=props["document_number"]))
        kamerstuk = None
        if {"Kamerstuk", "Document"} & set(node.labels):
            dossier, number = props.get("dossier"), props.get("number")
            match = None if (dossier and number) else _KAMERSTUK.match(node.id.partition(":")[2])
            kamerstuk = (match["dossier"], match["number"]) if match else (dossier, number)
        elif "Letter" in node.labels:
            match = _KAMERSTUK.match(str(props.get("kamerstuk") or node.id.partition(":")[2]))
            kamerstuk = (match["dossier"], match["number"]) if match else None
            if match and not props.get("volgnummer"):
                yield RG.volgnummer, ox.Literal(match["number"])
        if kamerstuk and kamerstuk[0] and kamerstuk[1]:
            dossier, number = kamerstuk
            if "Letter" not in node.labels:
                yield RG.volgnummer, ox.Literal(str(number))
            yield DCT.identifier, ox.Literal(f"kst-{dossier}-{number}")
            yield RDFS.seeAlso, _iri(OB_KAMERSTUK_PAGE.format(dossier=dossier, number=number))
            yield DCT.isPartOf, self.node_iri(f"dossier:{dossier}")

    def relationship_quads(
        self, rel: Relationship, node_ids: set[str] | frozenset = frozenset()
    ) -> Iterator[ox.Quad]:
        try:
            p = _n(property_term(rel.type))
        except AttributeError:
            _unmapped("relationship type", rel.type)
            return
        s, o = self.node_iri(rel.start), self.node_iri(rel.end)
        a = self.assertion_iri(rel)
        if rel.derived:
            contexts: list[ox.NamedNode | ox.DefaultGraph] = [self.derived_graph]
        else:
            contexts = [self.node_iri(letter) for letter in rel.letters] or [_DEFAULT]
        description: list[tuple[ox.NamedNode, Any]] = [
            (_n(RDF.type), _n(RG.Assertion)),
            (_n(RDF.subject), s),
            (_n(RDF.predicate), p),
            (_n(RDF.object), o),
            (_n(RG.relationshipType), ox.Literal(rel.type)),
            (_n(RG.derived), _TRUE if rel.derived else _FALSE),
        ]
        if rel.type in _MEMBERSHIPS:
            description += [
                (_n(RDF.type), _n(ORG.Membership)),
                (_n(ORG.member), s),
                (_n(ORG.organization), o),
            ]
        for key, value in rel.properties.items():
            if key in REL_PROPERTIES:
                term, convert = REL_PROPERTIES[key]
                description.extend((_n(term), lit) for lit in convert(value))
            elif key in _REL_LINK_PROPERTIES:
                term = _REL_LINK_PROPERTIES[key]
                description.extend((_n(term), self.node_iri(str(v))) for v in _as_list(value))
            else:
                _unmapped(rel.type, key)
        if rel.derived and rel.type == "OVERLAPS":
            # PROV: a derived overlap comes from the COVERS assertions of the regions both programmes cover.
            for region in _as_list(rel.properties.get("shared_regions")):
                for programme in (rel.start, rel.end):
                    covers = Relationship(type="COVERS", start=programme, end=str(region))
                    description.append((_n(PROV.wasDerivedFrom), self.assertion_iri(covers)))
        for ctx in contexts:
            yield ox.Quad(s, p, o, ctx)
            for pred, obj in description:
                yield ox.Quad(a, pred, obj, ctx)
        for ev in rel.evidence:
            e = self.evidence_iri(rel, ev)
            ctx = self.node_iri(ev.letter)
            yield ox.Quad(a, _n(RG.evidence), e, ctx)
            yield ox.Quad(e, _n(RDF.type), _n(RG.Evidence), ctx)
            yield ox.Quad(e, _n(RG.quote), ox.Literal(ev.quote, language="nl"), ctx)
            yield ox.Quad(e, _n(RG.start), ox.Literal(ev.start), ctx)
            yield ox.Quad(e, _n(RG.end), ox.Literal(ev.end), ctx)
            yield ox.Quad(e, _n(RG.letter), self.node_iri(ev.letter), ctx)
            yield ox.Quad(e, _n(RG.source), ox.Literal(ev.source), ctx)
            if ev.rule:
                yield ox.Quad(e, _n(RG.rule), ox.Literal(ev.rule), ctx)
            if ev.basis:
                yield ox.Quad(e, _n(RG.basis), ox.Literal(ev.basis), ctx)


# -- the dump -------------------------------------------------------------------------------------------
def build_store(
    graph: Graph,
    base_iri: str,
    relationships: Iterable[Relationship] | None = None,
    *,
    created: date | None = None,
) -> ox.Store:
    """The dump as an in-memory pyoxigraph Store: the data quads, the merge of all graphs in the
    default graph, and the dataset description (`describe_dataset`)."""
    store = ox.Store()
    store.bulk_extend(RDFBuilder(base_iri).quads(graph, relationships))
    # Counting and merging run inside the store (Rust), not over Python objects.
    per_graph = Counter(
        {
            ox.NamedNode(row["g"]): int(row["n"])
            for row in select_values(
                store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
            )
        }
    )
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    triples = int(select_values(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"])
    version = hashlib.sha256(ox.serialize(store, format=ox.RdfFormat.N_QUADS) or b"").hexdigest()[:12]
    store.extend(
        describe_dataset(
            graph,
            base_iri,
            triples=triples,
            per_graph=per_graph,
            created=created or date.today(),
            version=version,
        )
    )
    return store


def select_values(store: ox.Store, query: str) -> list[dict[str, str]]:
    """The rows of a SELECT as plain strings. pyoxigraph's result objects must be dropped on the thread
    that made them, so none of them leaves this function."""
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions), query
    variables = [v.value for v in solutions.variables]
    rows = [{v: row[v].value for v in variables if row[v] is not None} for row in solutions]
    del solutions
    return rows


def dataset_iri(base_iri: str) -> str:
    return base_iri + "dataset"


def describe_dataset(
    graph: Graph,
    base_iri: str,
    *,
    triples: int,
    per_graph: Counter,
    created: date,
    version: str,
) -> list[ox.Quad]:
    """VoID/DCAT/SPARQL-SD description of the dump, in the default graph: licence, version, creation
    date, SPARQL endpoint and dump URLs, and each named graph with its letter and triple count.
    Triple counts are of the data, not of this description."""
    root = site_root(base_iri)
    d = _iri(dataset_iri(base_iri))
    void, dcat = (lambda t: _iri(VOID + t)), (lambda t: _iri(DCAT + t))
    out: list[tuple[ox.NamedNode, ox.NamedNode, Any]] = [
        (d, _n(RDF.type), void("Dataset")),
        (d, _n(RDF.type), dcat("Dataset")),
        (d, _n(RDF.type), _n(SD.Dataset)),
        (d, _n(DCT.title), ox.Literal("RegioGraph", language="nl")),
        (d, _n(DCT.title), ox.Literal("RegioGraph", language="en")),
        (
            d,
            _n(DCT.description),
            ox.Literal(
                "Regionaal beleid in Kamerbrieven: programma's, regio's, ministeries en hun relaties, "
                "elk met de citaten waaruit ze gelezen zijn.",
                language="nl",
            ),
        ),
        (
            d,
            _n(DCT.description),
            ox.Literal(
                "Regional policy in Dutch parliamentary letters: programmes, regions, ministries and their "
                "relationships, each with the quotes it was read from.",
                language="en",
            ),
        ),
        (d, _n(DCT.license), _iri(LICENSE)),
        (d, _n(DCT.created), ox.Literal(created.isoformat(), datatype=_XSD_DATE)),
        (d, dcat("version"), ox.Literal(version)),
        (d, _n(DCT.conformsTo), _iri(ONTOLOGY_IRI)),
        (d, void("vocabulary"), _iri(ONTOLOGY_IRI)),
        (d, void("uriSpace"), ox.Literal(base_iri)),
        (d, void("sparqlEndpoint"), _iri(root + "sparql")),
        (d, void("triples"), ox.Literal(triples)),
        (d, void("entities"), ox.Literal(len(graph.nodes))),
        (d, _n(DCT.source), _iri("https://www.tweedekamer.nl/kamerstukken")),
        (d, _n(DCT.source), _iri("https://www.cbs.nl/")),
        (d, _n(DCT.source), _iri("https://standaarden.overheid.nl/tooi")),
    ]
    letters = {n.id: n for n in graph.nodes if "Letter" in n.labels}
    builder = RDFBuilder(base_iri)
    letter_dates = sorted(str(n.properties["date"]) for n in letters.values() if n.properties.get("date"))
    if letter_dates and _ISO_DATE.match(letter_dates[-1]):
        out.append((d, _n(DCT.temporal), ox.Literal(letter_dates[-1], datatype=_XSD_DATE)))
    for fmt in RDF_FORMATS.values():
        dist = _iri(f"{dataset_iri(base_iri)}/distribution/{fmt.name}")
        url = _iri(f"{root}rdf?format={fmt.name}")
        out += [
            (d, void("dataDump"), url),
            (d, dcat("distribution"), dist),
            (dist, _n(RDF.type), dcat("Distribution")),
            (dist, dcat("downloadURL"), url),
            (dist, dcat("accessURL"), url),
            (dist, dcat("mediaType"), _iri(IANA_MEDIA + fmt.media_type)),
            (dist, _n(DCT.format), ox.Literal(fmt.media_type)),
            (dist, _n(DCT.license), _iri(LICENSE)),
        ]
    service = _iri(root + "sparql")
    out += [
        (service, _n(RDF.type), dcat("DataService")),
        (service, dcat("endpointURL"), service),
        (service, dcat("servesDataset"), d),
        (d, dcat("distribution"), _iri(f"{dataset_iri(base_iri)}/distribution/sparql")),
        (_iri(f"{dataset_iri(base_iri)}/distribution/sparql"), _n(RDF.type), dcat("Distribution")),
        (_iri(f"{dataset_iri(base_iri)}/distribution/sparql"), dcat("accessService"), service),
        (_iri(f"{dataset_iri(base_iri)}/distribution/sparql"), dcat("accessURL"), service),
    ]
    for name, count in sorted(per_graph.items(), key=lambda item: item[0].value):
        slug = name.value[len(base_iri) :] if name.value.startswith(base_iri) else _digest(name.value)
        g = _iri(f"{dataset_iri(base_iri)}/graph/{slug}")
        out += [
            (d, _n(SD.namedGraph), g),
            (d, void("subset"), g),
            (g, _n(RDF.type), _n(SD.NamedGraph)),
            (g, _n(RDF.type), void("Dataset")),
            (g, _n(SD.name), name),
            (g, void("triples"), ox.Literal(count)),
        ]
        letter = next((lid for lid in letters if builder.node_iri(lid) == name), None)
        if letter is not None:
            out.append((g, _n(DCT.source), name))
            out.append(
                (g, _n(DCT.description), ox.Literal("De beweringen en citaten van één brief.", language="nl"))
            )
        elif name == builder.derived_graph:
            out.append(
                (
                    g,
                    _n(DCT.description),
                    ox.Literal("Afgeleide relaties (overlap uit gedeelde regio's).", language="nl"),
                )
            )
    return [ox.Quad(s, p, o, _DEFAULT) for s, p, o in out]


def quads_of(store: ox.Store, fmt: RdfFormat) -> Iterable[ox.Quad] | Iterable[ox.Triple]:
    if fmt.named_graphs:
        return store
    return (q.triple for q in store.quads_for_pattern(None, None, None, _DEFAULT))


def dump(store: ox.Store, fmt: str, output: Any = None) -> bytes | None:
    """The dump in one of RDF_FORMATS, written by pyoxigraph (to `output` when given, else returned)."""
    spec = RDF_FORMATS.get(fmt)
    if spec is None:
        raise UnknownFormat(fmt)
    return ox.serialize(quads_of(store, spec), output, format=spec.ox_format, prefixes=OX_PREFIXES)


def serialize(graph: Graph, fmt: str, base_iri: str) -> str:
    """The graph in one of FORMATS, as text."""
    if fmt == "json":
        return graph.to_json()
    if fmt not in RDF_FORMATS:
        raise UnknownFormat(fmt)
    body = dump(build_store(graph, base_iri), fmt)
    assert body is not None
    return body.decode("utf-8")


def write(store_or_graph: Any, fmt: str, path: Path) -> None:
    """Write a dump Store (or a model Graph for "json") to `path` atomically, so an earlier export is
    never left half-overwritten."""
    if fmt != "json" and fmt not in RDF_FORMATS:
        raise UnknownFormat(fmt)
    with atomic_path(path) as tmp:
        if fmt == "json":
            tmp.write_text(store_or_graph.to_json(), encoding="utf-8")
        else:
            with open(tmp, "wb") as out:
                dump(store_or_graph, fmt, out)


# -- rdflib views (pyshacl, tests) ----------------------------------------------------------------------
def to_rdf_graph(
    graph: Graph, base_iri: str, relationships: Iterable[Relationship] | None = None
) -> RDFGraph:
    """The dump's default graph (the merge of all graphs) as an rdflib Graph."""
    data = dump(build_store(graph, base_iri, relationships), "ntriples")
    g = RDFGraph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    return g.parse(data=data, format="nt")


def to_dataset(graph: Graph, base_iri: str, relationships: Iterable[Relationship] | None = None) -> Dataset:
    """The dump with its named graphs as an rdflib Dataset."""
    data = dump(build_store(graph, base_iri, relationships), "nquads")
    ds = Dataset()
    ds.parse(data=io.BytesIO(data or b"").getvalue(), format="nquads")
    return ds


# -- link targets ---------------------------------------------------------------------------------------
def _tooi_iri(value: str) -> ox.NamedNode | None:
    if value.startswith(("http://", "https://")):
        return _iri(value)
    for prefix, kind in _TOOI_KINDS:
        if value.startswith(prefix):
            return _n(TOOI[f"{kind}/{value}"])
    return None


def _wikidata_iri(value: str) -> ox.NamedNode | None:
    if value.startswith(("http://", "https://")):
        return _iri(value)
    return _n(WD[value]) if re.fullmatch(r"Q\d+", value) else None


# -- Linked Data: what /id/... answers ------------------------------------------------------------------
def describe(store: ox.Store, iri: str) -> list[ox.Triple]:
    """The description of one resource in the dump's default graph: every triple with it as subject or
    object, and the skos:prefLabel of each resource those triples link to (so a client can show them).
    Empty when the dump does not name the resource."""
    node = ox.NamedNode(iri)
    default = ox.DefaultGraph()
    triples = [q.triple for q in store.quads_for_pattern(node, None, None, default)]
    triples += [q.triple for q in store.quads_for_pattern(None, None, node, default)]
    pref_label = _n(SKOS.prefLabel)
    linked = {t.object for t in triples if isinstance(t.object, ox.NamedNode) and t.object != node}
    linked |= {t.subject for t in triples if isinstance(t.subject, ox.NamedNode) and t.subject != node}
    for other in linked:
        triples += [q.triple for q in store.quads_for_pattern(other, pref_label, None, default)]
    return list(dict.fromkeys(triples))


def node_id_of(store: ox.Store, iri: str) -> str | None:
    """The graph's node id (rg:nodeId) of the resource with this IRI, if it is a node."""
    for q in store.quads_for_pattern(ox.NamedNode(iri), _n(RG.nodeId), None, ox.DefaultGraph()):
        if isinstance(q.object, ox.Literal):
            return q.object.value
    return None


def serialize_triples(triples: Iterable[ox.Triple], fmt: str) -> bytes:
    """Triples in one of the triple formats (or TriG/N-Quads/JSON-LD, as a default graph)."""
    spec = RDF_FORMATS.get(fmt)
    if spec is None:
        raise UnknownFormat(fmt)
    body = ox.serialize(list(triples), format=spec.ox_format, prefixes=OX_PREFIXES)
    return body or b""
