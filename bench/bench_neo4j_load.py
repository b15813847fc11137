"""Neo4j load throughput (relationships/s): the store's batched writer vs a naive writer.

Data: synthetic letters shaped like the real ones. Each letter brings its own programmes (50
COVERS each to a window of regions shared with neighbouring programmes, so derived OVERLAPS
exist), a coordinating ministry per programme (ministries shared by all letters), MENTIONS of its
own and of the previous letter's programmes, and a signatory; every relationship has one quote.
Defaults: 100 letters of 1,041-1,061 relationships = 106,080 relationships.

- batched: graph.neo4j_store.Neo4jStore.write_letter, one transaction per letter with UNWIND
  batches of settings.batch_size rows, including what the naive writer does not do: per-letter
  contribution tracking, letters/evidence lists, replacement of earlier versions and the
  recomputation of derived OVERLAPS. Run on ALL letters.
- naive:   one auto-committed MERGE statement per node and per relationship, run on a SAMPLE
  (the first letters, about --naive-rels relationships) because it is slow; its rate is
  reported per second of that sample.
The batched writer is also timed on the same sample, for a like-for-like ratio.

WARNING: wipes the configured Neo4j database (`MATCH (n) DETACH DELETE n`) before each phase.
Run: .venv/bin/python bench/bench_neo4j_load.py [--letters 100] [--naive-rels 5000]
"""

from __future__ import annotations

import argparse
import time

from neo4j import GraphDatabase
from tqdm import tqdm

from graph.model import Evidence, Graph, Node, Relationship
from graph.neo4j_store import Neo4jStore
from regiograph.settings import load_settings

PROGRAMMES_PER_LETTER = 20
COVERS_PER_PROGRAMME = 50
REGION_STEP = 5  # programme p covers regions [p*5, p*5 + 50): each region is covered by ~10 programmes
MINISTRIES = 12


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


def row(label: str, seconds: float, rate: float) -> str:
    return f"{label:<45} {seconds:8.1f} s {rate:10,.0f} relationships/s"


def wipe(driver, database: str) -> None:
    with driver.session(database=database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()


def timed(label: str, writer, letters: list[Graph]) -> tuple[float, int]:
    started = time.perf_counter()
    for g in tqdm(letters, desc=label, unit="letter", leave=False):
        writer.write_letter(g)
    return time.perf_counter() - started, sum(len(g.relationships) for g in letters)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=100)
    parser.add_argument("--naive-rels", type=int, default=5000, help="size of the naive writer's sample")
    args = parser.parse_args()

    settings = load_settings()
    driver = GraphDatabase.driver(
        settings.neo4j_uri, auth=(settings.neo4j_user, settings.resolved_neo4j_password())
    )
    driver.verify_connectivity()
    db = settings.neo4j_database
    letters = [synthetic_letter(i) for i in range(args.letters)]
    per_letter = len(letters[0].relationships)
    sample = letters[: max(1, -(-args.naive_rels // per_letter))]
    store = Neo4jStore(driver, database=db, batch_size=settings.batch_size)
    print(
        f"{len(letters)} letters, {sum(len(g.relationships) for g in letters):,} relationships "
        f"({per_letter} per letter); batch size {settings.batch_size}; naive sample: {len(sample)} letters"
    )

    wipe(driver, db)
    store.ensure_schema()  # constraints and indexes exist for every phase
    full_s, full_rels = timed("batched, all letters", store, letters)
    counts = store.counts()
    print(
        f"stored: {counts['nodes']:,} nodes, {counts['relationships']:,} relationships "
        f"(incl. {len(store.relationships('OVERLAPS')):,} derived OVERLAPS)"
    )

    rewrite_started = time.perf_counter()
    unchanged = sum(store.write_letter(g).action == "unchanged" for g in letters[:10])
    rewrite_s = time.perf_counter() - rewrite_started

    wipe(driver, db)
    batched_s, sample_rels = timed("batched, sample", store, sample)
    wipe(driver, db)
    naive_s, _ = timed("naive, sample", NaiveWriter(driver, db), sample)
    wipe(driver, db)
    driver.close()

    full_rate, batched_rate, naive_rate = full_rels / full_s, sample_rels / batched_s, sample_rels / naive_s
    print(row(f"batched writer, all {full_rels:,} relationships", full_s, full_rate))
    print(row(f"batched writer, sample of {sample_rels:,}", batched_s, batched_rate))
    print(row(f"naive writer, sample of {sample_rels:,}", naive_s, naive_rate))
    print(
        f"ratio batched/naive: {full_rate / naive_rate:.1f}x (all letters vs naive sample), "
        f"{batched_rate / naive_rate:.1f}x (same sample)"
    )
    print(f"re-writing 10 unchanged letters: {rewrite_s:.2f} s ({unchanged}/10 reported unchanged)")


if __name__ == "__main__":
    main()
