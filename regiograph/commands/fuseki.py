"""`regiograph fuseki`: the dump served by Apache Jena Fuseki, for SPARQL clients that need more than the
API's endpoint (a large dump, long queries, a server of its own)."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from regiograph.commands.common import StoreOption, fail, settings_or_exit


def fuseki(
    dump: Annotated[
        Path | None,
        typer.Argument(help="An RDF dump (N-Quads, TriG, Turtle ...) [default: the store's, written first]"),
    ] = None,
    port: Annotated[int, typer.Option(help="HTTP port on 127.0.0.1.")] = 3030,
    name: Annotated[str, typer.Option(help="Dataset name: the endpoint is /<name>/sparql.")] = "regiograph",
    heap: Annotated[str, typer.Option(help="Java heap for the in-memory dataset.")] = "2g",
    store: StoreOption = None,
) -> None:
    """Serve the dump read-only with Apache Jena Fuseki on 127.0.0.1 (in memory; Ctrl-C stops it)."""
    from regiograph.rdf_tools import RdfTools, RdfToolsError

    settings = settings_or_exit()
    if dump is None:
        from graph.rdf_stream import write_graph
        from ingest.parallel import default_jobs
        from regiograph.commands.export import load_graph

        dump = settings.runtime_dir / "fuseki" / "graph.nq"
        dump.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="regiograph-export-") as spool:
            graph = load_graph(None, store, Path(spool))
            write_graph(graph, settings.base_iri, "nquads", dump, jobs=default_jobs())
        typer.echo(f"wrote the store's dump to {dump}")
    try:
        command = RdfTools(settings).fuseki_command(dump, port=port, name=name, heap=heap)
    except RdfToolsError as exc:
        raise fail(str(exc)) from None
    typer.echo(f"SPARQL endpoint: http://127.0.0.1:{port}/{name}/sparql (read-only; Ctrl-C stops it)")
    try:
        done = subprocess.run(command, check=False)
    except KeyboardInterrupt:
        return
    if done.returncode not in (0, 130, 143):
        raise fail(f"Fuseki exited with {done.returncode}", done.returncode)


def register(app: typer.Typer) -> None:
    app.command("fuseki")(fuseki)
