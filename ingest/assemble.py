"""Stage 8: the letter's graph from its metadata, resolved entities and relationships.

Adds the Letter node, the people who sign or submit, the ministries that send, dossiers, and the
node of every relationship end the text did not name itself (a programme family, NOVEX behind a
"NOVEX-gebied"); the area hierarchy and dated ministry names come from data (ingest/geography.py).
"""

from __future__ import annotations

from graph.model import Graph, Node, Relationship
from ingest.geography import add_structure
from ingest.models import LetterMeta, RawLetter
from ingest.patterns import patterns
from ingest.resolve import Resolution
from ingest.text import name_parts, person_key, slug
from ingest.vocabulary import Vocabulary


def letter_id(raw: RawLetter, meta: LetterMeta) -> str:
    """The Tweede Kamer document number, else the Kamerstuk number, else a content hash."""
    if meta.document_number:
        return f"letter:{meta.document_number}"
    if meta.kamerstuk:
        return f"letter:kst-{meta.kamerstuk}"
    return f"letter:{raw.sha256[:16]}"


def letter_node(lid: str, raw: RawLetter, meta: LetterMeta) -> Node:
    props = {"source": raw.source, "sha256": raw.sha256, "encoding": raw.encoding, "length": len(raw.text)}
    for key in ("date", "document_number", "zaak", "volgnummer", "kamerstuk", "kind", "title"):
        if getattr(meta, key):
            props[key] = getattr(meta, key)
    if meta.dossiers:
        props["dossiers"] = [d.number for d in meta.dossiers]
        props["dossier_titles"] = [d.title for d in meta.dossiers]
    if meta.signatories:
        props["signatories"] = [s.name for s in meta.signatories]
    name = meta.title or (f"Brief van {meta.date}" if meta.date else raw.source)
    aliases = [a for a in (meta.document_number, meta.kamerstuk and f"Kamerstuk {meta.kamerstuk}") if a]
    return Node(id=lid, labels=["Letter"], name=name, aliases=aliases, properties=props)


def _signatories(nodes: dict[str, Node], meta: LetterMeta) -> None:
    """Signatories become persons who hold office."""
    for sig in meta.signatories:
        person = nodes.get(sig.person) or Node(id=sig.person, labels=["Person"], name=sig.name)
        if person.name != sig.name:
            person.aliases = list(dict.fromkeys([person.name, *person.aliases]))
            person.name = sig.name
        if sig.surname not in person.aliases:
            person.aliases.append(sig.surname)
        offices = person.properties.setdefault("offices", [])
        if sig.office not in offices:
            offices.append(sig.office)
        nodes[sig.person] = person


def _missing_ends(
    nodes: dict[str, Node], rels: list[Relationship], vocab: Vocabulary, meta: LetterMeta, lid: str
) -> list[Relationship]:
    """Nodes for relationship ends the text did not name; a relationship with an end that is
    nothing known is dropped."""
    titles = {"dossier:" + d.number: d.title for d in meta.dossiers}
    kept = []
    for rel in rels:
        ok = True
        for end in (rel.start, rel.end):
            if end in nodes or end == lid:
                continue
            node = vocab.node(end)
            if node is None:
                kind, _, tail = end.partition(":")
                if kind == "person":
                    node = Node(id=end, labels=["Person"], name=tail.replace("-", " ").title())
                elif kind == "dossier":
                    node = Node(id=end, labels=["Dossier"], name=tail, properties={"number": tail})
            if node is None:
                ok = False
                break
            nodes[end] = node
        if ok:
            kept.append(rel)
    for did, title in titles.items():
        if did in nodes:
            nodes[did].properties["title"] = title
    return kept


def _submitters(nodes: dict[str, Node]) -> None:
    """A motion names its submitters even where no person mention lies outside the motion."""
    for node in list(nodes.values()):
        if "Motion" in node.labels:
            for name in node.properties.get("submitters", []):
                pid = person_key(name)
                nodes.setdefault(pid, Node(id=pid, labels=["Person"], name=name))


