"""`regiograph fetch --dossier ...` and `regiograph sync`: a dossier's letters from the official
sources into the corpus folder (REGIOGRAPH_SOURCES_DIR), and into the graph."""

from __future__ import annotations

import sys
from collections import Counter
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from tqdm import tqdm

from regiograph.commands.common import StoreOption, fail, open_store_or_exit, say, settings_or_exit

if TYPE_CHECKING:
    from graph.store import GraphStore
    from ingest.sources import Fetcher, FetchResult
    from regiograph.settings import Settings


class Kind(StrEnum):
    brief = "brief"
    motie = "motie"
    all = "all"


def _fetcher(settings: Settings) -> Fetcher:
    from ingest.sources import ClientConfig, open_fetcher

    config = ClientConfig(
        user_agent=settings.fetch_user_agent,
        timeout=settings.fetch_timeout,
        delay=settings.fetch_delay,
        retries=settings.fetch_retries,
        max_bytes=settings.fetch_max_bytes,
    )
    return open_fetcher(settings.koop_sru_url, settings.koop_repository_url, settings.source_dir, config)


def _since(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"--since {value!r}: expected a date YYYY-MM-DD", 2) from None


def _run(
    fetcher: Fetcher, dossier: str, records: list, dry_run: bool, counts: Counter[str]
) -> list[FetchResult]:
    """Fetch the records one by one with a progress bar of counts; one line per change or failure."""
    done: list[FetchResult] = []
    with tqdm(
        total=len(records), unit="doc", file=sys.stderr, leave=False, desc=dossier, disable=not records
    ) as bar:
        for result in fetcher.fetch_all(records, dossier, dry_run=dry_run):
            counts[result.action] += 1
            done.append(result)
            if result.action != "unchanged":
                say(result.line(), error=result.action == "failed")
            bar.set_postfix({k: v for k, v in counts.items() if v}, refresh=False)
            bar.update()
    return done


def _discover(fetcher: Fetcher, dossier: str, since: date | None, kind: str) -> list | None:
    from ingest.sources import SourceError

    try:
        records = fetcher.discover(dossier, since, kind)
    except SourceError as exc:
        say(f"failed    dossier {dossier}: {exc}", error=True)
        return None
    say(f"dossier {dossier}: {len(records)} document(s) listed" + (f" since {since}" if since else ""))
    return records


def fetch(
    dossier: Annotated[
        list[str], typer.Option("--dossier", "-d", help="Dossier number, e.g. 29697 or 36600-VII.")
    ],
    since: Annotated[
        str | None, typer.Option(help="Only documents changed on or after this date (YYYY-MM-DD).")
    ] = None,
    kind: Annotated[
        Kind, typer.Option(help="Letters (brief), motions (motie) or every Kamerstuk.")
    ] = Kind.all,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would be fetched; download nothing.")
    ] = False,
) -> None:
    """Fetch a dossier's Kamerstukken (XML, else PDF, and metadata.xml) into the corpus folder."""
    from ingest.sources import koop

    settings = settings_or_exit()
    try:
        dossiers = [koop.check_dossier(d) for d in dossier]
    except ValueError as exc:
        raise fail(str(exc), 2) from None
    when = _since(since)
    fetcher = _fetcher(settings)
    counts: Counter[str] = Counter()
    try:
        for d in dossiers:
            records = _discover(fetcher, d, when, kind.value)
            if records is None:
                counts["failed"] += 1
                continue
            _run(fetcher, d, records, dry_run, counts)
            if not dry_run:
                fetcher.remember(d, kind.value)
    finally:
        fetcher.http.close()
    summary = ", ".join(f"{counts[a]} {a}" for a in ("fetched", "changed", "unchanged", "planned", "failed"))
    typer.echo(f"{summary}; corpus folder {settings.source_dir}")
    if counts["failed"]:
        raise typer.Exit(1)


def _ingest(target: GraphStore, settings: Settings, path: Path) -> tuple[str, str]:
    from ingest.renditions import extract_letter, save_beside, save_text

    raw, graph = extract_letter(path)
    summary = target.write_letter(graph)
    save_text(settings.text_dir, summary.letter, raw.text)
    save_beside(path, raw)
    return summary.letter, summary.action


def sync(
    store: StoreOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would change; change nothing.")
    ] = False,
) -> None:
    """Fetch what is new or changed in the dossiers fetched before, ingest it, and remove from the
    graph what the source has withdrawn."""
    from graph.store import StoreUnavailable
    from ingest.errors import LetterError
    from ingest.renditions import text_file
    from ingest.sources import koop

    settings = settings_or_exit()
    fetcher = _fetcher(settings)
    if not fetcher.manifest.dossiers:
        fetcher.http.close()
        raise fail(
            f"no dossiers fetched yet in {settings.source_dir}; run `regiograph fetch --dossier ...` first", 2
        )
    target = None if dry_run else open_store_or_exit(store)
    counts: Counter[str] = Counter()
    try:
        for dossier, entry in sorted(fetcher.manifest.dossiers.items()):
            records = _discover(fetcher, dossier, None, entry.kind)
            if records is None:
                counts["failed"] += 1
                continue
            results = _run(fetcher, dossier, records, dry_run, counts)
            listed = [r.identifier for r in records]
            gone = {ident: "no longer listed by the source" for ident in fetcher.gone(dossier, listed)}
            not_found = {
                r.identifier: r.reason for r in results if r.action == "failed" and r.status in (404, 410)
            }
            gone.update(not_found)
            for ident, reason in gone.items():
                if ident in not_found:
                    counts["failed"] -= 1  # a manifestation the source withdrew is a change, not a failure
                known = fetcher.manifest.documents.get(ident)
                if known is None or known.status != "present":
                    say(f"withdrawn {ident}: {reason} (never in the corpus)")
                    continue
                if dry_run:
                    say(f"planned   withdraw {ident}: {reason}")
                    continue
                result = fetcher.withdraw(ident, reason)
                counts["withdrawn"] += 1
                letter = result.letter or koop.letter_id(ident)
                summary = target.delete_letter(letter)  # type: ignore[union-attr]
                text_file(settings.text_dir, letter).unlink(missing_ok=True)
                say(f"withdrawn {ident}: {reason}; graph: {summary.action}")
            if dry_run:
                continue
            for ident, path in fetcher.to_ingest(dossier):
                try:
                    letter, action = _ingest(target, settings, path)  # type: ignore[arg-type]
                except StoreUnavailable as exc:
                    raise fail(f"{path}: {exc}") from None
                except LetterError as exc:
                    counts["failed"] += 1
                    say(f"error     {exc}", error=True)
                    continue
                fetcher.mark_ingested(ident, letter)
                counts["ingested"] += 1
                say(f"ingested  {ident} as {letter} ({action})")
            fetcher.remember(dossier, entry.kind)
    finally:
        fetcher.http.close()
        if target is not None:
            target.close()
    parts = ("fetched", "changed", "withdrawn", "unchanged", "ingested", "failed")
    typer.echo(", ".join(f"{counts[a]} {a}" for a in parts) + f"; corpus folder {settings.source_dir}")
    if counts["failed"] > 0:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("fetch")(fetch)
    app.command("sync")(sync)
