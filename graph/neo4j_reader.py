"""Reads the graph back from Neo4j as model objects, computed from the stored contributions so
that they equal what the memory store returns."""

from __future__ import annotations

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
from graph.store import EntityPage, Neighbour, QueryTooSlow, neighbour_order
from graph.text import fold

REL_FIELDS = (
    "type(r) AS type, startNode(r).id AS start, endNode(r).id AS end, r.derived AS derived, "
    "r.contributions AS c, r.shared_regions AS shared_regions, r.jaccard AS jaccard"
)


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

    def entity(self, node_id: str, limit: int | None = None, offset: int = 0) -> EntityPage | None:
        """The node and a page of its neighbours (what get_node and neighbours return) in one round
        trip. The page is cut in the server, in `neighbour_order`, before any contributions are read."""

        def work(tx):
            return tx.run(
                f"MATCH (n:{ENTITY} {{id: $id}}) "
                f"CALL {{ WITH n MATCH (n)-[r]-(m:{ENTITY}) RETURN count(r) AS total }} "
                f"CALL {{ WITH n MATCH (n)-[r]-(m:{ENTITY}) "
                "WITH r, m, type(r) AS t, CASE WHEN startNode(r) = n THEN 'out' ELSE 'in' END AS d "
                "ORDER BY t, d, m.id, coalesce(r.derived, false) SKIP $offset LIMIT $limit "
                f"RETURN collect({{{NEIGHBOUR_MAP}}}) AS rels }} "
                "RETURN n.contributions AS c, total, rels",
                id=node_id,
                offset=max(0, offset),
                limit=_ALL if limit is None else max(0, limit),
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

    def neighbours(self, node_id: str, rel_type: str | None = None) -> list[Neighbour]:
        pattern = f"[r:{rel_type_expr(rel_type)}]" if rel_type else "[r]"

        def work(tx):
            return list(
                tx.run(
                    f"MATCH (n:{ENTITY} {{id: $id}})-{pattern}-(m:{ENTITY}) "
                    f"RETURN {REL_FIELDS}, m.id AS other, m.contributions AS mc",
                    id=node_id,
                )
            )

        return _neighbours(node_id, self._read(work))

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
                source=source, target=target,
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

    def snapshot(self) -> Graph:
        def work(tx):
            nodes = [
                node_from(r["id"], r["c"])
                for r in tx.run(f"MATCH (n:{ENTITY}) RETURN n.id AS id, n.contributions AS c ORDER BY n.id")
            ]
            rels = [rel_from(r) for r in tx.run(f"MATCH (:{ENTITY})-[r]->(:{ENTITY}) RETURN {REL_FIELDS}")]
            return Graph(nodes=nodes, relationships=sort_relationships(rels))

        return self._read(work)

    def ping(self) -> bool:
        return self._read(lambda tx: tx.run("RETURN 1 AS one").single()["one"] == 1)
