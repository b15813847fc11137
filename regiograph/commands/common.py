"""Helpers shared by commands: settings with readable errors, the --store option, opening a store,
progress bars, and writing an output file (or stdout for `-`)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from tqdm import tqdm

from regiograph.settings import Settings, SettingsError, get_settings

if TYPE_CHECKING:
    from graph.store import GraphStore

T = TypeVar("T")
PROGRESS_FROM = 5  # a progress bar from this many items on; fewer finish before one would help


class StoreKind(StrEnum):
    neo4j = "neo4j"
    memory = "memory"


StoreOption = Annotated[
    StoreKind | None, typer.Option("--store", help="Override REGIOGRAPH_STORE.", case_sensitive=False)
]


def settings_or_exit() -> Settings:
    try:
        return get_settings()
    except SettingsError as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.secho(message, fg=typer.colors.RED, err=True)  # click drops the colour when not a TTY
    return typer.Exit(code)


def open_store_or_exit(store: StoreKind | None) -> GraphStore:
    """The configured store (or the --store override); a readable error and exit when it cannot open."""
    from graph.store import StoreUnavailable
    from regiograph.stores import open_store

    settings = settings_or_exit()
    if store is not None:
        settings = settings.model_copy(update={"store": store.value})
    try:
        return open_store(settings)
    except StoreUnavailable as exc:
        raise fail(str(exc)) from None
    except ValueError as exc:
        raise fail(f"cannot open the {settings.store} store: {exc}") from None


def progress(items: Iterable[T], total: int, unit: str = "letter") -> Iterator[T]:
    """Items with a progress bar on stderr when there are at least PROGRESS_FROM of them."""
    with tqdm(items, total=total, unit=unit, disable=total < PROGRESS_FROM, file=sys.stderr,
              leave=False) as bar:
        yield from bar


def say(message: str, *, error: bool = False) -> None:
    """A line for the user that does not break a running progress bar."""
    text = typer.style(message, fg=typer.colors.RED) if error and sys.stderr.isatty() else message
    tqdm.write(text, file=sys.stderr if error else sys.stdout)


def write_output(output: Path, text: str) -> str:
    """Write `text` to `output` atomically, or to stdout when `output` is `-`; returns where it went."""
    if str(output) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return "stdout"
    from graph.files import write_text_atomic

    try:
        write_text_atomic(output, text)
    except OSError as exc:
        raise fail(f"{output}: cannot write ({exc.strerror}); choose another --output", 1) from None
    return str(output)
