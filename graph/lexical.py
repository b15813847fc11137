"""The lexical graph of one letter: its statements (one per piece of evidence) and its passages (chunks).

A Statement is one thing a letter states, as a node: the relationship type, the two ends, the quote with
its offsets, the rule that read it and its basis (decisions.md D4: stated, coreference, context,
structure). A Chunk is a passage of the letter quoted as evidence (a sentence, a header line, a signature
block), once per distinct span, numbered in reading order: neo4j-graphrag's `Chunk` with `text` and
`index`, so a user who adds embeddings can use its retrievers with `Letter` as the document label.

Pure functions over the model, so the rows are the same whatever writes them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from graph.model import Graph


@dataclass
class LexicalRows:
    chunks: list[dict[str, Any]] = field(default_factory=list)
    next_chunks: list[dict[str, str]] = field(default_factory=list)
    statements: list[dict[str, Any]] = field(default_factory=list)
    entity_chunks: list[dict[str, str]] = field(default_factory=list)


def chunk_id(letter_id: str, start: int, end: int) -> str:
    return f"chunk:{letter_id.removeprefix('letter:')}:{start}-{end}"


def statement_id(rel_type: str, start: str, end: str, letter: str, ev_start: int, ev_end: int) -> str:
    digest = hashlib.sha1("\x1f".join(map(str, (rel_type, start, end, letter, ev_start, ev_end))).encode())
    return f"statement:{digest.hexdigest()[:20]}"


def lexical_rows(letter_id: str, graph: Graph, date: Any = None) -> LexicalRows:
    """Rows for the statements and chunks of one prepared letter graph (its evidence is all its own);
    `date` is the letter's date as stored (a Neo4j DATE or None)."""
    rows = LexicalRows()
    spans: dict[tuple[int, int], dict[str, Any]] = {}
    for rel in graph.relationships:
        for ev in rel.evidence:
            spans.setdefault((ev.start, ev.end), {"text": ev.quote, "source": ev.source})
    ordered = sorted(spans)
    for index, (start, end) in enumerate(ordered):
        rows.chunks.append(
            {
                "id": chunk_id(letter_id, start, end),
                "props": {
                    "id": chunk_id(letter_id, start, end),
                    "text": spans[(start, end)]["text"],
                    "index": index,
                    "start": start,
                    "end": end,
                    "letter": letter_id,
                    "source": spans[(start, end)]["source"],
                },
            }
        )
    rows.next_chunks = [
        {"a": chunk_id(letter_id, *a), "b": chunk_id(letter_id, *b)}
        for a, b in zip(ordered, ordered[1:], strict=False)
    ]
    letters = {n.id for n in graph.nodes if "Letter" in n.labels}
    pairs: set[tuple[str, str]] = set()
    for rel in graph.relationships:
        for ev in rel.evidence:
            chunk = chunk_id(letter_id, ev.start, ev.end)
            props = {
                "id": statement_id(rel.type, rel.start, rel.end, ev.letter, ev.start, ev.end),
                "type": rel.type,
                "quote": ev.quote,
                "start": ev.start,
                "end": ev.end,
                "rule": ev.rule,
                "basis": ev.basis or None,  # absent when extraction gave none
                "letter": ev.letter,
                "source": ev.source,
            }
            if date is not None:
                props["date"] = date
            rows.statements.append({"start": rel.start, "end": rel.end, "chunk": chunk, "props": props})
            for entity in (rel.start, rel.end):
                if entity not in letters:
                    pairs.add((entity, chunk))
    rows.entity_chunks = [{"entity": e, "chunk": c} for e, c in sorted(pairs)]
    return rows


def bases(rel) -> list[str]:
    """The distinct bases of a relationship: those of its evidence and its own `basis` property
    (relationships read from data, such as the area hierarchy, carry one without evidence)."""
    found = {ev.basis for ev in rel.evidence if ev.basis}
    own = rel.properties.get("basis")
    if isinstance(own, str) and own:
        found.add(own)
    return sorted(found)
