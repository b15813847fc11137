"""Stage 5: recognise mentions. A gazetteer pass (the curated vocabulary) plus the pattern rules of
data/patterns.yaml for what no list names yet; overlaps are settled by `first_longest_spans`.

Each rule's `handler` turns a match into mentions; handlers hold the mechanics (spans, keys, the
region a name gives) and no words of their own: every word is in the data files. After settling,
passes add what needs the settled mentions: abbreviations defined in brackets, items of programme
and region lists, programme names repeated later, table cells, short forms of a longer name, the
submitter of "de motie van laatstgenoemde", and commitments (ingest/commitments.py).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ingest.commitments import commitments
from ingest.models import LetterMeta, Mention, Sentence
from ingest.patterns import CompiledRule, Patterns, alternation, patterns
from ingest.text import region_key, slug
from ingest.vocabulary import Entry, Vocabulary, vocabulary

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
def _compiled() -> dict[str, re.Pattern]:
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
    return _compiled()["trim"].sub("", name)


def _clean(text: str) -> str:
    return " ".join(text.split())


def _finditer(cr: CompiledRule, ctx: Context, hits: list[tuple[int, int]]) -> Iterator[re.Match]:
    """Matches of a rule that start on a word boundary, pass its context checks and lie outside
    dossier titles where the rule says so."""
    rule, text = cr.rule, ctx.text
    if not hits or rule.requires and rule.requires not in text:
        return
    for m in _candidates(cr, text, hits):
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


def _candidates(cr: CompiledRule, text: str, hits: list[tuple[int, int]]) -> Iterator[re.Match]:
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


def _entry_mention(entry: Entry, start: int, end: int, surface: str, rule: str, **fields) -> Mention:
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


def gazetteer(text: str, vocab: Vocabulary) -> Iterator[Mention]:
    exclusions = patterns().exclusions
    for start, end, entry, surface in vocab.scan(text):
        if entry.lowercase_context and surface[:1].islower():
            if entry.lowercase_context not in text[max(0, start - 30) : start].lower():
                continue
        excluded = exclusions.get(entry.id)
        if excluded and excluded.search(text, max(0, start - 30), start):
            continue
        yield _entry_mention(entry, start, end, surface, SOURCE_VOCABULARY)


# -- names and regions ---------------------------------------------------------------------------


def known_region(surface: str, vocab: Vocabulary) -> Entry | None:
    known = vocab.region_keys.get(region_key(surface, vocab.spelling))
    return vocab.entries[known] if known else None


def region_mention(start: int, end: int, surface: str, rule: str, vocab: Vocabulary) -> Mention:
    entry = known_region(surface, vocab)
    if entry:
        return _entry_mention(entry, start, end, surface, rule)
    name = _clean(surface)
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
        _entry_mention(e, s, t, surface, SOURCE_VOCABULARY)
        for s, t, e, surface in vocab.scan(text)
        if e.label == "Region"
    ]
    pats = patterns()
    ctx = Context(text, vocab, pats)
    all_hits = pats.anchor_hits(text)
    for cr in _region_rules():
        for m in _finditer(cr, ctx, all_hits[pats.rules.index(cr)]):
            if not _compiled()["adjective_surface"].search(m.group(0)):
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


def _groups(m: re.Match) -> dict[str, str]:
    return {k: trim_name(_clean(v)) if v else "" for k, v in m.groupdict().items()}


def _key(label: str, tail: str) -> str:
    return f"{KEY_PREFIX[label]}:{slug(tail)}"


# -- handlers ----------------------------------------------------------------------------------


def span_handler(cr: CompiledRule, m: re.Match, ctx: Context) -> Iterator[Mention]:
    rule = cr.rule
    start, end = m.span(rule.span) if rule.span else m.span()
    surface = ctx.text[start:end]
    if rule.trim:
        surface = trim_name(surface)
        end = start + len(surface)
    if cr.not_before and cr.not_before.match(ctx.text, end):
        return
    groups = _groups(m)
    name = rule.name.format(**groups) if rule.name else _clean(surface)
    if name in cr.stop or surface in cr.stop or len(name) < rule.min_length:
        return
    if rule.adjective_before:
        adjective = _compiled()["adjective_before"].search(ctx.text, max(0, start - 30), start)
        if adjective and not (adjective.start() and ctx.text[adjective.start() - 1].isalnum()):
            start = adjective.start()
            surface = ctx.text[start:end]
            name = _clean(surface)
    key = _key(rule.label, rule.key.format(**groups) if rule.key else name)
    entry = ctx.vocab.entries.get(key)
    if entry:
        yield _entry_mention(entry, start, end, surface, rule.id)
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
    if _compiled()["adjective_surface"].search(surface) or surface in cr.stop:
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
            "Programme", start, end, compound, _key("Programme", compound), cr.rule.id, name=compound
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
        _entry_mention(entry, m.start("partner"), end, partner, SOURCE_VOCABULARY)
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
        name=_clean(surface),
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
    name = cr.rule.name.format(head=head)
    yield Mention(
        "Programme",
        m.start(),
        m.end(),
        m.group(0),
        _key("Programme", name),
        cr.rule.id,
        name=name,
        kind=cr.rule.kind,
    )


def _singular(head: str) -> str:
    for ending in ("'s", "en", "s"):
        if head.endswith(ending) and len(head) - len(ending) >= 4:
            return head[: -len(ending)]
    return head


def coordinated_handler(cr: CompiledRule, m: re.Match, ctx: Context) -> Iterator[Mention]:
    """ "Sociale en Economische Agenda's": two programmes sharing the head."""
    head = _singular(m.group("head"))
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
            _key("Programme", name),
            cr.rule.id,
            name=name,
            aliases=[both],
        )


def person_handler(cr: CompiledRule, m: re.Match, ctx: Context) -> Iterator[Mention]:
    stop = patterns().sets["not_surnames"]
    particles = patterns().sets["surname_particles"]
    for group, party_group in (("name", "party"), ("name2", "party2")):
        if group not in m.re.groupindex or not m.group(group):
            continue
        name = m.group(group)
        words = name.split()
        if words[-1] in stop or (words[0] in stop and (len(words) == 1 or words[0] not in particles)):
            continue
        surname = name
        if group == "name" and "surname" in m.re.groupindex and m.group("surname"):
            surname = m.group("surname")  # "Piet Bakker", "K.L. Mertens": keyed by the surname
        yield Mention(
            "Person",
            m.start(group),
            m.end(group),
            name,
            "person:" + slug(surname),
            cr.rule.id,
            name=name,
            aliases=[surname] if surname != name else [],
        )
        if party_group in m.re.groupindex and m.group(party_group):
            yield _party(m.start(party_group), m.end(party_group), m.group(party_group), ctx.vocab)


def _party(start: int, end: int, surface: str, vocab: Vocabulary) -> Mention:
    for s, e, entry, _ in vocab.scan(surface):
        if entry.label == "Party" and s == 0 and e == len(surface):
            return Mention("Party", start, end, surface, entry.id, "party-in-brackets", name=entry.name)
    return Mention("Party", start, end, surface, "party:" + slug(surface), "party-in-brackets", name=surface)


def motion_key(submitters: Iterable[str], cs: bool, date: str | None) -> str:
    """decisions.md D7: without a Kamerstuk number, a motion is its submitters and the date of the
    letter that names it."""
    tail = "-".join(slug(s) for s in submitters) + ("-cs" if cs else "")
    return f"motion:{tail}-{date}" if date else f"motion:{tail}"


def _enumerated(names: Iterable[str]) -> str:
    """ "Geurts en Schonis": names joined as a motion's name joins them (the `names_split` word)."""
    return " en ".join(names)


