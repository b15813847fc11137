"""Which programme the text is about, for the relation grammar's open `programme` end.

`TopicTracker` indexes the programmes each sentence and paragraph names, then answers three
questions, each narrowly so that a relationship is never pinned on a guess:

- `paragraph_topic`: the one programme a paragraph names (none if it names two or more);
- `antecedent`: what an anaphor ("het programma", "hierin", "Het gaat dan om") stands for;
- `topic`: the paragraph's one programme, else the programme that opened the nearest sentence
  before (centering: what a sentence opens with is what the text goes on about);
- `letter_subject`: the one programme the letter presents or reports on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

# A nominal anaphor ("het programma", "die plannen") looks back this many paragraphs (headings
# and footnotes not counted) for the nearest one that names programmes.
NOMINAL_LOOKBACK_PARAGRAPHS = 3
# `topic` looks back this many paragraphs (headings, list items and footnotes not counted apart
# from body paragraphs) for a sentence a programme opens.
TOPIC_LOOKBACK_PARAGRAPHS = 6
# The letter's subject by weight: a programme in the title, in a sentence saying what the letter
# is about, in the body; a programme is the subject when it has the largest weight, at least
# SUBJECT_MIN_WEIGHT, and at least SUBJECT_SHARE of all.
TITLE_WEIGHT = 10.0
DECLARED_WEIGHT = 5.0
BODY_WEIGHT = 1.0
SUBJECT_MIN_WEIGHT = 1.0
SUBJECT_SHARE = 0.6


class View(Protocol):
    """What the tracker reads of a sentence view (ingest/relate.py: SentenceView)."""

    @property
    def paragraph(self) -> int: ...

    @property
    def kind(self) -> str: ...

    def programme_keys(self) -> list[str]: ...


@dataclass
class TopicTracker:
    views: Sequence[View]
    title: list[str] = field(default_factory=list)  # programmes the letter's title names
    declared: list[str] = field(default_factory=list)  # named in "in deze brief ... over X"
    surfaces: dict[str, str] = field(default_factory=dict)  # programme -> how it is written (lower case)
    # the programme that opens sentence i, if one does (ingest/relate.py; asked only by `topic`)
    opener: Callable[[int], str | None] = lambda i: None

    def __post_init__(self) -> None:
        self._by_sentence: list[list[str]] | None = None
        self.paragraphs: dict[int, list[int]] = {}
        for i, v in enumerate(self.views):
            self.paragraphs.setdefault(v.paragraph, []).append(i)
        self.order = list(self.paragraphs)
        self.position = {p: n for n, p in enumerate(self.order)}
        self._subject: tuple[bool, str | None] = (False, None)

    @property
    def by_sentence(self) -> list[list[str]]:
        """The programmes each sentence names (computed when first asked: most letters never do)."""
        if self._by_sentence is None:
            self._by_sentence = [list(dict.fromkeys(v.programme_keys())) for v in self.views]
        return self._by_sentence

    # -- paragraphs ------------------------------------------------------------------------------
    def _programmes(self, indices: Sequence[int]) -> list[str]:
        return list(dict.fromkeys(k for i in indices for k in self.by_sentence[i]))

    def paragraph_topic(self, i: int) -> str | None:
        """The programme the paragraph of sentence i names, when it names exactly one."""
        found = self._programmes(self.paragraphs[self.views[i].paragraph])
        return found[0] if len(found) == 1 else None

    def _before_in_paragraph(self, i: int) -> list[int]:
        return [j for j in self.paragraphs[self.views[i].paragraph] if j < i]

    def _previous_paragraphs(self, i: int):
        n = self.position[self.views[i].paragraph]
        for p in reversed(self.order[:n]):
            indices = self.paragraphs[p]
            if self.views[indices[0]].kind != "body":
                continue
            yield indices

    def topic(self, i: int) -> str | None:
        """The paragraph's one programme, else the programme that opens the nearest sentence
        before sentence i in its paragraph or the TOPIC_LOOKBACK_PARAGRAPHS body paragraphs before."""
        found = self.paragraph_topic(i)
        if found:
            return found
        for j in reversed(self._before_in_paragraph(i)):
            if opened := self.opener(j):
                return opened
        for n, indices in enumerate(self._previous_paragraphs(i)):
            if n >= TOPIC_LOOKBACK_PARAGRAPHS:
                break
            for j in reversed(indices):
                if opened := self.opener(j):
                    return opened
        return None

    # -- anaphors --------------------------------------------------------------------------------
    def antecedent(self, i: int, kind: str, head: str | None = None) -> str | None:
        """What an anaphor of `kind` in sentence i stands for (see data/relations.yaml, anaphors);
        of several programmes before, a nominal anaphor's head noun ("dit programma") picks the one
        whose name has it."""
        before = self._before_in_paragraph(i)
        if kind == "elaboration":  # "Het gaat dan om ...": the theme of the sentence before
            return self.by_sentence[before[-1]][0] if before and self.by_sentence[before[-1]] else None
        found = self._programmes(before)
        if len(found) == 1:
            return found[0]
        if len(found) > 1 and head:
            agreeing = [k for k in found if head in self.surfaces.get(k, k)]
            if len(agreeing) == 1:
                return agreeing[0]
        if len(found) > 1:
            last = self.by_sentence[before[-1]]
            return last[0] if kind == "nominal" and len(last) == 1 else None
        if kind == "adverbial" and before:
            return None  # "hierin" after sentences without a programme refers to something else
        lookback = NOMINAL_LOOKBACK_PARAGRAPHS if kind == "nominal" else 1
        for n, indices in enumerate(self._previous_paragraphs(i)):
            if n >= lookback:
                break
            found = self._programmes(indices)
            if found:
                return found[0] if len(found) == 1 else None
        return None

    # -- the letter ------------------------------------------------------------------------------
    def letter_subject(self) -> str | None:
        if not self._subject[0]:
            self._subject = (True, self._compute_subject())
        return self._subject[1]

    def _compute_subject(self) -> str | None:
        weights: dict[str, float] = {}
        for key in dict.fromkeys(self.title):
            weights[key] = weights.get(key, 0) + TITLE_WEIGHT
        for key in dict.fromkeys(self.declared):
            weights[key] = weights.get(key, 0) + DECLARED_WEIGHT
        for v in self.views:
            if v.kind == "body":
                for key in v.programme_keys():
                    weights[key] = weights.get(key, 0) + BODY_WEIGHT
        if not weights:
            return None
        # heaviest first; equal weights in first-seen order (as Counter.most_common)
        (best, top), *rest = sorted(weights.items(), key=lambda kv: -kv[1])
        if rest and rest[0][1] == top:
            return None
        if top < SUBJECT_MIN_WEIGHT or top < SUBJECT_SHARE * sum(weights.values()):
            return None
        return best
