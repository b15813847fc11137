"""The bulk path into an empty Neo4j database: the same nodes, relationships and properties the
transactional writer stores (graph/neo4j_writer.py: `stored_node`, `stored_rel`, the lexical rows),
written as CSV files for `neo4j-admin database import full`.

All letters are merged in memory first (one contribution per letter, a later file of the same letter
replacing an earlier one, as `ingest` does), then every node and relationship is written once: no
transaction, no index lookups, no read-back. Derived OVERLAPS are computed over the whole coverage.
The import tool needs the database offline and empty; constraints and indexes are created after it.
"""

from __future__ import annotations

import csv
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neo4j.time import Date

from graph.contrib import RelKey, extraction_digest, prepare_letter
from graph.derive import derive_overlaps
from graph.lexical import lexical_rows
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
    flatten,
    neo4j_date,
)
from graph.neo4j_writer import letter_internals, stored_node, stored_rel

ARRAY_DELIMITER = "\x1f"  # the unit separator: never part of a name, quote or id


@dataclass
class BulkFiles:
    """The CSV files of one import: (labels or type, path) for the import tool's --nodes and
    --relationships, with the counts written."""

    nodes: list[Path] = field(default_factory=list)
    relationships: list[Path] = field(default_factory=list)
    node_count: int = 0
    relationship_count: int = 0

    def arguments(self) -> list[str]:
        return [f"--nodes={p}" for p in self.nodes] + [f"--relationships={p}" for p in self.relationships]


def _type_name(kind: type) -> str:
    """The import tool's type of a value of Python type `kind` (a bool is no long)."""
    if issubclass(kind, bool):
        return "boolean"
    if issubclass(kind, int):
        return "long"
    if issubclass(kind, float):
        return "double"
    if issubclass(kind, Date):
        return "date"
    return "string"


def _column_type(values: list[Any]) -> str:
    kinds: set[type] = set()
    array = False
    for value in values:
        if isinstance(value, list):
            array = True
            kinds.update(map(type, value))
        else:
            kinds.add(type(value))
    types = {_type_name(kind) for kind in kinds}
    kind = types.pop() if len(types) == 1 else "string"
    return kind + ("[]" if array else "")