def _motion(
    start: int, end: int, text: str, names: list[str], cs: bool, rule: str, date: str | None
) -> Mention:
    lists = patterns().lists
    word, co = lists["motion_word"][0], lists["co_submitters"][0]
    name = f"{word} {_enumerated(names)}" + (f" {co}" if cs else "")
    aliases = [f"{word} {names[0]}"] if cs and len(names) == 1 else []
    if len(names) > 1:
        aliases.append(f"{word}-" + "/".join(names))
    return Mention(
        "Motion",
        start,
        end,
        text[start:end],
        motion_key(names, cs, date),
        rule,
        name=name,
        aliases=aliases,
        submitters=tuple(names),
    )


def motion_handler(cr: CompiledRule, m: re.Match, ctx: Context) -> Iterator[Mention]:
    c = _compiled()
    stop = patterns().sets["not_surnames"]
    if "names" in m.re.groupindex:
        names = [n for n in c["names_split"].split(m.group("names")) if n]
        if names and all(n.split()[-1] not in stop for n in names):
            yield _motion(m.start(), m.end(), ctx.text, names, bool(m.group("cs")), cr.rule.id, ctx.date)
        return
    groups_at = m.start("groups")
    pieces = c["member_split"].split(m.group("groups"))
    pos = groups_at
    for i, piece in enumerate(pieces):
        at = ctx.text.find(piece, pos)
        start = m.start() if i == 0 else at
        end = at + len(piece)
        pos = end
        body = c["party_note"].sub("", c["member_title"].sub("", piece))
        co = next((w for w in patterns().lists["co_submitters"] if body.endswith(w)), None)
        cs = co is not None
        if co:
            body = body[: -len(co)].strip()
        names = [n.strip() for n in c["names_split"].split(body) if n.strip()]
        if not names or any(n.split()[-1] in stop for n in names):
            continue
        yield _motion(start, end, ctx.text, names, cs, cr.rule.id, ctx.date)


