"""`regiograph export`, `viz` and `report`: the whole store as RDF/JSON, as a network page, as tables."""

from __future__ import annotations

import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from tqdm import tqdm

from graph.model import Graph
from regiograph.commands.common import (
    StoreKind,
    StoreOption,
    fail,
    open_store_or_exit,
    settings_or_exit,
    write_output,
)

InputOption = Annotated[
    Path | None,
    typer.Option("--input", "-i", help="Read a graph interchange JSON file instead of the configured store."),
]


class ExportFormat(StrEnum):
    turtle = "turtle"
    ntriples = "ntriples"
    rdfxml = "rdfxml"
    jsonld = "jsonld"
    trig = "trig"
    nquads = "nquads"
    json = "json"
    graphml = "graphml"
    all = "all"


class ReportFormat(StrEnum):
    table = "table"
    csv = "csv"


class ReportSection(StrEnum):
    all = "all"
    stacking = "stacking"
    overlap = "overlap"
    centrality = "centrality"


EXTENSIONS = {
    "turtle": "ttl",
    "ntriples": "nt",
    "rdfxml": "rdf",
    "jsonld": "jsonld",
    "trig": "trig",
    "nquads": "nq",
    "json": "json",
    "graphml": "graphml",
}


def load_graph(input_file: Path | None, store: StoreKind | None = None, spool: Path | None = None) -> Graph:
    """The graph to work on: a JSON file when given, else a snapshot of the configured store (with
    `spool`, a folder, the store may keep the relationships in a file there: `spooled_snapshot`)."""
    if input_file is not None:
        try:
            return Graph.model_validate_json(input_file.read_bytes())
        except OSError as exc:
            raise fail(f"{input_file}: cannot read ({exc.strerror})", 2) from None
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise fail(f"{input_file}: not a graph interchange JSON ({where}: {first['msg']})", 2) from None
    from graph.store import StoreUnavailable

    graph_store = open_store_or_exit(store)
    try:
        return graph_store.spooled_snapshot(spool) if spool else graph_store.snapshot()
    except StoreUnavailable as exc:
        raise fail(str(exc)) from None
    finally:
        graph_store.close()


def export(
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="RDF syntax, json, or all (every RDF syntax).")
    ] = ExportFormat.turtle,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write (default var/out/graph.<ext>; `-` for stdout); with all, the folder.",
        ),
    ] = None,
    input_file: InputOption = None,
    store: StoreOption = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, help="Processes that write N-Triples and N-Quads [default: one per core]"
        ),
    ] = None,
) -> None:
    """Export the whole graph as RDF (ontology.ttl), as graph interchange JSON, or as GraphML (every
    relationship one edge, with its evidence count and basis; graph.projection.to_networkx).

    Every RDF syntax holds the same dump: TriG, N-Quads and JSON-LD put each letter's assertions and
    evidence in a named graph (the letter's IRI), derived relationships in <base>graph/derived, and the
    merge of all graphs in the default graph, which is what Turtle, N-Triples and RDF/XML hold.
    `--format all` writes graph.ttl, .nt, .rdf, .trig, .nq and .jsonld into one folder. Each RDF file is
    streamed from the graph into pyoxigraph's serialiser (no Store, no second copy of the data); a
    Neo4j store's relationships are first streamed into a temporary file (under TMPDIR), so memory
    holds the nodes and an offset per relationship rather than the whole graph. N-Triples and N-Quads
    files of a large graph are written by `--jobs` processes, into the bytes one process writes."""
    from graph.rdf import RDF_FORMATS, write
    from graph.rdf_stream import stream_dump, write_graph
    from ingest.parallel import default_jobs

    name = fmt.value
    settings = settings_or_exit()
    processes = jobs or default_jobs()
    if name == "graphml":
        graph = load_graph(input_file, store)
        from graph.projection import write_graphml

        output = output or settings.runtime_dir / "out" / "graph.graphml"
        g = write_graphml(graph, output)
        typer.echo(f"wrote {g.number_of_nodes()} nodes and {g.number_of_edges()} edges to {output} (GraphML)")
        return
    if name == "json":
        graph = load_graph(input_file, store)
        output = output or settings.runtime_dir / "out" / "graph.json"
        if str(output) == "-":
            write_output(output, graph.to_json())
            return
        write(graph, "json", output)
        typer.echo(f"wrote {len(graph.nodes)} nodes and {len(graph.relationships)} relationships to {output}")
        return

    # the relationships of a large store wait in a temporary file, not in memory, while they are written
    with tempfile.TemporaryDirectory(prefix="regiograph-export-") as spool:
        graph = load_graph(input_file, store, Path(spool))

        def progress(target_fmt: str) -> tqdm:
            return tqdm(
                total=len(graph.relationships),
                desc=f"writing {target_fmt}",
                unit="rel",
                disable=len(graph.relationships) < 2000,
            )

        if name == "all":
            folder = output or settings.runtime_dir / "out" / "dump"
            targets = {f: folder / f"graph.{spec.extension}" for f, spec in RDF_FORMATS.items()}
        elif output is not None and str(output) == "-":
            stdout = typer.get_binary_stream("stdout")
            with progress(name) as bar:
                stream_dump(graph, settings.base_iri, name, stdout, progress=bar.update)
            stdout.flush()
            return
        else:
            targets = {name: output or settings.runtime_dir / "out" / f"graph.{EXTENSIONS[name]}"}
        for target_fmt, path in targets.items():
            try:
                with progress(target_fmt) as bar:
                    stats = write_graph(
                        graph, settings.base_iri, target_fmt, path, progress=bar.update, jobs=processes
                    )
            except OSError as exc:
                raise fail(f"{path}: cannot write ({exc.strerror}); choose another --output", 1) from None
            unit = "quads" if RDF_FORMATS[target_fmt].named_graphs else "triples"
            typer.echo(
                f"wrote {path} ({path.stat().st_size:,} bytes, {stats.written:,} {unit}, "
                f"{len(graph.nodes)} nodes, {len(graph.relationships)} relationships)"
            )


