"""`regiograph validate`: the dump in every format, checked as a linked-data engineer would: Apache Jena
`riot --validate` on each file, Jena `shacl validate` (and optionally pyshacl) against graph/shapes.ttl,
and the OWL API's OWL 2 DL profile plus HermiT's consistency check of ontology.ttl with the dump."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer

from regiograph.commands.common import StoreOption, fail, settings_or_exit
from regiograph.commands.export import InputOption, load_graph

ROOT = Path(__file__).resolve().parents[2]


def validate(
    output_dir: Annotated[
        Path | None,
        typer.Option("--output-dir", "-o", help="Keep the dump files here (default: a temporary folder)."),
    ] = None,
    derived: Annotated[
        bool, typer.Option(help="Add the derived OVERLAPS to a graph read with --input, as the stores do.")
    ] = True,
    owl: Annotated[bool, typer.Option(help="Run the OWL API profile check and HermiT.")] = True,
    pyshacl: Annotated[bool, typer.Option(help="Also validate with pyshacl (slower).")] = False,
    input_file: InputOption = None,
    store: StoreOption = None,
) -> None:
    """Write the dump in every RDF format and check it with Jena riot, SHACL and an OWL reasoner;
    exit 1 when any check fails."""
    from graph.derive import derive_all
    from graph.rdf import RDF_FORMATS
    from graph.rdf_stream import write_graph
    from regiograph.rdf_tools import RdfTools, RdfToolsError, merge_with_ontology

    settings = settings_or_exit()
    graph = load_graph(input_file, store)
    if input_file is not None and derived and not any(r.derived for r in graph.relationships):
        graph.relationships += derive_all(graph.relationships)
    tools = RdfTools(settings)
    ontology, shapes = ROOT / "ontology.ttl", ROOT / "graph" / "shapes.ttl"
    failed = False
    with tempfile.TemporaryDirectory(prefix="regiograph-validate-") as tmp:
        folder = output_dir or Path(tmp)
        files = {}
        quads = 0
        for name, spec in RDF_FORMATS.items():
            files[name] = folder / f"graph.{spec.extension}"
            stats = write_graph(graph, settings.base_iri, name, files[name])
            quads = max(quads, stats.written)
        try:
            for path in files.values():
                result = tools.riot_validate(path)
                status = "ok" if result.ok else "FAILED"
                typer.echo(
                    f"riot {path.name}: {len(result.errors)} errors, {len(result.warnings)} warnings "
                    f"({result.count}) {status}"
                )
                for line in (result.errors + result.warnings)[:20]:
                    typer.echo(f"  {line}")
                failed |= not result.ok
            # SHACL sees the ontology too, so sh:class follows rdfs:subClassOf; so does the reasoner.
            merged = merge_with_ontology(ontology, files["ntriples"], folder / "ontology+graph.nt")
            shacl = tools.shacl_validate(merged, shapes)
            typer.echo(f"Jena SHACL: {'conforms' if shacl.conforms else 'DOES NOT CONFORM'}")
            if not shacl.conforms:
                typer.echo(shacl.report[:5000])
            failed |= not shacl.conforms
            if owl:
                checked = tools.owl_check(ontology, merged)
                typer.echo(
                    f"OWL API: {len(checked.profile_violations)} OWL 2 DL profile violations; HermiT: "
                    f"{'consistent' if checked.consistent else 'INCONSISTENT'}, "
                    f"{len(checked.unsatisfiable)} unsatisfiable classes"
                )
                for line in (checked.profile_violations + checked.unsatisfiable)[:20]:
                    typer.echo(f"  {line}")
                failed |= not checked.ok
        except RdfToolsError as exc:
            raise fail(str(exc)) from None
        if pyshacl:
            from pyshacl import validate as shacl_validate
            from rdflib import Graph as RDFGraph

            data = RDFGraph().parse(files["ntriples"], format="nt")
            ok, _, text = shacl_validate(
                data,
                shacl_graph=RDFGraph().parse(shapes),
                ont_graph=RDFGraph().parse(ontology),
                inference="none",
                advanced=True,
            )
            typer.echo(f"pyshacl: {'conforms' if ok else 'DOES NOT CONFORM'}")
            if not ok:
                typer.echo(text[:5000])
            failed |= not ok
    if failed:
        raise fail("the dump failed a check", 1)
    typer.echo(f"the dump ({quads:,} quads) passed every check")


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
