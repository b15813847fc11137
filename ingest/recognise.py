"""Stage 4: recognise mentions. A gazetteer pass (the curated vocabulary) plus small pattern
recognisers for what no list names yet. Overlaps are settled longest-first, vocabulary first."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path

import yaml

from ingest.models import Mention, Sentence
from ingest.text import region_key, slug
from ingest.vocabulary import Vocabulary, vocabulary

DATA = Path(__file__).with_name("data")


@lru_cache(maxsize=1)
def _patterns() -> dict:
    return yaml.safe_load((DATA / "patterns.yaml").read_text(encoding="utf-8"))


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


class _Regexes:
    """Compiled once from data/patterns.yaml."""

    def __init__(self) -> None:
        p = _patterns()
        cap = p["capitalised"]
        conn = _alt(p["name_connectors"])
        breakers = _alt(p["name_breakers"])
        self.name = rf"{cap}(?: (?:(?:{conn}) )*(?!(?:{breakers})\b){cap})*"
        heads = _alt(p["programme_heads"])
        self.national = re.compile(
            rf"(?:{_alt(p['national_prefixes'])}) (?i:{_alt(p['national_heads'])}) {self.name}"
        )
        self.programme_word = re.compile(
            rf"[PpAa](?:(?<=[Pp])rogramma|(?<=[Aa])ctieprogramma|(?<=[Aa])anpak) (?P<name>{self.name})"
        )
        self.compound = re.compile(
            rf"(?P<compound>[A-ZÀ-Ý][a-zà-ÿ]{{2,}}(?:{heads}))(?:'s|s)?\b"
            rf"(?: (?:met|voor|van) (?:de |het )?{cap}|(?: {cap})+)?"
        )
        # "X Deal(s)": found from the literal "Deal", the capitalised word before it read backwards
        self.deal = re.compile(r"Deals?\b")
        self.deal_head = re.compile(rf"(?P<head>{cap})\s+$")
        self.stoplist = set(p["programme_stoplist"])
        list_nouns = _alt(p["programme_list_nouns"])
        self.programme_list = re.compile(rf"(?:{list_nouns})\b[^.:;]{{0,40}}?,?\s+(?:zoals|als)\s+")
        compass = _alt(p["compass"])
        self.compass_pair = re.compile(rf"(?:{compass})-\s+(?:en|of)\s+(?:{compass})-{cap}")
        self.compass = re.compile(rf"(?:{compass})-{cap}(?:\s+(?!Zuid|Noord|Oost|West|Midden){cap})?")
        self.compass_split = re.compile(rf"(?:Zuid|Noord)-(?:Oost|West)\s+{cap}")
        self.kop_van = re.compile(rf"Kop van (?:{compass})?-?{cap}")
        self.area = re.compile(rf"(?P<prog>[A-Z][A-Za-z]+)[- ]gebied(?:en)?\s+(?P<name>{self.name})")
        self.abbreviation = re.compile(r"\s\((?P<abbr>[A-Z][A-Za-z&]{1,7}[A-Z])(?:[,;)]|\s)")
        particles = _alt(p["surname_particles"])
        surname = rf"(?:(?:{particles})\s+)?[A-Z][a-zà-ÿ']+(?:-[A-Z][a-zà-ÿ']+)?"
        self.surname = surname
        titles = _alt(p["person_titles"])
        self.person = re.compile(
            rf"(?:{titles})\s+(?P<name>{surname})(?:\s+\((?P<party>[^()]{{2,20}})\))?"
            rf"(?:\s+en\s+(?:de heer\s+|mevrouw\s+|het lid\s+)?(?P<name2>{surname})"
            rf"(?:\s+\((?P<party2>[^()]{{2,20}})\))?)?"
        )
        self.not_surnames = set(p["not_surnames"])
        self.motion = re.compile(rf"[Mm]otie[- ](?P<name>{surname})(?:\s+c\.s\.)?")
        self.motion_of = re.compile(
            rf"[Mm]otie\s+van\s+(?:het\s+lid\s+|de\s+leden\s+|Kamerlid\s+)?(?P<name>laatstgenoemde|{surname})"
        )
        # a Kamerstuk is found from its "nr." (a rare, literal anchor) back to the dossier number
        self.number = re.compile(r"nr\.?\s*(?P<nr>\d{1,4})\b")
        self.dossier_before = re.compile(
            r"(?P<dossier>\d{2}\s?\d{3})(?:[ -](?P<suffix>[A-Z]{1,5}|[IVXL]+))?,?\s*$"
        )
        self.committee = re.compile(rf"[Cc]ommissie\s+(?:voor\s+)?{self.name}")


# Patterns start with a literal or a character class (no leading \b) so that the regex engine can
# skip ahead quickly; the word boundary before a match is checked here instead.
_ADJECTIVE_BEFORE = re.compile(r"[A-ZÀ-Ý][a-zà-ÿ]+e $")
_KAMERSTUK_BEFORE = re.compile(r"Kamerstuk(?:ken)?(?:\s+II)?(?:\s+\d{4}[-/]\d{2,4})?,?\s*$")


def _finditer(pattern: re.Pattern, text: str, also: str = "") -> Iterator[re.Match]:
    """Matches that start on a word boundary (and not after any character in `also`)."""
    for m in pattern.finditer(text):
        start = m.start()
        if start:
            before = text[start - 1]
            if before.isalnum() or before == "_" or before in also:
                continue
        yield m


@lru_cache(maxsize=1)
def regexes() -> _Regexes:
    return _Regexes()


def _programme(start: int, end: int, text: str, rule: str, name: str | None = None) -> Mention:
    name = name or text
    return Mention("Programme", start, end, text, "programme:" + slug(name), rule, name=name)


def _trim_name(name: str) -> str:
    """Drop a trailing connector word a greedy pattern may have taken."""
    return re.sub(r"\s+(?:en|van|voor|de|het|met|in|op|aan)$", "", name)


def gazetteer(text: str, vocab: Vocabulary) -> Iterator[Mention]:
    for start, end, entry, surface in vocab.scan(text):
        if entry.lowercase_context and surface[:1].islower():
            if entry.lowercase_context not in text[max(0, start - 30) : start].lower():
                continue
        if entry.id == "ministry:az" and re.search(r"\w+se\s*$", text[max(0, start - 20) : start]):
            continue  # "de Vlaamse Minister-President" is not the Dutch one
        yield Mention(
            entry.label,
            start,
            end,
            surface,
            entry.id,
            "gazetteer",
            entry.extra_labels,
            entry.name,
            dict(entry.props),
        )


def programmes(text: str, vocab: Vocabulary) -> Iterator[Mention]:
    rx = regexes()
    for m in _finditer(rx.national, text):
        name = _trim_name(m.group(0))
        yield _programme(m.start(), m.start() + len(name), name, "national-programme")
    for m in _finditer(rx.programme_word, text, also="-"):
        name = _trim_name(m.group("name"))
        if name in rx.stoplist or len(name) < 3:
            continue
        yield _programme(m.start("name"), m.start("name") + len(name), name, "programma-x")
    for m in _finditer(rx.compound, text):
        if m.group("compound") in rx.stoplist:
            continue
        start = m.start()
        # an adjective before the compound belongs to the name: "Regionale Investeringsagenda's"
        adjective = _ADJECTIVE_BEFORE.search(text, max(0, start - 30), start)
        if adjective and not (adjective.start() and text[adjective.start() - 1].isalnum()):
            start = adjective.start()
        name = _trim_name(text[start : m.end()])
        yield _programme(start, start + len(name), name, "compound-programme")
    for deal in rx.deal.finditer(text):
        if deal.start() and text[deal.start() - 1].isalnum():
            continue
        m = rx.deal_head.search(text, max(0, deal.start() - 60), deal.start())
        if (
            not m
            or (m.start() and text[m.start() - 1].isalnum())
            or m.group("head") in ("De", "Het", "Een", "Deze")
        ):
            continue
        name = m.group("head") + " Deals"
        yield _programme(m.start(), deal.end(), text[m.start() : deal.end()], "x-deal", name)


def regions(text: str, vocab: Vocabulary) -> Iterator[Mention]:
    rx = regexes()
    for pattern, rule in (
        (rx.compass_pair, "compass-pair"),
        (rx.compass, "compass"),
        (rx.compass_split, "compass"),
        (rx.kop_van, "kop-van"),
    ):
        for m in _finditer(pattern, text):
            surface = m.group(0)
            if re.search(r"(?:se|sche)$", surface):
                continue  # adjectives: Zuid-Limburgse
            yield _region(m.start(), m.end(), surface, rule, vocab)
    for m in _finditer(rx.area, text):
        name = _trim_name(m.group("name"))
        full = f"{m.group('prog')}-gebied {name}"
        yield Mention(
            "Region",
            m.start(),
            m.start("name") + len(name),
            text[m.start() : m.start("name") + len(name)],
            "region:" + slug(full),
            "programme-area",
            name=full,
            props={"programme_surface": m.group("prog"), "area": name},
        )


def _region(start: int, end: int, surface: str, rule: str, vocab: Vocabulary) -> Mention:
    known = vocab.region_keys.get(region_key(surface, vocab.spelling))
    if known:
        entry = vocab.entries[known]
        return Mention(
            "Region", start, end, surface, known, rule, entry.extra_labels, entry.name, dict(entry.props)
        )
    name = re.sub(r"\s+", " ", surface)
    return Mention(
        "Region", start, end, surface, "region:" + region_key(name, vocab.spelling), rule, name=name
    )


def people(text: str, vocab: Vocabulary) -> Iterator[Mention]:
    rx = regexes()
    for m in _finditer(rx.person, text):
        for group, party_group in (("name", "party"), ("name2", "party2")):
            name = m.group(group)
            if not name or name.split()[-1] in rx.not_surnames:
                continue
            yield Mention(
                "Person",
                m.start(group),
                m.end(group),
                name,
                "person:" + slug(name),
                "person-title",
                name=name,
            )
            party = m.group(party_group)
            if party:
                yield _party(m.start(party_group), m.end(party_group), party, vocab)
    for rx_motion in (rx.motion, rx.motion_of):
        for m in _finditer(rx_motion, text):
            name = m.group("name")
            if name.split()[-1] in rx.not_surnames:
                continue
            props = {"submitter": name}
            if name != "laatstgenoemde":
                yield Mention(
                    "Person",
                    m.start("name"),
                    m.end("name"),
                    name,
                    "person:" + slug(name),
                    "motion",
                    name=name,
                )
            yield Mention(
                "Motion",
                m.start(),
                m.end(),
                m.group(0),
                "motion:" + slug(name),
                "motion",
                name=f"motie {name}",
                props=props,
            )


def _party(start: int, end: int, surface: str, vocab: Vocabulary) -> Mention:
    for s, e, entry, _ in vocab.scan(surface):
        if entry.label == "Party" and s == 0 and e == len(surface):
            return Mention("Party", start, end, surface, entry.id, "party-in-brackets", name=entry.name)
    return Mention("Party", start, end, surface, "party:" + slug(surface), "party-in-brackets", name=surface)


def documents(text: str, vocab: Vocabulary) -> Iterator[Mention]:
    rx = regexes()
    for nr in rx.number.finditer(text):
        m = rx.dossier_before.search(text, max(0, nr.start() - 30), nr.start())
        if not m:
            continue
        start = m.start()
        if start and text[start - 1] in "0123456789,.":
            continue
        cited_as = _KAMERSTUK_BEFORE.search(text, max(0, start - 40), start)
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
            "kamerstuk",
            name=doc_id,
            props={"dossier": dossier_id, "number": nr.group("nr")},
        )


def organisations(text: str, vocab: Vocabulary) -> Iterator[Mention]:
    for m in _finditer(regexes().committee, text):
        name = _trim_name(m.group(0))
        yield Mention(
            "Organisation",
            m.start(),
            m.start() + len(name),
            name,
            "organisation:" + slug(name),
            "committee",
            name=name,
            props={"kind": "commissie"},
        )


RECOGNISERS: list[Callable[[str, Vocabulary], Iterator[Mention]]] = [
    gazetteer,
    programmes,
    regions,
    people,
    documents,
    organisations,
]
_PRIORITY = {"gazetteer": 0}


def settle(mentions: list[Mention]) -> list[Mention]:
    """Keep non-overlapping mentions: longest first, the vocabulary before patterns on ties."""
    ordered = sorted(mentions, key=lambda m: (-(m.end - m.start), _PRIORITY.get(m.rule, 1), m.start))
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


def abbreviations(text: str, mentions: list[Mention]) -> list[Mention]:
    """`Name (ABBR)` makes ABBR an alias of the entity just before it; later uses of ABBR are mentions."""
    by_end = {m.end: m for m in mentions}
    found: dict[str, Mention] = {}
    for m in regexes().abbreviation.finditer(text):
        owner = by_end.get(m.start())
        abbr = m.group("abbr")
        if owner is None or owner.label not in ("Programme", "Organisation", "Ministry") or abbr in found:
            continue
        owner.props.setdefault("aliases", []).append(abbr)
        found[abbr] = owner
    if not found:
        return []
    uses = re.compile(rf"(?:{_alt(list(found))})(?![\w])")
    extra = []
    for m in _finditer(uses, text, also="-"):
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
                dict(owner.props),
            )
        )
    return extra


def programme_lists(text: str, sentences: list[Sentence], mentions: list[Mention]) -> list[Mention]:
    """Unknown capitalised items in "programma's/trajecten zoals X, Y en Z" are programmes."""
    rx = regexes()
    item = re.compile(
        rf"(?:de\s+|het\s+)?(?P<name>{rx.name})(?:\s*\([^()]*\))?(?P<sep>\s*,\s*|\s+en\s+|\s+of\s+)?"
    )
    extra = []
    covered = [(m.start, m.end) for m in mentions]
    # the list head is rare: find it once in the whole text, then read lists in those sentences only
    heads = [(m.start(), m.end()) for m in _finditer(rx.programme_list, text)]
    starts = [s.start for s in sentences]
    candidates = []
    for a, b in heads:
        for i in range(max(0, bisect_left(starts, a) - 1), bisect_left(starts, b)):
            if sentences[i].end > a and (not candidates or candidates[-1] is not sentences[i]):
                candidates.append(sentences[i])
    for s in candidates:
        for head in rx.programme_list.finditer(text, s.start, s.end):
            if head.start() and (text[head.start() - 1].isalnum() or text[head.start() - 1] == "_"):
                continue
            pos = head.end()
            while pos < s.end:
                m = item.match(text, pos, s.end)
                if not m:
                    break
                start = m.start("name")
                if not any(a <= start < b for a, b in covered):
                    name = _trim_name(m.group("name"))
                    extra.append(_programme(start, start + len(name), name, "programme-list"))
                if not m.group("sep"):
                    break
                pos = m.end()
    return extra


def recognise(text: str, sentences: list[Sentence], vocab: Vocabulary | None = None) -> list[Mention]:
    vocab = vocab or vocabulary()
    mentions: list[Mention] = []
    for recogniser in RECOGNISERS:
        mentions.extend(recogniser(text, vocab))
    mentions = settle(mentions)
    mentions = settle(mentions + abbreviations(text, mentions))
    return settle(mentions + programme_lists(text, sentences, mentions))
