"""Response models of the API, kept apart from the internal graph models so the wire format is stable."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, field_validator

from graph.model import Evidence, Node, Relationship
from graph.store import Neighbour


class EvidenceOut(BaseModel):
    """A passage that states a relationship: `quote == text[start:end]` of the letter file `source`."""

    letter: str = Field(examples=["letter:2024D51884"])
    source: str = Field(examples=["004_214048bf5620eb56.txt"])
    quote: str
    start: int
    end: int

    @classmethod
    def of(cls, evidence: Evidence) -> EvidenceOut:
        return cls.model_validate(evidence, from_attributes=True)


class EntitySummary(BaseModel):
    id: str = Field(examples=["programme:npvr"])
    name: str = Field(examples=["Nationaal Programma Vitale Regio's"])
    label: str = Field(description="Primary label", examples=["Programme"])
    labels: list[str]
    aliases: list[str] = Field(
        default_factory=list, description="Other names (a search matches these too)", examples=[["NPVR"]]
    )

    @classmethod
    def of(cls, node: Node) -> EntitySummary:
        return cls(
            id=node.id, name=node.name, label=node.label, labels=list(node.labels), aliases=list(node.aliases)
        )


class RelationshipOut(BaseModel):
    type: str = Field(examples=["COVERS"])
    start: str = Field(examples=["programme:npvr"])
    end: str = Field(examples=["region:twente"])
    derived: bool = Field(description="Computed from other relationships rather than read from text")
    properties: dict[str, Any] = Field(default_factory=dict)
    evidence: list[EvidenceOut]
    evidence_count: int = Field(
        description="Passages in all: `evidence` lists fewer where the entity endpoint's `evidence` "
        "parameter cut it"
    )

    @classmethod
    def of(cls, rel: Relationship, evidence_limit: int | None = None) -> RelationshipOut:
        shown = rel.evidence if evidence_limit is None else rel.evidence[:evidence_limit]
        return cls(
            type=rel.type,
            start=rel.start,
            end=rel.end,
            derived=rel.derived,
            properties=dict(rel.properties),
            evidence=[EvidenceOut.of(e) for e in shown],
            evidence_count=len(rel.evidence),
        )


class NeighbourOut(BaseModel):
    """An entity linked to the asked one, with the relationship (and its evidence) that links them."""

    direction: str = Field(description="'out' when the asked entity is the start, 'in' otherwise")
    node: EntitySummary
    relationship: RelationshipOut

    @classmethod
    def of(cls, neighbour: Neighbour, evidence_limit: int | None = None) -> NeighbourOut:
        return cls(
            direction=neighbour.direction,
            node=EntitySummary.of(neighbour.node),
            relationship=RelationshipOut.of(neighbour.relationship, evidence_limit),
        )


class EntityDetail(EntitySummary):
    properties: dict[str, Any]
    relationships: list[NeighbourOut] = Field(
        description="One page of the relationships (`limit` from `offset`, by type, direction and "
        "neighbour id); the `Link` header names the next page"
    )
    relationship_count: int = Field(description="Relationships in all")


class OverlapOut(BaseModel):
    """Two programmes that overlap: asserted in a letter (with evidence) or derived from shared regions."""

    start: EntitySummary
    end: EntitySummary
    derived: bool
    shared_regions: list[str] = Field(default_factory=list)
    jaccard: float | None = None
    evidence: list[EvidenceOut]


class Health(BaseModel):
    status: str = Field(description="'ok' or 'unavailable'", examples=["ok"])
    store: str = Field(description="Store kind: neo4j or memory", examples=["neo4j"])
    reachable: bool
    counts: dict[str, int] = Field(default_factory=dict, description="Nodes per label plus totals")
    message: str | None = Field(None, description="What is wrong and how to fix it, when unavailable")
    cache: dict[str, int] | None = Field(
        None, description="The response cache: answers held, their bytes, hits, misses and revision reads"
    )


class ErrorOut(BaseModel):
    detail: str


CYPHER_VALUES = (
    "Cypher values keep their structure. A node: `{kind: 'node', element_id, id, labels, properties}`. A "
    "relationship: `{kind: 'relationship', element_id, type, start, end, start_element_id, end_element_id, "
    "properties}` (`start`/`end`: the ends' `id` properties, null where an end has none; the element ids "
    "are always there). A path: `{kind: 'path', start, end, nodes, relationships}` (start/end: element "
    "ids). Dates and times in ISO form. `EXPLAIN <query>` answers one row with the column `plan`: "
    "`{operator, details, identifiers, estimated_rows, arguments, children}`."
)


class Notification(BaseModel):
    """A notification of the database about the query, passed through as Neo4j words it."""

    code: str = Field(examples=["Neo.ClientNotification.Statement.UnknownLabelWarning"])
    severity: str = Field(examples=["WARNING"])
    title: str = Field(examples=["The provided label is not in the database."])
    description: str = ""


class QueryResult(BaseModel):
    """Rows of a Cypher or SPARQL query; `truncated` is true when more rows existed than the limit."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "language": "cypher",
                    "columns": ["p", "r"],
                    "rows": [
                        {
                            "p": {
                                "kind": "node",
                                "element_id": "4:0f6c…:12",
                                "id": "programme:npvr",
                                "labels": ["Entity", "Programme"],
                                "properties": {"name": "Nationaal Programma Vitale Regio's"},
                            },
                            "r": {
                                "kind": "relationship",
                                "element_id": "5:0f6c…:40",
                                "type": "COVERS",
                                "start": "programme:npvr",
                                "end": "region:twente",
                                "start_element_id": "4:0f6c…:12",
                                "end_element_id": "4:0f6c…:31",
                                "properties": {"evidence_count": 1, "basis": ["stated"]},
                            },
                        }
                    ],
                    "truncated": False,
                }
            ]
        }
    }

    language: str = Field(description="cypher or sparql", examples=["cypher"])
    columns: list[str]
    rows: list[dict[str, Any]] = Field(description="One object per row, keyed by column. " + CYPHER_VALUES)
    truncated: bool = False
    message: str | None = Field(None, description="Why the rows are not all there (the row limit), if so")
    notifications: list[Notification] = Field(
        default_factory=list, description="Warnings and information of the database about the query (Cypher)"
    )


