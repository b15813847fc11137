"""Writes letters into Neo4j: one transaction per letter, batched with UNWIND.

A write reads the letter's previous contribution (listed on its Letter node), takes it out of
every node and relationship it touched, adds the new one, deletes what no letter supports any
more and recomputes the derived OVERLAPS of the programmes whose coverage changed, all in the
same transaction: a failure anywhere leaves the database as it was. See graph/neo4j_store.py
for the stored layout.

A write is a handful of statements whatever the letter's size (`Steps`): one locks the letter and
reads its previous contribution with the totals, one locks and reads the touched nodes and
relationships, one makes the whole change (each step a CALL subquery over its UNWIND rows), one
creates the derived OVERLAPS. The nodes and relationships read are addressed by element id from
then on, so the change does no index lookups; the totals after the change are counted from what
the statements created and deleted (re-counting in a transaction with pending changes makes the
server walk all of them once per label and type counted).
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
MATCH_EIDS = "MATCH (a) WHERE elementId(a) = row.a MATCH (b) WHERE elementId(b) = row.b"


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


def entity_rel_types() -> str:
    """Every relationship type of the entity graph, as one pattern alternative (`A|B|...`)."""
    return "|".join(f"`{t}`" for t in schema.relationship_types())


def totals_query() -> str:
    """Lock the letter node (so concurrent writes of one letter run one after the other), read what
    it contributed last time and the two totals a change summary reports."""
    return (
        f"OPTIONAL MATCH (l:{ENTITY} {{id: $id}}) SET l.id = l.id "
        "RETURN l.sha256 AS sha256, l.extraction_sha256 AS digest, "
        "l.contributed_nodes AS nodes, l.contributed_rels AS rels, "
        f"COUNT {{ (:{ENTITY}) }} AS node_total, "
        f"COUNT {{ ()-[:{entity_rel_types()}]->() }} AS relationship_total"
    )


class Steps:
    """The steps of one letter's change as few statements as possible: every step is a CALL subquery
    over rows of its own, the subqueries run in order within a statement, and a statement is sent
    when a step has more rows than the batch size (the rest of its rows follow in statements of
    their own). A step may RETURN one aggregate AS `out`: `results` adds up the counts and joins
    the lists of all its batches under the step's name."""

    def __init__(self, tx, batch_size: int, **shared: Any):
        self.tx, self.batch_size, self.shared = tx, batch_size, shared
        self.results: dict[str, Any] = {}
        self.nodes_created = 0
        self._blocks: list[str] = []
        self._params: dict[str, Any] = {}
        self._outs: list[tuple[str, str]] = []

    def add(self, body: str, rows: list | dict | None = None, name: str | None = None) -> None:
        """`body` reads its rows from `$rows`; a step without rows, or with a map of them, runs once."""
        if rows is None or isinstance(rows, dict):
            self._block(body, rows, name)
            return
        batches = list(_chunks(rows, self.batch_size))
        for i, batch in enumerate(batches):
            if i:
                self.run()
            self._block(body, batch, name)

    def _block(self, body: str, rows: list | dict | None, name: str | None) -> None:
        n = len(self._blocks)
        if rows is not None:
            body = body.replace("$rows", f"$r{n}")
            self._params[f"r{n}"] = rows
        if name is not None:
            body = body.replace(" AS out", f" AS o{n}")
            self._outs.append((name, f"o{n}"))
        self._blocks.append(f"CALL {{ {body} }}")

    def run(self) -> None:
        if not self._blocks:
            return
        outs = ", ".join(alias for _, alias in self._outs) or "count(*) AS done"
        result = self.tx.run("\n".join(self._blocks) + f"\nRETURN {outs}", **self._params, **self.shared)
        record = result.single()
        self.nodes_created += result.consume().counters.nodes_created
        for name, alias in self._outs:
            value = record[alias]
            if isinstance(value, list):
                self.results.setdefault(name, []).extend(value)
            else:
                self.results[name] = self.results.get(name, 0) + value
        self._blocks, self._params, self._outs = [], {}, []

    def count(self, name: str) -> int:
        return int(self.results.get(name, 0))


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
    def _previous(self, tx, letter_id: str) -> tuple[dict[str, int], dict[str, Any] | None]:
        """The totals before the change and what the letter contributed last time (None if it was
        never written); the letter's node is locked from here on."""
        record = tx.run(totals_query(), id=letter_id).single()
        before = {"nodes": record["node_total"], "relationships": record["relationship_total"]}
        if record["digest"] is None:
            return before, None
        return before, {
            "sha256": record["sha256"],
            "digest": record["digest"],
            "nodes": list(record["nodes"] or []),
            "rels": [tuple(key) for key in json.loads(record["rels"] or "[]")],
        }

    def _write_tx(self, tx, prepared: Graph, letter_id: str) -> ChangeSummary:
        before, old = self._previous(tx, letter_id)
        digest = f"{LAYOUT_VERSION}:{extraction_digest(prepared)}"
        if old and old["sha256"] == file_hash(prepared, letter_id) and old["digest"] == digest:
            return change_summary(letter_id, "unchanged", before, before)
        after = self._apply(tx, letter_id, prepared, digest, old, before)
        return change_summary(letter_id, "replaced" if old else "created", before, after)

    def _delete_tx(self, tx, letter_id: str) -> ChangeSummary:
        before, old = self._previous(tx, letter_id)
        if old is None:
            return change_summary(letter_id, "absent", before, before)
        after = self._apply(tx, letter_id, None, None, old, before)
        return change_summary(letter_id, "deleted", before, after)

    # -- the change ----------------------------------------------------------------------------
    def _apply(
        self, tx, letter_id: str, new: Graph | None, digest: str | None, old: dict | None, before: dict
    ) -> dict[str, int]:
        """Replace the letter's old contribution by the new one (None: delete it); returns the totals
        after the change, counted from what the statements created and deleted."""
        new_nodes = {n.id: n for n in new.nodes} if new else {}
        new_rels = {r.key: r for r in new.relationships} if new else {}
        node_ids = sorted(set(old["nodes"] if old else []) | set(new_nodes))
        rel_keys = sorted(set(old["rels"] if old else []) | set(new_rels))

        reads = Steps(tx, self.batch_size)
        self._read_nodes(reads, node_ids)
        self._read_rels(reads, rel_keys)
        reads.run()
        # Element ids address the nodes and relationships read for the rest of the transaction
        # (no index lookups); they are valid within one transaction only, which is all they serve.
        stored_nodes = {
            r[0]: (r[2], {k: v for k, v in zip(LETTER_INTERNALS, r[4:], strict=True) if v is not None}, r[3])
            for r in reads.results.get("nodes", [])
        }
        eids = {r[0]: r[1] for r in reads.results.get("nodes", [])}
        stored_rels = {(r[0], r[1], r[2]): (r[3], r[4]) for r in reads.results.get("rels", [])}

        drop_rels, keep_rels = [], []
        for key in rel_keys:
            raw = stored_rels[key][0] if key in stored_rels else None
            parts = rel_contributions(raw) if raw is not None else {}
            parts.pop(letter_id, None)
            if key in new_rels:
                parts[letter_id] = new_rels[key]
            if parts:
                keep_rels.append((key, parts))
            elif key in stored_rels:
                drop_rels.append(stored_rels[key][1])

        drop_nodes, node_rows = [], []
        for node_id in node_ids:
            labels, internals, raw = stored_nodes.get(node_id, ([], {}, None))
            node_parts = node_contributions(raw) if raw is not None else {}
            node_parts.pop(letter_id, None)
            if node_id in new_nodes:
                node_parts[letter_id] = new_nodes[node_id]
            if not node_parts:
                drop_nodes.append(eids[node_id])
                continue
            if node_id == letter_id:
                internals = {}
                if new is not None and digest is not None:
                    internals = letter_internals(new, digest)
            node_rows.append((eids[node_id], labels, internals, node_parts))

        programmes = sorted({start for rel_type, start, _ in rel_keys if rel_type == "COVERS"})
        steps = Steps(tx, self.batch_size, letter=letter_id)
        if old is not None:
            self._delete_lexical(steps)
        self._delete_rels(steps, drop_rels)
        self._upsert_nodes(steps, node_rows)
        self._upsert_rels(steps, keep_rels, {key: eid for key, (_, eid) in stored_rels.items()}, eids)
        self._delete_overlaps(steps, programmes)
        self._delete_nodes(steps, drop_nodes)
        if new is not None:
            self._write_lexical(steps, letter_id, new, eids)
        self._read_coverage(steps, programmes)
        steps.run()
        self._create_overlaps(steps, programmes)
        steps.run()
        bump_revision(tx)
        created = steps.count("created") + steps.count("overlaps_created")
        deleted = steps.count("deleted") + steps.count("overlaps_deleted") + steps.count("dropped_with_nodes")
        return {
            "nodes": before["nodes"] + reads.nodes_created - steps.count("nodes_deleted"),
            "relationships": before["relationships"] + created - deleted,
        }

    def _read_nodes(self, steps: Steps, node_ids: list[str]) -> None:
        """Lock (creating bare placeholders where needed) and read the nodes, in id order.

        The locks serialise concurrent letters touching the same nodes, and so the relationships
        between them, so that no letter's contribution is lost; placeholders left without support
        are deleted again by the same transaction.
        """
        fields = ", ".join(f"n.{k}" for k in LETTER_INTERNALS)
        steps.add(
            f"UNWIND $rows AS id MERGE (n:{ENTITY} {{id: id}}) SET n.id = id "
            f"RETURN collect([id, elementId(n), labels(n), n.contributions, {fields}]) AS out",
            node_ids,
            "nodes",
        )

    def _read_rels(self, steps: Steps, keys: list[RelKey]) -> None:
        for rel_type, rows in self._rows_by_type(keys):
            steps.add(
                f"UNWIND $rows AS row MATCH (a:{ENTITY} {{id: row.start}})"
                f"-[r:{rel_type_expr(rel_type)} {{derived: false}}]->(b:{ENTITY} {{id: row.end}}) "
                f"RETURN collect(['{rel_type}', row.start, row.end, r.contributions, elementId(r)]) AS out",
                rows,
                "rels",
            )

    @staticmethod
    def _rows_by_type(keys: list[RelKey]) -> list[tuple[str, list[dict]]]:
        grouped: dict[str, list[dict]] = {}
        for rel_type, start, end in keys:
            grouped.setdefault(rel_type, []).append({"start": start, "end": end})
        return sorted(grouped.items())

    def _delete_rels(self, steps: Steps, rel_eids: list[str]) -> None:
        steps.add(
            "UNWIND $rows AS eid MATCH ()-[r]->() WHERE elementId(r) = eid DELETE r RETURN count(*) AS out",
            rel_eids,
            "deleted",
        )

    def _upsert_nodes(self, steps: Steps, rows: list[tuple[str, list[str], dict, dict[str, Node]]]) -> None:
        """`rows`: (element id, stored labels, internals, contributions) of the nodes to write."""
        grouped: dict[tuple[tuple[str, ...], tuple[str, ...]], list[dict]] = {}
        for eid, stored_labels, internals, parts in rows:
            node_id = parts[min(parts)].id
            labels, props = stored_node(node_id, parts, internals)
            # Labels the node no longer has, including those of an earlier layout (Document).
            stale = tuple(sorted(set(stored_labels) - set(labels) - {ENTITY}))
            grouped.setdefault((labels, stale), []).append({"n": eid, "props": props})
        for (labels, stale), group in sorted(grouped.items()):
            remove = f" REMOVE n{stale_label_expr(stale)}" if stale else ""
            steps.add(
                "UNWIND $rows AS row MATCH (n) WHERE elementId(n) = row.n SET n = row.props "
                f"SET n{label_expr(labels)}{remove}",
                group,
            )

    def _upsert_rels(
        self,
        steps: Steps,
        rels: list[tuple[RelKey, dict[str, Relationship]]],
        stored: dict[RelKey, str],
        eids: dict[str, str],
    ) -> None:
        """Relationships known to exist are updated in place, new ones created (no MERGE needed);
        `stored` and `eids` give the element ids of the stored relationships and of the nodes."""
        existing: list[dict] = []
        created: dict[str, list[dict]] = {}
        for key, parts in rels:
            row = stored_rel(key, parts)
            if key in stored:
                existing.append({"r": stored[key], "props": row["props"]})
            else:
                created.setdefault(key[0], []).append(
                    {"a": eids[row["start"]], "b": eids[row["end"]], "props": row["props"]}
                )
        steps.add(
            "UNWIND $rows AS row MATCH ()-[r]->() WHERE elementId(r) = row.r SET r = row.props", existing
        )
        for rel_type, rows in sorted(created.items()):
            steps.add(
                f"UNWIND $rows AS row {MATCH_EIDS} CREATE (a)-[r:{rel_type_expr(rel_type)}]->(b) "
                "SET r = row.props RETURN count(*) AS out",
                rows,
                "created",
            )

    def _delete_lexical(self, steps: Steps) -> None:
        """Remove the letter's statements and chunks (each belongs to one letter only)."""
        for label in (STATEMENT, CHUNK):
            steps.add(f"MATCH (n:{label} {{letter: $letter}}) DETACH DELETE n")

    def _write_lexical(self, steps: Steps, letter_id: str, graph: Graph, eids: dict[str, str]) -> None:
        """The letter's chunks and statements (graph/lexical.py), linked to the letter and the entities,
        in one statement: the chunks are addressed by their position in the list created, the
        entities by element id."""
        letter = graph.node_index()[letter_id]
        # The letter's date is sent once, not with every statement.
        rows = lexical_rows(letter_id, graph)
        if not rows.chunks:  # every statement quotes a chunk: no chunks, no statements
            return
        position = {c["id"]: i for i, c in enumerate(rows.chunks)}
        steps.add(
            "MATCH (l) WHERE elementId(l) = $rows.letter "
            f"UNWIND $rows.chunks AS props CREATE (c:{CHUNK}) SET c = props "
            f"CREATE (c)-[:{FROM_DOCUMENT}]->(l) "
            "WITH l, collect(c) AS cs "
            "FOREACH (pair IN $rows.next | FOREACH (a IN [cs[pair[0]]] | FOREACH (b IN [cs[pair[1]]] | "
            f"CREATE (a)-[:{NEXT_CHUNK}]->(b)))) "
            "WITH l, cs UNWIND $rows.statements AS row "
            f"{MATCH_EIDS} WITH l, cs, row, a, b, cs[row.c] AS c "
            f"CREATE (s:{STATEMENT}) SET s = row.props, s.date = $rows.date "
            f"CREATE (l)-[:{STATES}]->(s), (s)-[:{SUBJECT}]->(a), (s)-[:{OBJECT}]->(b), "
            f"(s)-[:{FROM_CHUNK}]->(c) "
            "WITH cs, count(*) AS statements UNWIND $rows.entity_chunks AS row "
            "MATCH (e) WHERE elementId(e) = row.e "
            f"WITH e, cs[row.c] AS c CREATE (e)-[:{FROM_CHUNK}]->(c)",
            {
                "letter": eids[letter_id],
                "date": neo4j_date(letter.properties.get("date")),
                "chunks": [c["props"] for c in rows.chunks],
                "next": [[position[pair["a"]], position[pair["b"]]] for pair in rows.next_chunks],
                "statements": [
                    {
                        "a": eids[st["start"]],
                        "b": eids[st["end"]],
                        "c": position[st["chunk"]],
                        "props": st["props"],
                    }
                    for st in rows.statements
                ],
                "entity_chunks": [
                    {"e": eids[ec["entity"]], "c": position[ec["chunk"]]} for ec in rows.entity_chunks
                ],
            },
        )

    def _delete_nodes(self, steps: Steps, node_eids: list[str]) -> None:
        # The entity relationships still attached (derived OVERLAPS) are counted before they go.
        steps.add(
            f"UNWIND $rows AS eid MATCH (n)-[r:{entity_rel_types()}]-() WHERE elementId(n) = eid "
            "RETURN count(DISTINCT r) AS out",
            node_eids,
            "dropped_with_nodes",
        )
        steps.add(
            "UNWIND $rows AS eid MATCH (n) WHERE elementId(n) = eid DETACH DELETE n RETURN count(*) AS out",
            node_eids,
            "nodes_deleted",
        )

    # -- derived OVERLAPS of the programmes whose COVERS changed -------------------------------------
    def _delete_overlaps(self, steps: Steps, programmes: list[str]) -> None:
        steps.add(
            f"UNWIND $rows AS id MATCH (:{ENTITY} {{id: id}})-[r:OVERLAPS {{derived: true}}]-() "
            "WITH DISTINCT r DELETE r RETURN count(*) AS out",
            programmes,
            "overlaps_deleted",
        )

    def _read_coverage(self, steps: Steps, programmes: list[str]) -> None:
        """The regions the programmes and those sharing a region with them cover, as they are now."""
        if programmes:
            steps.add(
                f"UNWIND $rows AS id MATCH (p:{ENTITY} {{id: id}}) "
                f"OPTIONAL MATCH (p)-[:COVERS]->(:{ENTITY})<-[:COVERS]-(q:{ENTITY}) "
                "WITH collect(DISTINCT p) + collect(DISTINCT q) AS ps UNWIND ps AS p WITH DISTINCT p "
                f"MATCH (p)-[:COVERS]->(g:{ENTITY}) WITH p, collect(g.id) AS regions "
                "RETURN collect([p.id, regions]) AS out",
                programmes,
                "coverage",
            )

    def _create_overlaps(self, steps: Steps, programmes: list[str]) -> None:
        covered = {p: set(regions) for p, regions in steps.results.get("coverage", [])}
        rows = [
            {"start": r.start, "end": r.end, "props": {"derived": True, **r.properties}}
            for r in derive_overlaps(covered, only=set(programmes))
        ]
        steps.add(
            f"UNWIND $rows AS row {MATCH_ENDS} CREATE (a)-[r:OVERLAPS]->(b) SET r = row.props "
            "RETURN count(*) AS out",
            rows,
            "overlaps_created",
        )
