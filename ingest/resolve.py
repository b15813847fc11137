"""Stage 5: merge mentions into canonical entities with deterministic ids, names and aliases."""

from __future__ import annotations

from dataclasses import dataclass

from graph.model import Node
from ingest.models import Mention
from ingest.text import fold


@dataclass
class Resolution:
    nodes: dict[str, Node]
    mentions: list[Mention]  # key == node id


def _resolve_anaphora(mentions: list[Mention]) -> None:
    """`de motie van laatstgenoemde`: the submitter is the last person named before it."""
    last_person: Mention | None = None
    for m in mentions:
        if m.label == "Person":
            last_person = m
        elif m.label == "Motion" and m.props.get("submitter") == "laatstgenoemde" and last_person:
            m.props["submitter"] = last_person.name
            m.key = "motion:" + last_person.key.split(":", 1)[1]
            m.name = f"motie {last_person.name}"


def resolve(mentions: list[Mention]) -> Resolution:
    _resolve_anaphora(mentions)
    mentions = [m for m in mentions if m.props.get("submitter") != "laatstgenoemde"]
    nodes: dict[str, Node] = {}
    for m in mentions:
        node = nodes.get(m.key)
        if node is None:
            labels = [m.label, *[x for x in m.extra_labels if x != m.label]]
            props = {
                k: v for k, v in m.props.items() if k not in ("aliases", "submitter", "programme_surface")
            }
            node = Node(id=m.key, labels=labels, name=m.name or m.text, properties=props)
            nodes[m.key] = node
        elif m.rule == "gazetteer" and m.name and node.name != m.name:
            node.name = m.name
        for alias in [m.text, *m.props.get("aliases", [])]:
            alias = " ".join(alias.split())
            if fold(alias) != fold(node.name) and alias not in node.aliases:
                node.aliases.append(alias)
    for m in mentions:
        if m.label == "Motion" and m.props.get("submitter"):
            nodes[m.key].properties["submitter"] = m.props["submitter"]
    return Resolution(nodes, mentions)