def viz(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="HTML file (default var/out/graph.html).")
    ] = None,
    focus: Annotated[
        str | None, typer.Option("--focus", help="Only this node id and its neighbourhood.")
    ] = None,
    depth: Annotated[int, typer.Option("--depth", min=1, max=5, help="Hops around --focus.")] = 1,
    input_file: InputOption = None,
    store: StoreOption = None,
) -> None:
    """Draw the graph as a self-contained HTML page (works offline; open it in a browser)."""
    from graph.store import UnknownNode
    from graph.viz import write_html

    output = output or settings_or_exit().runtime_dir / "out" / "graph.html"
    graph = load_graph(input_file, store)
    try:
        path = write_html(graph, output, focus=focus, depth=depth)
    except UnknownNode as exc:
        raise fail(str(exc), 2) from None
    typer.echo(f"wrote {path} ({len(graph.nodes)} nodes in the graph)")


def report(
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="table (aligned text) or csv.")
    ] = ReportFormat.table,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="File to write; with csv and all sections, one <stem>-<section>.csv each."
        ),
    ] = None,
    section: Annotated[ReportSection, typer.Option("--section", help="Which table.")] = ReportSection.all,
    top: Annotated[
        int, typer.Option("--top", min=1, help="Ministries and programmes listed by centrality.")
    ] = 10,
    input_file: InputOption = None,
    store: StoreOption = None,
) -> None:
    """Programme stacking per region, overlap between programmes, most central ministries and programmes."""
    from graph.report import SECTIONS, build_report, to_csv, to_table

    sections = list(SECTIONS) if section is ReportSection.all else [section.value]
    result = build_report(load_graph(input_file, store), top=top)
    render = to_csv if fmt is ReportFormat.csv else to_table
    texts = {s: render(result, s) for s in sections}
    if output is None:
        titled = fmt is ReportFormat.csv and len(sections) > 1
        typer.echo("\n".join((f"# {s}\n" if titled else "") + t for s, t in texts.items()))
        return
    if fmt is ReportFormat.csv and len(sections) > 1:
        for s, text in texts.items():
            path = output.with_name(f"{output.stem}-{s}.csv")
            typer.echo(f"wrote {write_output(path, text)}")
    else:
        typer.echo(f"wrote {write_output(output, chr(10).join(texts.values()))}")


def register(app: typer.Typer) -> None:
    app.command("export")(export)
    app.command("viz")(viz)
    app.command("report")(report)
