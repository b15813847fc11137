"""`regiograph ingest --bulk`: letters into an empty Neo4j database through `neo4j-admin database
import full` (graph/neo4j_bulk.py writes the CSV), the served server stopped for the import and
started again, then the same constraints and indexes as the transactional path."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from regiograph.commands.common import fail, progress, say, settings_or_exit

if TYPE_CHECKING:
    from graph.model import Graph
    from graph.neo4j_bulk import BulkFiles
    from graph.neo4j_store import Neo4jStore
    from regiograph.neo4j_server import Neo4jServer
    from regiograph.settings import Settings


def _open(settings) -> Neo4jStore:
    from graph.neo4j_store import Neo4jStore
    from regiograph.stores import open_neo4j_store

    store = open_neo4j_store(settings)
    assert isinstance(store, Neo4jStore)
    return store


@dataclass
class BulkImport:
    """What one import did: its CSV files (with their counts), the seconds of each step (csv, stop,
    import, start+schema) and the graph's counts afterwards."""

    files: BulkFiles
    seconds: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def import_graphs(graphs: Iterable[Graph], settings: Settings, server: Neo4jServer) -> BulkImport:
    """Letters' graphs (read one at a time) into the empty database of `server`, which runs it: CSV,
    the server stopped, `neo4j-admin database import full`, started again, constraints and indexes, a
    new revision. On a failed import the server is started again and the error raised."""
    from graph.neo4j_bulk import write_bulk_csv
    from regiograph.neo4j_server import Neo4jServerError

    seconds: dict[str, float] = {}
    step = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bulk-", dir=settings.runtime_dir) as tmp:
        files = write_bulk_csv(graphs, Path(tmp))
        seconds["csv"] = time.perf_counter() - step
        say(f"stopping Neo4j ({server.uri}) for the import; it starts again afterwards")
        step = time.perf_counter()
        server.stop()
        seconds["stop"] = time.perf_counter() - step
        step = time.perf_counter()
        try:
            server.import_csv(files.arguments(), database=settings.neo4j_database)
        except Neo4jServerError:
            server.start()
            raise
        seconds["import"] = time.perf_counter() - step
    step = time.perf_counter()
    server.start()
    store = _open(settings)
    try:
        store.writer.ensure_schema()
        store.writer.bump_revision()  # the import changed the graph: cached answers are stale
        with store.driver.session(database=settings.neo4j_database) as session:
            session.run("CALL db.awaitIndexes(300)").consume()
        counts = store.counts()
    finally:
        store.close()
    seconds["start+schema"] = time.perf_counter() - step
    return BulkImport(files, seconds, counts)


def bulk_ingest(files: list[Path], jobs: int) -> None:
    from graph.neo4j_schema import REVISION
    from graph.store import StoreUnavailable
    from ingest.errors import LetterError
    from ingest.parallel import extract_letters
    from ingest.renditions import save_beside, save_text
    from regiograph.neo4j_server import Neo4jServer, Neo4jServerError

    settings = settings_or_exit()
    if settings.store != "neo4j":
        raise fail("--bulk writes a Neo4j database; set REGIOGRAPH_STORE=neo4j or drop --bulk", 2)
    server = Neo4jServer(settings)
    try:
        store = _open(settings)
    except StoreUnavailable as exc:
        raise fail(f"{exc}; --bulk checks that the database is empty first") from None
    try:
        with store.driver.session(database=settings.neo4j_database) as session:
            # The revision node outlives the letters (a token is never reused): it does not count.
            held = session.run(f"MATCH (n) WHERE NOT n:{REVISION} RETURN count(n) AS n").single()["n"]
    finally:
        store.close()
    if held:
        raise fail(
            f"--bulk needs an empty database; {settings.neo4j_database} holds {held} nodes. "
            "Ingest without --bulk to add letters to it, or delete them first.",
            2,
        )
    if server.running_pid() is None:
        raise fail(
            f"--bulk imports into the server `regiograph neo4j start` runs from {server.home}; "
            f"the server at {settings.neo4j_uri} is not that one",
            2,
        )

    tally = {"letters": 0, "failed": 0}

    def extracted() -> Iterator[Graph]:
        """The letters' graphs as they are extracted (write_bulk_csv takes one at a time)."""
        for path, result in progress(extract_letters(files, jobs), len(files)):
            if isinstance(result, LetterError):
                tally["failed"] += 1
                say(f"error     {result}", error=True)
                continue
            raw, graph = result
            tally["letters"] += 1
            save_text(settings.text_dir, graph.letter_ids()[0], raw.text)
            save_beside(path, raw)
            yield graph

    try:
        done = import_graphs(extracted(), settings, server)
    except Neo4jServerError as exc:
        raise fail(f"{exc}\nthe database was empty before; Neo4j runs again") from None
    counts = done.counts
    typer.echo(
        f"{tally['letters']} letter(s) imported ({tally['failed']} failed) in {done.seconds['csv']:.1f} s "
        f"extraction and CSV + {done.seconds['import']:.1f} s import: {done.files.node_count:,} nodes and "
        f"{done.files.relationship_count:,} "
        f"relationships with the lexical layer; the graph holds {counts['nodes']} nodes, "
        f"{counts['relationships']} relationships"
    )
    if tally["failed"]:
        raise typer.Exit(1)