def _cell(value: Any) -> str:
    if type(value) is str:  # the common case first
        return value
    if value is None:
        return ""
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(_cell(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Date):
        return value.iso_format()
    return str(value)


def _write(path: Path, fixed: list[str], rows: list[tuple[list[str], dict[str, Any]]]) -> int:
    """One CSV file: the fixed columns (id:ID, which is also the `id` property, and :LABEL, or
    :START_ID, :END_ID, :TYPE), then one typed column per property any row has. A property a row
    lacks is an empty cell (no property)."""
    columns: dict[str, list[Any]] = {}
    for _, props in rows:
        for k, v in props.items():
            columns.setdefault(k, []).append(v)
    columns.pop("id", None)
    keys = sorted(columns)
    header = fixed + [f"{k}:{_column_type(columns[k])}" for k in keys]
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(header)
        if keys:
            writer.writerows([*head, *[_cell(props.get(k)) for k in keys]] for head, props in rows)
        else:  # the lexical layer's relationships have no properties
            writer.writerows(head for head, _ in rows)
    return len(rows)


def _empty_lists_dropped(props: dict[str, Any]) -> dict[str, Any]:
    # The import stores an empty cell as no property; the transactional writer stores [] for an
    # empty list, which Cypher reads alike in `coalesce`/`size` but not in `IS NULL`.
    return {k: v for k, v in props.items() if v != []}


def write_bulk_csv(letters: Iterable[Graph], folder: Path) -> BulkFiles:
    """CSV files for `neo4j-admin database import full` holding what writing `letters` one by one
    into an empty database would store."""
    node_parts: dict[str, dict[str, Node]] = {}
    rel_parts: dict[RelKey, dict[str, Relationship]] = {}
    prepared_letters: dict[str, Graph] = {}
    for graph in letters:
        prepared, letter_id = prepare_letter(graph)
        old = prepared_letters.pop(letter_id, None)
        if old is not None:  # a later file of the same letter replaces the earlier one
            for node in old.nodes:
                node_parts[node.id].pop(letter_id, None)
            for rel in old.relationships:
                rel_parts[rel.key].pop(letter_id, None)
        prepared_letters[letter_id] = prepared
        for node in prepared.nodes:
            node_parts.setdefault(node.id, {})[letter_id] = node
        for rel in prepared.relationships:
            rel_parts.setdefault(rel.key, {})[letter_id] = rel

    folder.mkdir(parents=True, exist_ok=True)
    files = BulkFiles()
    by_labels: dict[tuple[str, ...], list[tuple[list[str], dict[str, Any]]]] = {}
    for node_id, n_parts in sorted(node_parts.items()):
        if not n_parts:
            continue
        internals = {}
        if node_id in prepared_letters:
            digest = f"{LAYOUT_VERSION}:{extraction_digest(prepared_letters[node_id])}"
            internals = letter_internals(prepared_letters[node_id], digest)
        labels, props = stored_node(node_id, n_parts, internals)
        by_labels.setdefault((ENTITY, *labels), []).append(([node_id], _empty_lists_dropped(props)))
    by_type: dict[str, list[tuple[list[str], dict[str, Any]]]] = {}
    covered: dict[str, set[str]] = {}
    for key, parts in sorted(rel_parts.items()):
        if not parts:
            continue
        row = stored_rel(key, parts)
        ends = [row["start"], row["end"]]
        by_type.setdefault(key[0], []).append((ends, _empty_lists_dropped(row["props"])))
        if key[0] == "COVERS":
            covered.setdefault(key[1], set()).add(key[2])
    for rel in derive_overlaps(covered):
        props = flatten({"derived": True, **rel.properties})
        by_type.setdefault("OVERLAPS", []).append(([rel.start, rel.end], _empty_lists_dropped(props)))

    lexical: dict[str, list[tuple[list[str], dict[str, Any]]]] = {}
    lexical_nodes: dict[str, list[tuple[list[str], dict[str, Any]]]] = {CHUNK: [], STATEMENT: []}
    for letter_id, prepared in sorted(prepared_letters.items()):
        letter = prepared.node_index()[letter_id]
        lex = lexical_rows(letter_id, prepared, neo4j_date(letter.properties.get("date")))
        for c in lex.chunks:
            lexical_nodes[CHUNK].append(([c["id"]], c["props"]))
            lexical.setdefault(FROM_DOCUMENT, []).append(([c["id"], letter_id], {}))
        for pair in lex.next_chunks:
            lexical.setdefault(NEXT_CHUNK, []).append(([pair["a"], pair["b"]], {}))
        for st in lex.statements:
            props = {k: v for k, v in st["props"].items() if v is not None}
            lexical_nodes[STATEMENT].append(([props["id"]], props))
            for rel_type, start, end in (
                (STATES, letter_id, props["id"]),
                (SUBJECT, props["id"], st["start"]),
                (OBJECT, props["id"], st["end"]),
                (FROM_CHUNK, props["id"], st["chunk"]),
            ):
                lexical.setdefault(rel_type, []).append(([start, end], {}))
        for ec in lex.entity_chunks:
            lexical.setdefault(FROM_CHUNK, []).append(([ec["entity"], ec["chunk"]], {}))

    for i, (labels, rows) in enumerate(sorted(by_labels.items())):
        path = folder / f"nodes-{i:03d}.csv"
        head = ["id:ID", ":LABEL"]
        labelled = [([ids[0], ARRAY_DELIMITER.join(labels)], p) for ids, p in rows]
        files.node_count += _write(path, head, labelled)
        files.nodes.append(path)
    for label, rows in lexical_nodes.items():
        path = folder / f"nodes-{label.lower()}.csv"
        files.node_count += _write(path, ["id:ID", ":LABEL"], [([ids[0], label], p) for ids, p in rows])
        files.nodes.append(path)
    # The revision node the transactional writer keeps (graph/neo4j_writer.py bump_revision).
    path = folder / "nodes-revision.csv"
    revision = {"token": secrets.token_hex(12)}
    files.node_count += _write(path, ["id:ID", ":LABEL"], [([REVISION_ID, REVISION], revision)])
    files.nodes.append(path)
    clash = set(by_type) & set(lexical)
    if clash:  # the lexical layer has types of its own (graph/neo4j_schema.py)
        raise ValueError(f"relationship types both stated and lexical: {sorted(clash)}")
    for i, (rel_type, rel_rows) in enumerate(sorted({**by_type, **lexical}.items())):
        path = folder / f"relationships-{i:03d}.csv"
        head = [":START_ID", ":END_ID", ":TYPE"]
        typed = [([ends[0], ends[1], rel_type], p) for ends, p in rel_rows]
        files.relationship_count += _write(path, head, typed)
        files.relationships.append(path)
    (folder / "summary.json").write_text(
        json.dumps({"nodes": files.node_count, "relationships": files.relationship_count}), encoding="utf-8"
    )
    return files
