"""Helpers shared by commands: settings with readable errors."""

from __future__ import annotations

import typer

from regiograph.settings import Settings, SettingsError, get_settings


def settings_or_exit() -> Settings:
    try:
        return get_settings()
    except SettingsError as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.secho(message, fg=typer.colors.RED, err=True)
    return typer.Exit(code)
