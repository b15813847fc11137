"""`regiograph serve`: the HTTP query API (binds 127.0.0.1 unless told otherwise)."""

from __future__ import annotations

import socket
from typing import Annotated

import typer

from regiograph.commands.common import fail, settings_or_exit


def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default REGIOGRAPH_API_HOST).")] = None,
    port: Annotated[
        int | None, typer.Option(min=1, max=65535, help="Port to bind (default REGIOGRAPH_API_PORT).")
    ] = None,
) -> None:
    """Serve the graph over HTTP; the interactive documentation is at /docs."""
    import uvicorn

    from api.main import create_app

    settings = settings_or_exit()
    host = host or settings.api_host
    port = port or settings.api_port
    if not _port_free(host, port):
        raise fail(
            f"port {port} on {host} is taken (is RegioGraph already serving?); stop that process, or "
            "choose another port with REGIOGRAPH_API_PORT or --port"
        )
    typer.echo(f"serving the {settings.store} store on http://{host}:{port} (documentation at /docs)")
    uvicorn.run(create_app(settings), host=host, port=port)


def _port_free(host: str, port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def register(app: typer.Typer) -> None:
    app.command()(serve)
