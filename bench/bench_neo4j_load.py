"""Neo4j load throughput (relationships/s): the project's batched writer vs a naive writer.

Data: synthetic letters shaped like the real ones. Each letter brings its own programmes (50
COVERS each to a window of regions shared with neighbouring programmes, so derived OVERLAPS
exist), a coordinating ministry per programme (ministries shared by all letters), MENTIONS of its
own and of the previous letter's programmes, and a signatory; every relationship has one quote.
Defaults: 100 letters of 1,041-1,061 relationships = 106,080 relationships.

Both writers load the same full graph into an empty database (constraints and indexes in place):
- batched: graph.neo4j_writer.Neo4jWriter.write_letter, one transaction per letter with UNWIND
  batches of settings.batch_size rows, including what the naive writer does not do: per-letter
  contribution tracking, letters/evidence lists, replacement of earlier versions and the
  recomputation of derived OVERLAPS.
- naive: one auto-committed MERGE statement per node and per relationship (slow: minutes).
- incremental: the batched writer adding further letters to the database that holds the others.
- ceiling: what the server itself does with that volume, one transaction per letter: each letter's
  nodes merged, then per relationship a plain CREATE of it, its Statement and Chunk nodes and the
  seven lexical relationships the writer adds (no contributions, reads, evidence lists or OVERLAPS);
  the writer's rate over this one says how much of the time is the writer's own.
- bulk: `regiograph ingest --bulk`'s path into an empty database: CSV of the same stored rows
  (graph/neo4j_bulk.py), the server stopped, `neo4j-admin database import full`, started again,
  constraints and indexes created; wall time from the letters to a ready server.

Runs on a throwaway server of its own (free port, temporary folder, the jars of var/neo4j/lib),
stopped and deleted at the end: the served graph is never touched.
Run: .venv/bin/python bench/bench_neo4j_load.py [--letters 100] [--incremental 10]
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from neo4j import GraphDatabase
from tqdm import tqdm

from graph.model import Evidence, Graph, Node, Relationship
from graph.neo4j_schema import CHUNK, ENTITY, FROM_CHUNK, FROM_DOCUMENT, OBJECT, STATEMENT, STATES, SUBJECT
from graph.neo4j_writer import Neo4jWriter, read_counts
from regiograph.commands.bulk import import_graphs
from regiograph.neo4j_server import throwaway_server
from regiograph.settings import load_settings

PROGRAMMES_PER_LETTER = 20
COVERS_PER_PROGRAMME = 50
REGION_STEP = 5  # programme p covers regions [p*5, p*5 + 50): each region is covered by ~10 programmes
MINISTRIES = 12
# On an empty database the server warns about every not-yet-existing label, type and property.
QUIET = {"notifications_min_severity": "OFF"}


def synthetic_letter(i: int) -> Graph:
    letter = f"letter:2099D{i:05d}"
    source = f"2099D{i:05d}.txt"
    offset = 0

    def ev() -> list[Evidence]:
        nonlocal offset
        quote = f"Zin {offset}: het programma werkt samen met deze regio."
        offset += 1
        return [
            Evidence(
                letter=letter,
                source=source,
                start=offset * 80,
                end=offset * 80 + len(quote),
                quote=quote,
                rule="synthetic",
            )
        ]

    nodes = {
        letter: Node(
            id=letter,
            labels=["Letter"],
            name=f"Brief {i}",
            properties={"sha256": f"{i:064x}", "date": "2099-01-01", "source": source},
        )
    }
    nodes["person:p0"] = Node(id="person:p0", labels=["Person"], name="Minister Synthetisch")
    rels = [Relationship(type="SIGNED_BY", start=letter, end="person:p0", evidence=ev())]
    own = range(i * PROGRAMMES_PER_LETTER, (i + 1) * PROGRAMMES_PER_LETTER)
    previous = range(max(0, i - 1) * PROGRAMMES_PER_LETTER, i * PROGRAMMES_PER_LETTER) if i else own
    for p in own:
        pid, mid = f"programme:p{p}", f"ministry:m{p % MINISTRIES}"
        nodes[pid] = Node(id=pid, labels=["Programme"], name=f"Programma {p}", aliases=[f"P{p}"])
        nodes[mid] = Node(id=mid, labels=["Ministry"], name=f"Ministerie {p % MINISTRIES}")
        rels.append(Relationship(type="COORDINATES", start=mid, end=pid, evidence=ev()))
        rels.append(
            Relationship(type="MENTIONS", start=letter, end=pid, properties={"count": 2}, evidence=ev())
        )
        for r in range(p * REGION_STEP, p * REGION_STEP + COVERS_PER_PROGRAMME):
            rid = f"region:r{r}"
            nodes[rid] = Node(id=rid, labels=["Region"], name=f"Regio {r}")
            rels.append(Relationship(type="COVERS", start=pid, end=rid, evidence=ev()))
    for p in previous:
        pid = f"programme:p{p}"
        nodes.setdefault(pid, Node(id=pid, labels=["Programme"], name=f"Programma {p}"))
        if p not in own:
            rels.append(
                Relationship(type="MENTIONS", start=letter, end=pid, properties={"count": 1}, evidence=ev())
            )
    return Graph(nodes=list(nodes.values()), relationships=rels)


class NaiveWriter:
    """The obvious loop: one auto-committed statement per node and per relationship."""

    def __init__(self, driver, database: str):
        self.driver, self.database = driver, database

    def write_letter(self, graph: Graph) -> None:
        with self.driver.session(database=self.database) as session:
            for n in graph.nodes:
                session.run(
                    f"MERGE (n:Entity {{id: $id}}) SET n:`{n.labels[0]}`, "
                    "n.name = $name, n.aliases = $aliases",
                    id=n.id,
                    name=n.name,
                    aliases=n.aliases,
                ).consume()
            for r in graph.relationships:
                e = r.evidence[0]
                session.run(
                    f"MATCH (a:Entity {{id: $start}}) MATCH (b:Entity {{id: $end}}) "
                    f"MERGE (a)-[r:`{r.type}`]->(b) "
                    "SET r.evidence_letter = [$letter], r.evidence_quote = [$quote], "
                    "r.evidence_start = [$s], r.evidence_end = [$e]",
                    start=r.start,
                    end=r.end,
                    letter=e.letter,
                    quote=e.quote,
                    s=e.start,
                    e=e.end,
                ).consume()


def wipe(driver, database: str) -> None:
    with driver.session(database=database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()


def stored(driver, database: str) -> str:
    with driver.session(database=database) as session:
        counts = session.execute_read(read_counts)
        overlaps = session.run("MATCH ()-[r:OVERLAPS]->() RETURN count(r) AS n").single()["n"]
    return f"{counts['nodes']:,} nodes, {counts['relationships']:,} relationships ({overlaps:,} OVERLAPS)"


def timed(label: str, writer, letters: list[Graph]) -> float:
    total = sum(len(g.relationships) for g in letters)
    started = time.perf_counter()
    with tqdm(total=total, desc=label, unit=" rels", unit_scale=True, leave=False) as bar:
        for g in letters:
            writer.write_letter(g)
            bar.update(len(g.relationships))
    return time.perf_counter() - started


@contextmanager
def target(pagecache: str) -> Iterator[tuple[object, str, object]]:
    """A driver to a throwaway server, stopped on every exit path (a kill runs the finally too)."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with throwaway_server(load_settings(), heap="1g", pagecache=pagecache) as (server, own):
        print(f"throwaway Neo4j on {server.uri}")
        with GraphDatabase.driver(server.uri, auth=(own.neo4j_user, own.neo4j_password), **QUIET) as driver:
            yield driver, own.neo4j_database, server


