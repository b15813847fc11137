"""Who sends the letter: the ministries of its signatories and of its Kamerstuk header
("BRIEF VAN DE MINISTERS VAN X EN VAN Y"). The relation grammar's `sender` end reads these."""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.models import LetterMeta, Sender
from ingest.normalise import NormalisedText
from ingest.patterns import patterns
from ingest.text import lower_same_length
from ingest.vocabulary import Vocabulary, vocabulary

HEAD_CHARS = 4000  # the header lies in the first part of the letter


@lru_cache(maxsize=1)
def _regexes() -> tuple[re.Pattern, re.Pattern]:
    f = patterns().fragments
    return re.compile(f["sender_header"]), re.compile(f["sender_split"])


def _ministry(part: str, vocab: Vocabulary) -> str | None:
    part = part.strip().rstrip(".,;")
    known = vocab.ministry_by_name.get(lower_same_length(part))
    if known:
        return known
    for start, end, entry, _ in vocab.scan(part):
        if entry.label == "Ministry" and start == 0 and end == len(part):
            return entry.id
    return None


def senders(doc: NormalisedText, meta: LetterMeta, vocab: Vocabulary | None = None) -> list[Sender]:
    vocab = vocab or vocabulary()
    header, split = _regexes()
    out: dict[str, Sender] = {}
    m = header.search(doc.text, 0, min(len(doc.text), HEAD_CHARS))
    if m and m.group("ministries"):
        at = m.start("ministries")
        for part in split.split(m.group("ministries")):
            ministry = _ministry(part, vocab)
            start = doc.text.find(part, at)
            if ministry and ministry not in out:
                out[ministry] = Sender(ministry, m.group(0).strip(), m.start(), start + len(part))
            at = start + len(part)
    for sig in meta.signatories:
        if sig.ministry and sig.ministry not in out:
            out[sig.ministry] = Sender(sig.ministry, sig.office, sig.start, sig.end)
    return list(out.values())
