"""`regiograph extract FILE... --output graph.json`: the graph interchange JSON, no database needed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from graph.derive import derive_all
from graph.model import Graph, merge_graphs
from ingest.errors import LetterError
from ingest.load import expand_paths
from regiograph.commands.common import fail, progress, say, write_output


def with_derived(graph: Graph) -> Graph:
    """Add derived OVERLAPS for programme pairs that share covered regions and have no asserted one."""
    asserted = {(r.start, r.end) for r in graph.relationships if r.type == "OVERLAPS"}
    asserted |= {(b, a) for a, b in asserted}
    extra = [r for r in derive_all(graph.relationships) if (r.start, r.end) not in asserted]
    return Graph(nodes=graph.nodes, relationships=[*graph.relationships, *extra])


def extract(
    files: Annotated[list[Path], typer.Argument(help="Letter files (.txt) or folders of them.")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Where to write the graph JSON (`-` for stdout).")
    ],
    derived: Annotated[
        bool,
        typer.Option(
            "--derived/--no-derived",
            help="Also add OVERLAPS derived from shared covered regions (the stores always compute them).",
        ),
    ] = False,
) -> None:
    """Extract letters into the graph interchange JSON (one merged graph of exactly these files)."""
    from ingest.pipeline import extract_file

    try:
        paths = list(expand_paths(files))
    except FileNotFoundError as exc:
        raise fail(str(exc), 2) from None
    graphs: list[Graph] = []
    errors: list[LetterError] = []
    for path in progress(paths, len(paths)):
        try:
            graphs.append(extract_file(path))
        except LetterError as exc:
            errors.append(exc)
            say(f"error: {exc}", error=True)
    graph = merge_graphs(graphs)
    if derived:
        graph = with_derived(graph)
    if graphs:
        where = write_output(output, graph.to_json())
    entities = sum(1 for n in graph.nodes if "Letter" not in n.labels)
    typer.echo(
        f"{len(graphs)} letters, {entities} entities, {len(graph.relationships)} relationships, "
        f"{len(errors)} errors" + (f" -> {where}" if graphs else " (nothing written)"),
        err=True,
    )
    if errors:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command()(extract)
