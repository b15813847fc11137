"""Splits normalised text into sentences (paragraph breaks always end one)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from ingest.models import Sentence
from ingest.normalise import NormalisedText
from ingest.text import lower_same_length

DATA = Path(__file__).with_name("data")
_CANDIDATE = re.compile(r"[.!?][\"')]*\s+(?=[\"'(\u2022]?\s*[A-Z0-9À-Ý\u2022])")
_PARAGRAPH = re.compile(r"\n\n+")
_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]")  # "o.a", "n.a.v"


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    return frozenset(yaml.safe_load((DATA / "sentence_abbreviations.yaml").read_text(encoding="utf-8")))


def _is_abbreviation(text: str, dot: int) -> bool:
    lo = max(0, dot - 40)  # no abbreviation is longer
    word_start = max(text.rfind(" ", lo, dot), text.rfind("\n", lo, dot), text.rfind("(", lo, dot)) + 1
    word_start = max(word_start, lo)
    word = text[word_start:dot].lower()
    if len(word) == 1 and word.isalpha():
        return True  # an initial such as "J." in "J.J.M. Uitermark"
    if _DOTTED.fullmatch(word):
        return True
    return word in _abbreviations()


def split_sentences(doc: NormalisedText) -> list[Sentence]:
    text = doc.text
    lowered = lower_same_length(text)
    out: list[Sentence] = []
    para_start = 0
    paragraph = 0
    for para_match in [*_PARAGRAPH.finditer(text), None]:
        para_end = para_match.start() if para_match else len(text)
        kind = "footnote" if para_start >= doc.footnotes_start else "body"
        start = para_start
        for m in _CANDIDATE.finditer(text, para_start, para_end):
            if text[m.start()] == "." and _is_abbreviation(text, m.start()):
                continue
            end = m.start() + 1
            out.append(Sentence(start, end, text[start:end], kind, paragraph, lowered[start:end]))
            start = m.end()
        if text[start:para_end].strip():
            end = para_end
            while end > start and text[end - 1].isspace():
                end -= 1
            out.append(Sentence(start, end, text[start:end], kind, paragraph, lowered[start:end]))
        paragraph += 1
        if para_match:
            para_start = para_match.end()
    return out
