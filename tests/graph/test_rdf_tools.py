"""The corpus dump, derived relationships included, as a linked-data engineer checks it: Apache Jena
riot (0 errors, 0 warnings in every format), Jena SHACL against graph/shapes.ttl, the OWL API's OWL 2 DL
profile of the ontology and HermiT's consistency check of ontology plus dump. The tools come from
Maven Central (regiograph/rdf_tools.py); without Java or Maven the tests are skipped, except in CI."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from factories import corpus_dir

from graph.derive import derive_all
from graph.model import merge_graphs
from graph.rdf import RDF_FORMATS, build_store, write
from regiograph.rdf_tools import RdfTools, RdfToolsError, merge_with_ontology
from regiograph.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://regiograph.nl/id/"
pytestmark = pytest.mark.jena


@pytest.fixture(scope="module")
def tools() -> RdfTools:
    # The class path files live with the user's runtime folder, the jars in ~/.m2: resolved once.
    tools = RdfTools(load_settings())
    tools.folder = ROOT / "var" / "rdf-tools"
    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    try:
        if missing:
            raise RdfToolsError(f"{' and '.join(missing)} missing")
        tools.classpath("jena"), tools.classpath("owl")
    except RdfToolsError as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Jena / OWL API unavailable in CI: {exc}", pytrace=False)
        pytest.skip(f"Jena / OWL API unavailable: {exc}")
    return tools


@pytest.fixture(scope="module")
def dump_files(tmp_path_factory) -> dict[str, Path]:
    from ingest.pipeline import extract_file

    graph = merge_graphs([extract_file(f) for f in sorted(corpus_dir().glob("*.txt"))])
    graph.relationships += derive_all(graph.relationships)
    store = build_store(graph, BASE)
    folder = tmp_path_factory.mktemp("dump")
    files = {}
    for name, spec in RDF_FORMATS.items():
        files[name] = folder / f"graph.{spec.extension}"
        write(store, name, files[name])
    files["merged"] = merge_with_ontology(
        ROOT / "ontology.ttl", files["ntriples"], folder / "ontology+graph.nt"
    )
    return files


@pytest.mark.parametrize("fmt", list(RDF_FORMATS))
def test_riot_finds_no_error_or_warning(tools: RdfTools, dump_files, fmt: str) -> None:
    result = tools.riot_validate(dump_files[fmt])
    assert result.ok, result.errors + result.warnings
    assert ("Quads" if RDF_FORMATS[fmt].named_graphs else "Triples") in result.count


def test_jena_shacl_conforms(tools: RdfTools, dump_files) -> None:
    result = tools.shacl_validate(dump_files["merged"], ROOT / "graph" / "shapes.ttl")
    assert result.conforms, result.report[:5000]


def test_jena_shacl_sees_a_violation(tools: RdfTools, dump_files, tmp_path) -> None:
    broken = tmp_path / "broken.nt"
    text = dump_files["merged"].read_text(encoding="utf-8")
    broken.write_text(
        text
        + "<https://regiograph.nl/id/programme/npvr> <http://www.w3.org/2002/07/owl#sameAs> <http://x/y> .\n",
        encoding="utf-8",
    )
    result = tools.shacl_validate(broken, ROOT / "graph" / "shapes.ttl")
    assert not result.conforms and "sameAs" in result.report


def test_ontology_is_owl2_dl_and_consistent_with_the_dump(tools: RdfTools, dump_files) -> None:
    result = tools.owl_check(ROOT / "ontology.ttl", dump_files["merged"])
    assert not result.profile_violations, result.profile_violations[:20]
    assert result.consistent and not result.unsatisfiable, result.output[-3000:]


def test_reasoner_finds_a_resource_both_stated_and_derived(tools: RdfTools, tmp_path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix rg: <https://regiograph.nl/def/> .\n"
        "<http://x/a> a rg:Assertion ; rg:derived true, false .\n",
        encoding="utf-8",
    )
    merged = merge_with_ontology(ROOT / "ontology.ttl", bad, tmp_path / "merged.nt")
    assert not tools.owl_check(ROOT / "ontology.ttl", merged).consistent


def test_fuseki_serves_the_dump_read_only(tools: RdfTools, dump_files) -> None:
    """The documented way past one machine's API: Fuseki loads the N-Quads dump and answers SPARQL 1.1
    with the triples pyoxigraph wrote; it has no update endpoint."""
    import subprocess
    import time

    import httpx
    import pyoxigraph as ox

    from regiograph.neo4j_server import free_port

    written = ox.Store()
    written.load(path=str(dump_files["nquads"]), format=ox.RdfFormat.N_QUADS)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    named = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    expected = [int(next(iter(written.query(q)))["n"].value) for q in (count, named)]
    port = free_port()
    command = tools.fuseki_command(dump_files["nquads"], port=port, heap="512m")
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    endpoint = f"http://127.0.0.1:{port}/regiograph"
    try:
        answers = None
        deadline = time.monotonic() + 120
        while answers is None and time.monotonic() < deadline and server.poll() is None:
            try:
                answers = [
                    httpx.post(
                        f"{endpoint}/sparql",
                        data={"query": q},
                        headers={"Accept": "application/sparql-results+json"},
                        timeout=30,
                    ).json()
                    for q in (count, named)
                ]
            except httpx.TransportError:
                time.sleep(0.5)
        failed = server.stdout.read() if server.poll() is not None and server.stdout else "no answer in 120 s"
        assert answers is not None, failed
        got = [int(a["results"]["bindings"][0]["n"]["value"]) for a in answers]
        assert got == expected and got[0] > 1000
        update = httpx.post(f"{endpoint}/update", data={"update": "INSERT DATA { <urn:x> <urn:p> 1 }"})
        assert update.status_code in (404, 405)
    finally:
        server.terminate()
        server.wait(timeout=30)
