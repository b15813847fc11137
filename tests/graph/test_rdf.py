"""RDF export: ontology coverage of the schema, SHACL conformance (stated and derived relationships),
one dump equal in every format (pyoxigraph writes, pyoxigraph and rdflib read back), links out with
skos:exactMatch/closeMatch, the dataset description, and SPARQL over the letters' named graphs."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest
from factories import LETTER_004, NPVR_REGIONS, corpus_dir, evidence, letter_text, sample_graph
from pyshacl import validate
from rdflib import Dataset, Literal, URIRef
from rdflib import Graph as RDFGraph

from graph import rdf_parts, rdf_stream, schema
from graph.derive import derive_all
from graph.model import Graph, Node, Relationship, merge_graphs
from graph.rdf import (
    FORMATS,
    LINK_STAND_INS,
    NODE_PROPERTIES,
    RDF_FORMATS,
    RDFBuilder,
    UnknownFormat,
    build_store,
    dump,
    serialize,
    to_dataset,
    to_rdf_graph,
    write,
)
from graph.rdf_stream import DumpStats, DumpStream, load_store, stream_dump, write_graph
from graph.vocab import DCT, OWL, RDF, RDFS, RG, SH, SKOS, XSD, class_term, property_term

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://regiograph.nl/id/"
VOID = "http://rdfs.org/ns/void#"
RDFLIB_FORMATS = {
    "turtle": "turtle",
    "ntriples": "nt",
    "rdfxml": "xml",
    "trig": "trig",
    "nquads": "nquads",
    "jsonld": "json-ld",
}


@pytest.fixture(scope="module")
def ontology() -> RDFGraph:
    return RDFGraph().parse(ROOT / "ontology.ttl")


@pytest.fixture(scope="module")
def shapes() -> RDFGraph:
    return RDFGraph().parse(ROOT / "graph" / "shapes.ttl")


@pytest.fixture(scope="module")
def graph() -> Graph:
    """The sample graph plus a stated OVERLAPS between the two programmes the derived one links."""
    g = sample_graph()
    g.relationships.append(
        Relationship(
            type="OVERLAPS",
            start="programme:npvr",
            end="programme:novex",
            evidence=[evidence(LETTER_004, "In het NOVEX-gebied Zuid-Limburg")],
        )
    )
    return g


def conforms(data: RDFGraph, shapes: RDFGraph, ontology: RDFGraph) -> tuple[bool, str]:
    ok, _, text = validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True)
    return ok, text


def u(path: str) -> URIRef:
    return URIRef(BASE + path)


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
    ours = [c for c in ontology.subjects(RDF.type, OWL.Class) if str(c).startswith(str(RG))]
    labels = {class_term(label) for label in schema.labels()} | {RG.Assertion, RG.Evidence}
    assert set(ours) == labels
    links = {RG.evidence, RG.letter, RG.sharedRegions}
    ours = {p for p in ontology.subjects(RDF.type, OWL.ObjectProperty) if str(p).startswith(str(RG))}
    assert ours == {property_term(t) for t in schema.relationship_types()} | links


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
    npvr = u("programme/npvr")
    assert (npvr, RDF.type, RG.Programme) in g
    assert (npvr, SKOS.prefLabel, Literal("Nationaal Programma Vitale Regio's", lang="nl")) in g
    zeeland = u("province/zeeland")
    assert {RG.Region, RG.Province} <= set(g.objects(zeeland, RDF.type))
    # a province is an area: the Wikidata territory is the same, the TOOI organisation governs it
    assert (zeeland, SKOS.exactMatch, URIRef("http://www.wikidata.org/entity/Q705")) in g
    assert (zeeland, SKOS.closeMatch, URIRef("https://identifier.overheid.nl/tooi/id/provincie/pv29")) in g
    assert (zeeland, RG.cbsCode, Literal("PV29")) in g
    vro = u("ministry/vro")
    assert (vro, SKOS.exactMatch, URIRef("https://identifier.overheid.nl/tooi/id/ministerie/mnre1171")) in g
    nedersaksen = u("neighbouringstate/nedersaksen")
    assert (nedersaksen, SKOS.closeMatch, URIRef("http://www.wikidata.org/entity/Q1197")) in g
    assert not list(g.triples((None, OWL.sameAs, None)))
    letter = u("letter/2024D51884")
    assert (
        letter,
        RDFS.seeAlso,
        URIRef("https://www.tweedekamer.nl/kamerstukken/brieven_regering/detail?did=2024D51884"),
    ) in g
    assert (letter, RG.documentNumber, Literal("2024D51884")) in g
    assert (letter, DCT.isPartOf, u("dossier/29697")) in g
    # Kamerstukken: the class and the IRI type follow decisions.md D5, the key stays the node id's
    doc = u("kamerstuk/29697-142")
    assert (doc, RDF.type, RG.Kamerstuk) in g
    assert (doc, RDFS.seeAlso, URIRef("https://zoek.officielebekendmakingen.nl/kst-29697-142.html")) in g
    assert (doc, DCT.identifier, Literal("kst-29697-142")) in g
    assert (doc, RG.volgnummer, Literal("142")) in g
    # the same graph built twice names every resource the same way
    assert set(g) - _description(g) == set(to_rdf_graph(graph, BASE)) - _description(g)


def _description(g: RDFGraph) -> set:
    """The dataset description's triples (its creation date and version change between builds)."""
    return {t for t in g if str(t[0]).startswith(BASE + "dataset")}


