"""Writes letters into Neo4j: one transaction per letter, batched with UNWIND.

A write reads the letter's previous contribution (listed on its Letter node), takes it out of
every node and relationship it touched, adds the new one, deletes what no letter supports any
more and recomputes the derived OVERLAPS of the programmes whose coverage changed, all in the
same transaction: a failure anywhere leaves the database as it was. See graph/neo4j_store.py
for the stored layout.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from typing import Any

from graph import schema
from graph.contrib import (
    RelKey,
    change_summary,
    dump_contributions,
    extraction_digest,
    file_hash,
    letter_key,
    merge_node,
    merge_relationship,
    node_contributions,
    prepare_letter,
    rel_contributions,
)
from graph.derive import derive_overlaps
from graph.lexical import bases, lexical_rows
from graph.model import Graph, Node, Relationship
from graph.neo4j_schema import (
    CHUNK,
    ENTITY,
    FROM_CHUNK,
    FROM_DOCUMENT,
    LAYOUT_VERSION,
    NEXT_CHUNK,
    OBJECT,
    REVISION,
    REVISION_ID,
    STATEMENT,
    STATES,
    SUBJECT,
    ensure_schema,
    flatten,
    label_expr,
    neo4j_date,
    rel_type_expr,
    stale_label_expr,
)
from graph.store import ChangeSummary
from graph.text import search_text

LETTER_INTERNALS = ("contributed_nodes", "contributed_rels", "extraction_sha256")
MATCH_ENDS = f"MATCH (a:{ENTITY} {{id: row.start}}) MATCH (b:{ENTITY} {{id: row.end}})"


def counts_query() -> str:
    """Counts of the entity graph (what the memory store counts too); the lexical layer is left out.
    Every count is read from the count store, so it costs the same at 5 letters and at 10,000: the
    entity graph's relationships are those of its own types (the lexical layer has other types)."""
    parts = [f"COUNT {{ (:`{label}`) }} AS `{label}`" for label in schema.labels()]
    parts += [
        f"COUNT {{ (:{ENTITY}) }} AS nodes",
        f"COUNT {{ ()-[:{'|'.join(schema.relationship_types())}]->() }} AS relationships",
    ]
    return "RETURN " + ", ".join(parts)


def read_counts(tx) -> dict[str, int]:
    return dict(tx.run(counts_query()).single())


REVISION_QUERY = f"MATCH (r:{REVISION} {{id: '{REVISION_ID}'}}) RETURN r.token AS token"


def bump_revision(tx) -> str:
    """Give the graph a new revision token, in the transaction that changes it (so it commits, or not,
    with the change). Taken last: the lock on the one revision node is held only until the commit."""
    token = secrets.token_hex(12)
    tx.run(
        f"MERGE (r:{REVISION} {{id: $id}}) SET r.token = $token, r.changed = datetime()",
        id=REVISION_ID,
        token=token,
    ).consume()
    return token


def read_revision(tx) -> str | None:
    record = tx.run(REVISION_QUERY).single()
    return record["token"] if record else None


def stored_node(node_id: str, parts: dict[str, Node], internals: dict) -> tuple[tuple[str, ...], dict]:
    """The labels and properties a node is stored with: the visible node computed from its
    contributions, which are kept beside it (one transaction or the bulk import write the same)."""
    node = merge_node(node_id, parts)
    props = flatten({k: v for k, v in node.properties.items() if k != "letters"})
    props.update(
        id=node.id,
        name=node.name,
        aliases=node.aliases,
        letters=node.properties["letters"],
        search_text=search_text(node.name, node.aliases),
        contributions=dump_contributions(parts),
        **internals,
    )
    return tuple(sorted(node.labels)), props


def stored_rel(key: RelKey, parts: dict[str, Relationship]) -> dict:
    """`{start, end, props}` of a stated relationship as stored, from its contributions."""
    merged = merge_relationship(key, parts)
    props = flatten(merged.properties)
    props.update(
        derived=False,
        letters=merged.letters,
        evidence_count=len(merged.evidence),
        basis=bases(merged),
        contributions=dump_contributions(parts),
    )
    return {"start": merged.start, "end": merged.end, "props": props}


def letter_internals(prepared: Graph, digest: str) -> dict:
    """What a Letter node keeps about its own contribution, so it can be replaced or deleted exactly."""
    return {
        "contributed_nodes": sorted(n.id for n in prepared.nodes),
        "contributed_rels": json.dumps(sorted(r.key for r in prepared.relationships)),
        "extraction_sha256": digest,
    }


def _chunks(rows: list, size: int) -> Iterator[list]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


