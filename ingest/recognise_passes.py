"""Passes over the settled mentions that add or rename mentions: abbreviations defined in
brackets, items of programme and region lists, programme names repeated later, short forms of a
longer name, a year after a name, the regions nested in names."""

from __future__ import annotations

import re
from bisect import bisect_left

from ingest.models import Mention, Sentence
from ingest.patterns import alternation
from ingest.recognise_base import SOURCE_VOCABULARY, compiled, mention_key, trim_name, uncovered
from ingest.recognise_names import region_mention, singular
from ingest.vocabulary import Vocabulary


def abbreviations(text: str, mentions: list[Mention]) -> list[Mention]:
    """`Name (ABBR)` / `Name (hierna: ABBR)` makes ABBR an alias of the entity just before it;
    later uses of ABBR are mentions of it."""
    by_end: dict[int, Mention] = {}
    for m in mentions:
        by_end[m.end] = m
    found: dict[str, Mention] = {}
    for hit in compiled()["abbreviation"].finditer(text):
        owner = by_end.get(hit.start())
        abbr = hit.group("abbr")
        if owner is None or owner.label not in ("Programme", "Organisation", "Ministry") or abbr in found:
            continue
        owner.aliases.append(abbr)
        found[abbr] = owner
    if not found:
        return []
    uses = re.compile(rf"(?:{alternation(list(found))})(?![\w])")
    extra = []
    for use in uses.finditer(text):
        if use.start() and (text[use.start() - 1].isalnum() or text[use.start() - 1] in "_-"):
            continue
        owner = found[use.group(0)]
        extra.append(
            Mention(
                owner.label,
                use.start(),
                use.end(),
                use.group(0),
                owner.key,
                "abbreviation",
                owner.extra_labels,
                owner.name,
                kind=owner.kind,
                aliases=list(owner.aliases),
                properties=dict(owner.properties),
                family=owner.family,
            )
        )
    return extra


def _sentences_with(text: str, sentences: list[Sentence], spans: list[tuple[int, int]]) -> list[Sentence]:
    starts = [s.start for s in sentences]
    out: list[Sentence] = []
    for a, b in spans:
        for i in range(max(0, bisect_left(starts, a) - 1), bisect_left(starts, b)):
            if sentences[i].end > a and (not out or out[-1] is not sentences[i]):
                out.append(sentences[i])
    return out


def programme_lists(text: str, sentences: list[Sentence], mentions: list[Mention]) -> list[Mention]:
    """Unknown capitalised items in "programma's/trajecten zoals X, Y en Z" are programmes."""
    c = compiled()
    free = uncovered(mentions)
    heads = [
        (m.start(), m.end())
        for m in c["list_head"].finditer(text)
        if not (m.start() and text[m.start() - 1].isalnum())
    ]
    extra = []
    for s in _sentences_with(text, sentences, heads):
        for head in c["list_head"].finditer(text, s.start, s.end):
            if head.start() and (text[head.start() - 1].isalnum() or text[head.start() - 1] == "_"):
                continue
            pos = head.end()
            while pos < s.end:
                m = c["list_item"].match(text, pos, s.end)
                if not m:
                    break
                start = m.start("name")
                name = trim_name(m.group("name"))
                if free(start, start + len(name)):
                    extra.append(
                        Mention(
                            "Programme",
                            start,
                            start + len(name),
                            name,
                            mention_key("Programme", name),
                            "programme-list",
                            name=name,
                        )
                    )
                if not m.group("sep"):
                    break
                pos = m.end()
    return extra


def region_lists(
    text: str, sentences: list[Sentence], mentions: list[Mention], vocab: Vocabulary
) -> list[Mention]:
    """In an enumeration after a region cue ("de regio's", "richt zich op") of which one item is a
    known region, an item no list names is a region too: "Twente en de Oosthoek"."""
    c = compiled()
    regions = [m for m in mentions if m.label == "Region"]
    if not regions:
        return []
    free = uncovered(mentions)
    starts = [s.start for s in sentences]
    extra: list[Mention] = []
    done: set[int] = set()
    for r in regions:
        i = bisect_left(starts, r.start + 1) - 1
        if i < 0 or i in done:
            continue
        done.add(i)
        s = sentences[i]
        cue = c["region_cue"].search(s.lower)
        if not cue:
            continue
        pos = s.start + cue.end()
        items: list[tuple[int, int, Mention | None]] = []
        while pos < s.end:
            m = c["region_item"].match(text, pos, s.end)
            if not m:
                break
            a = m.start("name")
            b = a + len(trim_name(m.group("name")))
            known = next((x for x in regions if x.start == a), None)
            if known is None:
                known = next((x for x in regions if x.start >= a and x.end <= b + 1), None)
            items.append((a, b, known))
            if not m.group("sep"):
                break
            pos = m.end()
        if len(items) >= 2 and any(k for _, _, k in items):
            for a, b, known in items:
                if known is None and free(a, b) and b - a >= 3:
                    extra.append(region_mention(a, b, text[a:b], "region-list", vocab))
    return extra