class CypherRequest(BaseModel):
    query: str = Field(
        min_length=1,
        max_length=20_000,
        examples=["MATCH (p:Programme)-[r:COVERS]->(g:Region {id: $region}) RETURN p.name AS programme"],
    )
    parameters: dict[str, Any] = Field(default_factory=dict, examples=[{"region": "region:twente"}])

    @field_validator("parameters")
    @classmethod
    def _integers_fit_neo4j(cls, value: dict[str, Any]) -> dict[str, Any]:
        """Neo4j integers are 64-bit: a larger one cannot be sent (the driver would fail on it)."""

        def check(item: Any) -> None:
            if isinstance(item, dict):
                item = list(item.values())
            if isinstance(item, list):
                for child in item:
                    check(child)
            elif isinstance(item, int) and not -(2**63) <= item < 2**63:
                raise ValueError(f"integer {item} is outside Neo4j's 64-bit range")

        check(value)
        return value


class QueryParamOut(BaseModel):
    name: str = Field(examples=["region"])
    example: str = Field(examples=["region:twente"])
    optional: bool = Field(False, description="May be left out (as_of: then every letter counts)")


class CuratedQueryOut(BaseModel):
    name: str = Field(examples=["programmes-covering-region"])
    question: str
    params: list[QueryParamOut]
    cypher: str
    sparql: str


UNDATED = "Letters without a date: left out of every as_of view, never given a guessed date"


class CuratedResult(QueryResult):
    model_config = {"json_schema_extra": {}}

    name: str
    question: str
    as_of: str | None = Field(None, description="The day the answer is as of (YYYY-MM-DD), if asked")
    undated_letters: list[str] = Field(
        default_factory=list, description=UNDATED + " (with as_of: the store's undated letters)"
    )


class ProgrammeOut(EntitySummary):
    letters: list[str] = Field(description="The letters that name the programme (with as_of: up to that day)")
    first_named: str | None = Field(None, description="Date of the earliest dated letter naming it")


class ProgrammesOut(BaseModel):
    as_of: str | None = Field(None, description="The day the list is as of (YYYY-MM-DD), if asked")
    programmes: list[ProgrammeOut]
    undated_letters: list[str] = Field(
        default_factory=list, description=UNDATED + " (those naming a programme)"
    )


class TimelineLetterOut(BaseModel):
    """One dated letter of a programme's timeline and what it states of the programme."""

    letter: EntitySummary
    date: str = Field(examples=["2024-12-20"])
    first_stated: list[NeighbourOut] = Field(description="Relationships no earlier letter stated")
    stated_again: list[NeighbourOut] = Field(description="Relationships an earlier letter stated too")
    no_longer_stated: list[NeighbourOut] = Field(
        description="Relationships an earlier letter stated that neither this letter nor a later one "
        "states again (listed once, at the first letter after their last statement; no evidence)"
    )


class UndatedLetterOut(BaseModel):
    letter: EntitySummary
    stated: list[NeighbourOut] = Field(description="What the letter states of the programme")


class TimelineOut(BaseModel):
    programme: EntitySummary
    as_of: str | None = Field(None, description="The day the timeline is cut at (YYYY-MM-DD), if asked")
    letters: list[TimelineLetterOut] = Field(description="The dated letters, by date (then id)")
    undated: list[UndatedLetterOut] = Field(description=UNDATED)


class PathOut(BaseModel):
    """A shortest path: its nodes in order and, per step, the relationships (with evidence) between them."""

    source: str
    target: str
    length: int = Field(description="Number of steps")
    nodes: list[EntitySummary]
    steps: list[list[RelationshipOut]]
