"""RDF export: ontology coverage of the schema, SHACL conformance, round trips through an
independent parser (pyoxigraph), and SPARQL over the letters' named graphs."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from factories import LETTER_004, NPVR_REGIONS, corpus_dir, letter_text, sample_graph
from pyshacl import validate
from rdflib import Graph as RDFGraph
from rdflib import Literal, URIRef

from graph import schema
from graph.model import Graph, merge_graphs
from graph.rdf import FORMATS, RDFBuilder, UnknownFormat, build, serialize, to_dataset, to_rdf_graph, write
from graph.vocab import OWL, RDF, RDFS, RG, SH, class_term, property_term

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://regiograph.nl/id/"


@pytest.fixture(scope="module")
def ontology() -> RDFGraph:
    return RDFGraph().parse(ROOT / "ontology.ttl")


@pytest.fixture(scope="module")
def shapes() -> RDFGraph:
    return RDFGraph().parse(ROOT / "graph" / "shapes.ttl")


@pytest.fixture(scope="module")
def graph() -> Graph:
    return sample_graph()


def conforms(data: RDFGraph, shapes: RDFGraph, ontology: RDFGraph) -> tuple[bool, str]:
    ok, _, text = validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True)
    return ok, text


# -- ontology -------------------------------------------------------------------------------------
def test_ontology_covers_every_schema_label(ontology):
    for label, spec in schema.schema()["labels"].items():
        cls = class_term(label)
        assert (cls, RDF.type, OWL.Class) in ontology, label
        names = {(lit.language, str(lit)) for lit in ontology.objects(cls, RDFS.label)}
        assert ("nl", spec["nl"]) in names and ("en", spec["en"]) in names, label


def test_ontology_covers_every_relationship_type(ontology):
    for rel_type, spec in schema.schema()["relationships"].items():
        prop = property_term(rel_type)
        assert (prop, RDF.type, OWL.ObjectProperty) in ontology, rel_type
        assert (prop, RG.relationshipType, Literal(rel_type)) in ontology
        names = {(lit.language, str(lit)) for lit in ontology.objects(prop, RDFS.label)}
        assert ("nl", spec["nl"]) in names and ("en", spec["en"]) in names, rel_type
        for axis, key in ((RDFS.domain, "from"), (RDFS.range, "to")):
            declared = _classes(ontology, ontology.value(prop, axis))
            assert declared == {class_term(label) for label in spec[key]}, (rel_type, key)
        symmetric = (prop, RDF.type, OWL.SymmetricProperty) in ontology
        assert symmetric == bool(spec.get("symmetric")), rel_type


def test_ontology_declares_nothing_outside_the_schema(ontology):
    labels = {class_term(label) for label in schema.labels()} | {RG.Assertion, RG.Evidence}
    types = {property_term(t) for t in schema.relationship_types()} | {RG.evidence, RG.letter}
    assert {c for c in ontology.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)} == labels
    assert set(ontology.subjects(RDF.type, OWL.ObjectProperty)) == types


def test_shapes_allow_exactly_the_schema_predicates(shapes):
    listed = set()
    for node in shapes.objects(None, SH["in"]):
        listed |= set(shapes.items(node))
    assert listed == {property_term(t) for t in schema.relationship_types()}


def _classes(ontology: RDFGraph, term) -> set:
    union = ontology.value(term, OWL.unionOf)
    return set(ontology.items(union)) if union is not None else {term}


# -- export content -------------------------------------------------------------------------------
def test_iris_are_stable_and_typed(graph):
    g = to_rdf_graph(graph, BASE)
    npvr = URIRef(BASE + "programme/npvr")
    assert (npvr, RDF.type, RG.Programme) in g
    zeeland = URIRef(BASE + "province/zeeland")
    assert {RG.Region, RG.Province} <= set(g.objects(zeeland, RDF.type))
    assert URIRef("https://identifier.overheid.nl/tooi/id/provincie/pv29") in set(
        g.objects(zeeland, OWL.sameAs)
    )
    assert URIRef("http://www.wikidata.org/entity/Q705") in set(g.objects(zeeland, OWL.sameAs))
    vro = URIRef(BASE + "ministry/vro")
    assert (vro, OWL.sameAs, URIRef("https://identifier.overheid.nl/tooi/id/ministerie/mnre1171")) in g
    letter = URIRef(BASE + "letter/2024D51884")
    assert (
        letter,
        RDFS.seeAlso,
        URIRef("https://www.tweedekamer.nl/kamerstukken/brieven_regering/detail?did=2024D51884"),
    ) in g
    doc = URIRef(BASE + "document/29697-142")
    assert (doc, RDFS.seeAlso, URIRef("https://zoek.officielebekendmakingen.nl/kst-29697-142.html")) in g
    # the same graph built twice names every resource the same way
    assert set(g) == set(to_rdf_graph(sample_graph(), BASE))


def test_every_relationship_is_a_direct_triple_and_an_assertion(graph):
    g = to_rdf_graph(graph, BASE)
    builder = RDFBuilder(BASE)
    for rel in graph.relationships:
        s, p, o = builder.node_iri(rel.start), property_term(rel.type), builder.node_iri(rel.end)
        assert (s, p, o) in g, rel.key
        a = builder.assertion_iri(rel)
        assert (a, RDF.subject, s) in g and (a, RDF.predicate, p) in g and (a, RDF.object, o) in g
        assert (a, RG.derived, Literal(rel.derived)) in g
        assert len(set(g.objects(a, RG.evidence))) == len(rel.evidence)


def test_evidence_offsets_point_at_the_quote_in_the_letter(graph):
    g = to_rdf_graph(graph, BASE)
    evidences = list(g.subjects(RDF.type, RG.Evidence))
    assert len(evidences) == len(
        {(r.key, e.letter, e.start) for r in graph.relationships for e in r.evidence}
    )
    for e in evidences:
        text = letter_text(str(g.value(e, RG.source)))
        start, end = g.value(e, RG.start).toPython(), g.value(e, RG.end).toPython()
        assert text[start:end] == str(g.value(e, RG.quote))


def test_export_conforms_to_shapes(graph, shapes, ontology):
    ok, report = conforms(to_rdf_graph(graph, BASE), shapes, ontology)
    assert ok, report


def test_shapes_reject_broken_exports(graph, shapes, ontology):
    g = to_rdf_graph(graph, BASE)
    npvr = URIRef(BASE + "programme/npvr")
    g.add((npvr, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), Literal("Tweede naam")))
    evidence = next(g.subjects(RDF.type, RG.Evidence))
    g.remove((evidence, RG.quote, None))
    assertion = next(g.subjects(RDF.type, RG.Assertion))
    g.remove(
        (g.value(assertion, RDF.subject), g.value(assertion, RDF.predicate), g.value(assertion, RDF.object))
    )
    ok, report = conforms(g, shapes, ontology)
    assert not ok
    assert "prefLabel" in report and "rg:quote" in report.replace(str(RG), "rg:")
    assert "not stated as a triple" in report


# -- formats and round trips ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fmt", "ox_format", "named"),
    [
        ("turtle", ox.RdfFormat.TURTLE, False),
        ("ntriples", ox.RdfFormat.N_TRIPLES, False),
        ("trig", ox.RdfFormat.TRIG, True),
        ("nquads", ox.RdfFormat.N_QUADS, True),
    ],
)
def test_serialisations_parse_back_with_oxigraph(graph, fmt, ox_format, named):
    rdf = build(graph, fmt, BASE)
    expected = sum(1 for _ in rdf.quads()) if named else len(rdf)
    text = serialize(graph, fmt, BASE)
    parsed = list(ox.parse(io.BytesIO(text.encode("utf-8")), format=ox_format))
    assert len(parsed) == expected
    assert len(set(parsed)) == expected
    if named:
        graphs = {q.graph_name for q in parsed if not isinstance(q.graph_name, ox.DefaultGraph)}
        letters = {ox.NamedNode(BASE + "letter/" + lid.split(":")[1]) for lid in graph.letter_ids()}
        assert graphs == letters | {ox.NamedNode(BASE + "graph/derived")}


def test_jsonld_parses_back_to_the_same_triples(graph):
    text = serialize(graph, "jsonld", BASE)
    back = RDFGraph().parse(data=text, format="json-ld")
    assert set(back) == set(to_rdf_graph(graph, BASE))


def test_json_format_is_the_interchange_json(graph, tmp_path):
    out = tmp_path / "g.json"
    write(graph, "json", out)
    assert Graph.model_validate(json.loads(out.read_text(encoding="utf-8"))) == graph


def test_unknown_format_lists_the_valid_ones(graph):
    with pytest.raises(UnknownFormat) as err:
        serialize(graph, "rdfxml", BASE)
    assert all(f in str(err.value) for f in FORMATS)


def test_write_does_not_clobber_on_failure(graph, tmp_path):
    out = tmp_path / "export.ttl"
    out.write_text("earlier export", encoding="utf-8")

    class Broken:
        def serialize(self, **_):
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write(Broken(), "turtle", out)
    assert out.read_text(encoding="utf-8") == "earlier export"
    assert [p.name for p in tmp_path.iterdir()] == ["export.ttl"]


# -- SPARQL over named graphs -----------------------------------------------------------------------------
NPVR_COVERAGE = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rg: <https://regiograph.nl/def/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?regionName ?letter ?quote WHERE {
  ?programme skos:prefLabel ?programmeName ; skos:altLabel "NPVR" .
  ?region skos:prefLabel ?regionName .
  GRAPH ?letter {
    ?programme rg:covers ?region .
    ?a rdf:subject ?programme ; rdf:predicate rg:covers ; rdf:object ?region ; rg:evidence ?e .
    ?e rg:quote ?quote .
  }
} ORDER BY ?regionName
"""