def test_every_relationship_is_a_direct_triple_and_an_assertion(graph):
    g = to_rdf_graph(graph, BASE)
    builder = RDFBuilder(BASE)
    for rel in graph.relationships:
        s, p, o = (
            URIRef(builder.node_iri(rel.start).value),
            property_term(rel.type),
            URIRef(builder.node_iri(rel.end).value),
        )
        assert (s, p, o) in g, rel.key
        a = URIRef(builder.assertion_iri(rel).value)
        assert (a, RDF.subject, s) in g and (a, RDF.predicate, p) in g and (a, RDF.object, o) in g
        assert list(g.objects(a, RG.derived)) == [Literal(rel.derived)]
        assert len(set(g.objects(a, RG.evidence))) == len(rel.evidence)


def test_stated_and_derived_are_distinct_assertions(graph, shapes, ontology):
    g = to_rdf_graph(graph, BASE)
    overlaps = [a for a in g.subjects(RDF.predicate, RG.overlaps)]
    assert len(overlaps) == 2
    assert sorted(g.value(a, RG.derived).toPython() for a in overlaps) == [False, True]
    derived = next(a for a in overlaps if g.value(a, RG.derived).toPython())
    assert set(g.objects(derived, RG.sharedRegions)) == {
        u("region/zuid-limburg"),
        u("region/zeeuws-vlaanderen"),
    }
    assert g.value(derived, RG.jaccard) == Literal("0.4", datatype=XSD.decimal)
    # PROV: the derived overlap comes from the COVERS assertions of the shared regions
    sources = set(g.objects(derived, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")))
    assert len(sources) == 4 and all((s, RDF.predicate, RG.covers) in g for s in sources)


def test_evidence_offsets_point_at_the_quote_in_the_letter(graph):
    g = to_rdf_graph(graph, BASE)
    evidences = list(g.subjects(RDF.type, RG.Evidence))
    assert len(evidences) == len(
        {(r.key, e.letter, e.start) for r in graph.relationships for e in r.evidence}
    )
    for e in evidences:
        text = letter_text(str(g.value(e, RG.source)))
        start, end = g.value(e, RG.start).toPython(), g.value(e, RG.end).toPython()
        quote = g.value(e, RG.quote)
        assert quote.language == "nl" and text[start:end] == str(quote)


def test_export_conforms_to_shapes(graph, shapes, ontology):
    ok, report = conforms(to_rdf_graph(graph, BASE), shapes, ontology)
    assert ok, report


def test_shapes_reject_broken_exports(graph, shapes, ontology):
    g = to_rdf_graph(graph, BASE)
    npvr = u("programme/npvr")
    g.add((npvr, SKOS.prefLabel, Literal("Tweede naam", lang="nl")))
    g.add((npvr, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q1")))
    evidence_node = next(g.subjects(RDF.type, RG.Evidence))
    g.remove((evidence_node, RG.quote, None))
    assertion = next(g.subjects(RDF.type, RG.Assertion))
    g.remove(
        (g.value(assertion, RDF.subject), g.value(assertion, RDF.predicate), g.value(assertion, RDF.object))
    )
    ok, report = conforms(g, shapes, ontology)
    assert not ok
    assert "prefLabel" in report and "rg:quote" in report.replace(str(RG), "rg:")
    assert "not stated as a triple" in report and "never owl:sameAs" in report


def test_undeclared_terms_fail_loudly():
    with pytest.raises(AttributeError):
        RG.sharedRegionz  # noqa: B018
    with pytest.raises(AttributeError):
        class_term("Unicorn")


def test_unmapped_properties_stay_out_of_the_rdf(caplog):
    g = Graph.model_validate(
        {
            "nodes": [
                {
                    "id": "programme:x",
                    "labels": ["Programme"],
                    "name": "X",
                    "properties": {"colour_of_logo": "blue", "signatories": ["A"], "kind": "programma"},
                }
            ]
        }
    )
    store = build_store(g, BASE)
    predicates = {q.predicate.value for q in store}
    assert str(RG.kind) in predicates
    assert not any("colour" in p.lower() or "signator" in p.lower() for p in predicates)
    assert "colour_of_logo" in caplog.text


# -- one dump, equal in every format ------------------------------------------------------------------
def _ox_quads(store: ox.Store, named: bool) -> set:
    if named:
        return set(store)
    return {
        ox.Quad(q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    }


def _rdflib_quads(text: bytes, fmt: str) -> set:
    if RDF_FORMATS[fmt].named_graphs:
        ds = Dataset()
        ds.parse(data=text, format=RDFLIB_FORMATS[fmt])
        return {(s, p, o, None if c == ds.default_graph.identifier else c) for s, p, o, c in ds.quads()}
    g = RDFGraph().parse(data=text, format=RDFLIB_FORMATS[fmt])
    return {(s, p, o, None) for s, p, o in g}


def _as_rdflib(term):
    from rdflib import BNode

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.DefaultGraph):
        return None
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def assert_isomorphic_formats(store: ox.Store) -> None:
    default = _ox_quads(store, named=False)
    assert default and len(store) > len(default)
    for name, fmt in RDF_FORMATS.items():
        body = dump(store, name)
        expected = _ox_quads(store, fmt.named_graphs)
        back = {
            q if fmt.named_graphs else ox.Quad(q.subject, q.predicate, q.object)
            for q in ox.parse(body, format=fmt.ox_format)
        }
        assert back == expected, name
        # an independent reader agrees, literals compared as RDF terms (lexical form, datatype, language)
        rdflib_back = _rdflib_quads(body, name)
        assert rdflib_back == {
            tuple(_as_rdflib(t) for t in (q.subject, q.predicate, q.object, q.graph_name)) for q in expected
        }, name
    # the default graph is the merge of the named graphs and the default graph's own triples
    named = {
        ox.Quad(q.subject, q.predicate, q.object)
        for q in store
        if not isinstance(q.graph_name, ox.DefaultGraph)
    }
    assert named <= default


def test_every_format_holds_the_same_quads(graph):
    assert_isomorphic_formats(build_store(graph, BASE))


def test_literals_keep_their_datatypes(graph):
    store = build_store(graph, BASE)
    text = dump(store, "ntriples").decode("utf-8")
    assert '"false"^^<http://www.w3.org/2001/XMLSchema#boolean>' in text
    assert '"0.4"^^<http://www.w3.org/2001/XMLSchema#decimal>' in text
    assert "^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>" not in text  # the store's integers
    assert '"2024-12-20"^^<http://www.w3.org/2001/XMLSchema#date>' in text


def test_dataset_description_counts_the_named_graphs(graph):
    store = build_store(graph, BASE)
    rows = store.query(
        """PREFIX void: <http://rdfs.org/ns/void#> PREFIX sd: <http://www.w3.org/ns/sparql-service-description#>
        SELECT ?name ?n WHERE { <https://regiograph.nl/id/dataset> sd:namedGraph ?g . ?g sd:name ?name ;
        void:triples ?n }"""
    )
    counts = {r["name"].value: int(r["n"].value) for r in rows}
    letters = {BASE + "letter/" + lid.split(":")[1] for lid in graph.letter_ids()}
    assert set(counts) == letters | {BASE + "graph/derived"}
    for name, n in counts.items():
        assert n == sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(name)))
    ask = """PREFIX void: <http://rdfs.org/ns/void#> PREFIX dcat: <http://www.w3.org/ns/dcat#>
        PREFIX dct: <http://purl.org/dc/terms/>
        ASK { <https://regiograph.nl/id/dataset> a void:Dataset, dcat:Dataset ; dct:license ?l ;
              dct:created ?c ; dcat:version ?v ; void:sparqlEndpoint <https://regiograph.nl/sparql> ;
              void:dataDump <https://regiograph.nl/rdf?format=turtle> ; void:triples ?t }"""
    assert bool(store.query(ask))


def test_json_format_is_the_interchange_json(graph, tmp_path):
    out = tmp_path / "g.json"
    write(graph, "json", out)
    assert Graph.model_validate(json.loads(out.read_text(encoding="utf-8"))) == graph


def test_unknown_format_lists_the_valid_ones(graph):
    with pytest.raises(UnknownFormat) as err:
        serialize(graph, "rdfa", BASE)
    assert all(f in str(err.value) for f in FORMATS)


def test_write_does_not_clobber_on_failure(graph, tmp_path):
    out = tmp_path / "export.ttl"
    out.write_text("earlier export", encoding="utf-8")

    class Broken:
        def quads_for_pattern(self, *_):
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write(Broken(), "turtle", out)
    assert out.read_text(encoding="utf-8") == "earlier export"
    assert [p.name for p in tmp_path.iterdir()] == ["export.ttl"]


# -- the streamed dump: the same dataset as the Store's ------------------------------------------------
CREATED = date(2025, 1, 31)


def _repeating_graph(graph: Graph) -> Graph:
    """The fixture graph plus every way a statement can come twice: a relationship listed twice, a quote
    listed twice, a list property with a value twice, two node ids with one IRI (`document:` and
    `kamerstuk:`, D5) and relationships to each (one direct triple, two assertions), a relationship no
    letter states and one of a type the ontology does not have."""
    g = graph.model_copy(deep=True)
    l004, l002 = g.letter_ids()[0], g.letter_ids()[1]
    g.nodes += [
        Node(id="kamerstuk:29697-142", labels=["Kamerstuk"], name="Kamerstuk 29697-142"),
        Node(id="kamerstuk:29697-142", labels=["Kamerstuk"], name="Kamerstuk 29697-142"),
    ]
    twice = evidence(LETTER_004, "In het NOVEX-gebied Zuid-Limburg")
    g.relationships += [
        g.relationships[0].model_copy(deep=True),
        Relationship(type="REFERS_TO", start=l004, end="kamerstuk:29697-142", evidence=[twice, twice]),
        Relationship(
            type="OVERLAPS",
            start="programme:novex",
            end="programme:npvr",
            derived=True,
            properties={"shared_regions": ["region:zuid-limburg", "region:zuid-limburg"], "jaccard": 0.5},
        ),
        Relationship(
            type="PART_OF",
            start="region:twente",
            end="province:zeeland",
            properties={"approximate": True, "basis": "structure", "source": "regions.csv"},
        ),
        Relationship(type="FROBNICATES", start=l002, end="programme:npvr", evidence=[twice]),
    ]
    return g


def _read(body: bytes, fmt: str) -> list[ox.Quad]:
    spec = RDF_FORMATS[fmt]
    return [q if spec.named_graphs else ox.Quad(*q.triple) for q in ox.parse(body, format=spec.ox_format)]


def _streamed(graph: Graph, fmt: str, **kwargs) -> tuple[bytes, DumpStats]:
    out = io.BytesIO()
    stats = stream_dump(graph, BASE, fmt, out, created=CREATED, **kwargs)
    return out.getvalue(), stats


def assert_streamed_is_the_store_dump(graph: Graph) -> None:
    store = build_store(graph, BASE, created=CREATED)
    for name in RDF_FORMATS:
        body, stats = _streamed(graph, name)
        expected = set(_read(dump(store, name) or b"", name))
        written = _read(body, name)
        # the same quads, the description's counts and version included, each written once
        assert set(written) == expected, name
        if name in ("ntriples", "nquads"):
            assert len(written) == len(expected), name
        assert stats.written == len(expected), name
    default = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert stats.triples < default  # the data triples, without the description


@pytest.mark.parametrize("repeats", [False, True], ids=["fixture", "repeating"])
def test_streamed_dump_is_the_store_dump(graph, repeats):
    assert_streamed_is_the_store_dump(_repeating_graph(graph) if repeats else graph)


@pytest.mark.parametrize("repeats", [False, True], ids=["fixture", "repeating"])
def test_the_store_on_disk_holds_the_store_dump(graph, repeats, tmp_path: Path, monkeypatch):
    """load_store (the SPARQL endpoint's dataset) in batches of a few quads: the same quads, each once."""
    graph = _repeating_graph(graph) if repeats else graph
    monkeypatch.setattr(rdf_stream, "_LOAD_BATCH", 7)
    stats = load_store(graph, BASE, tmp_path / "dataset", created=CREATED)
    loaded = ox.Store.read_only(str(tmp_path / "dataset"))
    expected = build_store(graph, BASE, created=CREATED)
    assert set(loaded) == set(expected) and len(loaded) == len(expected) == stats.written


def test_streamed_named_graphs_come_one_at_a_time(graph):
    """Node descriptions first, then each named graph's quads together, followed by their
    default-graph copies (for fewer relationships than a chunk), then the description."""
    body, stats = _streamed(_repeating_graph(graph), "nquads")
    order = [q.graph_name for q in ox.parse(body, format=ox.RdfFormat.N_QUADS)]
    runs = [name for i, name in enumerate(order) if i == 0 or order[i - 1] != name]
    named_runs = [r for r in runs if isinstance(r, ox.NamedNode)]
    assert runs[0] == ox.DefaultGraph() and runs[-1] == ox.DefaultGraph()
    assert len(named_runs) == len(set(named_runs)) == len(stats.per_graph)
    assert all(n == sum(1 for g in order if g == name) for name, n in stats.per_graph.items())
    trig = _streamed(_repeating_graph(graph), "trig")[0].decode("utf-8")
    assert all(trig.count(f"<{name.value}> {{") <= 1 for name in stats.per_graph)


def test_version_names_the_content_in_every_format(graph):
    versions = set()
    for name in RDF_FORMATS:
        _, stats = _streamed(graph, name)
        versions.add(stats.version)
    changed = graph.model_copy(deep=True)
    changed.nodes[0].name += " (herzien)"
    assert len(versions) == 1
    assert versions != {_streamed(changed, "turtle")[1].version}
    assert versions != {stream_dump(graph, "https://example.org/id/", "turtle", io.BytesIO()).version}


def test_write_graph_is_atomic(graph, tmp_path):
    out = tmp_path / "export.nt"
    out.write_text("earlier export", encoding="utf-8")

    def failing():
        yield graph.relationships[0]
        raise RuntimeError("store went away")

    with pytest.raises(RuntimeError):
        write_graph(graph, BASE, "ntriples", out, failing())
    assert out.read_text(encoding="utf-8") == "earlier export"
    assert [p.name for p in tmp_path.iterdir()] == ["export.nt"]
    stats = write_graph(graph, BASE, "ntriples", out, created=CREATED)
    assert set(_read(out.read_bytes(), "ntriples")) == set(
        _read(dump(build_store(graph, BASE, created=CREATED), "ntriples") or b"", "ntriples")
    )
    assert stats.written == len(out.read_bytes().splitlines())
    with pytest.raises(UnknownFormat):
        write_graph(graph, BASE, "rdfa", out)


@pytest.mark.parametrize("fmt", ["ntriples", "nquads"])
@pytest.mark.parametrize("repeats", [False, True], ids=["fixture", "repeating"])
def test_line_formats_written_in_parts_are_the_bytes_one_process_writes(
    graph, repeats, fmt, tmp_path, monkeypatch, caplog
):
    """Worker processes write ranges of relationships (N-Triples) or of named graphs (N-Quads), a few
    each here, and the parent joins them: the same file, byte for byte, and the same counts, what two
    relationships share written once."""
    graph = _repeating_graph(graph) if repeats else graph
    monkeypatch.setattr(rdf_parts, "MIN_RELATIONSHIPS", 1)
    monkeypatch.setattr(rdf_parts, "PARTS_PER_JOB", 3)
    one, parts = tmp_path / "one", tmp_path / "parts"
    expected = write_graph(graph, BASE, fmt, one, created=CREATED)
    reported: list[int] = []
    with caplog.at_level("INFO", logger="graph.rdf_parts"):
        stats = write_graph(graph, BASE, fmt, parts, created=CREATED, jobs=2, progress=reported.append)
    ranges = int(re.search(r"in (\d+) ranges with 2 processes", caplog.text).group(1))
    assert ranges >= 2  # six for N-Triples; N-Quads has a range per named graph at most
    assert parts.read_bytes() == one.read_bytes()
    assert stats == expected and stats.written == len(one.read_bytes().splitlines())
    assert sum(reported) == len(graph.relationships) and len(reported) == ranges
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one", "parts"]  # no part left behind
    stream = DumpStream(graph, BASE, fmt == "nquads")
    assert list(stream) and (stream.copies_deferred if fmt == "nquads" else stream.deferred)  # shared triples


def test_ranges_of_equal_weight_cover_every_item_once():
    assert rdf_parts._ranges([1, 2, 3, 4, 5, 6], 3) == [(0, 2), (2, 4), (4, 6)]
    assert rdf_parts._ranges([6, 7, 8, 9, 10], 3) == [(0, 1), (1, 2), (2, 5)]  # the heavy first item alone
    assert rdf_parts._ranges([1, 2], 8) == [(0, 1), (1, 2)]  # never an empty range
    assert rdf_parts._ranges(range(1, 101), 4) == [(0, 25), (25, 50), (50, 75), (75, 100)]


def test_a_failing_worker_leaves_the_earlier_export(graph, tmp_path, monkeypatch):
    monkeypatch.setattr(rdf_parts, "MIN_RELATIONSHIPS", 1)
    out = tmp_path / "export.nt"
    out.write_text("earlier export", encoding="utf-8")
    last = graph.relationships[-1]
    statements = RDFBuilder.relationship_statements

    def failing(self, rel):  # inherited by the forked workers
        if rel is last:
            raise RuntimeError("cannot read this relationship")
        return statements(self, rel)

    monkeypatch.setattr(RDFBuilder, "relationship_statements", failing)
    with pytest.raises(RuntimeError, match="cannot read this relationship"):
        write_graph(graph, BASE, "ntriples", out, jobs=2)
    assert out.read_text(encoding="utf-8") == "earlier export"
    assert [p.name for p in tmp_path.iterdir()] == ["export.nt"]


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("ntriples", "nt"), ("turtle", "turtle")])
def test_pyoxigraph_and_rdflib_exports_are_isomorphic(graph, fmt, rdflib_format):
    """The streamed pyoxigraph dump and rdflib's serialisation of the same triples (the bench's
    baseline) are the same graph, read back by rdflib."""
    from rdflib.compare import isomorphic

    ours = RDFGraph().parse(data=_streamed(graph, fmt)[0], format=rdflib_format)
    store = build_store(graph, BASE, created=CREATED)
    theirs = RDFGraph()
    for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        theirs.add((_as_rdflib(q.subject), _as_rdflib(q.predicate), _as_rdflib(q.object)))
    back = RDFGraph().parse(data=theirs.serialize(format=rdflib_format), format=rdflib_format)
    assert len(ours) == len(back) > 500
    assert isomorphic(ours, back)


