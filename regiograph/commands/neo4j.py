"""`regiograph neo4j start|stop|status`: a thin layer over regiograph.neo4j_server."""

from __future__ import annotations

import typer

from regiograph.commands.common import fail, settings_or_exit
from regiograph.neo4j_server import Neo4jServer, Neo4jServerError

app = typer.Typer(help="Manage the local Neo4j server (runtime files in var/neo4j).", no_args_is_help=True)


def _server() -> Neo4jServer:
    return Neo4jServer(settings_or_exit())


@app.command()
def start() -> None:
    """Start the server (downloading it once) and wait until it answers over Bolt."""
    server = _server()
    try:
        result = server.start()
    except Neo4jServerError as exc:
        raise fail(str(exc)) from None
    typer.echo(result.message)
    if not server.settings.neo4j_uri.rstrip("/").endswith(f":{server.port}"):
        typer.secho(
            f"Note: REGIOGRAPH_NEO4J_URI ({server.settings.neo4j_uri}) does not point at this server; "
            f"set it to {server.uri}.",
            fg=typer.colors.YELLOW,
            err=True,
        )


@app.command()
def stop(timeout: float = typer.Option(30.0, help="Seconds before SIGTERM turns into SIGKILL")) -> None:
    """Stop the server started by `regiograph neo4j start`."""
    try:
        result = _server().stop(timeout)
    except Neo4jServerError as exc:
        raise fail(str(exc)) from None
    typer.echo(result.message)


@app.command()
def status() -> None:
    """Run RETURN 1 with the configured credentials; exit 0 only when it succeeds."""
    server = _server()
    result = server.status()
    pid = f"pid {result.pid}" if result.pid else "no pid file"
    if not result.reachable:
        hint = (
            f"Check REGIOGRAPH_NEO4J_PASSWORD or {server.password_file}."
            if (result.error or "").startswith("AuthError")
            else "Start it with `regiograph neo4j start` (or `make neo4j`)."
        )
        raise fail(f"Neo4j is not answering on {result.uri} ({pid}): {result.error}\n{hint}")
    typer.echo(f"Neo4j {result.version} {result.edition} is up on {result.uri} ({pid}).")


@app.command()
def browser() -> None:
    """Print the Neo4j Browser URL of the local server and where its credentials are."""
    server = _server()
    settings = server.settings
    where = (
        "the REGIOGRAPH_NEO4J_PASSWORD environment variable"
        if settings.neo4j_password
        else f"the file {server.password_file}"
    )
    typer.echo(f"Neo4j Browser: {server.browser_url}")
    typer.echo(f"Connect URL:   {server.uri}")
    typer.echo(f"User:          {settings.neo4j_user}")
    typer.echo(f"Password:      in {where}")
    if server.running_pid() is None:
        typer.secho(
            "The server is not running: start it with `regiograph neo4j start`.",
            err=True,
            fg=typer.colors.YELLOW,
        )
