"""Helpers shared by commands: settings with readable errors, the --store option and opening a store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from regiograph.settings import Settings, SettingsError, get_settings

if TYPE_CHECKING:
    from graph.store import GraphStore

StoreOption = Annotated[
    str | None, typer.Option("--store", help="Override REGIOGRAPH_STORE: neo4j or memory.")
]


def settings_or_exit() -> Settings:
    try:
        return get_settings()
    except SettingsError as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.secho(message, fg=typer.colors.RED, err=True)
    return typer.Exit(code)


def open_store_or_exit(store: str | None) -> GraphStore:
    """The configured store (or the --store override); a readable error and exit when it cannot open."""
    from graph.store import StoreUnavailable
    from graph.store_factory import open_store

    settings = settings_or_exit()
    if store is not None:
        if store not in ("neo4j", "memory"):
            raise fail(f"--store must be neo4j or memory, not {store!r}", 2)
        settings = settings.model_copy(update={"store": store})
    try:
        return open_store(settings)
    except StoreUnavailable as exc:
        raise fail(str(exc)) from None
    except ValueError as exc:
        raise fail(f"cannot open the {settings.store} store: {exc}") from None
