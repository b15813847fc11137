"""The rg: vocabulary: graph/rg_namespace.py is generated from ontology.ttl and current, every term is
defined (labels and comments in Dutch and English, rdfs:isDefinedBy), and the ontology keeps to what an
OWL 2 DL profile check asks (declared terms, no punning of datatype and annotation properties)."""

from __future__ import annotations

from pathlib import Path

from rdflib import BNode, Literal, URIRef
from rdflib import Graph as RDFGraph

from graph import namespace_gen, rdf
from graph.rg_namespace import ONTOLOGY_TURTLE, RG
from graph.vocab import OWL, RDF, RDFS

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = ROOT / "ontology.ttl"
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def _ontology() -> RDFGraph:
    return RDFGraph().parse(ONTOLOGY)


def test_generated_namespace_is_current() -> None:
    expected = namespace_gen.render(ONTOLOGY.read_text(encoding="utf-8"))
    assert (ROOT / "graph" / "rg_namespace.py").read_text(encoding="utf-8") == expected, (
        "graph/rg_namespace.py is stale: run python -m graph.namespace_gen"
    )
    assert ONTOLOGY_TURTLE == ONTOLOGY.read_text(encoding="utf-8")


def test_namespace_is_closed_and_complete() -> None:
    g = _ontology()
    declared = {
        str(t)[len(str(RG)) :]
        for kind in KINDS
        for t in g.subjects(RDF.type, kind)
        if isinstance(t, URIRef) and str(t).startswith(str(RG))
    }
    assert declared == {name for _, name, _ in namespace_gen.terms(g)}
    for name in declared:
        assert RG[name] == URIRef(str(RG) + name)


def test_every_term_is_defined() -> None:
    g = _ontology()
    for _, name, _ in namespace_gen.terms(g):
        term = RG[name]
        for predicate in (RDFS.label, RDFS.comment):
            languages = {lit.language for lit in g.objects(term, predicate) if isinstance(lit, Literal)}
            assert {"nl", "en"} <= languages, (name, predicate)
        assert (term, RDFS.isDefinedBy, URIRef(str(RG))) in g, name


def test_properties_have_domains_and_ranges() -> None:
    g = _ontology()
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in g.subjects(RDF.type, kind):
            if not str(prop).startswith(str(RG)):
                continue
            assert g.value(prop, RDFS.range) is not None, prop
            if prop not in (RG.nodeId, RG.kind, RG.source):  # on every kind of node
                assert g.value(prop, RDFS.domain) is not None, prop


def test_ontology_keeps_to_owl2_dl() -> None:
    """What the OWL API's DL profile checker would flag, checked on the RDF: one kind per property IRI,
    no reserved vocabulary as a superclass, every IRI used in an axiom declared."""
    g = _ontology()
    kinds: dict[URIRef, set] = {}
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty):
        for prop in g.subjects(RDF.type, kind):
            kinds.setdefault(prop, set()).add(kind)
    assert not {p: k for p, k in kinds.items() if len(k) > 1}
    assert not list(g.triples((None, RDFS.subClassOf, RDF.Statement)))
    declared = {s for kind in KINDS for s in g.subjects(RDF.type, kind)} | {OWL.Thing}
    for axiom in (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain):
        for s, o in g.subject_objects(axiom):
            for term in (s, o):
                if isinstance(term, URIRef):
                    assert term in declared, (axiom, term)
    datatypes = {o for o in g.objects(None, RDFS.range) if isinstance(o, URIRef)} - declared
    assert all(str(d).startswith(("http://www.w3.org/2001/XMLSchema#", str(RDFS))) for d in datatypes)
    assert not [
        o for o in g.objects(None, RDFS.range) if isinstance(o, BNode) and not g.value(o, OWL.unionOf)
    ]


def test_exporter_terms_are_all_declared() -> None:
    # RG is closed: building these tables would have raised at import; the tables name no other prefix
    terms = [t for t, _ in rdf.NODE_PROPERTIES.values()] + [t for t, _ in rdf.REL_PROPERTIES.values()]
    assert all(isinstance(t, URIRef) for t in terms)
    g = _ontology()
    for term in terms:
        if str(term).startswith(str(RG)):
            assert any((term, RDF.type, kind) in g for kind in KINDS), term