# -- SPARQL over named graphs -----------------------------------------------------------------------------
NPVR_COVERAGE = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rg: <https://regiograph.nl/def/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?regionName ?letter ?quote WHERE {
  ?programme skos:prefLabel ?programmeName ; skos:altLabel "NPVR"@nl .
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
    store = build_store(graph, BASE)
    derived = ox.NamedNode(BASE + "graph/derived")
    npvr, novex = ox.NamedNode(BASE + "programme/npvr"), ox.NamedNode(BASE + "programme/novex")
    overlaps = ox.NamedNode(str(RG.overlaps))
    assert list(store.quads_for_pattern(npvr, overlaps, novex, derived))
    # stated in letter 004 as well, so the default graph (the merge) has it once
    assert len(list(store.quads_for_pattern(npvr, overlaps, novex, ox.DefaultGraph()))) == 1
    shared = store.query(
        """PREFIX rg: <https://regiograph.nl/def/> SELECT ?r WHERE { GRAPH <https://regiograph.nl/id/graph/derived>
        { ?a rg:relationshipType "OVERLAPS" ; rg:sharedRegions ?r } }"""
    )
    assert {s["r"].value for s in shared} == {BASE + "region/zuid-limburg", BASE + "region/zeeuws-vlaanderen"}


# -- the real corpus -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def corpus_graph() -> Graph:
    """The corpus as the stores hold it: every letter, and the OVERLAPS derived from shared coverage."""
    pipeline = pytest.importorskip("ingest.pipeline", reason="ingest.pipeline.extract_file not available yet")
    files = sorted(corpus_dir().glob("*.txt"))
    merged = merge_graphs([pipeline.extract_file(f) for f in files])
    assert len(merged.letter_ids()) == len(files)
    merged.relationships += derive_all(merged.relationships)
    return merged


