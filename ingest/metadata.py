"""Stage 3: letter metadata read from the text. A field the text does not state stays empty.

Header fields are read from the header lines the normaliser kept apart (each a paragraph of the
`header` segment); signatories from signature blocks in the body and from the signer lines of a
page's metadata block. The words are in data/metadata.yaml.
"""

from __future__ import annotations

import re
from datetime import date as Date
from functools import lru_cache

from ingest.models import Dossier, LetterMeta, Signatory
from ingest.normalise import (
    HeaderWords,
    NormalisedText,
    alternation,
    header_words,
    line_kinds,
    signer_name_pattern,
)
from ingest.text import lower_same_length
from ingest.vocabulary import Vocabulary, vocabulary

_DOC_NUMBER = re.compile(r"\b20\d\dD\d{4,6}\b")
_ZAAK = re.compile(r"\b20\d\dZ\d{4,6}\b")
_DOSSIER = re.compile(r"(?P<nr>\d{2} \d{3}(?:[- ](?:[A-Z]{1,5}|[IVXL]+))?) (?P<title>[A-Z(].{3,200})")
_HEAD = 4000  # where a letter without header lines is searched for its date


class _Patterns:
    """Regexes built once from data/metadata.yaml."""

    def __init__(self, w: HeaderWords) -> None:
        self.months = {m.lower(): i for i, m in enumerate(w.months, start=1)}
        date = rf"(?P<d>\d{{1,2}})\s+(?P<m>(?i:{alternation(w.months)}))\s+(?P<y>\d{{4}})"
        iso = r"(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})\b"
        self.place_date = re.compile(rf"(?<!\w)(?:{alternation(w.places)}),?\s+{date}")
        self.dated = re.compile(rf"(?:{alternation(w.dated_labels)}):?\s+{date}")
        self.labelled_date = re.compile(rf"(?<![\w-])(?:{alternation(w.date_labels)}):?\s+(?:{iso}|{date})")
        self.bare_date = re.compile(rf"{date}\s*\.?$")
        self.volgnummer = re.compile(rf"{re.escape(w.volgnummer_label)}\s*(?P<nr>\d{{1,4}})\b")
        self.tk_dossier = re.compile(
            rf"{re.escape(w.dossier_label)}\s+(?P<nr>\d{{5}})(?: (?P<suffix>[A-Z]{{1,5}}|[IVXL]+))?"
            r"\s*-\s*(?P<volg>\d{1,4})\s+(?P<title>.+?)\.?$"
        )
        self.kinds = w.kinds
        mixed = [k for k in w.kinds if not k.isupper()]
        upper = [k for k in w.kinds if k.isupper()]
        self.kind_line = re.compile(
            rf"(?P<kind>{alternation(mixed)})(?:\s*:\s+(?P<title>.+))?$"
            rf"|(?P<titled>{alternation(w.titled_kinds)})\s+\S"
            rf"|(?:{re.escape(w.volgnummer_label)}\s*\d{{1,4}}\s+)?(?P<upper>{alternation(upper)})\b"
        )
        self.addressee = re.compile(re.escape(w.addressee.label))
        self.addressed_kind = w.addressee.kind
        offices = alternation(w.offices)
        preps = alternation(w.office_prepositions)
        self.office_ministries = {o.lower(): m for o, m in w.office_ministries.items()}
        # "De Minister van X," + name, as a paragraph of its own or after a sentence; X may hold commas
        self.signature = re.compile(
            rf"(?P<office>[Dd]e (?P<role>(?i:{offices}))\b[^\n]{{0,160}}?),\s+"
            + signer_name_pattern(w)
            + r"(?=\s*(?:\n|$))"
        )
        self.office_of = re.compile(rf"\s(?:{preps})\s+(?P<of>.+)$")
        # "Eerste ondertekenaar: A.B. Jansen, minister van X" in a page's metadata block
        labels = alternation(w.signer_labels)
        self.signer_line = re.compile(
            rf"(?<![\w-])(?:{labels}):\s*(?P<name>[^,\n]{{2,80}}?),\s*(?P<office>[^\n]+?)"
            rf"(?=\s*-\s*(?:{labels}):|\s*$)"
        )
        self.office_role = re.compile(rf"(?P<role>(?i:{offices}))\b")


@lru_cache(maxsize=1)
def patterns() -> _Patterns:
    return _Patterns(header_words())


def _iso(y: str, m: int | str, d: str) -> str | None:
    try:
        return Date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None  # "31 februari": not a date


def _date_of(m: re.Match, p: _Patterns) -> str | None:
    if m.groupdict().get("iy"):
        return _iso(m["iy"], m["im"], m["id"])
    return _iso(m["y"], p.months[m["m"].lower()], m["d"])