class Neo4jWriter:
    def __init__(self, driver, database: str | None = None, batch_size: int = 500):
        self.driver = driver
        self.database = database
        self.batch_size = batch_size
        self._schema_ready = False

    def ensure_schema(self) -> None:
        if not self._schema_ready:
            with self.driver.session(database=self.database, notifications_min_severity="OFF") as session:
                ensure_schema(session)
            self._schema_ready = True

    # -- public ------------------------------------------------------------------------------
    def write_letter(self, graph: Graph) -> ChangeSummary:
        prepared, letter_id = prepare_letter(graph)
        self.ensure_schema()
        with self.driver.session(database=self.database, notifications_min_severity="OFF") as session:
            return session.execute_write(self._write_tx, prepared, letter_id)

    def delete_letter(self, letter_id: str) -> ChangeSummary:
        letter_id = letter_key(letter_id)
        self.ensure_schema()
        with self.driver.session(database=self.database, notifications_min_severity="OFF") as session:
            return session.execute_write(self._delete_tx, letter_id)

    def bump_revision(self) -> str:
        """A new revision token on its own (after a change made outside this writer: the bulk import)."""
        self.ensure_schema()
        with self.driver.session(database=self.database, notifications_min_severity="OFF") as session:
            return session.execute_write(bump_revision)

    # -- transactions --------------------------------------------------------------------------
    def _previous(self, tx, letter_id: str) -> dict[str, Any] | None:
        """What the letter contributed last time (None if it was never written)."""
        record = tx.run(
            # SET takes the letter's write lock: concurrent writes of one letter run one after the other.
            f"MATCH (l:{ENTITY} {{id: $id}}) SET l.id = l.id "
            "RETURN l.sha256 AS sha256, l.extraction_sha256 AS digest, "
            "l.contributed_nodes AS nodes, l.contributed_rels AS rels",
            id=letter_id,
        ).single()
        if record is None or record["digest"] is None:
            return None
        return {
            "sha256": record["sha256"],
            "digest": record["digest"],
            "nodes": list(record["nodes"] or []),
            "rels": [tuple(key) for key in json.loads(record["rels"] or "[]")],
        }

    def _write_tx(self, tx, prepared: Graph, letter_id: str) -> ChangeSummary:
        before = read_counts(tx)
        old = self._previous(tx, letter_id)
        digest = f"{LAYOUT_VERSION}:{extraction_digest(prepared)}"
        if old and old["sha256"] == file_hash(prepared, letter_id) and old["digest"] == digest:
            return change_summary(letter_id, "unchanged", before, before)
        self._apply(tx, letter_id, prepared, digest, old)
        return change_summary(letter_id, "replaced" if old else "created", before, read_counts(tx))

    def _delete_tx(self, tx, letter_id: str) -> ChangeSummary:
        before = read_counts(tx)
        old = self._previous(tx, letter_id)
        if old is None:
            return change_summary(letter_id, "absent", before, before)
        self._apply(tx, letter_id, None, None, old)
        return change_summary(letter_id, "deleted", before, read_counts(tx))

    # -- the change ----------------------------------------------------------------------------
    def _apply(self, tx, letter_id: str, new: Graph | None, digest: str | None, old: dict | None) -> None:
        new_nodes = {n.id: n for n in new.nodes} if new else {}
        new_rels = {r.key: r for r in new.relationships} if new else {}
        node_ids = sorted(set(old["nodes"] if old else []) | set(new_nodes))
        rel_keys = sorted(set(old["rels"] if old else []) | set(new_rels))

        stored_nodes = self._read_nodes(tx, node_ids)
        stored_rels = self._read_rels(tx, rel_keys)

        drop_rels, keep_rels = [], []
        for key in rel_keys:
            parts = dict(stored_rels.get(key, {}))
            parts.pop(letter_id, None)
            if key in new_rels:
                parts[letter_id] = new_rels[key]
            if parts:
                keep_rels.append((key, parts))
            elif key in stored_rels:
                drop_rels.append(key)

        drop_nodes, node_rows = [], []
        for node_id in node_ids:
            labels, internals, node_parts = stored_nodes.get(node_id, ([], {}, {}))
            node_parts = dict(node_parts)
            node_parts.pop(letter_id, None)
            if node_id in new_nodes:
                node_parts[letter_id] = new_nodes[node_id]
            if not node_parts:
                drop_nodes.append(node_id)
                continue
            if node_id == letter_id:
                internals = {}
                if new is not None and digest is not None:
                    internals = letter_internals(new, digest)
            node_rows.append((node_id, labels, internals, node_parts))

        self._delete_lexical(tx, letter_id)
        self._delete_rels(tx, drop_rels)
        self._upsert_nodes(tx, node_rows)
        self._upsert_rels(tx, keep_rels, set(stored_rels))
        self._delete_nodes(tx, drop_nodes)
        if new is not None:
            self._write_lexical(tx, letter_id, new)
        self._rederive(tx, sorted({start for rel_type, start, _ in rel_keys if rel_type == "COVERS"}))
        bump_revision(tx)

    def _read_nodes(self, tx, node_ids: list[str]) -> dict[str, tuple[list[str], dict, dict[str, Node]]]:
        """Lock (creating bare placeholders where needed) and read the nodes, in id order.

        The locks serialise concurrent letters touching the same nodes, and so the relationships
        between them, so that no letter's contribution is lost; placeholders left without support
        are deleted again by the same transaction.
        """
        result = {}
        for chunk in _chunks(node_ids, self.batch_size):
            records = tx.run(
                f"UNWIND $ids AS id MERGE (n:{ENTITY} {{id: id}}) SET n.id = id "
                "RETURN n.id AS id, labels(n) AS labels, "
                "n.contributions AS c, " + ", ".join(f"n.{k} AS {k}" for k in LETTER_INTERNALS),
                ids=chunk,
            )
            for r in records:
                internals = {k: r[k] for k in LETTER_INTERNALS if r[k] is not None}
                result[r["id"]] = (r["labels"], internals, node_contributions(r["c"]))
        return result

    def _read_rels(self, tx, keys: list[RelKey]) -> dict[RelKey, dict[str, Relationship]]:
        result = {}
        for rel_type, rows in self._rows_by_type(keys):
            for chunk in _chunks(rows, self.batch_size):
                records = tx.run(
                    f"UNWIND $rows AS row MATCH (a:{ENTITY} {{id: row.start}})"
                    f"-[r:{rel_type_expr(rel_type)} {{derived: false}}]->(b:{ENTITY} {{id: row.end}}) "
                    "RETURN row.start AS start, row.end AS end, r.contributions AS c",
                    rows=chunk,
                )
                for r in records:
                    result[(rel_type, r["start"], r["end"])] = rel_contributions(r["c"])
        return result

    @staticmethod
    def _rows_by_type(keys: list[RelKey]) -> list[tuple[str, list[dict]]]:
        grouped: dict[str, list[dict]] = {}
        for rel_type, start, end in keys:
            grouped.setdefault(rel_type, []).append({"start": start, "end": end})
        return sorted(grouped.items())

    def _delete_rels(self, tx, keys: list[RelKey]) -> None:
        for rel_type, rows in self._rows_by_type(keys):
            for chunk in _chunks(rows, self.batch_size):
                tx.run(
                    f"UNWIND $rows AS row MATCH (:{ENTITY} {{id: row.start}})"
                    f"-[r:{rel_type_expr(rel_type)} {{derived: false}}]->(:{ENTITY} {{id: row.end}}) "
                    "DELETE r",
                    rows=chunk,
                ).consume()

    def _upsert_nodes(self, tx, rows: list[tuple[str, list[str], dict, dict[str, Node]]]) -> None:
        grouped: dict[tuple[tuple[str, ...], tuple[str, ...]], list[dict]] = {}
        for node_id, stored_labels, internals, parts in rows:
            labels, props = stored_node(node_id, parts, internals)
            # Labels the node no longer has, including those of an earlier layout (Document).
            stale = tuple(sorted(set(stored_labels) - set(labels) - {ENTITY}))
            grouped.setdefault((labels, stale), []).append({"id": node_id, "props": props})
        for (labels, stale), group in sorted(grouped.items()):
            remove = f" REMOVE n{stale_label_expr(stale)}" if stale else ""
            for chunk in _chunks(group, self.batch_size):
                tx.run(
                    f"UNWIND $rows AS row MERGE (n:{ENTITY} {{id: row.id}}) SET n = row.props "
                    f"SET n{label_expr(labels)}{remove}",
                    rows=chunk,
                ).consume()

    def _upsert_rels(
        self, tx, rels: list[tuple[RelKey, dict[str, Relationship]]], stored: set[RelKey]
    ) -> None:
        """Relationships known to exist are updated in place, new ones created (no MERGE needed)."""
        grouped: dict[tuple[str, bool], list[dict]] = {}
        for key, parts in rels:
            row = stored_rel(key, parts)
            grouped.setdefault((key[0], key in stored), []).append(row)
        for (rel_type, exists), rows in sorted(grouped.items()):
            rel = rel_type_expr(rel_type)
            if exists:
                query = (
                    f"UNWIND $rows AS row MATCH (:{ENTITY} {{id: row.start}})-[r:{rel} {{derived: false}}]->"
                    f"(:{ENTITY} {{id: row.end}}) SET r = row.props"
                )
            else:
                query = f"UNWIND $rows AS row {MATCH_ENDS} CREATE (a)-[r:{rel}]->(b) SET r = row.props"
            for chunk in _chunks(rows, self.batch_size):
                tx.run(query, rows=chunk).consume()

    def _delete_lexical(self, tx, letter_id: str) -> None:
        """Remove the letter's statements and chunks (each belongs to one letter only)."""
        for label in (STATEMENT, CHUNK):
            tx.run(f"MATCH (n:{label} {{letter: $id}}) DETACH DELETE n", id=letter_id).consume()

    def _write_lexical(self, tx, letter_id: str, graph: Graph) -> None:
        """The letter's chunks and statements (graph/lexical.py), linked to the letter and the entities."""
        letter = graph.node_index()[letter_id]
        rows = lexical_rows(letter_id, graph, neo4j_date(letter.properties.get("date")))
        steps = [
            (
                f"UNWIND $rows AS row MATCH (l:{ENTITY} {{id: $letter}}) "
                f"CREATE (c:{CHUNK}) SET c = row.props CREATE (c)-[:{FROM_DOCUMENT}]->(l)",
                rows.chunks,
            ),
            (
                f"UNWIND $rows AS row MATCH (a:{CHUNK} {{id: row.a}}) MATCH (b:{CHUNK} {{id: row.b}}) "
                f"CREATE (a)-[:{NEXT_CHUNK}]->(b)",
                rows.next_chunks,
            ),
            (
                f"UNWIND $rows AS row MATCH (l:{ENTITY} {{id: $letter}}) {MATCH_ENDS} "
                f"MATCH (c:{CHUNK} {{id: row.chunk}}) CREATE (s:{STATEMENT}) SET s = row.props "
                f"CREATE (l)-[:{STATES}]->(s), (s)-[:{SUBJECT}]->(a), (s)-[:{OBJECT}]->(b), "
                f"(s)-[:{FROM_CHUNK}]->(c)",
                rows.statements,
            ),
            (
                f"UNWIND $rows AS row MATCH (e:{ENTITY} {{id: row.entity}}) "
                f"MATCH (c:{CHUNK} {{id: row.chunk}}) CREATE (e)-[:{FROM_CHUNK}]->(c)",
                rows.entity_chunks,
            ),
        ]
        for query, step_rows in steps:
            for chunk in _chunks(step_rows, self.batch_size):
                tx.run(query, rows=chunk, letter=letter_id).consume()

    def _delete_nodes(self, tx, node_ids: list[str]) -> None:
        for chunk in _chunks(node_ids, self.batch_size):
            tx.run(f"UNWIND $ids AS id MATCH (n:{ENTITY} {{id: id}}) DETACH DELETE n", ids=chunk).consume()

    def _rederive(self, tx, programmes: list[str]) -> None:
        """Recompute the derived OVERLAPS touching programmes whose COVERS changed."""
        if not programmes:
            return
        for chunk in _chunks(programmes, self.batch_size):
            tx.run(
                f"UNWIND $ids AS id MATCH (:{ENTITY} {{id: id}})-[r:OVERLAPS {{derived: true}}]-() "
                "WITH DISTINCT r DELETE r",
                ids=chunk,
            ).consume()
        partners = tx.run(
            f"UNWIND $ids AS id MATCH (:{ENTITY} {{id: id}})-[:COVERS]->(:{ENTITY})<-[:COVERS]-(q:{ENTITY}) "
            "RETURN collect(DISTINCT q.id) AS ids",
            ids=programmes,
        ).single()["ids"]
        covered = {
            r["p"]: set(r["regions"])
            for r in tx.run(
                f"UNWIND $ids AS id MATCH (p:{ENTITY} {{id: id}})-[:COVERS]->(g:{ENTITY}) "
                "RETURN p.id AS p, collect(g.id) AS regions",
                ids=sorted(set(programmes) | set(partners)),
            )
        }
        rows = [
            {"start": r.start, "end": r.end, "props": {"derived": True, **r.properties}}
            for r in derive_overlaps(covered, only=set(programmes))
        ]
        for chunk in _chunks(rows, self.batch_size):
            tx.run(
                f"UNWIND $rows AS row {MATCH_ENDS} CREATE (a)-[r:OVERLAPS]->(b) SET r = row.props",
                rows=chunk,
            ).consume()
