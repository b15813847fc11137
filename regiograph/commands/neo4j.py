"""`regiograph neo4j start|stop|status`."""

import typer

app = typer.Typer(help="Manage the local Neo4j server.", no_args_is_help=True)