@pytest.fixture(scope="module")
def corpus_store(corpus_graph) -> ox.Store:
    return build_store(corpus_graph, BASE)


def test_corpus_export_conforms_to_shapes(corpus_graph, corpus_store, shapes, ontology):
    ids = {n.id for n in corpus_graph.nodes}
    dangling = sorted(
        {(r.type, r.start, r.end) for r in corpus_graph.relationships if not {r.start, r.end} <= ids}
    )
    assert not dangling, f"relationships whose end nodes the extraction did not emit: {dangling}"
    assert any(r.derived for r in corpus_graph.relationships)
    data = RDFGraph().parse(data=dump(corpus_store, "ntriples"), format="nt")
    ok, report = conforms(data, shapes, ontology)
    assert ok, report[:5000]


def test_corpus_dump_is_equal_in_every_format(corpus_store):
    assert_isomorphic_formats(corpus_store)


def test_corpus_streamed_dump_is_the_store_dump(corpus_graph):
    assert_streamed_is_the_store_dump(corpus_graph)


def test_corpus_uses_only_declared_terms_and_links_out(corpus_graph, corpus_store, ontology):
    declared = {str(t) for t in ontology.subjects(RDF.type, None) if str(t).startswith(str(RG))}
    used = {
        t.value
        for q in corpus_store
        for t in (q.predicate, q.object)
        if isinstance(t, ox.NamedNode) and t.value.startswith(str(RG))
    }
    assert used <= declared, sorted(used - declared)
    assert not list(corpus_store.quads_for_pattern(None, ox.NamedNode(str(OWL.sameAs)), None))
    builder = RDFBuilder(BASE)
    matches = (ox.NamedNode(str(SKOS.exactMatch)), ox.NamedNode(str(SKOS.closeMatch)))
    for node in corpus_graph.nodes:
        if {"Province", "Municipality", "Ministry"} & set(node.labels):
            links = {
                q.object.value
                for m in matches
                for q in corpus_store.quads_for_pattern(builder.node_iri(node.id), m, None, ox.DefaultGraph())
            }
            assert any("identifier.overheid.nl/tooi/id/" in link for link in links), node.id


