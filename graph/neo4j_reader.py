"""Reads the graph back from Neo4j as model objects, computed from the stored contributions so
that they equal what the memory store returns."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from neo4j import READ_ACCESS, unit_of_work
from neo4j.exceptions import ClientError

from graph import schema
from graph.contrib import (
    check_label,
    merge_node,
    merge_relationship,
    node_contributions,
    rel_contributions,
    sort_relationships,
)
from graph.model import Graph, Node, Relationship
from graph.neo4j_schema import ENTITY, label_expr, rel_type_expr, rel_types_expr
from graph.neo4j_writer import read_counts, read_revision
from graph.spool import SpooledRelationships, spooled_graph
from graph.store import EntityPage, Neighbour, QueryTooSlow, neighbour_order
from graph.text import fold

REL_PROPERTIES = (
    "r.derived AS derived, r.contributions AS c, r.shared_regions AS shared_regions, r.jaccard AS jaccard"
)
REL_FIELDS = f"type(r) AS type, startNode(r).id AS start, endNode(r).id AS end, {REL_PROPERTIES}"
# Which way r points, seen from n: the stores' `Neighbour.direction`.
DIRECTION = "CASE WHEN startNode(r) = n THEN 'out' ELSE 'in' END"


def node_from(node_id: str, raw: str | None) -> Node:
    return merge_node(node_id, node_contributions(raw))


def rel_from(record) -> Relationship:
    if record["derived"]:
        return Relationship(
            type=record["type"],
            start=record["start"],
            end=record["end"],
            derived=True,
            properties={"shared_regions": list(record["shared_regions"]), "jaccard": record["jaccard"]},
        )
    key = (record["type"], record["start"], record["end"])
    return merge_relationship(key, rel_contributions(record["c"]))


# The fields of REL_FIELDS (and the neighbour's) as one map per relationship, for pattern comprehensions.
NEIGHBOUR_MAP = (
    "type: type(r), start: startNode(r).id, end: endNode(r).id, derived: r.derived, c: r.contributions, "
    "shared_regions: r.shared_regions, jaccard: r.jaccard, other: m.id, mc: m.contributions"
)


def _neighbours(node_id: str, rows) -> list[Neighbour]:
    """Neighbours from rows (records or maps) of REL_FIELDS plus `other` and `mc`, in the stores' order."""
    found = [
        Neighbour(
            relationship=rel_from(r),
            node=node_from(r["other"], r["mc"]),
            direction="out" if r["start"] == node_id else "in",
        )
        for r in rows
    ]
    found.sort(key=neighbour_order)
    return found


_ALL = 2**62  # LIMIT of "every neighbour"


def _neighbour_page(pattern: str) -> str:
    """The clauses that match n's neighbours over `pattern` (binding r and m) in `neighbour_order`,
    from $offset, at most $limit: cut before anything large (the contributions) is read."""
    return (
        f"MATCH (n)-{pattern}-(m:{ENTITY}) "
        f"WITH n, r, m, type(r) AS t, {DIRECTION} AS d "
        "ORDER BY t, d, m.id, coalesce(r.derived, false) SKIP $offset LIMIT $limit"
    )


def _page(limit: int | None, offset: int) -> dict[str, int]:
    return {"offset": max(0, offset), "limit": _ALL if limit is None else max(0, limit)}


# A public GET must not tie up the server: path searches stop after this many seconds.
PATH_TIMEOUT = 10.0


