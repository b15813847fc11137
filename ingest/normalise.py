"""Stage 2: normalise a letter's text while keeping a map back to the original offsets.

Lines are classified (body, footnote, page furniture). Body lines are joined into paragraphs,
PDF hyphenation is undone (`ontwik-` + newline + `keling`) while real hyphens stay
(`Noord-Holland`, `Noord- en Oost-Groningen`), quotes and dashes are unified and glued footnote
markers are dropped. Footnotes follow the body, after a paragraph break, so that a sentence
interrupted by a page-bottom footnote reads as one.

The header at the top of a letter (page metadata, dossier, volgnummer, addressee, place and date) keeps
its line structure: each header line becomes a paragraph of its own, in a `header` segment before the
body, so that no later pattern runs from one field into the next and the metadata stage can read the
fields line by line. A signature block ("De Minister van ...," and a name line) is a paragraph of its
own too. The words these lines are recognised by are in data/metadata.yaml.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from ingest.models import RawLetter, Segment

DATA = Path(__file__).with_name("data")
METADATA_FILE = DATA / "metadata.yaml"
Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Addressee(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    label: Phrase
    kind: Phrase


class HeaderWords(BaseModel):
    """data/metadata.yaml: the words header lines and signatures are found and read by."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    months: list[Phrase] = Field(min_length=12, max_length=12)
    places: list[Phrase] = Field(min_length=1)
    dated_labels: list[Phrase]
    date_labels: list[Phrase]
    furniture_labels: list[Phrase]
    year_labels: list[Phrase]
    running_heads: list[Phrase]
    header_labels: list[Phrase] = Field(min_length=1)
    volgnummer_label: Phrase
    continues_after: list[Phrase]
    kinds: dict[Phrase, Phrase] = Field(min_length=1)
    addressee: Addressee
    titled_kinds: list[Phrase]
    dossier_label: Phrase
    offices: list[Phrase] = Field(min_length=1)
    office_prepositions: list[Phrase] = Field(min_length=1)
    signer_labels: list[Phrase]
    office_ministries: dict[Phrase, Phrase]
    name_particles: list[Phrase]
    name_titles: list[Phrase]
    letterhead_labels: list[Phrase] = Field(default_factory=list)
    subject_labels: list[Phrase] = Field(default_factory=list)
    street_suffixes: list[Phrase] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> HeaderWords:
        if len({m.lower() for m in self.months}) != 12:
            raise ValueError("months: twelve different names")
        if unknown := set(self.titled_kinds) - set(self.kinds):
            raise ValueError(f"titled_kinds not among kinds: {sorted(unknown)}")
        if unknown := set(self.office_ministries) - set(self.offices):
            raise ValueError(f"office_ministries not among offices: {sorted(unknown)}")
        return self


@lru_cache(maxsize=1)
def header_words() -> HeaderWords:
    try:
        return HeaderWords.model_validate(yaml.safe_load(METADATA_FILE.read_text(encoding="utf-8")))
    except ValidationError as exc:
        raise ValueError(f"{METADATA_FILE}: {exc}") from None