def header_lines(doc: NormalisedText) -> list[tuple[int, str]]:
    """(offset, text) of each header line."""
    return [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", doc.text[: doc.header_end])]


def read_metadata(doc: NormalisedText, vocab: Vocabulary | None = None) -> LetterMeta:
    vocab = vocab or vocabulary()
    p = patterns()
    lines = header_lines(doc)
    head = doc.text[: min(len(doc.text), _HEAD)]
    meta = LetterMeta(date=_letter_date(lines, head, p))
    if m := _DOC_NUMBER.search(head):
        meta.document_number = m.group(0)
    if m := _ZAAK.search(head):
        meta.zaak = m.group(0)
    _dossiers(meta, lines, p)
    _kind_and_title(meta, lines, p)
    for sig in _signer_lines(lines, p, vocab) + _signature_blocks(doc, p, vocab):
        if all(s.surname.lower() != sig.surname.lower() for s in meta.signatories):
            meta.signatories.append(sig)
    return meta


def _letter_date(lines: list[tuple[int, str]], head: str, p: _Patterns) -> str | None:
    """The place-and-date line, else a dated line ("Vastgesteld ..."), else a date under a label,
    else a header line that is only a date; without header lines, a place and date near the top."""
    forms = (p.place_date.search, p.dated.match, p.labelled_date.search, p.bare_date.match)
    for form in forms:
        for _, line in lines:
            if (m := form(line)) and (found := _date_of(m, p)):
                return found
    if not lines and (m := p.place_date.search(head)):
        return _date_of(m, p)
    return None


def _dossiers(meta: LetterMeta, lines: list[tuple[int, str]], p: _Patterns) -> None:
    """The dossier line ("36 123 IV Titel") or a page's "Onderdeel van kamerstukdossier 36123 IV-4
    Titel." line; the volgnummer line ("Nr. 4")."""
    for at, line in lines:
        if m := _DOSSIER.fullmatch(line):
            number = m["nr"].replace(" ", "", 1).replace(" ", "-")
            title, end = m["title"].strip(), at + m.end("title")
        elif m := p.tk_dossier.match(line):
            number = m["nr"] + (f"-{m['suffix']}" if m["suffix"] else "")
            title, end = m["title"].strip(), at + m.end("title")
            meta.volgnummer = meta.volgnummer or m["volg"]
        else:
            if meta.volgnummer is None and (m := p.volgnummer.match(line)):
                meta.volgnummer = m["nr"]
            continue
        if all(d.number != number for d in meta.dossiers):
            meta.dossiers.append(Dossier(number=number, title=title, start=at, end=end))
    if meta.dossiers and meta.volgnummer:
        meta.kamerstuk = f"{meta.dossiers[0].number}-{meta.volgnummer}"


_SUBJECT = re.compile(
    rf"(?:{'|'.join(re.escape(w) for w in header_words().subject_labels)})\s*:?\s+(?P<title>\S.*?)\.?$"
)


def _kind_and_title(meta: LetterMeta, lines: list[tuple[int, str]], p: _Patterns) -> None:
    """"<kind> : <title>"; "<titled kind> <title>" (the whole line is the title); a kind line of its
    own, with the title the first unlabelled header line before it."""
    rx = line_kinds()
    for i, (_, line) in enumerate(lines):
        m = p.kind_line.match(line)
        if not m:
            continue
        kind = m["kind"] or m["titled"] or m["upper"]
        meta.kind = meta.kind or p.kinds[kind]
        if meta.title is None:
            if m["title"]:
                meta.title = m["title"].strip()
            elif m["titled"]:
                meta.title = line.strip()
            elif m["kind"]:
                before = [text for _, text in lines[:i] if not rx.is_header(text)]
                meta.title = before[0].strip() if before else None
    if meta.kind is None and any(p.addressee.match(line) for _, line in lines):
        meta.kind = p.addressed_kind
    if meta.title is None:  # "Onderwerp Voortgang X", "Betreft: X" (a letter on the ministry's paper)
        subject = next((m for _, line in lines if (m := _SUBJECT.match(line))), None)
        if subject:
            meta.title = subject["title"].strip()


def _signatory(name: str, office: str, span: tuple[int, int], p: _Patterns, vocab: Vocabulary) -> Signatory:
    """A signer and the ministry their office names ("minister van Landbouw, Natuur en
    Voedselkwaliteit"; "Minister-President" names one by itself)."""
    office = office.strip()
    role = p.office_role.match(office.removeprefix("De ").removeprefix("de "))
    ministry = None
    if of := p.office_of.search(office):
        words = of["of"].strip()
        while ministry is None and words:  # "X, belast met ...": the ministry is a leading part
            ministry = vocab.ministry_by_name.get(lower_same_length(words))
            words = words.rpartition(",")[0].strip()
    if ministry is None and role:
        ministry = p.office_ministries.get(role["role"].lower())
    return Signatory(
        name=name.strip(),
        office=office,
        role=(role["role"] if role else office).lower(),
        ministry=ministry,
        start=span[0],
        end=span[1],
    )


def _signer_lines(lines: list[tuple[int, str]], p: _Patterns, vocab: Vocabulary) -> list[Signatory]:
    out = []
    for at, line in lines:
        for m in p.signer_line.finditer(line):
            span = (at + m.start("name"), at + m.end("office"))
            out.append(_signatory(m["name"], m["office"], span, p, vocab))
    return out


def _signature_blocks(doc: NormalisedText, p: _Patterns, vocab: Vocabulary) -> list[Signatory]:
    text = doc.text
    out = []
    for m in p.signature.finditer(text, doc.header_end, doc.footnotes_start):
        at = m.start()
        if at and not (text.endswith("\n\n", 0, at) or text[at - 2 : at] in (". ", ": ")):
            continue  # a signature starts a paragraph or follows a sentence
        out.append(_signatory(m["name"], m["office"], (m.start("office"), m.end("name")), p, vocab))
    return out
