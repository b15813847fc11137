"""The `regiograph` command. Each command group lives in its own module under regiograph/commands."""

from __future__ import annotations

import logging

import typer

from regiograph.commands import (
    export,
    extract,
    fetch,
    fuseki,
    map_page,
    neo4j,
    serve,
    store,
    validate,
    vocabulary,
)

app = typer.Typer(
    help="RegioGraph: a knowledge graph of Dutch regional governance, read from parliamentary letters.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def main(verbose: bool = typer.Option(False, "--verbose", "-v", help="Also print debug messages.")) -> None:
    # Library code reports through `logging`; the command line shows its messages on stderr.
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO, format="%(message)s", force=True
    )
    # The driver logs every notification it receives; those belong to the query, not the user.
    logging.getLogger("neo4j").setLevel(logging.ERROR)


app.add_typer(neo4j.app, name="neo4j")
app.add_typer(vocabulary.app, name="vocabulary")
for module in (extract, store, fetch, export, validate, fuseki, map_page, serve):
    module.register(app)

if __name__ == "__main__":
    app()
