"""`regiograph extract FILE... --output graph.json`: the graph interchange JSON, no database needed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from tqdm import tqdm

from graph.derive import derive_all
from graph.model import Graph, merge_graphs
from ingest.errors import LetterError
from ingest.load import expand_paths

PROGRESS_THRESHOLD = 5


def with_derived(graph: Graph) -> Graph:
    """Add derived OVERLAPS for programme pairs that share covered regions and have no asserted one."""
    asserted = {(r.start, r.end) for r in graph.relationships if r.type == "OVERLAPS"}
    asserted |= {(b, a) for a, b in asserted}
    extra = [r for r in derive_all(graph.relationships) if (r.start, r.end) not in asserted]
    return Graph(nodes=graph.nodes, relationships=[*graph.relationships, *extra])


def extract(
    files: Annotated[list[Path], typer.Argument(help="Letter files (.txt) or folders of them.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the graph JSON.")],
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

    paths = list(expand_paths(files))
    graphs: list[Graph] = []
    errors: list[LetterError] = []
    bar = tqdm(paths, unit="letter", disable=len(paths) <= PROGRESS_THRESHOLD, file=sys.stderr)
    for path in bar:
        try:
            graphs.append(extract_file(path))
        except LetterError as exc:
            errors.append(exc)
            tqdm.write(f"error: {exc}", file=sys.stderr)
    graph = merge_graphs(graphs)
    if derived:
        graph = with_derived(graph)
    if graphs:
        output.parent.mkdir(parents=True, exist_ok=True)
        tmp = output.with_name(output.name + ".tmp")
        tmp.write_text(graph.to_json(), encoding="utf-8")
        tmp.replace(output)
    entities = sum(1 for n in graph.nodes if "Letter" not in n.labels)
    typer.echo(
        f"{len(graphs)} letters, {entities} entities, {len(graph.relationships)} relationships, "
        f"{len(errors)} errors" + (f" -> {output}" if graphs else " (nothing written)"),
        err=True,
    )
    if errors:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command()(extract)