def kamerstuk_handler(cr: CompiledRule, nr: re.Match, ctx: Context) -> Iterator[Mention]:
    c = _compiled()
    text = ctx.text
    m = c["dossier_before"].search(text, max(0, nr.start() - 30), nr.start())
    if not m:
        return
    start = m.start()
    if start and text[start - 1] in "0123456789,.":
        return
    cited_as = c["kamerstuk_before"].search(text, max(0, start - 40), start)
    if cited_as:
        start = cited_as.start()
    dossier = m.group("dossier").replace(" ", "")
    suffix = m.group("suffix")
    dossier_id = f"{dossier}-{suffix}" if suffix else dossier
    doc_id = f"{dossier_id}-{nr.group('nr')}"
    yield Mention(
        "Document",
        start,
        nr.end(),
        text[start : nr.end()],
        "document:" + doc_id,
        cr.rule.id,
        name=doc_id,
        properties={"dossier": dossier_id, "number": nr.group("nr")},
        dossier=dossier_id,
    )


HANDLERS: dict[str, Callable[[CompiledRule, re.Match, Context], Iterator[Mention]]] = {
    "span": span_handler,
    "region": region_handler,
    "area": area_handler,
    "agenda": agenda_handler,
    "deal": deal_handler,
    "coordinated": coordinated_handler,
    "person": person_handler,
    "motion": motion_handler,
    "kamerstuk": kamerstuk_handler,
}


def rule_mentions(ctx: Context) -> Iterator[Mention]:
    all_hits = ctx.pats.anchor_hits(ctx.text)
    for cr, hits in zip(ctx.pats.rules, all_hits, strict=True):
        if not hits:
            continue
        handler = HANDLERS[cr.rule.handler]
        if cr.rule.handler == "kamerstuk":  # a number read back from "nr.": no boundary check
            matches: Iterable[re.Match] = _candidates(cr, ctx.text, hits)
        else:
            matches = _finditer(cr, ctx, hits)
        for m in matches:
            yield from handler(cr, m, ctx)


