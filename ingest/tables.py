"""Tables flattened to one cell per paragraph: the project cell of a row "regions | project |
amount" is a programme."""

from __future__ import annotations

from bisect import bisect_left

from ingest.models import Mention, Sentence
from ingest.recognise_base import clean, compiled, mention_key, uncovered
from ingest.vocabulary import Vocabulary


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
    gap = compiled()["region_gap"]
    number = compiled()["number_cell"]
    free = uncovered(mentions)
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
        name = clean(cell)
        extra.append(
            Mention("Programme", c, d, cell, mention_key("Programme", name), "table-cell", name=name)
        )
    return extra
