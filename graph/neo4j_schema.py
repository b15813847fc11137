"""Neo4j storage conventions: schema objects, property conversion and safe label/type interpolation.

Labels and relationship types cannot be query parameters, so every one that reaches a query string
is first checked against graph/schema.yaml (or is one of the store's own labels below).

Two layers live in the database (README, "Stores and export"):
- the entity graph: nodes with their schema labels plus `Entity`, typed relationships between them;
- the lexical graph: `(:Letter)-[:STATES]->(:Statement)-[:SUBJECT|OBJECT]->(entity)` for every piece of
  evidence, and the quoted passages as `(:Chunk)-[:FROM_DOCUMENT]->(:Letter)`, with `FROM_CHUNK` from
  the statements and entities read from them (neo4j-graphrag's lexical-graph convention).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from neo4j.time import Date

from graph import schema
from graph.contrib import check_label, check_rel_type

# Every entity node also carries this label: one key (`id`) to MERGE and look up on, whatever its other
# labels (a node gains labels as letters add them: a Region that is also a Province), one uniqueness
# constraint across kinds, and one full-text index over names and aliases.
ENTITY = "Entity"
STATEMENT = "Statement"
CHUNK = "Chunk"
# One node `(:GraphRevision {id: 'graph', token})` whose token every transaction that changes the graph
# sets anew (a random string, never reused): readers cache what they computed under the token they saw.
REVISION = "GraphRevision"
REVISION_ID = "graph"
# Relationship types of the lexical graph (not in graph/schema.yaml: the store writes them itself).
STATES, SUBJECT, OBJECT = "STATES", "SUBJECT", "OBJECT"
FROM_CHUNK, FROM_DOCUMENT, NEXT_CHUNK = "FROM_CHUNK", "FROM_DOCUMENT", "NEXT_CHUNK"
LEXICAL_TYPES = (STATES, SUBJECT, OBJECT, FROM_CHUNK, FROM_DOCUMENT, NEXT_CHUNK)

FULLTEXT_INDEX = "entity_names"
STATEMENT_INDEX = "statement_quotes"
CHUNK_INDEX = "chunk_text"
# Lucene's standard tokenizer, lower-cased and ASCII-folded: "fryslan" finds "Fryslân".
ANALYZER = "standard-folding"
# Bumped whenever the stored layout changes: a letter written under another layout counts as changed,
# so ingesting the corpus again moves an existing database to the new layout.
LAYOUT_VERSION = "4"
# Schema objects of earlier layouts, dropped when found.
OBSOLETE_SCHEMA = ("document_id_unique", "document_name")

_INT64 = (-(2**63), 2**63 - 1)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def label_expr(labels: list[str] | tuple[str, ...]) -> str:
    """`:`A`:`B`` for checked labels."""
    return "".join(
        f":`{label if label in (ENTITY, STATEMENT, CHUNK) else check_label(label)}`" for label in labels
    )


def stale_label_expr(labels: list[str] | tuple[str, ...]) -> str:
    """Labels to remove: any plain identifier (labels of an earlier layout are no longer in the schema)."""
    for label in labels:
        if not _IDENTIFIER.match(label):
            raise ValueError(f"not a label: {label!r}")
    return "".join(f":`{label}`" for label in labels)


def rel_type_expr(rel_type: str) -> str:
    return f"`{check_rel_type(rel_type)}`"


def rel_types_expr(rel_types: Sequence[str]) -> str:
    """`A`|`B` for checked relationship types."""
    return "|".join(rel_type_expr(t) for t in rel_types)


class FulltextSpec(NamedTuple):
    labels: tuple[str, ...]
    properties: tuple[str, ...]


def fulltext_indexes() -> dict[str, FulltextSpec]:
    return {
        FULLTEXT_INDEX: FulltextSpec((ENTITY,), ("name", "aliases")),
        STATEMENT_INDEX: FulltextSpec((STATEMENT,), ("quote",)),
        CHUNK_INDEX: FulltextSpec((CHUNK,), ("text",)),
    }


def schema_statements() -> list[tuple[str, str]]:
    """(name, statement) of every constraint and index the store relies on."""
    statements = []
    for label in [ENTITY, *schema.labels()]:
        key = label.lower()
        statements.append(
            (
                f"{key}_id_unique",
                f"CREATE CONSTRAINT {key}_id_unique IF NOT EXISTS FOR (n:`{label}`) REQUIRE n.id IS UNIQUE",
            )
        )
        statements.append(
            (f"{key}_name", f"CREATE INDEX {key}_name IF NOT EXISTS FOR (n:`{label}`) ON (n.name)")
        )
    for label in (STATEMENT, CHUNK):
        key = label.lower()
        statements.append(
            (
                f"{key}_id_unique",
                f"CREATE CONSTRAINT {key}_id_unique IF NOT EXISTS FOR (n:`{label}`) REQUIRE n.id IS UNIQUE",
            )
        )
        statements.append(
            (f"{key}_letter", f"CREATE INDEX {key}_letter IF NOT EXISTS FOR (n:`{label}`) ON (n.letter)")
        )
    statements.append(
        (
            "graphrevision_id_unique",
            f"CREATE CONSTRAINT graphrevision_id_unique IF NOT EXISTS FOR (n:{REVISION}) "
            "REQUIRE n.id IS UNIQUE",
        )
    )
    statements.append(
        ("statement_type", f"CREATE INDEX statement_type IF NOT EXISTS FOR (n:{STATEMENT}) ON (n.type)")
    )
    statements.append(
        (
            "entity_search_text",
            f"CREATE TEXT INDEX entity_search_text IF NOT EXISTS FOR (n:{ENTITY}) ON (n.search_text)",
        )
    )
    for name, spec in fulltext_indexes().items():
        labels = "|".join(f"`{label}`" for label in spec.labels)
        properties = ", ".join(f"n.{p}" for p in spec.properties)
        statements.append(
            (
                name,
                f"CREATE FULLTEXT INDEX {name} IF NOT EXISTS FOR (n:{labels}) ON EACH [{properties}] "
                f"OPTIONS {{indexConfig: {{`fulltext.analyzer`: '{ANALYZER}'}}}}",
            )
        )
    return statements


def _outdated_fulltext(record) -> bool:
    spec = fulltext_indexes().get(record["name"])
    if spec is None or record["type"] != "FULLTEXT":
        return False
    analyzer = ((record["options"] or {}).get("indexConfig") or {}).get("fulltext.analyzer")
    return (
        tuple(record["labelsOrTypes"] or ()) != spec.labels
        or tuple(record["properties"] or ()) != spec.properties
        or analyzer != ANALYZER
    )


def ensure_schema(session) -> int:
    """Create the missing constraints and indexes (idempotent) and replace those of an earlier layout
    (a full-text index over other labels or without accent folding); returns how many were created."""
    constraints = {r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name")}
    indexes = list(session.run("SHOW INDEXES YIELD name, type, labelsOrTypes, properties, options"))
    for name in OBSOLETE_SCHEMA:
        if name in constraints:
            session.run(f"DROP CONSTRAINT {name} IF EXISTS").consume()
    existing = set(constraints) - set(OBSOLETE_SCHEMA)
    for record in indexes:
        if record["name"] in OBSOLETE_SCHEMA or _outdated_fulltext(record):
            session.run(f"DROP INDEX {record['name']} IF EXISTS").consume()
        else:
            existing.add(record["name"])
    created = 0
    for name, statement in schema_statements():
        if name not in existing:
            session.run(statement).consume()
            created += 1
    return created


def _storable_scalar(value: Any) -> bool:
    if isinstance(value, bool | str | float):
        return True
    return isinstance(value, int) and _INT64[0] <= value <= _INT64[1]


def is_date_key(key: str) -> bool:
    return key in ("date", "first_stated", "last_stated") or key.endswith("_date")


def neo4j_date(value: Any) -> Date | None:
    """An ISO `YYYY-MM-DD` string as a Neo4j DATE (decisions.md D6), else None."""
    return _parsed_date(value) if isinstance(value, str) else None


@functools.lru_cache(maxsize=4096)
def _parsed_date(value: str) -> Date | None:
    # A letter's date is converted once per relationship it states: parsed once (a Date is immutable).
    match = _ISO_DATE.match(value)
    if match is None:
        return None
    try:
        return Date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def flatten(properties: dict[str, Any]) -> dict[str, Any]:
    """Neo4j properties from model properties: scalars and lists of one scalar type as they are, ISO
    dates under `date` or `*_date` as DATE, anything else (dicts, mixed lists) as a JSON string; None is
    left out."""
    out: dict[str, Any] = {}
    for key, value in properties.items():
        if value is None:
            continue
        if is_date_key(key) and (date := neo4j_date(value)) is not None:
            out[key] = date
        elif _storable_scalar(value):
            out[key] = value
        elif (
            isinstance(value, list)
            and all(_storable_scalar(v) for v in value)
            and len({type(v) for v in value}) <= 1
        ):
            out[key] = value
        else:
            out[key] = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return out
