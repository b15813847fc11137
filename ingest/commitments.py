"""Commitments (toezeggingen): a sentence in which the minister makes one ("ik zeg u toe") or
reports on an earlier one ("zoals toegezegd"). Phrases in data/triggers.yaml."""

from __future__ import annotations

import hashlib

from ingest.models import Mention, Sentence
from ingest.patterns import triggers
from ingest.text import fold

MAX_NAME = 140  # a commitment is named by its sentence, cut to this length


def commitments(text: str, sentences: list[Sentence], mentions: list[Mention] | None = None) -> list[Mention]:
    t = triggers()
    new_phrase, earlier_phrase = t["commitment_new"], t["commitment_earlier"]
    words = {w for w in (new_phrase.requires, earlier_phrase.requires) if w}
    out = []
    for s in sentences:
        if words and not any(w in s.lower for w in words):
            continue  # most sentences: no phrase can match
        new = new_phrase.search(s.lower)
        if not new and not earlier_phrase.search(s.lower):
            continue
        digest = hashlib.sha1(fold(s.text).encode()).hexdigest()[:12]
        name = s.text if len(s.text) <= MAX_NAME else s.text[: MAX_NAME - 3].rstrip() + "..."
        out.append(
            Mention(
                "Commitment",
                s.start,
                s.end,
                s.text,
                f"commitment:{digest}",
                "commitment",
                name=name,
                properties={"new": bool(new), "text": s.text},
                new=bool(new),
            )
        )
    return out
