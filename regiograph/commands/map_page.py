"""`regiograph map`: the map page as one self-contained HTML file (works offline; open it in a browser)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from regiograph.commands.common import StoreOption, fail, settings_or_exit
from regiograph.commands.export import InputOption, load_graph


def map_command(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="HTML file (default var/out/map.html).")
    ] = None,
    programme: Annotated[
        str | None, typer.Option("--programme", help="Show this programme's coverage first (programme:npvr).")
    ] = None,
    region: Annotated[
        str | None, typer.Option("--region", help="Open the side panel of this region (region:twente).")
    ] = None,
    input_file: InputOption = None,
    store: StoreOption = None,
) -> None:
    """Draw programme coverage and stacking on the CBS 2025 municipalities."""
    from api.geo import geography
    from graph.map import place_regions, write_html
    from graph.store import UnknownNode

    output = output or settings_or_exit().runtime_dir / "out" / "map.html"
    graph = load_graph(input_file, store)
    geo = geography()
    try:
        path = write_html(graph, geo, output, programme=programme, region=region)
    except UnknownNode as exc:
        raise fail(str(exc), 2) from None
    placed, unplaced = place_regions(graph, geo)
    typer.echo(f"wrote {path} ({len(placed)} regions on the map, {len(unplaced)} listed beside it)")


def register(app: typer.Typer) -> None:
    app.command("map")(map_command)
