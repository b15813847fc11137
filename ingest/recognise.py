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
from collections.abc import Callable, Iterable, Iterator

from ingest.commitments import commitments
from ingest.models import LetterMeta, Mention, Sentence
from ingest.patterns import CompiledRule, patterns
from ingest.recognise_base import (
    SOURCE_VOCABULARY,
    Context,
    candidates,
    entry_mention,
    finditer,
    first_longest_spans,
    merged,
)
from ingest.recognise_names import (
    agenda_handler,
    area_handler,
    coordinated_handler,
    deal_handler,
    region_handler,
    span_handler,
)
from ingest.recognise_passes import (
    abbreviations,
    programme_lists,
    region_lists,
    repeats,
    short_forms,
    year_suffixes,
)
from ingest.recognise_people import kamerstuk_handler, latter, motion_handler, motion_numbers, person_handler
from ingest.tables import table_cells
from ingest.vocabulary import Vocabulary, vocabulary

__all__ = ["first_longest_spans", "recognise"]


def gazetteer(text: str, vocab: Vocabulary) -> Iterator[Mention]:
    exclusions = patterns().exclusions
    for start, end, entry, surface in vocab.scan(text):
        if entry.lowercase_context and surface[:1].islower():
            if entry.lowercase_context not in text[max(0, start - 30) : start].lower():
                continue
        excluded = exclusions.get(entry.id)
        if excluded and excluded.search(text, max(0, start - 30), start):
            continue
        yield entry_mention(entry, start, end, surface, SOURCE_VOCABULARY)


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
            matches: Iterable[re.Match] = candidates(cr, ctx.text, hits)
        else:
            matches = finditer(cr, ctx, hits)
        for m in matches:
            yield from handler(cr, m, ctx)


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
        mentions = merged(mentions, extra)
    mentions = merged(mentions, repeats(text, mentions))
    short_forms(mentions)
    year_suffixes(mentions)
    mentions = latter(mentions)
    motion_numbers(text, mentions)
    # a commitment is its whole sentence: it overlaps the mentions inside and is not settled with them
    return sorted(mentions + commitments(text, sentences), key=lambda m: m.start)
