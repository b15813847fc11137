"""`regiograph ingest PATH...` and `regiograph delete LETTER_ID`: write letters into the configured store."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from graph.store import ChangeSummary, StoreUnavailable
from ingest.load import expand_paths
from regiograph.commands.common import (
    StoreOption,
    fail,
    open_store_or_exit,
    progress,
    say,
    settings_or_exit,
)


def describe(summary: ChangeSummary) -> str:
    dn = summary.nodes_after - summary.nodes_before
    dr = summary.relationships_after - summary.relationships_before
    s = summary
    return (
        f"{s.action:<9} {s.letter}: nodes {s.nodes_before} -> {s.nodes_after} ({dn:+d}), "
        f"relationships {summary.relationships_before} -> {summary.relationships_after} ({dr:+d})"
    )


def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Letter files or folders of them (searched recursively).")
    ],
    store: StoreOption = None,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Processes that extract letters [default: one per core]"),
    ] = None,
    bulk: Annotated[
        bool,
        typer.Option(
            "--bulk",
            help="Into an empty Neo4j database by neo4j-admin's bulk import (stops and restarts the server).",
        ),
    ] = False,
) -> None:
    """Extract letters and write them into the store (replacing earlier versions of the same letter).
    Letters are extracted in parallel and written one transaction each, in the order given."""
    try:
        files = list(expand_paths(paths))
    except FileNotFoundError as exc:
        raise fail(str(exc), 2) from None
    if not files:
        raise fail("no letter files found in " + ", ".join(map(str, paths)), 2)
    if bulk:
        from ingest.parallel import default_jobs
        from regiograph.commands.bulk import bulk_ingest

        return bulk_ingest(files, jobs or default_jobs())
    try:
        from ingest.errors import LetterError
        from ingest.parallel import default_jobs, extract_letters
        from ingest.renditions import save_beside, save_text
    except ImportError as exc:
        raise fail(f"the extraction pipeline is not available ({exc})") from None

    text_dir = settings_or_exit().text_dir
    target = open_store_or_exit(store)
    actions: Counter[str] = Counter()
    extracted = extract_letters(files, jobs or default_jobs())
    try:
        for path, result in progress(extracted, len(files)):
            try:
                if isinstance(result, LetterError):
                    raise result
                raw, graph = result
                summary = target.write_letter(graph)
                save_text(text_dir, summary.letter, raw.text)  # served by GET /letters/{id}/text
                save_beside(path, raw)  # kst-….xml.txt beside the source, so quotes can be checked
            except StoreUnavailable as exc:
                raise fail(f"{path}: {exc}") from None
            except Exception as exc:  # one bad letter must not stop the others
                actions["failed"] += 1
                reason = str(exc) if isinstance(exc, LetterError) else f"{path}: {type(exc).__name__}: {exc}"
                say(f"error     {reason}", error=True)
                continue
            actions[summary.action] += 1
            say(f"{describe(summary)}  [{path.name}]")
        counts = target.counts()
    finally:
        extracted.close()  # stops the workers when writing ended early
        target.close()
    done = ", ".join(f"{actions[a]} {a}" for a in ("created", "replaced", "unchanged", "failed"))
    typer.echo(
        f"{len(files)} letter(s): {done}; store holds {counts['nodes']} nodes, "
        f"{counts['relationships']} relationships"
    )
    if actions["failed"]:
        raise typer.Exit(1)


def delete(
    letter_id: Annotated[str, typer.Argument(help="Letter id, `letter:2024D51884` or `2024D51884`.")],
    store: StoreOption = None,
) -> None:
    """Remove a letter's evidence and whatever no other letter supports."""
    target = open_store_or_exit(store)
    try:
        summary = target.delete_letter(letter_id)
    except StoreUnavailable as exc:
        raise fail(str(exc)) from None
    finally:
        target.close()
    typer.echo(describe(summary))
    if summary.action == "absent":
        raise fail(f"no letter {summary.letter} in the store")


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
    app.command("delete")(delete)