def repeats(text: str, mentions: list[Mention]) -> list[Mention]:
    """A programme a rule found is mentioned wherever its name recurs (case aside), also where no
    rule fires: "Het programma BES(t) 4 kids", a heading repeating a table cell."""
    names: dict[str, Mention] = {}
    for m in mentions:
        if m.label == "Programme" and m.rule != SOURCE_VOCABULARY and len(m.text) >= 5:
            names.setdefault(m.text.casefold(), m)
    if not names:
        return []
    free = uncovered(mentions)
    lowered = text.casefold()
    if len(lowered) != len(text):
        return []
    pattern = re.compile(alternation(list(names)))
    extra = []
    for hit in pattern.finditer(lowered):
        a, b = hit.span()
        if (a and lowered[a - 1].isalnum()) or (b < len(text) and lowered[b].isalnum()) or not free(a, b):
            continue
        owner = names[hit.group(0)]
        if text[a].isupper() != owner.text[0].isupper():
            continue  # "samenwerkingsagenda" is a common noun, "Samenwerkingsagenda" the name
        extra.append(
            Mention(
                "Programme",
                a,
                b,
                text[a:b],
                owner.key,
                "repeat",
                name=owner.name,
                kind=owner.kind,
                family=owner.family,
                region=owner.region,
                states=owner.states,
            )
        )
    return extra


def short_forms(mentions: list[Mention]) -> None:
    """A one-word programme name ("Samenwerkingsagenda", "ontwikkelstrategieën") is the longer
    programme of the letter that begins or ends with it, when there is exactly one."""
    longer: dict[str, set[str]] = {}
    named: dict[str, Mention] = {}
    for m in mentions:
        if m.label != "Programme" or m.rule == SOURCE_VOCABULARY or not m.name or " " not in m.name:
            continue
        words = m.name.split()
        for word in {words[0], words[-1]}:
            longer.setdefault(singular(word).casefold(), set()).add(m.key)
        named.setdefault(m.key, m)
    if not longer:
        return
    for m in mentions:
        if m.label != "Programme" or m.rule == SOURCE_VOCABULARY or " " in m.text.strip():
            continue
        keys = longer.get(singular(m.text.strip()).casefold(), set()) - {m.key}
        if len(keys) == 1:
            owner = named[next(iter(keys))]
            m.take_identity(owner)


_YEAR_AT_END = re.compile(r"\s+(?:19|20)\d\d$")


def year_suffixes(mentions: list[Mention]) -> None:
    """A programme name ending in a year ("... Programma X 2021" in a title line) is the programme
    the letter names without that year, when it does."""
    plain: dict[str, Mention] = {}
    for m in mentions:
        if m.label == "Programme" and m.name and not _YEAR_AT_END.search(m.name):
            plain.setdefault(m.name.casefold(), m)
    if not plain:
        return
    for m in mentions:
        if m.label != "Programme" or not m.name:
            continue
        cut = _YEAR_AT_END.search(m.name)
        owner = plain.get(m.name[: cut.start()].casefold()) if cut else None
        if owner is None or owner.key == m.key:
            continue
        year = _YEAR_AT_END.search(m.text)
        if year:
            m.end -= len(m.text) - year.start()
            m.text = m.text[: year.start()]
        m.take_identity(owner)


def nested(mentions: list[Mention]) -> list[Mention]:
    """Mentions inside another one's name that resolve to nodes of their own: the regions a
    programme's name gives, the region a programme area lies in."""
    return [r for m in mentions if m.region is not None for r in (m.region, *m.more_regions)]
