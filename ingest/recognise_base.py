"""What the recognisers share: the handler context, the compiled fragments, candidate matches
of a rule, mention keys, and the overlap policy (`first_longest_spans`)."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from ingest.models import Mention
from ingest.patterns import CompiledRule, Patterns, alternation, patterns
from ingest.text import slug
from ingest.vocabulary import Entry, Vocabulary

KEY_PREFIX = {
    "Programme": "programme",
    "Region": "region",
    "Person": "person",
    "Motion": "motion",
    "Document": "document",
    "Organisation": "organisation",
    "NeighbouringState": "neighbouringstate",
}


SOURCE_VOCABULARY = "gazetteer"


@dataclass
class Context:
    """What a handler may read besides its match."""

    text: str
    vocab: Vocabulary
    pats: Patterns
    date: str | None = None
    titles: list[tuple[int, int]] = field(default_factory=list)  # dossier title lines


@lru_cache(maxsize=1)
def compiled() -> dict[str, re.Pattern]:
    p = patterns()
    f = p.fragments
    return {
        "trim": re.compile(rf"\s+(?:{alternation(p.lists['name_connectors'])})$"),
        "dossier_before": re.compile(f["dossier_before"]),
        "kamerstuk_before": re.compile(f["kamerstuk_before"]),
        "adjective_before": re.compile(f["adjective_before"]),
        "number_cell": re.compile(rf"(?:{f['number_cell']})"),
        "list_head": re.compile(
            rf"(?:{alternation(p.lists['programme_list_nouns'])})\b[^.:;]{{0,40}}?,?\s+(?:zoals|als)\s+"
        ),
        "list_item": re.compile(f["list_item"]),
        "region_cue": re.compile(rf"(?:{alternation(p.lists['region_list_cues'])})\s*:?\s+"),
        "region_item": re.compile(f["region_item"]),
        "abbreviation": re.compile(f["abbreviation"]),
        "member_split": re.compile(f["member_split"]),
        "member_title": re.compile(f["member_title"]),
        "party_note": re.compile(f["party_note"]),
        "names_split": re.compile(f["names_split"]),
        "adjective_surface": re.compile(f["adjective_ending"]),
        "region_gap": re.compile(f["region_gap"]),
    }


def trim_name(name: str) -> str:
    """Drop a trailing connector word a greedy pattern may have taken."""
    return compiled()["trim"].sub("", name)


def clean(text: str) -> str:
    return " ".join(text.split())


def finditer(cr: CompiledRule, ctx: Context, hits: list[tuple[int, int]]) -> Iterator[re.Match]:
    """Matches of a rule that start on a word boundary, pass its context checks and lie outside
    dossier titles where the rule says so."""
    rule, text = cr.rule, ctx.text
    if not hits or rule.requires and rule.requires not in text:
        return
    for m in candidates(cr, text, hits):
        start = m.start()
        if start:
            before = text[start - 1]
            if before.isalnum() or before == "_":
                continue
            if cr.not_after and cr.not_after.search(text, max(0, start - 40), start):
                continue
        if not rule.in_titles and any(a <= start < b for a, b in ctx.titles):
            continue
        yield m


_WORD_START = re.compile(r"(?<![^\W_])[^\W_]")  # a letter or digit not after one


def candidates(cr: CompiledRule, text: str, hits: list[tuple[int, int]]) -> Iterator[re.Match]:
    """Matches of a rule around its anchors' hits, each once, in text order: the pattern is tried
    at the word starts from `before` characters before a hit up to the hit (matches start on a
    word boundary), the leftmost match wins."""
    before, after = cr.rule.before, cr.rule.after
    match = cr.regex.match
    size = len(text)
    done = -1  # matches ending at or before this were yielded
    for a, b in hits:
        if b <= done:
            continue
        start = max(0, a - before, done)
        while start and text[start - 1].isalnum():
            start -= 1  # back to the start of the word
        end = min(size, b + after)
        for word in _WORD_START.finditer(text, start, a + 1):
            m = match(text, word.start(), end)
            if m and m.end() > done and m.end() >= a:
                done = m.end()
                yield m
                break


def entry_mention(entry: Entry, start: int, end: int, surface: str, rule: str, **fields) -> Mention:
    props = dict(entry.props)
    return Mention(
        entry.label,
        start,
        end,
        surface,
        entry.id,
        rule,
        entry.extra_labels,
        entry.name,
        kind=props.get("kind"),
        properties=props,
        province=props.get("province"),
        **fields,
    )


def match_groups(m: re.Match) -> dict[str, str]:
    return {k: trim_name(clean(v)) if v else "" for k, v in m.groupdict().items()}


def mention_key(label: str, tail: str) -> str:
    return f"{KEY_PREFIX[label]}:{slug(tail)}"


@lru_cache(maxsize=1)
def _rule_order() -> dict[str, int]:
    order = {SOURCE_VOCABULARY: 0}
    for i, cr in enumerate(patterns().rules, start=1):
        order[cr.rule.id] = i
    return order


def first_longest_spans(mentions: list[Mention]) -> list[Mention]:
    """The overlap policy: of overlapping mentions keep the longest; on equal length the vocabulary
    before the rules and rules in the order of patterns.yaml, then the leftmost (as spaCy's
    `first_longest_spans` filter, with the source order as tie-break)."""
    order = _rule_order()
    last = len(order) + 1
    ordered = sorted(mentions, key=lambda m: (-(m.end - m.start), order.get(m.rule, last), m.start))
    starts: list[int] = []  # kept spans, sorted and disjoint
    ends: list[int] = []
    kept: list[Mention] = []
    for m in ordered:
        i = bisect_left(starts, m.end)  # spans starting before m ends
        if i > 0 and ends[i - 1] > m.start:
            continue
        starts.insert(i, m.start)
        ends.insert(i, m.end)
        kept.append(m)
    return sorted(kept, key=lambda m: m.start)


settle = first_longest_spans


def uncovered(mentions: list[Mention]) -> Callable[[int, int], bool]:
    spans = sorted((m.start, m.end) for m in mentions)
    starts = [a for a, _ in spans]

    def free(a: int, b: int) -> bool:
        i = bisect_left(starts, b)
        return not (i > 0 and spans[i - 1][1] > a)

    return free


def merged(mentions: list[Mention], extra: list[Mention]) -> list[Mention]:
    return sorted(mentions + extra, key=lambda m: m.start) if extra else mentions
