"""What was said when: the dates a relationship was stated, the graph as of a day, and a programme's
timeline letter by letter.

Dates are ISO strings (decisions.md D6). A letter without a date is never guessed: it is left out of
every view as of a day and listed apart as undated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from graph.derive import derive_all
from graph.model import Evidence, Node, Relationship
from graph.store import Neighbour

FIRST_STATED = "first_stated"
LAST_STATED = "last_stated"
STATED = (FIRST_STATED, LAST_STATED)

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def iso_date(value: object) -> str | None:
    """`value` as an ISO `YYYY-MM-DD` string when it is a real calendar date, else None."""
    if isinstance(value, date):
        return value.isoformat()[:10]
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            return None
    return None


def letter_date(letter: Node) -> str | None:
    """The date of a Letter node (its `date` property), or None for an undated letter."""
    return iso_date(letter.properties.get("date"))


@dataclass(frozen=True)
class LetterDates:
    """The date of every letter of a store (None: undated), to cut views as of a day."""

    dates: dict[str, str | None]

    @classmethod
    def of(cls, letters: Iterable[Node]) -> LetterDates:
        return cls({n.id: letter_date(n) for n in letters})

    def counts(self, letter: str, as_of: str | None) -> bool:
        """Whether the letter's evidence counts as of the day (every letter when as_of is None)."""
        if as_of is None:
            return True
        day = self.dates.get(letter)
        return day is not None and day <= as_of

    def undated(self, letters: Iterable[str]) -> list[str]:
        """Those of the letters that have no date, sorted."""
        return sorted({letter for letter in letters if self.dates.get(letter) is None})

    def order(self, letter: str) -> tuple[str, str]:
        """Sort key of a dated letter: date, then id (two letters of one day keep a fixed order)."""
        return (self.dates.get(letter) or "", letter)


def as_of_relationship(rel: Relationship, dates: LetterDates, as_of: str | None) -> Relationship | None:
    """The relationship as the letters dated up to `as_of` state it: only their evidence, first and
    last stated over them; None when none of them states it. A relationship without evidence (read from
    a data file) or derived is returned as it is."""
    if as_of is None or rel.derived or not rel.evidence:
        return rel
    evidence = [e for e in rel.evidence if dates.counts(e.letter, as_of)]
    if not evidence:
        return None
    if len(evidence) == len(rel.evidence):
        return rel
    return restated(rel, evidence, dates)


def restated(rel: Relationship, evidence: list[Evidence], dates: LetterDates) -> Relationship:
    """A copy of the relationship with the given evidence, its first and last stated dates over it."""
    properties = {k: v for k, v in rel.properties.items() if k not in STATED}
    stated = sorted(d for d in (dates.dates.get(e.letter) for e in evidence) if d is not None)
    if stated:
        properties[FIRST_STATED], properties[LAST_STATED] = stated[0], stated[-1]
    return rel.model_copy(update={"evidence": evidence, "properties": properties})


def as_of_neighbours(
    neighbours: Iterable[Neighbour], dates: LetterDates, as_of: str | None
) -> list[Neighbour]:
    """The neighbours whose relationship still holds as of the day, with that day's evidence."""
    out = []
    for n in neighbours:
        rel = as_of_relationship(n.relationship, dates, as_of)
        if rel is not None:
            out.append(n if rel is n.relationship else n.model_copy(update={"relationship": rel}))
    return out


def evidence_letters(rels: Iterable[Relationship]) -> set[str]:
    return {e.letter for r in rels for e in r.evidence}


# -- a programme's timeline ------------------------------------------------------------------------------


@dataclass
class TimelineStep:
    """One letter of the timeline: what it states of the programme for the first time, what it states
    again, and what it no longer states (see `timeline`). Undated letters have only `stated`."""

    letter: str
    date: str | None
    first_stated: list[Neighbour] = field(default_factory=list)
    stated_again: list[Neighbour] = field(default_factory=list)
    no_longer_stated: list[Neighbour] = field(default_factory=list)
    stated: list[Neighbour] = field(default_factory=list)


def timeline(
    neighbours: Iterable[Neighbour], dates: LetterDates, as_of: str | None = None
) -> tuple[list[TimelineStep], list[TimelineStep]]:
    """The dated letters stating any of the relationships, in date order (then id), and apart the
    undated ones. For each dated letter: `first_stated`, the relationships no earlier letter stated;
    `stated_again`, those an earlier letter stated too; `no_longer_stated`, those an earlier letter
    stated that neither this letter nor any later one states again (listed once, at the first letter
    after their last statement). A relationship under first_stated or stated_again carries this
    letter's evidence only, and every one the first and last stated dates of the whole view (the
    dated letters up to `as_of`); one no longer stated carries no evidence. Derived relationships,
    relationships without evidence and MENTIONS are left out. With `as_of`, later letters are too."""
    facts = [
        n
        for n in neighbours
        if not n.relationship.derived and n.relationship.evidence and n.relationship.type != "MENTIONS"
    ]
    by_letter: dict[str, list[Neighbour]] = {}
    in_view: dict[tuple, Neighbour] = {}  # each relationship as of the day, evidence left out
    for n in facts:
        view = as_of_relationship(n.relationship, dates, as_of)
        properties = {k: v for k, v in n.relationship.properties.items() if k not in STATED}
        if view is not None:
            properties.update((k, v) for k, v in view.properties.items() if k in STATED)
            in_view[_key(n)] = n.model_copy(update={"relationship": view.model_copy(update={"evidence": []})})
        for letter in sorted({e.letter for e in n.relationship.evidence}):
            own = [e for e in n.relationship.evidence if e.letter == letter]
            rel = n.relationship.model_copy(update={"evidence": own, "properties": properties})
            by_letter.setdefault(letter, []).append(n.model_copy(update={"relationship": rel}))
    undated = [
        TimelineStep(letter=letter, date=None, stated=by_letter[letter])
        for letter in dates.undated(by_letter)
    ]
    dated = sorted((letter for letter in by_letter if dates.dates.get(letter) is not None), key=dates.order)
    dated = [letter for letter in dated if dates.counts(letter, as_of)]
    last_seen: dict[tuple, int] = {}
    for i, letter in enumerate(dated):
        for n in by_letter[letter]:
            last_seen[_key(n)] = i
    steps: list[TimelineStep] = []
    earlier: set[tuple] = set()
    for i, letter in enumerate(dated):
        step = TimelineStep(letter=letter, date=dates.dates[letter])
        for n in by_letter[letter]:
            (step.stated_again if _key(n) in earlier else step.first_stated).append(n)
            earlier.add(_key(n))
        step.no_longer_stated = sorted(
            (in_view[key] for key, last in last_seen.items() if last == i - 1), key=_key
        )
        steps.append(step)
    return steps, undated


def _key(n: Neighbour) -> tuple:
    r = n.relationship
    return (r.type, n.direction, n.node.id, r.start, r.end)


def overlaps_as_of(
    overlaps: Iterable[Relationship], covers: Iterable[Relationship], dates: LetterDates, as_of: str
) -> list[Relationship]:
    """OVERLAPS as of the day: the asserted ones with that day's evidence, the derived ones computed
    anew from the coverage that holds on that day."""
    asserted = [r for r in (as_of_relationship(o, dates, as_of) for o in overlaps if not o.derived) if r]
    held = [r for r in (as_of_relationship(c, dates, as_of) for c in covers) if r]
    return sorted([*asserted, *derive_all(held)], key=lambda r: (r.type, r.start, r.end, r.derived))
