"""Typed models of the graph interchange format (see README, "Graph interchange JSON").

Every stage after extraction passes these objects; JSON is only read or written at the edges.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Evidence(BaseModel):
    """Where a relationship is stated: `original_text[start:end] == quote` in `source`."""

    letter: str
    source: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    quote: str
    rule: str = ""
    # how the relationship was read (decisions.md D4): "stated" (the sentence names both ends),
    # "coreference" (one end an anaphor resolved in the paragraph), "context" (one end from the
    # surrounding text), "structure" (from the letter's header, metadata, signature or a table)
    basis: str = ""


class Node(BaseModel):
    id: str
    labels: list[str]
    name: str
    aliases: list[str] = Field(default_factory=list)
    properties: dict[str, Any] = Field(default_factory=dict)

    @property
    def label(self) -> str:
        """The primary label (the first one)."""
        return self.labels[0]


class Relationship(BaseModel):
    type: str
    start: str
    end: str
    derived: bool = False
    properties: dict[str, Any] = Field(default_factory=dict)
    evidence: list[Evidence] = Field(default_factory=list)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.type, self.start, self.end)

    @property
    def letters(self) -> list[str]:
        return sorted({e.letter for e in self.evidence})


class Graph(BaseModel):
    """A set of nodes and relationships: one letter's extraction or a whole store."""

    nodes: list[Node] = Field(default_factory=list)
    relationships: list[Relationship] = Field(default_factory=list)

    def node_index(self) -> dict[str, Node]:
        return {n.id: n for n in self.nodes}

    def letter_ids(self) -> list[str]:
        return [n.id for n in self.nodes if "Letter" in n.labels]

    def to_json(self, **kwargs) -> str:
        return self.model_dump_json(indent=kwargs.pop("indent", 1), **kwargs)


def _copied(value: Any) -> Any:
    """A copy of a property value: dicts and lists copied all the way down, anything else shared
    (properties hold JSON values, whose scalars are immutable)."""
    if isinstance(value, dict):
        return {k: _copied(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copied(v) for v in value]
    return value


def _copy_node(node: Node) -> Node:
    """What `model_copy(deep=True)` gives, without its generic deep copy."""
    return node.model_copy(
        update={
            "labels": list(node.labels),
            "aliases": list(node.aliases),
            "properties": _copied(node.properties),
        }
    )


def _copy_relationship(rel: Relationship) -> Relationship:
    return rel.model_copy(
        update={"properties": _copied(rel.properties), "evidence": [e.model_copy() for e in rel.evidence]}
    )


def merge_graphs(graphs: list[Graph]) -> Graph:
    """Union of graphs: nodes merged by id (aliases and properties united), evidence of equal
    relationships concatenated. Used for multi-letter extraction and the memory store."""
    nodes: dict[str, Node] = {}
    rels: dict[tuple[str, str, str], Relationship] = {}
    for graph in graphs:
        for node in graph.nodes:
            known = nodes.get(node.id)
            if known is None:
                nodes[node.id] = _copy_node(node)
                continue
            for label in node.labels:
                if label not in known.labels:
                    known.labels.append(label)
            for alias in node.aliases:
                if alias not in known.aliases and alias != known.name:
                    known.aliases.append(alias)
            for k, v in node.properties.items():
                known.properties.setdefault(k, v)
        for rel in graph.relationships:
            known_rel = rels.get(rel.key)
            if known_rel is None:
                rels[rel.key] = _copy_relationship(rel)
                continue
            seen = {(e.letter, e.start, e.end) for e in known_rel.evidence}
            known_rel.evidence.extend(e for e in rel.evidence if (e.letter, e.start, e.end) not in seen)
            for k, v in rel.properties.items():
                if k == "count" and isinstance(v, int):
                    known_rel.properties["count"] = known_rel.properties.get("count", 0) + v
                else:
                    known_rel.properties.setdefault(k, v)
    return Graph(nodes=list(nodes.values()), relationships=list(rels.values()))