# -- overlap policy ----------------------------------------------------------------------------


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


# -- passes over the settled mentions ----------------------------------------------------------


def _uncovered(mentions: list[Mention]) -> Callable[[int, int], bool]:
    spans = sorted((m.start, m.end) for m in mentions)
    starts = [a for a, _ in spans]

    def free(a: int, b: int) -> bool:
        i = bisect_left(starts, b)
        return not (i > 0 and spans[i - 1][1] > a)

    return free


def abbreviations(text: str, mentions: list[Mention]) -> list[Mention]:
    """`Name (ABBR)` / `Name (hierna: ABBR)` makes ABBR an alias of the entity just before it;
    later uses of ABBR are mentions of it."""
    by_end: dict[int, Mention] = {}
    for m in mentions:
        by_end[m.end] = m
    found: dict[str, Mention] = {}
    for m in _compiled()["abbreviation"].finditer(text):
        owner = by_end.get(m.start())
        abbr = m.group("abbr")
        if owner is None or owner.label not in ("Programme", "Organisation", "Ministry") or abbr in found:
            continue
        owner.aliases.append(abbr)
        found[abbr] = owner
    if not found:
        return []
    uses = re.compile(rf"(?:{alternation(list(found))})(?![\w])")
    extra = []
    for m in uses.finditer(text):
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "_-"):
            continue
        owner = found[m.group(0)]
        extra.append(
            Mention(
                owner.label,
                m.start(),
                m.end(),
                m.group(0),
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
    c = _compiled()
    free = _uncovered(mentions)
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
                            _key("Programme", name),
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
    c = _compiled()
    regions = [m for m in mentions if m.label == "Region"]
    if not regions:
        return []
    free = _uncovered(mentions)
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
    free = _uncovered(mentions)
    lowered = text.casefold() if len(text.casefold()) == len(text) else None
    if lowered is None:
        return []
    pattern = re.compile(alternation(list(names)))
    extra = []
    for m in pattern.finditer(lowered):
        a, b = m.span()
        if (a and lowered[a - 1].isalnum()) or (b < len(text) and lowered[b].isalnum()) or not free(a, b):
            continue
        owner = names[m.group(0)]
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


def table_cells(
    text: str, sentences: list[Sentence], mentions: list[Mention], vocab: Vocabulary
) -> list[Mention]:
    """A table flattened to one cell per paragraph, rows "regions | project | amount": the project
    cell after a cell of regions only, followed by a number cell, is a programme."""
    by_paragraph: dict[int, list[Sentence]] = {}
    for s in sentences:
        by_paragraph.setdefault(s.paragraph, []).append(s)
    paragraphs = [(p, ss[0].start, ss[-1].end) for p, ss in sorted(by_paragraph.items())]
    regions = [m for m in mentions if m.label == "Region"]
    starts = [m.start for m in regions]
    gap = _compiled()["region_gap"]
    number = _compiled()["number_cell"]
    free = _uncovered(mentions)
    extra = []
    for i in range(len(paragraphs) - 2):
        _, a, b = paragraphs[i]
        inside = regions[bisect_left(starts, a) : bisect_left(starts, b)]
        if not inside or inside[0].start != a or inside[-1].end != b:
            continue
        if not all(gap.match(text[x.end : y.start]) for x, y in zip(inside, inside[1:], strict=False)):
            continue
        _, c, d = paragraphs[i + 1]
        _, e, f = paragraphs[i + 2]
        cell = text[c:d]
        if (
            not number.fullmatch(text[e:f])
            or len(cell.split()) > 8
            or cell[-1:] in ".:;"
            or not cell[:1].isupper()
        ):
            continue
        if number.fullmatch(cell) or not free(c, d):
            continue
        name = _clean(cell)
        extra.append(Mention("Programme", c, d, cell, _key("Programme", name), "table-cell", name=name))
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
            longer.setdefault(_singular(word).casefold(), set()).add(m.key)
        named.setdefault(m.key, m)
    if not longer:
        return
    for m in mentions:
        if m.label != "Programme" or m.rule == SOURCE_VOCABULARY or " " in m.text.strip():
            continue
        keys = longer.get(_singular(m.text.strip()).casefold(), set()) - {m.key}
        if len(keys) == 1:
            owner = named[next(iter(keys))]
            m.key, m.name, m.kind, m.family, m.region, m.states = (
                owner.key,
                owner.name,
                owner.kind,
                owner.family,
                owner.region,
                owner.states,
            )


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
        m.key, m.name, m.kind, m.family, m.region, m.states = (
            owner.key,
            owner.name,
            owner.kind,
            owner.family,
            owner.region,
            owner.states,
        )


def latter(mentions: list[Mention]) -> list[Mention]:
    """ "de motie van laatstgenoemde": the submitter is the last person named before it (a motion
    whose submitter nobody named before is dropped)."""
    words = patterns().sets["latter"]
    out: list[Mention] = []
    last_person: Mention | None = None
    for m in mentions:
        if m.label == "Person":
            last_person = m
        anaphor = next((s for s in m.submitters if s in words), None) if m.label == "Motion" else None
        if anaphor:
            if last_person is None:
                continue
            names = tuple(last_person.name if s == anaphor else s for s in m.submitters)
            surname = last_person.key.split(":", 1)[1]
            tail_key = m.key.replace(slug(anaphor), surname, 1)
            m.key, m.submitters = tail_key, names
            m.name = f"{patterns().lists['motion_word'][0]} {_enumerated(names)}"
        out.append(m)
    return out


def motion_numbers(text: str, mentions: list[Mention]) -> None:
    """A motion cited with its own Kamerstuk number ("de motie van het lid X (Kamerstuk 36 111,
    nr. 8)") is keyed by it (decisions.md D7)."""
    for m, nxt in zip(mentions, mentions[1:], strict=False):
        if m.label != "Motion" or nxt.label != "Document":
            continue
        between = text[m.end : nxt.start]
        if between.strip() == "(" and text.startswith(")", nxt.end):
            m.key = "motion:kst-" + (nxt.name or "")


def nested(mentions: list[Mention]) -> list[Mention]:
    """Mentions inside another one's name that resolve to nodes of their own: the regions a
    programme's name gives, the region a programme area lies in."""
    return [r for m in mentions if m.region is not None for r in (m.region, *m.more_regions)]


def _merged(mentions: list[Mention], extra: list[Mention]) -> list[Mention]:
    return sorted(mentions + extra, key=lambda m: m.start) if extra else mentions


def recognise(
    text: str, sentences: list[Sentence], vocab: Vocabulary | None = None, meta: LetterMeta | None = None
) -> list[Mention]:
    """All mentions of the letter, settled, in text order (nested ones are in `Mention.region`)."""
    vocab = vocab or vocabulary()
    ctx = Context(
        text,
        vocab,
        patterns(),
        date=meta.date if meta else None,
        titles=[(d.start, d.end) for d in meta.dossiers] if meta else [],
    )
    mentions = first_longest_spans([*gazetteer(text, vocab), *rule_mentions(ctx)])
    mentions = first_longest_spans(mentions + abbreviations(text, mentions))
    # the passes below add mentions only where no mention is, so they need no settling
    for extra in (
        programme_lists(text, sentences, mentions),
        region_lists(text, sentences, mentions, vocab),
        table_cells(text, sentences, mentions, vocab),
    ):
        mentions = _merged(mentions, extra)
    mentions = _merged(mentions, repeats(text, mentions))
    short_forms(mentions)
    year_suffixes(mentions)
    mentions = latter(mentions)
    motion_numbers(text, mentions)
    # a commitment is its whole sentence: it overlaps the mentions inside and is not settled with them
    return sorted(mentions + commitments(text, sentences), key=lambda m: m.start)
