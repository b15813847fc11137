"""Handlers for people, motions and cited Kamerstukken, and the passes that settle them: the
submitter of "de motie van laatstgenoemde", a motion keyed by its own Kamerstuk number."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ingest.models import Mention
from ingest.patterns import CompiledRule, patterns
from ingest.recognise_base import Context, compiled
from ingest.text import name_parts, person_key, slug
from ingest.vocabulary import Vocabulary


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
            person_key(name, surname),
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
    c = compiled()
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
    c = compiled()
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
            names = tuple((last_person.name or s) if s == anaphor else s for s in m.submitters)
            surname = slug(name_parts(last_person.aliases[0] if last_person.aliases else last_person.text)[1])
            tail_key = m.key.replace(slug(anaphor), surname, 1)
            m.key, m.submitters = tail_key, names
            m.name = f"{patterns().lists['motion_word'][0]} {_enumerated(names)}"
        out.append(m)
    return out


def motion_numbers(text: str, mentions: list[Mention]) -> None:
    """A motion cited with its own Kamerstuk number ("de motie van het lid X (Kamerstuk 36 111,
    nr. 8)") is keyed by it (decisions.md D7) and published as that Kamerstuk."""
    for m, nxt in zip(mentions, mentions[1:], strict=False):
        if m.label != "Motion" or nxt.label != "Document":
            continue
        between = text[m.end : nxt.start]
        if between.strip() == "(" and text.startswith(")", nxt.end):
            m.key = "motion:kst-" + (nxt.name or "")
            m.published_as = nxt.key
