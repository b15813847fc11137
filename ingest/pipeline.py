"""Chains the stages: load -> normalise -> metadata -> recognise -> resolve -> relate."""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from graph.model import Graph, Node, Relationship
from ingest.errors import LetterError
from ingest.geography import add_structure
from ingest.load import MAX_LETTER_BYTES, expand_paths, load_letter
from ingest.metadata import read_metadata, surname
from ingest.models import LetterMeta, Mention, RawLetter
from ingest.normalise import NormalisedText, normalise
from ingest.recognise import recognise
from ingest.relate import Relator, SentenceView, triggers
from ingest.resolve import resolve
from ingest.sentences import split_sentences
from ingest.text import fold, region_key, slug
from ingest.vocabulary import Vocabulary, vocabulary


def letter_id(raw: RawLetter, meta: LetterMeta) -> str:
    """The Tweede Kamer document number, else the Kamerstuk number, else a content hash."""
    if meta.document_number:
        return f"letter:{meta.document_number}"
    if meta.kamerstuk:
        return f"letter:kst-{meta.kamerstuk}"
    return f"letter:{raw.sha256[:16]}"


def _commitments(doc: NormalisedText, sentences) -> list[Mention]:
    t = triggers()
    out = []
    for s in sentences:
        new = t["commitment_new"].search(s.lower)
        if not new and not t["commitment_earlier"].search(s.lower):
            continue
        digest = hashlib.sha1(fold(s.text).encode()).hexdigest()[:12]
        name = s.text if len(s.text) <= 140 else s.text[:137].rstrip() + "..."
        out.append(
            Mention(
                "Commitment",
                s.start,
                s.end,
                s.text,
                f"commitment:{digest}",
                "commitment",
                name=name,
                props={"new": bool(new), "text": s.text},
            )
        )
    return out


def _letter_node(lid: str, raw: RawLetter, meta: LetterMeta) -> Node:
    props = {"source": raw.source, "sha256": raw.sha256, "encoding": raw.encoding, "length": len(raw.text)}
    for key in ("date", "document_number", "zaak", "volgnummer", "kamerstuk", "kind", "title"):
        if getattr(meta, key):
            props[key] = getattr(meta, key)
    if meta.dossiers:
        props["dossiers"] = [d["number"] for d in meta.dossiers]
        props["dossier_titles"] = [d["title"] for d in meta.dossiers]
    if meta.signatories:
        props["signatories"] = [s["name"] for s in meta.signatories]
    name = meta.title or (f"Brief van {meta.date}" if meta.date else raw.source)
    aliases = [a for a in (meta.document_number, meta.kamerstuk and f"Kamerstuk {meta.kamerstuk}") if a]
    return Node(id=lid, labels=["Letter"], name=name, aliases=aliases, properties=props)


