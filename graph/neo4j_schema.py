"""Neo4j storage conventions: schema objects, property flattening and safe label/type interpolation.

Labels and relationship types cannot be query parameters, so every one that reaches a query string
is first checked against graph/schema.yaml (or is the store's own `Entity` label).
"""

from __future__ import annotations

import json
from typing import Any

from graph import schema
from graph.contrib import check_label, check_rel_type

# Every stored node also carries this label: one key (`id`) to MERGE on, whatever its other labels.
ENTITY = "Entity"
FULLTEXT_INDEX = "entity_names"
_INT64 = (-(2**63), 2**63 - 1)


def label_expr(labels: list[str] | tuple[str, ...]) -> str:
    """`:`A`:`B`` for checked labels."""
    return "".join(f":`{label if label == ENTITY else check_label(label)}`" for label in labels)


def rel_type_expr(rel_type: str) -> str:
    return f"`{check_rel_type(rel_type)}`"


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
    statements.append(
        (
            "entity_search_text",
            f"CREATE TEXT INDEX entity_search_text IF NOT EXISTS FOR (n:{ENTITY}) ON (n.search_text)",
        )
    )
    every_label = "|".join(f"`{label}`" for label in schema.labels())
    statements.append(
        (
            FULLTEXT_INDEX,
            f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS "
            f"FOR (n:{every_label}) ON EACH [n.name, n.aliases]",
        )
    )
    return statements


def ensure_schema(session) -> int:
    """Create the missing constraints and indexes (idempotent); returns how many were created."""
    existing = {r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name")}
    existing |= {r["name"] for r in session.run("SHOW INDEXES YIELD name")}
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


def flatten(properties: dict[str, Any]) -> dict[str, Any]:
    """Neo4j properties from model properties: scalars and lists of one scalar type as they are,
    anything else (dicts, mixed lists) as a JSON string; None is left out."""
    out: dict[str, Any] = {}
    for key, value in properties.items():
        if value is None:
            continue
        if _storable_scalar(value):
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