def alternation(words: list[str]) -> str:
    """A regex alternation of the words, longest first, escaped; spaces match any whitespace run."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))

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


class _LineKinds:
    """Regexes for the kinds of header and signature line, built once from data/metadata.yaml."""

    def __init__(self, w: HeaderWords) -> None:
        self.furniture = re.compile(
            r"^\s*(?:\[[^\]]*\](?:\s*\[[^\]]*\])*\s*"  # navigation bars of web exports
            rf"|(?:{alternation(w.furniture_labels)})\s[\s|\d]*"  # with a page number
            rf"|(?:{alternation(w.running_heads)}) .*\bnr\. \d+\s+\d+\s*"  # with a page number
            rf"|(?:{alternation(w.year_labels)}) \d{{4}}\s*-\s*\d{{4}}[\s|]*"
            r"|\d{1,3}\s*)$"
        )
        date = rf"\d{{1,2}}\s+(?i:{alternation(w.months)})\s+\d{{4}}"
        # the place-and-date or dated line that ends a header
        self.opening = re.compile(
            rf"(?:(?:{alternation(w.places)}),?|(?:{alternation(w.dated_labels)}):?)\s+{date}\s*\.?$"
        )
        mixed = [k for k in w.kinds if not k.isupper()]
        upper = [k for k in w.kinds if k.isupper()]
        nr = re.escape(w.volgnummer_label)
        self.header = re.compile(
            rf"(?:(?:{alternation([*w.header_labels, *w.date_labels, w.addressee.label, w.dossier_label])})"
            r"(?![a-zà-ÿ])"
            rf"|(?:{alternation(mixed)})(?:\s*:\s.*)?$"  # "Brief regering", "Brief regering : <title>"
            rf"|(?:{alternation(w.titled_kinds)})\s"  # "Kamerbrief <title>"
            rf"|(?:{nr}\s*\d{{1,4}}\s+)?(?:{alternation(upper)})\b"  # "Nr. 12 BRIEF VAN DE ..."
            rf"|{date}\s*\.?$"  # a date on its own
            r"|\d{2} \d{3}(?:[- ](?:[A-Z]{1,5}|[IVXL]+))? [A-Z(]"  # a dossier: "36 123 IV Titel"
            r"|-\s*(?:[A-Z][\w ]{1,40}:\s|\d{4}-\d{2}-\d{2}\b)"  # a metadata list item
            + self._letterhead(w)
            + ")"
        )
        self.continues = re.compile(rf"(?i:\s(?:{alternation(w.continues_after)}))$")
        offices = alternation(w.offices)
        self.office_line = re.compile(rf"[Dd]e (?i:{offices})\b.*,$")
        self.signer = re.compile(signer_name_pattern(w) + r"\.?$")

    @staticmethod
    def _letterhead(w: HeaderWords) -> str:
        """A ministry's letterhead before the addressee: its name and directorate, a street address
        ("Rijnstraat 8"), a postcode and city ("2515 XP Den Haag")."""
        out = r"|\d{4}\s?[A-Z]{2}\s+[A-Z'][\w' -]*$"
        if w.letterhead_labels:
            out += rf"|(?:{alternation(w.letterhead_labels)})(?![a-zà-ÿ])"
        if w.street_suffixes:
            out += rf"|[A-ZÀ-Ý][\w'-]*(?:{alternation(w.street_suffixes)})\s+\d+\s?[a-zA-Z]?$"
        return out

    def is_furniture(self, line: str) -> bool:
        return bool(self.furniture.match(line))

    def is_header(self, stripped: str) -> bool:
        return bool(self.header.match(stripped) or self.opening.match(stripped))


def signer_name_pattern(w: HeaderWords) -> str:
    """A signer as a signature writes one: initials, particles, one or two surname words
    ("A.B. de Vries", "C. van Dam Jansen", "É. Öztürk-van Rijn"), after an optional academic title
    (group `name`)."""
    titles = alternation(w.name_titles)
    particles = alternation(w.name_particles)
    return (
        rf"(?:(?:{titles})\s*)*"
        rf"(?P<name>[A-ZÀ-Ý]\.(?:\s?[A-ZÀ-Ý][a-z]?\.)*\s?(?:(?:{particles})\s+)*[A-ZÀ-Ý][\w'-]+"
        rf"(?:\s(?:(?:{particles})\s+)?[A-ZÀ-Ý][\w'-]+)?)"
    )


@lru_cache(maxsize=1)
def line_kinds() -> _LineKinds:
    return _LineKinds(header_words())


MAX_HEADER_LINES = 80  # a header is read from the first lines only
MAX_UNLABELLED = 3  # short lines without a label (a title, a dossier title) inside a header
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
    header_end: int = 0  # normalised offset where the header lines end (0 if none)

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
    """Each line's kind: blank, furniture (dropped), footnote or body."""
    furniture = line_kinds().furniture
    kinds = []
    in_footnote = False
    prev_blank = True
    for _, line in lines:
        if not line.strip():
            kinds.append("blank")
            prev_blank = True
            continue
        if furniture.match(line):
            kind = "furniture"
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
        tail_is_end = all(k in ("footnote", "blank", "furniture") for k in kinds[i + 1 :])
        if not tail_is_end:
            kinds = ["body" if k == "footnote" else k for k in kinds]
    return kinds


def _header_zone(lines: list[tuple[int, str]], kinds: list[str]) -> tuple[int, set[int]]:
    """The header: the leading lines up to the last header line (or its place-and-date line), with
    short unlabelled lines (titles) between them. Returns the index of the first line after it and
    the indices of lines that go on the line before them."""
    rx = line_kinds()
    end, last, unlabelled, seen = 0, -2, 0, 0
    continued: set[int] = set()
    for i, (_, line) in enumerate(lines):
        if kinds[i] in ("blank", "furniture"):
            continue
        seen += 1
        if seen > MAX_HEADER_LINES:
            break
        stripped = line.strip()
        if rx.is_header(stripped):
            end, last, unlabelled = i + 1, i, 0
            if rx.opening.match(stripped):
                break  # the place and date close the header
        elif last == i - 1 and _goes_on(lines[last][1].strip(), stripped, rx):
            continued.add(i)
            end, last = i + 1, i
        elif unlabelled < MAX_UNLABELLED and _title_like(stripped):
            unlabelled += 1
        else:
            break
    return end, {i for i in continued if i < end}


def _goes_on(prev: str, line: str, rx: _LineKinds) -> bool:
    """`line` continues the header line `prev`: it starts in lower case, `prev` ends in a word that
    needs more, or both are in capitals ("... ZAKEN EN" + "KONINKRIJKSRELATIES")."""
    return line[:1].islower() or bool(rx.continues.search(prev)) or (prev.isupper() and line.isupper())