class Neo4jReader:
    def __init__(self, driver, database: str | None = None):
        self.driver = driver
        self.database = database

    def _read(self, work, *args):
        with self.driver.session(database=self.database, notifications_min_severity="OFF") as session:
            return session.execute_read(work, *args)

    def counts(self) -> dict[str, int]:
        return self._read(read_counts)

    def letters(self) -> list[Node]:
        def work(tx):
            rows = tx.run(f"MATCH (n:Letter:{ENTITY}) RETURN n.id AS id, n.contributions AS c ORDER BY n.id")
            return [node_from(r["id"], r["c"]) for r in rows]

        return self._read(work)

    def get_node(self, node_id: str) -> Node | None:
        def work(tx):
            r = tx.run(f"MATCH (n:{ENTITY} {{id: $id}}) RETURN n.contributions AS c", id=node_id).single()
            return node_from(node_id, r["c"]) if r else None

        return self._read(work)

    def revision(self) -> str | None:
        # An auto-commit read: one round trip fewer than a managed transaction, for a query asked often.
        with self.driver.session(
            database=self.database, default_access_mode=READ_ACCESS, notifications_min_severity="OFF"
        ) as session:
            return read_revision(session)

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        def work(tx):
            rows = tx.run(
                f"UNWIND $ids AS id MATCH (n:{ENTITY} {{id: id}}) RETURN n.id AS id, n.contributions AS c",
                ids=list(dict.fromkeys(node_ids)),
            )
            return {r["id"]: node_from(r["id"], r["c"]) for r in rows}

        return self._read(work)

    def entity(self, node_id: str, limit: int | None = None, offset: int = 0) -> EntityPage | None:
        """The node and a page of its neighbours (what get_node and neighbours return) in one round
        trip. The page is cut in the server, in `neighbour_order`, before any contributions are read."""

        def work(tx):
            return tx.run(
                f"MATCH (n:{ENTITY} {{id: $id}}) "
                f"CALL {{ WITH n MATCH (n)-[r]-(m:{ENTITY}) RETURN count(r) AS total }} "
                f"CALL {{ WITH n {_neighbour_page('[r]')} RETURN collect({{{NEIGHBOUR_MAP}}}) AS rels }} "
                "RETURN n.contributions AS c, total, rels",
                id=node_id,
                **_page(limit, offset),
            ).single()

        record = self._read(work)
        if record is None:
            return None
        return EntityPage(
            node=node_from(node_id, record["c"]),
            neighbours=_neighbours(node_id, record["rels"]),
            total=record["total"],
        )

    def search(self, q: str = "", label: str | None = None, limit: int = 20, offset: int = 0) -> list[Node]:
        labels = label_expr([ENTITY, check_label(label)] if label else [ENTITY])

        def work(tx):
            rows = tx.run(
                f"MATCH (n{labels}) WHERE n.search_text CONTAINS $q "
                "RETURN n.id AS id, n.contributions AS c ORDER BY n.name, n.id SKIP $offset LIMIT $limit",
                q=fold(q),
                offset=max(0, offset),
                limit=max(0, limit),
            )
            return [node_from(r["id"], r["c"]) for r in rows]

        return self._read(work)

    def neighbours(
        self, node_id: str, rel_type: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[Neighbour]:
        pattern = f"[r:{rel_type_expr(rel_type)}]" if rel_type else "[r]"

        def work(tx):
            return list(
                tx.run(
                    f"MATCH (n:{ENTITY} {{id: $id}}) {_neighbour_page(pattern)} "
                    f"RETURN {{{NEIGHBOUR_MAP}}} AS row",
                    id=node_id,
                    **_page(limit, offset),
                )
            )

        return _neighbours(node_id, [record["row"] for record in self._read(work)])

    def neighbour_counts(self, node_id: str) -> dict[tuple[str, str], int]:
        def work(tx):
            rows = tx.run(
                f"MATCH (n:{ENTITY} {{id: $id}})-[r]-(:{ENTITY}) "
                f"RETURN type(r) AS t, {DIRECTION} AS d, count(r) AS c",
                id=node_id,
            )
            return {(r["t"], r["d"]): r["c"] for r in rows}

        return self._read(work)

    def end_counts(self, rel_type: str) -> dict[str, int]:
        def work(tx):
            rows = tx.run(
                f"MATCH (a:{ENTITY})-[:{rel_type_expr(rel_type)}]->(b:{ENTITY}) "
                "RETURN a.id AS id, count(DISTINCT b) AS n"
            )
            return {r["id"]: r["n"] for r in rows}

        return self._read(work)

    def letter_relationships(self, letter_id: str) -> list[Relationship]:
        """Looked up by the keys the letter node keeps of its contribution, one indexed match each."""

        def work(tx):
            found = tx.run(
                f"MATCH (l:Letter:{ENTITY} {{id: $id}}) RETURN l.contributed_rels AS keys", id=letter_id
            ).single()
            if found is None or not found["keys"]:
                return []
            rows = tx.run(
                f"UNWIND $keys AS k MATCH (a:{ENTITY} {{id: k[1]}})-[r]->(b:{ENTITY} {{id: k[2]}}) "
                f"WHERE type(r) = k[0] AND NOT coalesce(r.derived, false) RETURN {REL_FIELDS}",
                keys=json.loads(found["keys"]),
            )
            return [rel_from(r) for r in rows]

        rels = self._read(work)
        return sort_relationships(r for r in rels if any(e.letter == letter_id for e in r.evidence))

    def relationships(
        self, rel_type: str | None = None, start: str | None = None, end: str | None = None
    ) -> list[Relationship]:
        rel = f"[r:{rel_type_expr(rel_type)}]" if rel_type else "[r]"
        a = f"(a:{ENTITY} {{id: $start}})" if start is not None else f"(a:{ENTITY})"
        b = f"(b:{ENTITY} {{id: $end}})" if end is not None else f"(b:{ENTITY})"

        def work(tx):
            return [
                rel_from(r) for r in tx.run(f"MATCH {a}-{rel}->{b} RETURN {REL_FIELDS}", start=start, end=end)
            ]

        return sort_relationships(self._read(work))

    def shortest_path(self, source: str, target: str, include_mentions: bool = False) -> list[str] | None:
        if source == target:
            return [source] if self.get_node(source) else None

        @unit_of_work(timeout=PATH_TIMEOUT)
        def work(tx):
            # MENTIONS reach every letter; leaving them out keeps paths between actors meaningful.
            # Entity relationships only: the lexical layer (statements, chunks) is not a path.
            types = [t for t in schema.relationship_types() if include_mentions or t != "MENTIONS"]
            record = tx.run(
                f"MATCH (a:{ENTITY} {{id: $source}}), (b:{ENTITY} {{id: $target}}) "
                f"MATCH p = shortestPath((a)-[:{rel_types_expr(types)}*..32]-(b)) "
                "RETURN [n IN nodes(p) | n.id] AS ids",
                source=source,
                target=target,
            ).single()
            return list(record["ids"]) if record else None

        try:
            return self._read(work)
        except ClientError as exc:
            if "TransactionTimedOut" not in (exc.code or ""):
                raise
            raise QueryTooSlow(
                f"no path found within {PATH_TIMEOUT:g} s between {source!r} and {target!r}; "
                "leave out include_mentions or pick closer entities"
            ) from None

    def snapshot(self, rel_types: Sequence[str] | None = None) -> Graph:
        pattern = "[r]" if rel_types is None else f"[r:{rel_types_expr(rel_types)}]"

        def work(tx):
            rels = [
                rel_from(r) for r in tx.run(f"MATCH (:{ENTITY})-{pattern}->(:{ENTITY}) RETURN {REL_FIELDS}")
            ]
            return Graph(nodes=self._nodes(tx), relationships=sort_relationships(rels))

        return self._read(work)

    @staticmethod
    def _nodes(tx) -> list[Node]:
        query = f"MATCH (n:{ENTITY}) RETURN n.id AS id, n.contributions AS c ORDER BY n.id"
        return [node_from(r["id"], r["c"]) for r in tx.run(query)]

    def spooled_snapshot(self, directory: Path) -> Graph:
        """The snapshot with its relationships streamed from the server into a file under `directory`
        (graph/spool.py), in the snapshot's order: the server sorts the keys alone and reads each
        relationship's contributions as its row is sent, so neither side holds them all."""
        with self.driver.session(
            database=self.database, default_access_mode=READ_ACCESS, notifications_min_severity="OFF"
        ) as session:
            nodes = session.execute_read(self._nodes)
            rows = session.run(
                f"MATCH (a:{ENTITY})-[r]->(b:{ENTITY}) "
                "WITH r, type(r) AS type, a.id AS start, b.id AS end "
                "ORDER BY type, start, end, coalesce(r.derived, false) "
                f"RETURN type, start, end, {REL_PROPERTIES}"
            )
            rels = SpooledRelationships(directory / "relationships.pickle", map(rel_from, rows))
        return spooled_graph(nodes, rels)

    def ping(self) -> bool:
        return self._read(lambda tx: tx.run("RETURN 1 AS one").single()["one"] == 1)
