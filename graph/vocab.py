"""Every RDF namespace RegioGraph uses, and the mapping from schema names to ontology terms."""

from __future__ import annotations

import re

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD

from graph.rg_namespace import RG

ORG = Namespace("http://www.w3.org/ns/org#")
PERSON = Namespace("http://www.w3.org/ns/person#")
OPENGOV = Namespace("http://www.w3.org/ns/opengov#")
SCHEMA = Namespace("https://schema.org/")
TOOIONT = Namespace("https://identifier.overheid.nl/tooi/def/ont/")
WD = Namespace("http://www.wikidata.org/entity/")
TOOI = Namespace("https://identifier.overheid.nl/tooi/id/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VANN = Namespace("http://purl.org/vocab/vann/")
DCT = DCTERMS
# The ontology's own IRI (also its namespace): what `/def/` serves.
ONTOLOGY_IRI = str(RG)

# Public pages of Tweede Kamer documents (see /work/shared/design/identifiers.md).
TK_LETTER_PAGE = "https://www.tweedekamer.nl/kamerstukken/brieven_regering/detail?did={number}"
OB_KAMERSTUK_PAGE = "https://zoek.officielebekendmakingen.nl/kst-{dossier}-{number}.html"

PREFIXES: dict[str, Namespace] = {
    "rg": Namespace(str(RG)),
    "org": ORG,
    "person": PERSON,
    "opengov": OPENGOV,
    "prov": Namespace(str(PROV)),
    "dct": Namespace(str(DCT)),
    "skos": Namespace(str(SKOS)),
    "foaf": Namespace(str(FOAF)),
    "schema": SCHEMA,
    "tooiont": TOOIONT,
    "owl": Namespace(str(OWL)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "xsd": Namespace(str(XSD)),
    "sh": Namespace(str(SH)),
    "wd": WD,
    "void": Namespace(str(VOID)),
    "dcat": Namespace(str(DCAT)),
    "sd": SD,
}


def bind_prefixes(graph) -> None:
    """Bind the project prefixes on an rdflib Graph or Dataset (for readable Turtle/TriG)."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)


# Labels renamed in the schema whose class kept the new name (decisions.md D5: Document -> Kamerstuk).
_CLASS_ALIASES = {"Document": "Kamerstuk"}


def class_term(label: str) -> URIRef:
    """Ontology class for a schema label: Programme -> rg:Programme. A label the ontology does not
    declare raises AttributeError (RG is a closed DefinedNamespace)."""
    return RG[_CLASS_ALIASES.get(label, label)]


def camel_case(name: str) -> str:
    """snake_case (or SCREAMING_SNAKE) to camelCase, the form of the ontology's terms: shared_regions ->
    sharedRegions, PARTICIPATES_IN -> participatesIn."""
    head, *rest = name.split("_")
    if name.isupper():
        head, rest = head.lower(), [part.lower() for part in rest]
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def property_name(rel_type: str) -> str:
    """Ontology property name for a relationship type: PARTICIPATES_IN -> participatesIn."""
    return camel_case(rel_type)


def property_term(rel_type: str) -> URIRef:
    """Ontology property for a relationship type: COVERS -> rg:covers (AttributeError when undeclared)."""
    return RG[property_name(rel_type)]


_SLUG_UNSAFE = re.compile(r"[^A-Za-z0-9._~\-]")


def iri_segment(text: str) -> str:
    """A path segment that is safe in IRIs and Turtle local names (percent-encoding other characters)."""
    return _SLUG_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), text)