CEILING = (
    f"UNWIND $rows AS row MATCH (a:{ENTITY} {{id: row.a}}) MATCH (b:{ENTITY} {{id: row.b}}) "
    "CREATE (a)-[:`%s` {derived: false}]->(b) "
    f"CREATE (s:{STATEMENT} {{id: row.s, quote: row.quote, start: row.start, end: row.end, letter: row.l}}) "
    f"CREATE (c:{CHUNK} {{id: row.s, text: row.quote, start: row.start, end: row.end, letter: row.l}}) "
    f"CREATE (s)-[:{SUBJECT}]->(a), (s)-[:{OBJECT}]->(b), (s)-[:{FROM_CHUNK}]->(c), "
    f"(a)-[:{FROM_CHUNK}]->(c), (b)-[:{FROM_CHUNK}]->(c) WITH row, s, c MATCH (l:{ENTITY} {{id: row.l}}) "
    f"CREATE (l)-[:{STATES}]->(s), (c)-[:{FROM_DOCUMENT}]->(l)"
)


class CeilingWriter:
    """Plain creation of a letter's volume in one transaction (see the module docstring); `made`
    counts the relationships created, the lexical ones included."""

    def __init__(self, driver, database: str):
        self.driver, self.database = driver, database
        self.made = 0

    def write_letter(self, graph: Graph) -> None:
        with self.driver.session(database=self.database) as session:
            self.made += session.execute_write(self._write, graph)

    @staticmethod
    def _write(tx, graph: Graph) -> int:
        tx.run(f"UNWIND $ids AS id MERGE (:{ENTITY} {{id: id}})", ids=[n.id for n in graph.nodes]).consume()
        by_type: dict[str, list[dict]] = {}
        for r in graph.relationships:
            e = r.evidence[0]
            by_type.setdefault(r.type, []).append(
                {
                    "a": r.start,
                    "b": r.end,
                    "s": str(r.key),
                    "l": e.letter,
                    "quote": e.quote,
                    "start": e.start,
                    "end": e.end,
                }
            )
        return sum(
            tx.run(CEILING % rel_type, rows=rows).consume().counters.relationships_created
            for rel_type, rows in sorted(by_type.items())
        )


