"""Handlers for names of programmes and regions (data/patterns.yaml), and the regions a
programme's name gives ("Regio Deal A en B", "Regio Deal X-Oost")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache

from ingest.models import Mention
from ingest.patterns import CompiledRule, patterns
from ingest.recognise_base import (
    SOURCE_VOCABULARY,
    Context,
    clean,
    compiled,
    entry_mention,
    finditer,
    first_longest_spans,
    match_groups,
    mention_key,
    trim_name,
)
from ingest.text import region_key, slug
from ingest.vocabulary import Entry, Vocabulary


def known_region(surface: str, vocab: Vocabulary) -> Entry | None:
    known = vocab.region_keys.get(region_key(surface, vocab.spelling))
    return vocab.entries[known] if known else None


def region_mention(start: int, end: int, surface: str, rule: str, vocab: Vocabulary) -> Mention:
    entry = known_region(surface, vocab)
    if entry:
        return entry_mention(entry, start, end, surface, rule)
    name = clean(surface)
    return Mention(
        "Region", start, end, surface, "region:" + region_key(name, vocab.spelling), rule, name=name
    )


@lru_cache(maxsize=1)
def _region_rules() -> list[CompiledRule]:
    return [r for r in patterns().rules if r.rule.handler == "region" and r.rule.span is None]


def regions_in(text: str, offset: int, vocab: Vocabulary) -> list[Mention]:
    """Regions named inside a stretch of text (a programme's name): gazetteer and compass forms.
    Names recur, so the search is done once per name (and vocabulary)."""
    key = (text, id(vocab))
    found = _NAME_REGIONS.get(key)
    if found is None:
        if len(_NAME_REGIONS) > _NAME_REGIONS_MAX:
            _NAME_REGIONS.clear()
        found = _NAME_REGIONS[key] = _regions_in_name(text, vocab)
    return [replace(m, start=m.start + offset, end=m.end + offset) for m in found]


_NAME_REGIONS: dict[tuple[str, int], tuple[Mention, ...]] = {}


_NAME_REGIONS_MAX = 4096


def _regions_in_name(text: str, vocab: Vocabulary) -> tuple[Mention, ...]:
    found = [
        entry_mention(e, s, t, surface, SOURCE_VOCABULARY)
        for s, t, e, surface in vocab.scan(text)
        if e.label == "Region"
    ]
    pats = patterns()
    ctx = Context(text, vocab, pats)
    all_hits = pats.anchor_hits(text)
    for cr in _region_rules():
        for m in finditer(cr, ctx, all_hits[pats.rules.index(cr)]):
            if not compiled()["adjective_surface"].search(m.group(0)):
                found.append(region_mention(m.start(), m.end(), m.group(0), cr.rule.id, vocab))
    return tuple(first_longest_spans(found))


def _region_from_name(mode: str, name: str, offset: int, vocab: Vocabulary) -> Mention | None:
    """The region a programme's name gives (see Rule.region_from_name)."""
    found = _regions_from_name(mode, name, offset, vocab)
    return found[0] if found else None


def _regions_from_name(mode: str, name: str, offset: int, vocab: Vocabulary) -> tuple[Mention, ...]:
    """The regions a programme's name gives: "X en Y" gives both; a known name inside a longer
    region name ("Fryslân-Oost", "Zaanstreek-Waterland", "Hart van Brabant") gives the longer one."""
    inside = regions_in(name, offset, vocab)
    words = name.split()
    if mode == "whole":
        if len(inside) == 1 and inside[0].start == offset:
            rest = name[inside[0].end - offset :].strip()
            if not rest:
                return (inside[0],)
            if rest in patterns().sets["compass_words"]:
                return (region_mention(offset, offset + len(name), name, "programme-name", vocab),)
        return ()
    if mode == "inside_or_name" and " en " in name and not re.search(r"- en ", name):
        parts, at, found = name.split(" en "), offset, []
        for part in parts:
            got = _regions_from_name(mode, part, at, vocab)
            if len(got) != 1:
                break
            found.append(got[0])
            at += len(part) + 4
        else:
            return tuple(found)
    whole = [r for r in inside if r.start == offset and r.end == offset + len(name)]
    if whole:
        return (whole[0],)
    connectors = patterns().sets["name_connectors"]
    region_like = all(w[:1].isupper() or w in connectors for w in words) and len(words) <= 4
    if inside and region_like and mode == "inside_or_name":
        r = inside[-1]
        a, b = r.start - offset, r.end - offset
        if name[b : b + 1] == "-" or name[a - 1 : a] == "-" or name[:a].endswith(" van "):
            return (region_mention(offset, offset + len(name), name, "programme-name", vocab),)
    if inside:
        return (inside[-1],)
    if mode == "inside_or_name" and len(words) <= 2 and all(w[:1].isupper() for w in words):
        return (region_mention(offset, offset + len(name), name, "programme-name", vocab),)
    return ()


def span_handler(cr: CompiledRule, m: re.Match, ctx: Context) -> Iterator[Mention]:
    rule = cr.rule
    start, end = m.span(rule.span) if rule.span else m.span()
    surface = ctx.text[start:end]
    if rule.trim:
        surface = trim_name(surface)
        end = start + len(surface)
    if cr.not_before and cr.not_before.match(ctx.text, end):
        return
    groups = match_groups(m)
    name = rule.name.format(**groups) if rule.name else clean(surface)
    if name in cr.stop or surface in cr.stop or len(name) < rule.min_length:
        return
    if rule.adjective_before:
        adjective = compiled()["adjective_before"].search(ctx.text, max(0, start - 30), start)
        if adjective and not (adjective.start() and ctx.text[adjective.start() - 1].isalnum()):
            start = adjective.start()
            surface = ctx.text[start:end]
            name = clean(surface)
    key = mention_key(rule.label, rule.key.format(**groups) if rule.key else name)
    entry = ctx.vocab.entries.get(key)
    if entry:
        yield entry_mention(entry, start, end, surface, rule.id)
        return
    region: Mention | None = None
    more: tuple[Mention, ...] = ()
    if rule.region_from_name:
        inner = m.group("name") if "name" in m.re.groupindex and m.group("name") else surface
        inner = trim_name(inner)
        at = m.start("name") if "name" in m.re.groupindex and m.group("name") else start
        regions = _regions_from_name(rule.region_from_name, inner, at, ctx.vocab)
        region = regions[0] if regions else None
        more = regions[1:]
    yield Mention(
        rule.label,
        start,
        end,
        surface,
        key,
        rule.id,
        name=name,
        kind=rule.kind,
        family=rule.family,
        region=region,
        more_regions=more,
        tentative=rule.tentative,
    )


def region_handler(cr: CompiledRule, m: re.Match, ctx: Context) -> Iterator[Mention]:
    start, end = m.span(cr.rule.span) if cr.rule.span else m.span()
    surface = ctx.text[start:end]
    if cr.rule.span:
        surface = trim_name(surface)
        end = start + len(surface)
    if compiled()["adjective_surface"].search(surface) or surface in cr.stop:
        return  # adjectives: Zuid-Limburgse
    yield region_mention(start, end, surface, cr.rule.id, ctx.vocab)


def area_handler(cr: CompiledRule, m: re.Match, ctx: Context) -> Iterator[Mention]:
    """ "NOVEX-gebied Zuid-Limburg": a region of its own, covered by the programme its prefix names
    and part of the region its name gives (decisions.md D3)."""
    name = trim_name(m.group("name"))
    end = m.start("name") + len(name)
    full = f"{m.group('programme')}-gebied {name}"
    whole = _region_from_name("whole", name, m.start("name"), ctx.vocab)
    yield Mention(
        "Region",
        m.start(),
        end,
        ctx.text[m.start() : end],
        "region:" + slug(full),
        cr.rule.id,
        name=full,
        covered_by=m.group("programme"),
        region=whole if whole and whole.rule != "programme-name" else None,
    )


def agenda_handler(cr: CompiledRule, m: re.Match, ctx: Context) -> Iterator[Mention]:
    """One node per agenda and partner whatever the spelling: "Samenwerkingsagenda",
    "Samenwerkingsagenda Nedersaksen" and "Samenwerkingsagenda met Nedersaksen" (the bare form is
    joined to the qualified one later, see `short_forms`)."""
    compound = m.group("compound")
    if compound in patterns().sets["programme_stoplist"] and not m.group("partner"):
        return
    start = m.start()
    partner = m.group("partner")
    entry = None
    if partner:
        for s, e, candidate, _ in ctx.vocab.scan(partner):
            if s == 0 and e == len(partner) and candidate.label in ("NeighbouringState", "Region"):
                entry = candidate
                break
        if entry is None and not m.group("link"):
            partner = None  # "Samenwerkingsagenda Nu" is the bare agenda followed by a word
    if not partner:
        end = m.end("compound")
        yield Mention(
            "Programme", start, end, compound, mention_key("Programme", compound), cr.rule.id, name=compound
        )
        return
    end = m.end("partner")
    surface = ctx.text[start:end]
    tail = entry.id.split(":", 1)[1] if entry else slug(partner)
    states = (
        (entry.id,)
        if entry and entry.label == "NeighbouringState" and entry.props.get("kind") != "land"
        else ()
    )
    region = (
        entry_mention(entry, m.start("partner"), end, partner, SOURCE_VOCABULARY)
        if entry and entry.label == "Region"
        else None
    )
    aliases = [f"{compound} {partner}", f"{compound} met {partner}", compound]  # every spelling
    yield Mention(
        "Programme",
        start,
        end,
        surface,
        f"programme:{slug(compound)}-{tail}",
        cr.rule.id,
        name=clean(surface),
        kind="agenda",
        aliases=aliases,
        states=states,
        region=region,
    )


def deal_handler(cr: CompiledRule, m: re.Match, ctx: Context) -> Iterator[Mention]:
    """ "Erfgoed Deal" is one of the Erfgoed Deals."""
    head = m.group("head")
    if head in cr.stop:
        return
    name = (cr.rule.name or "{head}").format(head=head)
    yield Mention(
        "Programme",
        m.start(),
        m.end(),
        m.group(0),
        mention_key("Programme", name),
        cr.rule.id,
        name=name,
        kind=cr.rule.kind,
    )


def singular(head: str) -> str:
    for ending in ("'s", "en", "s"):
        if head.endswith(ending) and len(head) - len(ending) >= 4:
            return head[: -len(ending)]
    return head


def coordinated_handler(cr: CompiledRule, m: re.Match, ctx: Context) -> Iterator[Mention]:
    """ "Sociale en Economische Agenda's": two programmes sharing the head."""
    head = singular(m.group("head"))
    both = m.group(0)
    for group, (start, end) in (
        ("first", (m.start(), m.end("first"))),
        ("second", (m.start("second"), m.end())),
    ):
        name = f"{m.group(group)} {head}"
        yield Mention(
            "Programme",
            start,
            end,
            ctx.text[start:end],
            mention_key("Programme", name),
            cr.rule.id,
            name=name,
            aliases=[both],
        )
