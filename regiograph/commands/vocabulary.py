"""`regiograph vocabulary build [--data ../shared/data]`: regenerate the gazetteers in
ingest/data/generated/ (areas, ministries, map geometry) from the published lists."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from regiograph.commands.common import fail
from regiograph.settings import REPO_ROOT

app = typer.Typer(help="The vocabulary built from published data (CBS, TOOI).", no_args_is_help=True)
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data"


@app.command()
def build(
    data: Annotated[
        Path, typer.Option("--data", help="Folder with the published lists (cbs/, tooi/, tooi-lists/, geo/).")
    ] = DEFAULT_DATA,
    output: Annotated[
        Path | None, typer.Option("--output", help="Where to write (default: ingest/data/generated).")
    ] = None,
) -> None:
    """Regenerate the gazetteers, hierarchy, historical names, ministries and map geometry."""
    from ingest.gazetteer_build import GENERATED, build_all

    try:
        written = build_all(data, output or GENERATED)
    except FileNotFoundError as exc:
        raise fail(str(exc), 2) from None
    for path, size in written:
        typer.echo(f"{size:>8} bytes  {path}")
    typer.echo(f"{len(written)} files written from {data}", err=True)
