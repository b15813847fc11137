"""Path and query parameters shared by the routers, with OpenAPI examples; enums come from graph/schema.yaml
so unknown labels and relationship types are rejected with 422."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

from fastapi import HTTPException, Path

from graph.schema import labels, relationship_types
from graph.store import GraphStore

# Members come from graph/schema.yaml, so mypy cannot list them.
LabelName = Enum("LabelName", {name: name for name in labels()}, type=str)  # type: ignore[misc]
RelationshipType = Enum(  # type: ignore[misc]
    "RelationshipType", {name: name for name in relationship_types()}, type=str
)


def _id_path(description: str, examples: dict[str, str]) -> object:
    return Path(
        description=description,
        openapi_examples={key: {"summary": value, "value": value} for key, value in examples.items()},
    )


EntityId = Annotated[
    str,
    _id_path(
        "Node id `<kind>:<slug>`",
        {"programme": "programme:npvr", "region": "region:twente", "ministry": "ministry:bzk"},
    ),
]
ProgrammeId = Annotated[str, _id_path("Programme id", {"npvr": "programme:npvr", "novex": "programme:novex"})]
RegionId = Annotated[
    str,
    _id_path("Region, province or municipality id", {"twente": "region:twente", "zl": "region:zuid-limburg"}),
]
MinistryId = Annotated[str, _id_path("Ministry id", {"bzk": "ministry:bzk", "ez": "ministry:ez"})]

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No entity with this id (or not of the expected kind)"}
}


def require_node(store: GraphStore, node_id: str, label: str | None = None):
    """The node, or a 404 that names the id (and the expected label)."""
    node = store.get_node(node_id)
    if node is None:
        raise HTTPException(404, f"no entity with id {node_id!r}; search with GET /entities?q=...")
    if label is not None and label not in node.labels:
        raise HTTPException(404, f"{node_id!r} is a {node.label}, not a {label}")
    return node
