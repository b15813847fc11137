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


# Edits that change length inside a line: runs of spaces, a suspended hyphen before a capital
# ("Oost- Drenthe"), footnote markers glued to a word, the footnote return arrow. Each pattern
# starts with a literal or a character class so the scan is fast; context is checked in Python.
_SPACES = re.compile(r"  +")
_HYPHEN = re.compile(r"- +(?=[A-ZÀ-Ý](?!n\b))")
_MARKER = re.compile(r"\d{1,2}(?=[\s.,;:)]|\Z)")
_ARROW = re.compile("\u21a9\ufe0e?")
_BEFORE_MARKER = frozenset("abcdefghijklmnopqrstuvwxyz'.,;:)") | frozenset(map(chr, range(0xE0, 0x100)))


def _edits(text: str) -> list[tuple[int, int, str]]:
    """All edits in the (translated) text, sorted and non-overlapping, leftmost first."""
    found = [(m.start(), 0, m.end(), "ws") for m in _SPACES.finditer(text)]
    found += [
        (m.start(), 1, m.end(), "hyph")
        for m in _HYPHEN.finditer(text)
        if m.start() and text[m.start() - 1].isalpha()
    ]
    found += [
        (m.start(), 2, m.end(), "fn")
        for m in _MARKER.finditer(text)
        if m.start() and text[m.start() - 1] in _BEFORE_MARKER
    ]
    for m in _ARROW.finditer(text):
        start = m.start()
        while start and text[start - 1] in " \t":
            start -= 1
        found.append((start, 3, m.end(), "arrow"))
    found.sort()
    edits: list[tuple[int, int, str]] = []
    last_end = -1
    for start, _, end, kind in found:
        if start >= last_end:
            edits.append((start, end, kind))
            last_end = end
    return edits


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
_SENTENCE_END = frozenset(".!?:;\"')")


def _ends_sentence(line: str) -> bool:
    return line.rstrip()[-1:] in _SENTENCE_END


def _hyphenated(line: str) -> bool:
    """Ends in a hyphen after a lower-case letter: `ontwik-`."""
    return len(line) > 1 and line[-1] == "-" and ("a" <= line[-2] <= "z" or "\u00e0" <= line[-2] <= "\u00ff")


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
    def __init__(self, edits: list[tuple[int, int, str]]) -> None:
        self.edits = edits
        self.edit_starts = [e[0] for e in edits]
        self.parts: list[str] = []
        self.map = OffsetMap()
        self.pos = 0

    def add(self, text: str, orig: int) -> None:
        if text:
            self.map.norm_starts.append(self.pos)
            self.map.orig_starts.append(orig)
            self.parts.append(text)
            self.pos += len(text)

    def add_line(self, text: str, start: int, end: int, body: bool) -> None:
        """Copy text[start:end] (one stripped line), applying the edits that fall inside it."""
        last = start
        k = bisect_right(self.edit_starts, start - 1)
        # an arrow edit may begin in the whitespace just before the stripped line
        if k and self.edits[k - 1][1] > start:
            k -= 1
        while k < len(self.edits) and self.edits[k][0] < end:
            e_start, e_end, kind = self.edits[k]
            k += 1
            if kind == "fn" and not body:
                continue
            e_start = max(e_start, start)
            self.add(text[last:e_start], last)
            if kind == "ws":
                self.add(" ", e_start)
            elif kind == "hyph":
                self.add("-", e_start)
            last = min(e_end, end)
        self.add(text[last:end], last)

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


def _emit(builder: _Builder, text: str, lines: list[tuple[int, str]], body: bool) -> None:
    """Join lines into paragraphs; `lines` holds (offset, text) or (-1, '') for a break."""
    prev: str | None = None
    for orig, line in lines:
        if orig < 0:
            if prev is not None:
                builder.add("\n\n", builder.map.orig_starts[-1] if builder.map.orig_starts else 0)
            prev = None
            continue
        stripped = line.strip()
        start = orig + len(line) - len(line.lstrip())
        if prev is not None:
            if _hyphenated(prev) and stripped[:1].islower() and not _SUSPENDED.match(stripped):
                builder.parts[-1] = builder.parts[-1][:-1]  # drop the hyphenation hyphen
                builder.pos -= 1
            elif not prev.endswith("-"):
                builder.add(" ", start - 1)
        builder.add_line(text, start, start + len(stripped), body)
        prev = stripped


def normalise(raw: RawLetter) -> NormalisedText:
    text = _translate(raw.text)  # one-to-one, so offsets stay those of the original
    lines: list[tuple[int, str]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
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
            if nxt == "footnote" and not _ends_sentence(body[-1][1]):
                continue
            body.append((-1, ""))
        elif kind == "header" and body and body[-1][0] >= 0 and _ends_sentence(body[-1][1]):
            body.append((-1, ""))

    builder = _Builder(_edits(text))
    _emit(builder, text, body, body=True)
    segments = [Segment("body", 0, builder.pos)]
    footnotes_start = builder.pos
    if any(o >= 0 for o, _ in notes):
        builder.add("\n\n", builder.map.orig_starts[-1] if builder.map.orig_starts else 0)
        footnotes_start = builder.pos
        _emit(builder, text, notes, body=False)
        segments.append(Segment("footnote", footnotes_start, builder.pos))
    if not builder.parts:
        builder.add(" ", 0)
    return NormalisedText(builder.text(), builder.map, segments, footnotes_start)
