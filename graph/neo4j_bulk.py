"""The bulk path into an empty Neo4j database: the same nodes, relationships and properties the
transactional writer stores (graph/neo4j_writer.py: `stored_node`, `stored_rel`, the lexical rows),
written as CSV files for `neo4j-admin database import full`.

The letters are read one at a time: each one's contributions are kept as JSON (a later file of the
same letter replacing an earlier one, as `ingest` does) and its lexical rows go to disk at once; then
every node and relationship is merged and written once: no transaction, no index lookups, no
read-back. Derived OVERLAPS are computed over the whole coverage. The import tool needs the
database offline and empty; constraints and indexes are created after it.
"""

from __future__ import annotations

import csv
import json
import secrets
import sys
from collections.abc import Callable, Iterable
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


def _column_type(kinds: set[type], array: bool) -> str:
    """The import tool's type of a column whose values have these Python types (one type, else string)."""
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


class _Spool:
    """The rows of one CSV file as they come, on disk at once: the header (one typed column per
    property any row has) is known only when the last row is in, so each row is spooled as its letter
    version, its fixed cells and (key, cell) pairs, and the CSV is written from the spool at the end,
    without the rows of letter versions a later file replaced. Memory holds the column types only."""

    def __init__(self, folder: Path, name: str, fixed: list[str]):
        self.name, self.fixed = name, fixed
        self.spool = folder / f"{name}.spool"
        self._file = self.spool.open("w", encoding="utf-8", newline="")
        self._writer = csv.writer(self._file, lineterminator="\n")
        self.kinds: dict[str, set[type]] = {}
        self.arrays: set[str] = set()

    def add(self, head: list[str], props: dict[str, Any], version: int = -1) -> None:
        """One row: the fixed cells and the properties (`id` is the id column's), of the letter
        version `version` (-1: of no letter, always kept)."""
        cells: list[str] = [str(version), *head]
        for k, v in props.items():
            if k == "id" or v is None:
                continue
            kinds = self.kinds.get(k)
            if kinds is None:
                kinds = self.kinds[k] = set()
            if isinstance(v, list):
                self.arrays.add(k)
                kinds.update(map(type, v))
            else:
                kinds.add(type(v))
            cells += (k, _cell(v))
        self._writer.writerow(cells)

    def header(self) -> tuple[list[str], list[str]]:
        keys = sorted(self.kinds)
        types = [_column_type(self.kinds[k], k in self.arrays) for k in keys]
        return keys, self.fixed + [f"{k}:{t}" for k, t in zip(keys, types, strict=True)]

    def write(self, path: Path, superseded: set[int]) -> int:
        """The CSV from the spool (which is removed), leaving out the rows of `superseded` versions."""
        self._file.close()
        keys, header = self.header()
        width, count = len(self.fixed), 0
        limit = csv.field_size_limit(sys.maxsize)  # a node's contributions can be megabytes
        try:
            with (
                self.spool.open(encoding="utf-8", newline="") as spool,
                path.open("w", encoding="utf-8", newline="") as out,
            ):
                writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
                writer.writerow(header)
                for row in csv.reader(spool):
                    if superseded and int(row[0]) in superseded:
                        continue
                    head = row[1 : 1 + width]
                    if keys:
                        pairs = row[1 + width :]
                        cells = dict(zip(pairs[::2], pairs[1::2], strict=True))
                        head += [cells.get(k, "") for k in keys]
                    writer.writerow(head)
                    count += 1
        finally:
            csv.field_size_limit(limit)
        self.spool.unlink()
        return count


def _empty_lists_dropped(props: dict[str, Any]) -> dict[str, Any]:
    # The import stores an empty cell as no property; the transactional writer stores [] for an
    # empty list, which Cypher reads alike in `coalesce`/`size` but not in `IS NULL`.
    return {k: v for k, v in props.items() if v != []}