def test_corpus_properties_each_have_a_decision(corpus_graph):
    """Every node property the extraction emits is exported with an ontology term, as a link, or left
    out because a relationship says it; a new property needs a line in graph/rdf.py."""
    decided = (
        set(NODE_PROPERTIES)
        | set(LINK_STAND_INS)
        | {"tooi", "tooi_id", "wikidata", "dossiers", "kamerstuk", "dossier", "number", "letters"}
    )
    keys = {k for n in corpus_graph.nodes for k in n.properties}
    assert keys <= decided, sorted(keys - decided)


def test_corpus_trig_round_trip_and_npvr_query(corpus_graph, corpus_store):
    store = ox.Store()
    store.load(dump(corpus_store, "trig"), format=ox.RdfFormat.TRIG)
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


def test_repeated_hashes_are_found_in_fixed_memory() -> None:
    """The survey's duplicate finder: a bitmap and a count of the candidates, exact whatever collides."""
    from array import array

    from graph.rdf_stream import _repeated

    distinct = array("q", range(-50_000, 50_000, 7))
    assert _repeated(distinct) == set()
    # values that share bitmap bits (same low bits) but differ are not repeats
    colliding = array("q", [5, 5 + (1 << 40), 5 + (1 << 41), -(1 << 50) + 5])
    assert _repeated(colliding) == set()
    once, twice = distinct[10], distinct[20]
    assert _repeated(array("q", [*distinct, once, twice, twice, 3])) == {once, twice}
    assert _repeated(array("q")) == set()
