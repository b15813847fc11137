"""Stage 2: normalise a letter's text while keeping a map back to the original offsets.

Lines are classified (body, footnote, page furniture). Body lines are joined into paragraphs,
PDF hyphenation is undone (`ontwik-` + newline + `keling`) while real hyphens stay
(`Noord-Holland`, `Noord- en Oost-Groningen`), quotes and dashes are unified and glued footnote
markers are dropped. Footnotes follow the body, after a paragraph break, so that a sentence
interrupted by a page-bottom footnote reads as one.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from ingest.models import RawLetter, Segment

# one-to-one character replacements keep offsets intact
_TRANSLATE = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u201a": "'",
        "\u02bc": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2010": "-",
        "\u2011": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\t": " ",
    }
)
_SPECIAL = re.compile("[" + "".join(chr(c) for c in _TRANSLATE) + "]")


def _translate(text: str) -> str:
    """Same as str.translate(_TRANSLATE), much faster when special characters are rare."""
    return _SPECIAL.sub(lambda m: _TRANSLATE[ord(m.group())], text) if _SPECIAL.search(text) else text


# edits that change length inside a line: whitespace runs, suspended hyphen before a capital,
# footnote markers glued to a word, the footnote return arrow
_EDIT = re.compile(
    r"(?P<ws>[ \t\u00a0\u2009\u202f]{2,})"
    r"|(?P<hyph>(?<=[^\W\d_])-[ ]+(?=[A-ZÀ-Ý](?!n\b)))"
    r"|(?P<fn>(?<=[a-zà-ÿ'\u2019.,;:)])\d{1,2}(?=[\s.,;:)]|$))"
    r"|(?P<arrow>\s*\u21a9\ufe0e?)"
)
_HEADER_LINE = re.compile(
    r"^\s*(?:\[[^\]]*\](?:\s*\[[^\]]*\])*\s*"  # navigation bars of web exports
    r"|Tweede Kamer der Staten-Generaal\s+\d*\s*"
    r"|Tweede Kamer, vergaderjaar .*\bnr\. \d+\s+\d+\s*"  # running head with page number
    r"|Vergaderjaar \d{4}\s*[-\u2013]\s*\d{4}\s*"
    r"|\d{1,3}\s*)$"
)
_FOOTNOTE_ARROW = re.compile(r"^\s+\d{1,3}\.\s.*\u21a9")
_FOOTNOTE_START = re.compile(r"^\d{1,2}\s+[^\W\d_]")
_PAGE_START = re.compile(r"^ \S")
_SUSPENDED = re.compile(r"(?:en|of|tot|t/m)\b")
_SENTENCE_END = re.compile(r"[.!?:;\"')]\s*$")


@dataclass
class OffsetMap:
    """Runs of characters copied unchanged: normalised offset -> original offset."""

    norm_starts: list[int] = field(default_factory=list)
    orig_starts: list[int] = field(default_factory=list)

    def to_original(self, i: int) -> int:
        k = bisect_right(self.norm_starts, i) - 1
        return self.orig_starts[k] + (i - self.norm_starts[k])

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.to_original(start), self.to_original(end - 1) + 1


@dataclass
class NormalisedText:
    text: str
    offsets: OffsetMap
    segments: list[Segment]
    footnotes_start: int  # normalised offset where the footnote block begins (len(text) if none)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        return self.offsets.span(start, end)


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.map = OffsetMap()
        self.pos = 0

    def add(self, text: str, orig: int) -> None:
        if text:
            self.map.norm_starts.append(self.pos)
            self.map.orig_starts.append(orig)
            self.parts.append(text)
            self.pos += len(text)

    def add_line(self, line: str, orig: int, body: bool) -> None:
        last = 0
        for m in _EDIT.finditer(line):
            kind = m.lastgroup
            if kind == "fn" and not body:
                continue
            self.add(_translate(line[last : m.start()]), orig + last)
            if kind == "ws":
                self.add(" ", orig + m.start())
            elif kind == "hyph":
                self.add("-", orig + m.start())
            last = m.end()
        self.add(_translate(line[last:]), orig + last)

    def text(self) -> str:
        return "".join(self.parts)


def _classify(lines: list[tuple[int, str]]) -> list[str]:
    kinds = []
    in_footnote = False
    prev_blank = True
    for _, line in lines:
        if not line.strip():
            kinds.append("blank")
            prev_blank = True
            continue
        if _HEADER_LINE.match(line):
            kind = "header"
        elif _FOOTNOTE_ARROW.match(line):
            kind = "footnote"
        elif prev_blank and _FOOTNOTE_START.match(line):
            in_footnote = True
            kind = "footnote"
        elif in_footnote and _PAGE_START.match(line):
            in_footnote = False
            kind = "body"
        else:
            kind = "footnote" if in_footnote else "body"
        kinds.append(kind)
        prev_blank = False
    # a numbered block not followed by a page break is a numbered paragraph, not a footnote
    if in_footnote:
        i = len(kinds) - 1
        while i >= 0 and kinds[i] in ("footnote", "blank"):
            i -= 1
        tail_is_end = all(k in ("footnote", "blank", "header") for k in kinds[i + 1 :])
        if not tail_is_end:
            kinds = ["body" if k == "footnote" else k for k in kinds]
    return kinds


def _emit(builder: _Builder, lines: list[tuple[int, str]], body: bool) -> None:
    """Join lines into paragraphs; `lines` holds (offset, text) or (-1, '') for a break."""
    prev: str | None = None
    for orig, line in lines:
        if orig < 0:
            if prev is not None:
                builder.add("\n\n", builder.map.orig_starts[-1] if builder.map.orig_starts else 0)
            prev = None
            continue
        lead = len(line) - len(line.lstrip())
        stripped = line.strip()
        start = orig + lead
        if prev is not None:
            if re.search(r"[a-zà-ÿ]-$", prev) and stripped[:1].islower() and not _SUSPENDED.match(stripped):
                builder.parts[-1] = builder.parts[-1][:-1]  # drop the hyphenation hyphen
                builder.pos -= 1
            elif not prev.endswith("-"):
                builder.add(" ", start - 1)
        builder.add_line(stripped, start, body)
        prev = stripped


def normalise(raw: RawLetter) -> NormalisedText:
    lines: list[tuple[int, str]] = []
    offset = 0
    for line in raw.text.splitlines(keepends=True):
        lines.append((offset, line.rstrip("\r\n")))
        offset += len(line)
    kinds = _classify(lines)

    body: list[tuple[int, str]] = []
    notes: list[tuple[int, str]] = []
    for (orig, line), kind, nxt in zip(lines, kinds, kinds[1:] + ["blank"], strict=True):
        if kind == "body":
            body.append((orig, line))
        elif kind == "footnote":
            notes.append((orig, line))
            if nxt != "footnote":
                notes.append((-1, ""))
        elif kind == "blank" and body and body[-1][0] >= 0:
            # a blank line before a page-bottom footnote does not end the paragraph
            # when the sentence runs on
            if nxt == "footnote" and not _SENTENCE_END.search(body[-1][1]):
                continue
            body.append((-1, ""))
        elif kind == "header" and body and body[-1][0] >= 0 and _SENTENCE_END.search(body[-1][1]):
            body.append((-1, ""))

    builder = _Builder()
    _emit(builder, body, body=True)
    segments = [Segment("body", 0, builder.pos)]
    footnotes_start = builder.pos
    if any(o >= 0 for o, _ in notes):
        builder.add("\n\n", builder.map.orig_starts[-1] if builder.map.orig_starts else 0)
        footnotes_start = builder.pos
        _emit(builder, notes, body=False)
        segments.append(Segment("footnote", footnotes_start, builder.pos))
    if not builder.parts:
        builder.add(" ", 0)
    return NormalisedText(builder.text(), builder.map, segments, footnotes_start)