def extract_raw(raw: RawLetter, vocab: Vocabulary | None = None) -> Graph:
    vocab = vocab or vocabulary()
    doc = normalise(raw)
    sentences = split_sentences(doc)
    meta = read_metadata(doc, vocab)
    lid = letter_id(raw, meta)
    mentions = recognise(doc.text, sentences, vocab) + _commitments(doc, sentences)
    mentions.sort(key=lambda m: m.start)
    resolution = resolve(mentions, meta.date, vocab)
    nodes = resolution.nodes
    for node in nodes.values():
        entry = vocab.entries.get(node.id)
        if entry:
            node.aliases = list(dict.fromkeys([*node.aliases, *entry.aliases]))

    # a motion names its submitter even where the person mention lies inside the motion's span
    for node in list(nodes.values()):
        submitter = node.properties.get("submitter")
        if "Motion" in node.labels and submitter:
            pid = "person:" + slug(submitter)
            nodes.setdefault(pid, Node(id=pid, labels=["Person"], name=submitter))

    # signatories become persons who hold office
    for sig in meta.signatories:
        pid = "person:" + slug(surname(sig["name"]))
        person = nodes.get(pid) or Node(id=pid, labels=["Person"], name=sig["name"])
        if person.name != sig["name"]:
            person.aliases = list(dict.fromkeys([person.name, *person.aliases]))
            person.name = sig["name"]
        short = surname(sig["name"])
        if short not in person.aliases:
            person.aliases.append(short)
        person.properties.setdefault("offices", [])
        if sig["office"] not in person.properties["offices"]:
            person.properties["offices"].append(sig["office"])
        nodes[pid] = person
        sig["person"] = pid
        if sig["ministry"] and sig["ministry"] not in nodes:
            entry = vocab.entries[sig["ministry"]]
            nodes[entry.id] = Node(
                id=entry.id,
                labels=["Ministry"],
                name=entry.name,
                aliases=list(entry.aliases),
                properties=dict(entry.props),
            )

    views = _sentence_views(sentences, resolution.mentions)
    relator = Relator(raw, doc, lid)
    for m in resolution.mentions:
        if m.label == "Programme":
            relator.programme_by_surface.setdefault(m.text.casefold(), m.key)
    for node in nodes.values():
        if "Programme" in node.labels:
            for form in [node.name, *node.aliases]:
                relator.programme_by_surface.setdefault(form.casefold(), node.id)
            states = [
                e.id
                for _, _, e, _ in vocab.scan(node.name)
                if e.label == "NeighbouringState" and e.props.get("kind") != "land"
            ]
            if states:
                relator.states_in_name[node.id] = states
    title_span, title_programmes = None, []
    if meta.title:
        at = doc.text.find(meta.title)
        if at >= 0:
            title_span = (at, at + len(meta.title))
            title_programmes = list(
                dict.fromkeys(
                    m.key
                    for m in resolution.mentions
                    if m.label == "Programme" and at <= m.start < title_span[1]
                )
            )
    rels = relator.relate(views, meta.signatories, title_span, title_programmes)

    for sig in meta.signatories:
        span = (sig["start"], sig["end"])
        relator.add("SIGNED_BY", lid, sig["person"], span, "signature", role=sig["role"])
        if sig["ministry"]:
            relator.add(
                "HOLDS_OFFICE",
                sig["person"],
                sig["ministry"],
                span,
                "signature",
                role=sig["role"],
                office=sig["office"],
                date=meta.date,
            )
    for rel in list(relator.rels.values()):
        if rel.type == "PART_OF" and rel.end.startswith("dossier:") and rel.end not in nodes:
            number = rel.end.split(":", 1)[1]
            nodes[rel.end] = Node(id=rel.end, labels=["Dossier"], name=number, properties={"number": number})
    for d in meta.dossiers:
        did = "dossier:" + d["number"]
        node = nodes.setdefault(
            did, Node(id=did, labels=["Dossier"], name=d["number"], properties={"number": d["number"]})
        )
        node.properties["title"] = d["title"]
        relator.add("PART_OF", lid, did, (d["start"], d["end"]), "letter-header")
    _mentions(relator, lid, resolution.mentions)
    add_structure(relator.rels, nodes, vocab, meta.date)
    rels = list(relator.rels.values())
    letter = _letter_node(lid, raw, meta)
    return Graph(nodes=[letter, *nodes.values()], relationships=rels)


def _sentence_views(sentences, mentions: list[Mention]) -> list[SentenceView]:
    starts = [s.start for s in sentences]
    views = [SentenceView(s, []) for s in sentences]
    for m in mentions:
        i = bisect_right(starts, m.start) - 1
        if i >= 0 and m.start < sentences[i].end + 1:
            views[i].mentions.append(m)
    for view in views:
        view.index()
    return views


def _mentions(relator: Relator, lid: str, mentions: list[Mention]) -> None:
    counts = Counter(m.key for m in mentions)
    first: dict[str, Mention] = {}
    for m in mentions:
        first.setdefault(m.key, m)
    for key, m in first.items():
        relator.add("MENTIONS", lid, key, (m.start, m.end), "mention", count=counts[key])


def _region_hierarchy(relator: Relator, nodes: dict[str, Node], vocab: Vocabulary) -> None:
    """Region PART_OF province, from the gazetteer or from a name like Noord-Limburg (not from text)."""
    provinces = {
        region_key(e.name, vocab.spelling): e.id
        for e in vocab.entries.values()
        if "Province" in e.extra_labels
    }
    for node in list(nodes.values()):
        if "Region" not in node.labels or "Province" in node.labels:
            continue
        province = node.properties.get("province")
        pid = provinces.get(region_key(province, vocab.spelling)) if province else None
        if pid is None:
            parts = region_key(node.name, vocab.spelling).split("-")
            pid = (
                provinces.get(parts[-1]) if len(parts) > 1 and re.match(r"[A-Z][a-z]*-", node.name) else None
            )
        if pid and pid != node.id and pid in nodes:  # only provinces the letter names
            relator.add("PART_OF", node.id, pid, None, "gazetteer", derived=True)


def extract_file(path: Path | str, max_bytes: int = MAX_LETTER_BYTES) -> Graph:
    """One letter file into its graph; raises LetterError naming the file on bad input."""
    raw = load_letter(path, max_bytes)
    try:
        return extract_raw(raw)
    except LetterError:
        raise
    except Exception as exc:  # a bug must not hide which letter triggered it
        raise LetterError(path, f"extraction failed: {type(exc).__name__}: {exc}") from exc


def iter_extract(
    paths: Iterable[Path | str], max_bytes: int = MAX_LETTER_BYTES
) -> Iterator[tuple[Path, Graph | LetterError]]:
    """Extract every letter, yielding (path, graph) or (path, error) so one bad file stops nothing."""
    for path in expand_paths(paths):
        try:
            yield path, extract_file(path, max_bytes)
        except LetterError as exc:
            yield path, exc


__all__ = ["extract_file", "extract_raw", "iter_extract", "letter_id", "Relationship"]
