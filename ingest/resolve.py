"""Stage 5: merge mentions into canonical entities with deterministic ids, names and aliases.

Area identity (decisions D2): a region a letter names that is a CBS area (equal after
normalisation, or a spelling listed in data/area_variants.yaml) becomes that area's node, the
letter's spelling an alias. Ministries: a name or abbreviation means the ministry that bore it on
the letter's date (TOOI history), named as it was then.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.model import Node
from ingest.models import Mention
from ingest.text import fold, region_key
from ingest.vocabulary import Vocabulary, vocabulary


@dataclass
class Resolution:
    nodes: dict[str, Node]
    mentions: list[Mention]  # key == node id


def _as_entry(m: Mention, entry_id: str, vocab: Vocabulary) -> None:
    entry = vocab.entries[entry_id]
    m.key, m.name, m.extra_labels = entry.id, entry.name, entry.extra_labels
    m.properties, m.kind = dict(entry.props), entry.props.get("kind")


def _ministry_by_date(m: Mention, day: str | None, vocab: Vocabulary) -> None:
    meant = vocab.ministry_at(m.text, day)
    if meant is None:
        return
    if meant != m.key:
        _as_entry(m, meant, vocab)
    named = vocab.ministry_name(meant, day)
    if named:
        m.name, m.properties["abbreviation"] = named


def _area_identity(m: Mention, vocab: Vocabulary) -> None:
    """A region found by pattern (not the gazetteer) that is a known area becomes that area."""
    if m.key in vocab.entries or m.rule == "programme-area":
        return
    for name in (m.name, m.text):
        known = vocab.region_keys.get(region_key(name, vocab.spelling)) if name else None
        if known:
            _as_entry(m, known, vocab)
            return


def resolve(mentions: list[Mention], date: str | None = None, vocab: Vocabulary | None = None) -> Resolution:
    vocab = vocab or vocabulary()
    nested = [  # the regions a name gives
        r for m in mentions if m.region is not None for r in (m.region, *m.more_regions)
    ]
    for m in [*mentions, *nested]:
        if m.label == "Ministry" and m.rule == "gazetteer":
            _ministry_by_date(m, date, vocab)
        elif m.label == "Region":
            _area_identity(m, vocab)
    nodes: dict[str, Node] = {}
    for m in [*mentions, *nested]:
        node = nodes.get(m.key)
        if node is None:
            labels = [m.label, *[x for x in m.extra_labels if x != m.label]]
            props = dict(m.properties)
            if m.kind and "kind" not in props:
                props["kind"] = m.kind
            node = Node(id=m.key, labels=labels, name=m.name or m.text, properties=props)
            nodes[m.key] = node
        elif m.rule == "gazetteer" and m.name and node.name != m.name:
            node.name = m.name
        for alias in [m.text, *m.aliases]:
            alias = " ".join(alias.split())
            if fold(alias) != fold(node.name) and alias not in node.aliases:
                node.aliases.append(alias)
        if m.label == "Motion" and m.submitters:
            node.properties["submitters"] = list(m.submitters)
    return Resolution(nodes, mentions)