class _Letters:
    """What the letters contribute, gathered one letter at a time: each node's and relationship's
    contributions as JSON (merged at the end), each letter's internals, and the lexical rows spooled
    at once. A later file of the same letter replaces the earlier one, as `ingest` does."""

    def __init__(self, spools: Callable[[str, str], _Spool]):
        self.spool = spools
        self.node_parts: dict[str, dict[str, bytes]] = {}
        self.rel_parts: dict[RelKey, dict[str, bytes]] = {}
        self.internals: dict[str, dict[str, Any]] = {}
        self.version: dict[str, int] = {}  # letter id -> the version (input position) kept
        self.superseded: set[int] = set()

    def add(self, graph: Graph) -> None:
        prepared, letter_id = prepare_letter(graph)
        if letter_id in self.version:
            self._drop(letter_id)
        version = self.version[letter_id] = len(self.version) + len(self.superseded)
        digest = f"{LAYOUT_VERSION}:{extraction_digest(prepared)}"
        self.internals[letter_id] = letter_internals(prepared, digest)
        for node in prepared.nodes:
            self.node_parts.setdefault(node.id, {})[letter_id] = node.model_dump_json().encode()
        for rel in prepared.relationships:
            self.rel_parts.setdefault(rel.key, {})[letter_id] = rel.model_dump_json().encode()
        letter = prepared.node_index()[letter_id]
        lex = lexical_rows(letter_id, prepared, neo4j_date(letter.properties.get("date")))
        for c in lex.chunks:
            self.spool("nodes", CHUNK).add([c["id"], CHUNK], c["props"], version)
            self.spool("relationships", FROM_DOCUMENT).add([c["id"], letter_id, FROM_DOCUMENT], {}, version)
        for pair in lex.next_chunks:
            self.spool("relationships", NEXT_CHUNK).add([pair["a"], pair["b"], NEXT_CHUNK], {}, version)
        for st in lex.statements:
            statement = st["props"]["id"]
            self.spool("nodes", STATEMENT).add([statement, STATEMENT], st["props"], version)
            for rel_type, start, end in (
                (STATES, letter_id, statement),
                (SUBJECT, statement, st["start"]),
                (OBJECT, statement, st["end"]),
                (FROM_CHUNK, statement, st["chunk"]),
            ):
                self.spool("relationships", rel_type).add([start, end, rel_type], {}, version)
        for ec in lex.entity_chunks:
            self.spool("relationships", FROM_CHUNK).add([ec["entity"], ec["chunk"], FROM_CHUNK], {}, version)

    def _drop(self, letter_id: str) -> None:
        """Forget what the earlier file of a letter contributed."""
        old = self.internals.pop(letter_id)
        for node_id in old["contributed_nodes"]:
            self.node_parts[node_id].pop(letter_id, None)
        for key in json.loads(old["contributed_rels"]):
            self.rel_parts[(key[0], key[1], key[2])].pop(letter_id, None)
        self.superseded.add(self.version.pop(letter_id))


def write_bulk_csv(letters: Iterable[Graph], folder: Path) -> BulkFiles:
    """CSV files for `neo4j-admin database import full` holding what writing `letters` one by one
    into an empty database would store. The letters are read one at a time (an iterator is never
    held whole) and every row goes to disk as it is made, so memory holds the contributions (as JSON)
    and not the rows: linear in the letters, a fraction of their graphs' size."""
    folder.mkdir(parents=True, exist_ok=True)
    spools: dict[tuple[str, str], _Spool] = {}

    def spool(kind: str, name: str) -> _Spool:
        found = spools.get((kind, name))
        if found is None:
            fixed = ["id:ID", ":LABEL"] if kind == "nodes" else [":START_ID", ":END_ID", ":TYPE"]
            found = spools[(kind, name)] = _Spool(folder, f"{kind}-{len(spools):03d}", fixed)
        return found

    gathered = _Letters(spool)
    for graph in letters:
        gathered.add(graph)
    lexical_types = {name for kind, name in spools if kind == "relationships"}

    covered: dict[str, set[str]] = {}
    for key, parts in sorted(gathered.rel_parts.items()):
        if not parts:
            continue
        if key[0] in lexical_types:  # the lexical layer has types of its own (graph/neo4j_schema.py)
            raise ValueError(f"relationship type both stated and lexical: {key[0]}")
        row = stored_rel(key, {lid: Relationship.model_validate_json(b) for lid, b in parts.items()})
        spool("relationships", key[0]).add(
            [row["start"], row["end"], key[0]], _empty_lists_dropped(row["props"])
        )
        if key[0] == "COVERS":
            covered.setdefault(key[1], set()).add(key[2])
    for rel in derive_overlaps(covered):
        props = flatten({"derived": True, **rel.properties})
        spool("relationships", "OVERLAPS").add([rel.start, rel.end, "OVERLAPS"], _empty_lists_dropped(props))
    for node_id, n_parts in sorted(gathered.node_parts.items()):
        if not n_parts:
            continue
        nodes = {lid: Node.model_validate_json(b) for lid, b in n_parts.items()}
        labels, props = stored_node(node_id, nodes, gathered.internals.get(node_id, {}))
        label_cell = ARRAY_DELIMITER.join((ENTITY, *labels))
        spool("nodes", label_cell).add([node_id, label_cell], _empty_lists_dropped(props))
    # The revision node the transactional writer keeps (graph/neo4j_writer.py bump_revision).
    spool("nodes", REVISION).add([REVISION_ID, REVISION], {"token": secrets.token_hex(12)})

    files = BulkFiles()
    for (kind, _), found in sorted(spools.items()):
        path = folder / f"{found.name}.csv"
        written = found.write(path, gathered.superseded)
        if kind == "nodes":
            files.node_count += written
            files.nodes.append(path)
        else:
            files.relationship_count += written
            files.relationships.append(path)
    (folder / "summary.json").write_text(
        json.dumps({"nodes": files.node_count, "relationships": files.relationship_count}), encoding="utf-8"
    )
    return files