def _title_like(line: str) -> bool:
    """Could be a title or a dossier title inside a header: short, not a sentence, not wrapped."""
    return len(line) <= 200 and line[-1] not in ".!?;:,-" and not line[:1].islower()


def _signature_blocks(
    lines: list[tuple[int, str]], kinds: list[str], start: int
) -> tuple[set[int], set[int]]:
    """Office lines ("De Minister van ...,") followed (after at most one blank line) by a name line:
    the indices of the office lines and of the name lines."""
    rx = line_kinds()
    offices, names = set(), set()
    for i in range(start, len(lines)):
        line = lines[i][1].rstrip()
        if not line.endswith(",") or kinds[i] != "body" or not rx.office_line.match(line.lstrip()):
            continue
        j = i + 1
        if j < len(lines) and kinds[j] == "blank":
            j += 1
        if j < len(lines) and kinds[j] == "body" and rx.signer.match(lines[j][1].strip()):
            offices.add(i)
            names.add(j)
    return offices, names


def _headings(lines: list[tuple[int, str]], kinds: list[str], start: int) -> set[int]:
    """Headings in text wrapped with single line breaks: a line clearly shorter than the wrapped
    lines, after a sentence has ended, not ending like a sentence or a wrapped phrase, before a
    line that starts a sentence ("Inleiding", "Economische ontwikkeling op de eilanden")."""
    widths = sorted(len(line.strip()) for (_, line), kind in zip(lines, kinds, strict=True) if kind == "body")
    widths = [w for w in widths if w >= 20]
    if len(widths) < 5:
        return set()
    short = 0.75 * widths[len(widths) // 2]
    continues = line_kinds().continues
    out = set()
    for i in range(start, len(lines) - 1):
        line = lines[i][1].strip()
        if kinds[i] != "body" or not line[:1].isupper() or len(line) > short or kinds[i + 1] != "body":
            continue
        prev_ends = i == start or kinds[i - 1] != "body" or _ends_sentence(lines[i - 1][1])
        after = lines[i + 1][1].strip()[:1]
        if (
            prev_ends
            and (after.isupper() or after.isdigit())
            and line[-1] not in ".!?;:,-"
            and not continues.search(line)
        ):
            out.add(i)
    return out


def _table_rows(lines: list[tuple[int, str]], kinds: list[str], start: int) -> set[int]:
    """Lines of a table written one row a line with "|" between the cells: each row is a paragraph
    of its own ("Regio Deal X | A, B en C | € 5 mln")."""
    return {
        i
        for i in range(start, len(lines))
        if kinds[i] == "body" and "|" in lines[i][1] and _TABLE_ROW.search(lines[i][1])
    }


_TABLE_ROW = re.compile(r"\S\s*\|\s*\S")


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
    header_lines, continued = _header_zone(lines, kinds)
    office_lines, name_lines = _signature_blocks(lines, kinds, header_lines)
    headings = _headings(lines, kinds, header_lines)
    rows = _table_rows(lines, kinds, header_lines)
    starts, ends = office_lines | headings | rows, name_lines | headings | rows

    header: list[tuple[int, str]] = []  # one paragraph per header line
    for i in range(header_lines):
        if kinds[i] not in ("blank", "furniture"):
            if header and i not in continued:
                header.append((-1, ""))
            header.append(lines[i])
    body: list[tuple[int, str]] = []
    notes: list[tuple[int, str]] = []
    for i, ((orig, line), kind, nxt) in enumerate(zip(lines, kinds, kinds[1:] + ["blank"], strict=True)):
        if i < header_lines:
            continue
        if kind == "body":
            if i in starts and body and body[-1][0] >= 0:
                body.append((-1, ""))  # a heading or a signature block is a paragraph of its own
            body.append((orig, line))
            if i in ends and i + 1 < len(lines):
                body.append((-1, ""))
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
        elif kind == "furniture" and body and body[-1][0] >= 0 and _ends_sentence(body[-1][1]):
            body.append((-1, ""))

    builder = _Builder(_edits(text))
    _emit(builder, text, header, body=False)  # digits after a colon are times, not footnote markers
    header_end = builder.pos
    segments = [Segment("header", 0, header_end)] if header_end else []
    if header_end and any(o >= 0 for o, _ in body):
        builder.add("\n\n", builder.map.orig_starts[-1])
    body_start = builder.pos
    _emit(builder, text, body, body=True)
    segments.append(Segment("body", body_start, builder.pos))
    footnotes_start = builder.pos
    if any(o >= 0 for o, _ in notes):
        builder.add("\n\n", builder.map.orig_starts[-1] if builder.map.orig_starts else 0)
        footnotes_start = builder.pos
        _emit(builder, text, notes, body=False)
        segments.append(Segment("footnote", footnotes_start, builder.pos))
    if not builder.parts:
        builder.add(" ", 0)
    return NormalisedText(builder.text(), builder.map, segments, footnotes_start, header_end)
