"""Path and query parameters shared by the routers, with OpenAPI examples; enums come from graph/schema.yaml
so unknown labels and relationship types are rejected with 422."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Path, Query

from graph.schema import labels, relationship_types
from graph.store import GraphStore
from graph.timeline import iso_date

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


def no_entity(node_id: str) -> HTTPException:
    return HTTPException(404, f"no entity with id {node_id!r}; search with GET /entities?q=...")


def require_node(store: GraphStore, node_id: str, label: str | None = None):
    """The node, or a 404 that names the id (and the expected label)."""
    node = store.get_node(node_id)
    if node is None:
        raise no_entity(node_id)
    if label is not None and label not in node.labels:
        raise HTTPException(404, f"{node_id!r} is a {node.label}, not a {label}")
    return node


AS_OF = (
    "Only evidence from letters dated up to this day (YYYY-MM-DD) counts; letters without a date are "
    "left out and listed apart as undated"
)


def as_of_day(value: str | None, field: str = "as_of") -> str | None:
    """The day as an ISO string, None when not given; a 422 naming the field when it is no date."""
    if value is None:
        return None
    day = iso_date(value.strip())
    if day is None:
        raise HTTPException(422, f"{field}={value!r} is not a date; give YYYY-MM-DD, e.g. {field}=2024-12-31")
    return day


def _as_of(
    as_of: Annotated[
        str | None,
        Query(
            description=AS_OF,
            max_length=40,
            openapi_examples={"end of 2022": {"summary": "As of 31 December 2022", "value": "2022-12-31"}},
        ),
    ] = None,
) -> str | None:
    return as_of_day(as_of)


AsOf = Annotated[str | None, Depends(_as_of)]
