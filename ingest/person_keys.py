"""decisions.md D7: a person's key is initials + surname when the letter gives the initials
("A.B. de Vries" -> `person:ab-de-vries`); a mention by surname alone ("het lid De Vries") is that
person when exactly one person of the letter with initials bears the surname."""

from __future__ import annotations

import re

from graph.model import Graph, Node, Relationship
from ingest.text import slug

_INITIALS = re.compile(r"^((?:[A-ZÀ-Ý]\.\s?)+)\s*(\S.*)$")


def initialled_key(name: str) -> str | None:
    """`person:<initials>-<surname>` for a name written with initials, else None."""
    m = _INITIALS.match(name.strip())
    if not m:
        return None
    initials = "".join(c for c in m.group(1) if c.isalpha()).lower()
    return f"person:{initials}-{slug(m.group(2))}"


def _surname_key(name: str) -> str:
    m = _INITIALS.match(name.strip())
    return "person:" + slug(m.group(2) if m else name)


def key_people(graph: Graph) -> Graph:
    """Re-key the letter's people by D7 and merge a surname-only node into the one person with
    initials of that surname; relationships follow (duplicates merged, evidence kept)."""
    renamed: dict[str, str] = {}
    by_surname: dict[str, set[str]] = {}
    for node in graph.nodes:
        if "Person" not in node.labels:
            continue
        key = next((k for k in map(initialled_key, [node.name, *node.aliases]) if k), None)
        if key:
            renamed[node.id] = key
            by_surname.setdefault(_surname_key(node.name), set()).add(key)
    for node in graph.nodes:
        if "Person" in node.labels and node.id not in renamed:
            owners = by_surname.get(node.id, set())
            if len(owners) == 1:
                renamed[node.id] = next(iter(owners))
    renamed = {old: new for old, new in renamed.items() if old != new}
    if not renamed:
        return graph
    nodes: dict[str, Node] = {}
    for node in graph.nodes:
        new_id = renamed.get(node.id, node.id)
        kept = nodes.get(new_id)
        if kept is None:
            nodes[new_id] = node.model_copy(update={"id": new_id})
            continue
        first, other = (
            (kept, node) if initialled_key(kept.name) else (node.model_copy(update={"id": new_id}), kept)
        )
        merged = dict.fromkeys([*first.aliases, other.name, *other.aliases])
        first.aliases = [a for a in merged if a != first.name]
        first.properties = {**other.properties, **first.properties}
        nodes[new_id] = first
    rels: dict[tuple[str, str, str], Relationship] = {}
    for rel in graph.relationships:
        start, end = renamed.get(rel.start, rel.start), renamed.get(rel.end, rel.end)
        rkey = (rel.type, start, end)
        kept_rel = rels.get(rkey)
        if kept_rel is None:
            rels[rkey] = rel.model_copy(update={"start": start, "end": end})
        else:
            seen = {(e.start, e.end) for e in kept_rel.evidence}
            kept_rel.evidence.extend(e for e in rel.evidence if (e.start, e.end) not in seen)
            if "count" in kept_rel.properties and "count" in rel.properties:
                kept_rel.properties["count"] += rel.properties["count"]
    return Graph(nodes=list(nodes.values()), relationships=list(rels.values()))