def bulk(server, letters: list[Graph]) -> dict[str, float]:
    """Letters to a ready server through `ingest --bulk`'s import (the database is empty), timed by step."""
    started = time.perf_counter()
    done = import_graphs(letters, server.settings, server)
    return {**done.seconds, "total": time.perf_counter() - started, "written": done.files.relationship_count}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=100)
    parser.add_argument("--incremental", type=int, default=10, help="letters added to the loaded database")
    parser.add_argument("--pagecache", default="1g", help="page cache of the throwaway server")
    args = parser.parse_args()

    batch_size = load_settings().batch_size
    letters = [synthetic_letter(i) for i in range(args.letters)]
    rels = sum(len(g.relationships) for g in letters)
    print(f"{len(letters)} letters, {rels:,} relationships; batch {batch_size}, page cache {args.pagecache}")

    with target(args.pagecache) as (driver, db, server):
        writer = Neo4jWriter(driver, database=db, batch_size=batch_size)
        naive = NaiveWriter(driver, db)
        wipe(driver, db)
        writer.ensure_schema()  # constraints and indexes stay for the naive phase too
        # Warm-up: a fresh server plans and compiles each query on first use.
        for warm in (writer, naive):
            timed("warm-up", warm, letters[:1])
            wipe(driver, db)
        batched_s = timed("batched", writer, letters)
        print(f"batched stored: {stored(driver, db)}")

        rewrite_started = time.perf_counter()
        again = letters[:10]
        unchanged = sum(writer.write_letter(g).action == "unchanged" for g in again)
        rewrite_s = time.perf_counter() - rewrite_started

        extra = [synthetic_letter(args.letters + i) for i in range(args.incremental)]
        extra_rels = sum(len(g.relationships) for g in extra)
        incremental_s = timed("incremental", writer, extra)

        wipe(driver, db)
        plain = CeilingWriter(driver, db)
        ceiling_s = timed("ceiling", plain, letters)
        wipe(driver, db)
        naive_s = timed("naive", naive, letters)
        print(f"naive stored:   {stored(driver, db)}")
        wipe(driver, db)
        bulk_times = bulk(server, letters)
        bulk_s = bulk_times["total"]
        print(f"bulk stored:    {stored(driver, db)}")

    for label, seconds in (("batched", batched_s), ("naive", naive_s), ("bulk", bulk_s)):
        rate = rels / seconds
        print(f"{label + ' writer:':<16}{rels:,} relationships in {seconds:7.1f} s = {rate:8,.0f} rels/s")
    print(
        f"{'incremental:':<16}{extra_rels:,} relationships of {len(extra)} more letters in "
        f"{incremental_s:7.1f} s = {extra_rels / incremental_s:8,.0f} rels/s"
    )
    print(
        f"{'ceiling:':<16}{rels:,} relationships ({plain.made:,} with the lexical ones) created plainly "
        f"in {ceiling_s:7.1f} s = {rels / ceiling_s:8,.0f} rels/s ({plain.made / ceiling_s:,.0f} in all); "
        f"the batched writer runs at {ceiling_s / batched_s:.2f}x this"
    )
    print(f"ratio batched/naive: {naive_s / batched_s:.1f}x; bulk/naive: {naive_s / bulk_s:.1f}x")
    steps = ", ".join(f"{k} {v:.1f} s" for k, v in bulk_times.items() if k not in ("total", "written"))
    print(
        f"bulk steps: {steps}; the import tool alone: {rels / bulk_times['import']:,.0f} rels/s "
        f"({bulk_times['written']:,.0f} relationships written with the lexical layer)"
    )
    print(f"re-writing {len(again)} unchanged letters: {rewrite_s:.2f} s ({unchanged} reported unchanged)")


if __name__ == "__main__":
    main()
