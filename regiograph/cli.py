"""The `regiograph` command. Each command group lives in its own module under regiograph/commands."""

from __future__ import annotations

import typer

from regiograph.commands import export, extract, neo4j, serve, store

app = typer.Typer(
    help="RegioGraph: a knowledge graph of Dutch regional governance, read from parliamentary letters.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(neo4j.app, name="neo4j")
for module in (extract, store, export, serve):
    module.register(app)

if __name__ == "__main__":
    app()
