"""Letter contributions: checking one letter's graph and merging what several letters say.

Both stores keep, for every node and relationship, what each supporting letter contributed, and
compute the visible node or relationship from those contributions with the functions below. So a
letter can be replaced or deleted exactly, and both stores return identical objects.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from pydantic import BaseModel, TypeAdapter

from graph import schema
from graph.model import Evidence, Graph, Node, Relationship, merge_graphs
from graph.store import ChangeSummary, InvalidGraph
from graph.timeline import FIRST_STATED, LAST_STATED, letter_date

# Property names the stores use themselves; a letter's graph may not set them.
RESERVED_NODE_PROPERTIES = frozenset(
    {
        "id",
        "name",
        "aliases",
        "letters",
        "search_text",
        "contributions",
        "contributed_nodes",
        "contributed_rels",
        "extraction_sha256",
    }
)
RESERVED_REL_PROPERTIES = frozenset(
    {"derived", "letters", "contributions", "evidence_count", FIRST_STATED, LAST_STATED}
)
# Labels of earlier schema versions, read as their current name (decisions.md D5: a cited Kamerstuk was
# `Document`); extraction output of either version is stored the same way.
LEGACY_LABELS = {"Document": "Kamerstuk"}

RelKey = tuple[str, str, str]


def check_label(label: str) -> str:
    if label not in schema.labels():
        raise InvalidGraph(f"unknown label {label!r}; known labels: {', '.join(schema.labels())}")
    return label


def check_rel_type(rel_type: str) -> str:
    if rel_type not in schema.relationship_types():
        known = ", ".join(schema.relationship_types())
        raise InvalidGraph(f"unknown relationship type {rel_type!r}; known types: {known}")
    return rel_type


def letter_key(letter_id: str) -> str:
    """Accept `letter:X` or bare `X`."""
    return letter_id if letter_id.startswith("letter:") else f"letter:{letter_id}"


def prepare_letter(graph: Graph) -> tuple[Graph, str]:
    """Check one letter's extraction and return it normalised (duplicates merged, derived dropped,
    MENTIONS with a count, sorted) with the letter id. Raises InvalidGraph naming the problem."""
    letters = graph.letter_ids()
    if len(letters) != 1:
        raise InvalidGraph(f"a letter's graph needs exactly one Letter node, found {len(letters)}: {letters}")
    letter_id = letters[0]
    stated = letter_date(graph.node_index()[letter_id])
    asserted = graph.model_copy(update={"relationships": [r for r in graph.relationships if not r.derived]})
    merged = merge_graphs([asserted])
    ids = set()
    for node in merged.nodes:
        node.labels = list(dict.fromkeys(LEGACY_LABELS.get(label, label) for label in node.labels))
        if not node.labels:
            raise InvalidGraph(f"node {node.id!r} has no label")
        for label in node.labels:
            try:
                check_label(label)
            except InvalidGraph as exc:
                raise InvalidGraph(f"node {node.id!r}: {exc}") from None
        clash = RESERVED_NODE_PROPERTIES & set(node.properties)
        if clash:
            raise InvalidGraph(f"node {node.id!r}: reserved property name(s) {sorted(clash)}")
        ids.add(node.id)
    for rel in merged.relationships:
        where = f"relationship {rel.type} {rel.start} -> {rel.end}"
        try:
            check_rel_type(rel.type)
        except InvalidGraph as exc:
            raise InvalidGraph(f"{where}: {exc}") from None
        for end in (rel.start, rel.end):
            if end not in ids:
                raise InvalidGraph(f"{where}: node {end!r} is not in the letter's graph")
        clash = RESERVED_REL_PROPERTIES & set(rel.properties)
        if clash:
            raise InvalidGraph(f"{where}: reserved property name(s) {sorted(clash)}")
        for ev in rel.evidence:
            if ev.letter != letter_id:
                raise InvalidGraph(f"{where}: evidence names letter {ev.letter!r}, expected {letter_id!r}")
        if rel.type == "MENTIONS" and "count" not in rel.properties:
            rel.properties["count"] = max(1, len(rel.evidence))
        if rel.evidence and stated is not None:
            # What this letter contributes: stated on the letter's date; merge_relationship takes the
            # earliest and latest over the contributing letters.
            rel.properties[FIRST_STATED] = rel.properties[LAST_STATED] = stated
        rel.evidence.sort(key=_evidence_order)
    merged.nodes.sort(key=lambda n: n.id)
    merged.relationships.sort(key=lambda r: r.key)
    return merged, letter_id


def extraction_digest(graph: Graph) -> str:
    """Fingerprint of a prepared letter graph: equal file hash and equal digest mean nothing to do."""
    return hashlib.sha256(graph.model_dump_json().encode("utf-8")).hexdigest()


def file_hash(graph: Graph, letter_id: str) -> str | None:
    node = graph.node_index()[letter_id]
    return node.properties.get("sha256")


def merge_node(node_id: str, parts: dict[str, Node]) -> Node:
    """The visible node from its contributions (letter -> node as that letter stated it).
    Letters in id order: the first letter's name wins, other names become aliases, properties
    are merged first-come, labels united."""
    labels: list[str] = []
    aliases: list[str] = []
    properties: dict = {}
    name = parts[min(parts)].name
    for letter in sorted(parts):
        node = parts[letter]
        labels.extend(label for label in node.labels if label not in labels)
        aliases.extend(a for a in [node.name, *node.aliases] if a != name and a not in aliases)
        for key, value in node.properties.items():
            properties.setdefault(key, value)
    properties["letters"] = sorted(parts)
    return Node(id=node_id, labels=labels, name=name, aliases=aliases, properties=properties)


def merge_relationship(key: RelKey, parts: dict[str, Relationship]) -> Relationship:
    """The visible relationship from its contributions: evidence concatenated, `count` summed,
    `first_stated` / `last_stated` the earliest and latest date of the dated contributing letters,
    other properties first-come in letter order."""
    properties: dict = {}
    evidence: list[Evidence] = []
    total = None
    dates: list[str] = []
    for letter in sorted(parts):
        rel = parts[letter]
        evidence.extend(rel.evidence)
        for k, v in rel.properties.items():
            if k == "count" and isinstance(v, int) and not isinstance(v, bool):
                total = (total or 0) + v
            elif k in (FIRST_STATED, LAST_STATED):
                dates.append(v)
            else:
                properties.setdefault(k, v)
    if total is not None:
        properties["count"] = total
    if dates:
        properties[FIRST_STATED], properties[LAST_STATED] = min(dates), max(dates)
    evidence.sort(key=_evidence_order)
    rel_type, start, end = key
    return Relationship(type=rel_type, start=start, end=end, properties=properties, evidence=evidence)


def merge_contributions(contributions: dict[str, Graph]) -> tuple[list[Node], list[Relationship]]:
    """Visible nodes and asserted relationships of a set of letter graphs (sorted by id / key)."""
    node_parts: dict[str, dict[str, Node]] = {}
    rel_parts: dict[RelKey, dict[str, Relationship]] = {}
    for letter, graph in contributions.items():
        for node in graph.nodes:
            node_parts.setdefault(node.id, {})[letter] = node
        for rel in graph.relationships:
            rel_parts.setdefault(rel.key, {})[letter] = rel
    nodes = [merge_node(i, node_parts[i]) for i in sorted(node_parts)]
    rels = [merge_relationship(k, rel_parts[k]) for k in sorted(rel_parts)]
    return nodes, rels


def sort_relationships(rels: Iterable[Relationship]) -> list[Relationship]:
    return sorted(rels, key=lambda r: (r.type, r.start, r.end, r.derived))


def _evidence_order(ev: Evidence) -> tuple:
    return (ev.letter, ev.source, ev.start, ev.end, ev.rule, ev.quote)


def change_summary(letter: str, action: str, before: dict[str, int], after: dict[str, int]) -> ChangeSummary:
    return ChangeSummary(
        letter=letter,
        action=action,
        nodes_before=before["nodes"],
        nodes_after=after["nodes"],
        relationships_before=before["relationships"],
        relationships_after=after["relationships"],
    )


# The JSON form of a node's or relationship's per-letter contributions, as the Neo4j store keeps them
# (written by neo4j_writer, read back by neo4j_reader).
class _NodeVariant(BaseModel):
    letters: list[str]
    part: Node


class _RelVariant(BaseModel):
    letters: list[str]
    part: Relationship


# The stored JSON validated in one pass (pydantic's parser), not parsed and then validated part by part.
_VARIANTS: dict[type, TypeAdapter] = {
    Node: TypeAdapter(dict[str, list[_NodeVariant]]),
    Relationship: TypeAdapter(dict[str, list[_RelVariant]]),
}
_VARIANTS_PREFIX = '{"variants":['


def _parts(raw: str | None, model: type[Node] | type[Relationship]) -> dict:
    """letter -> part, from the stored JSON. Letters that contributed the same part share one entry
    (`{"variants": [{"letters": [...], "part": {...}}]}`), so a node that ten thousand letters name
    alike stores its content once; an earlier layout kept one entry per letter."""
    if raw and raw.startswith(_VARIANTS_PREFIX):  # as dump_contributions writes it
        return {
            letter: variant.part
            for variant in _VARIANTS[model].validate_json(raw)["variants"]
            for letter in variant.letters
        }
    data = json.loads(raw or "{}")
    if "variants" not in data:
        return {k: model.model_validate(v) for k, v in data.items()}
    parts = {}
    for variant in data["variants"]:
        part = model.model_validate(variant["part"])
        for letter in variant["letters"]:
            parts[letter] = part
    return parts


def node_contributions(raw: str | None) -> dict[str, Node]:
    return _parts(raw, Node)


def rel_contributions(raw: str | None) -> dict[str, Relationship]:
    return _parts(raw, Relationship)


def dump_contributions(parts: dict[str, Node] | dict[str, Relationship]) -> str:
    variants: dict[str, list[str]] = {}
    bodies: dict[int, str] = {}  # parts read from one variant are one object: serialised once
    for letter in sorted(parts):
        part = parts[letter]
        body = bodies.get(id(part))
        if body is None:
            body = bodies[id(part)] = part.model_dump_json()
        variants.setdefault(body, []).append(letter)
    # The parts are JSON already (pydantic's serialiser): joined as they are, not parsed again.
    rows = ",".join(f'{{"letters":{json.dumps(letters)},"part":{b}}}' for b, letters in variants.items())
    return '{"variants":[' + rows + "]}"