def test_sparql_which_regions_npvr_covers_by_letter_and_quote(graph):
    store = ox.Store()
    store.load(serialize(graph, "trig", BASE).encode("utf-8"), format=ox.RdfFormat.TRIG)
    rows = [(s["regionName"].value, s["letter"].value, s["quote"].value) for s in store.query(NPVR_COVERAGE)]
    covered = {r.end for r in graph.relationships if r.type == "COVERS" and r.start == "programme:npvr"}
    names = {n.id: n.name for n in graph.nodes}
    assert sorted(r[0] for r in rows) == sorted(names[c] for c in covered)
    assert {r[1] for r in rows} == {BASE + "letter/2024D51884"}
    text = letter_text(LETTER_004)
    for region, _, quote in rows:
        assert quote in text and region.split("-")[0] in quote


def test_rdflib_dataset_answers_the_same_query(graph):
    ds = to_dataset(graph, BASE)
    rows = {(str(r.regionName), str(r.letter)) for r in ds.query(NPVR_COVERAGE)}
    assert len(rows) == len(NPVR_REGIONS)


def test_letters_supporting_a_claim_are_all_listed(graph):
    store = ox.Store()
    store.load(serialize(graph, "nquads", BASE).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    query = """PREFIX rg: <https://regiograph.nl/def/>
        SELECT DISTINCT ?letter WHERE { GRAPH ?letter { ?p rg:holdsOffice ?m } }"""
    letters = {s["letter"].value for s in store.query(query)}
    assert letters == {BASE + "letter/2024D51884", BASE + "letter/ee15c5c2748eb14b"}


def test_derived_relationships_live_in_the_derived_graph(graph):
    ds = to_dataset(graph, BASE)
    derived = ds.graph(URIRef(BASE + "graph/derived"))
    assert (URIRef(BASE + "programme/npvr"), RG.overlaps, URIRef(BASE + "programme/novex")) in derived
    assert (
        URIRef(BASE + "programme/npvr"),
        RG.overlaps,
        URIRef(BASE + "programme/novex"),
    ) not in ds.default_graph
    shared = {
        o
        for a in derived.subjects(RG.relationshipType, Literal("OVERLAPS"))
        for o in derived.objects(a, RG.shared)
    }
    assert shared == {URIRef(BASE + "region/zuid-limburg"), URIRef(BASE + "region/zeeuws-vlaanderen")}


# -- the real corpus -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def corpus_graph() -> Graph:
    pipeline = pytest.importorskip("ingest.pipeline", reason="ingest.pipeline.extract_file not available yet")
    files = sorted(corpus_dir().glob("*.txt"))
    merged = merge_graphs([pipeline.extract_file(f) for f in files])
    assert len(merged.letter_ids()) == len(files)
    return merged


def test_corpus_export_conforms_to_shapes(corpus_graph, shapes, ontology):
    ids = {n.id for n in corpus_graph.nodes}
    dangling = sorted(
        {(r.type, r.start, r.end) for r in corpus_graph.relationships if not {r.start, r.end} <= ids}
    )
    assert not dangling, f"relationships whose end nodes the extraction did not emit: {dangling}"
    ok, report = conforms(to_rdf_graph(corpus_graph, BASE), shapes, ontology)
    assert ok, report[:5000]


def test_corpus_trig_round_trip_and_npvr_query(corpus_graph):
    text = serialize(corpus_graph, "trig", BASE)
    parsed = list(ox.parse(io.BytesIO(text.encode("utf-8")), format=ox.RdfFormat.TRIG))
    assert len(parsed) == sum(1 for _ in build(corpus_graph, "trig", BASE).quads())
    store = ox.Store()
    store.extend(parsed)
    rows = [(s["regionName"].value, s["letter"].value, s["quote"].value) for s in store.query(NPVR_COVERAGE)]
    names = {n.id: n.name for n in corpus_graph.nodes}
    covered = {
        names[r.end] for r in corpus_graph.relationships if r.type == "COVERS" and r.start == "programme:npvr"
    }
    assert covered and {r[0] for r in rows} == covered
    sources = {e.letter: e.source for r in corpus_graph.relationships for e in r.evidence}
    for _, letter, quote in rows:
        letter_id = "letter:" + letter.rsplit("/", 1)[1]
        assert quote in (corpus_dir() / sources[letter_id]).read_text(encoding="utf-8")