def _person_facts(nodes: dict[str, Node], rels: list[Relationship]) -> None:
    """Role and party on the person (decisions.md D7), from what the letter relates: the office a
    signature gives ("minister"), else a member's role when the person submits a motion or belongs to
    a party; the party's name from MEMBER_OF."""
    for rel in rels:
        person = nodes.get(rel.start)
        if person is None or "Person" not in person.labels:
            continue
        if rel.type == "HOLDS_OFFICE" and rel.properties.get("role"):
            person.properties["role"] = rel.properties["role"]
        elif rel.type in ("SUBMITTED", "MEMBER_OF"):
            person.properties.setdefault("role", patterns().lists["member_role"][0])
            party = nodes.get(rel.end)
            if rel.type == "MEMBER_OF" and party is not None:
                person.properties["party"] = party.name


def _one_node_per_person(nodes: dict[str, Node], rels: list[Relationship]) -> list[Relationship]:
    """A person the letter names by surname alone ("minister Uitermark") and, once, with initials
    ("J.J.M. Uitermark") is one person: the surname-only node merges into the one with initials
    (its name kept as an alias) and its relationships move with it. Two people with that surname
    and different initials leave the surname-only node as it is."""
    with_initials: dict[str, list[str]] = {}
    for node in nodes.values():
        if "Person" not in node.labels:
            continue
        for name in (node.name, *node.aliases):
            initials, surname = name_parts(name)
            if initials and person_key(name) == node.id:
                with_initials.setdefault("person:" + slug(surname), []).append(node.id)
                break
    moved = {
        short: ids[0]
        for short, ids in with_initials.items()
        if len(ids) == 1 and short in nodes and short != ids[0]
    }
    if not moved:
        return rels
    for short, full in moved.items():
        gone, into = nodes.pop(short), nodes[full]
        for alias in (gone.name, *gone.aliases):
            if alias != into.name and alias not in into.aliases:
                into.aliases.append(alias)
        for k, v in gone.properties.items():
            into.properties.setdefault(k, v)
    merged: dict[tuple[str, str, str], Relationship] = {}
    for rel in rels:
        rel.start, rel.end = moved.get(rel.start, rel.start), moved.get(rel.end, rel.end)
        known = merged.get(rel.key)
        if known is None:
            merged[rel.key] = rel
            continue
        seen = {(e.start, e.end) for e in known.evidence}
        known.evidence.extend(e for e in rel.evidence if (e.start, e.end) not in seen)
        known.evidence.sort(key=lambda e: (e.start, e.end))
        if isinstance(rel.properties.get("count"), int):
            known.properties["count"] = known.properties.get("count", 0) + rel.properties["count"]
    return list(merged.values())


RELATING = frozenset(
    {"COVERS", "COORDINATES", "PARTICIPATES_IN", "PARTNERS_WITH", "OVERLAPS", "SUCCEEDED_BY"}
)


def _drop_unrelated(
    nodes: dict[str, Node], rels: list[Relationship], resolution: Resolution
) -> list[Relationship]:
    """Tentative entities (every mention tentative) that no relationship of the letter ties to
    another entity are no entities: their nodes and mentions go."""
    tentative = {m.key for m in resolution.mentions if m.tentative}
    tentative -= {m.key for m in resolution.mentions if not m.tentative}
    if not tentative:
        return rels
    related = {end for r in rels if r.type in RELATING for end in (r.start, r.end)}
    gone = tentative - related
    for key in gone:
        nodes.pop(key, None)
    return [r for r in rels if r.start not in gone and r.end not in gone]


def assemble(
    raw: RawLetter,
    meta: LetterMeta,
    lid: str,
    resolution: Resolution,
    relationships: list[Relationship],
    vocab: Vocabulary,
) -> Graph:
    nodes = resolution.nodes
    for node in nodes.values():
        entry = vocab.entries.get(node.id)
        if entry:
            node.aliases = list(dict.fromkeys([*node.aliases, *entry.aliases]))
    _signatories(nodes, meta)
    for sender in meta.senders:
        if sender.ministry not in nodes:
            found = vocab.node(sender.ministry)
            if found:
                nodes[found.id] = found
    _submitters(nodes)
    rels = _drop_unrelated(nodes, relationships, resolution)
    rels = _missing_ends(nodes, rels, vocab, meta, lid)
    rels = _one_node_per_person(nodes, rels)
    _person_facts(nodes, rels)
    by_key = {r.key: r for r in rels}
    add_structure(by_key, nodes, vocab, meta.date)  # area hierarchy from data, ministries by date
    return Graph(nodes=[letter_node(lid, raw, meta), *nodes.values()], relationships=list(by_key.values()))
