"""Stage 3: letter metadata read from the text. A field the text does not state stays empty."""

from __future__ import annotations

import re

from ingest.models import Dossier, LetterMeta, Signatory
from ingest.normalise import NormalisedText
from ingest.text import lower_same_length
from ingest.vocabulary import Vocabulary, vocabulary

MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ],
        start=1,
    )
}
_PLACE_DATE = re.compile(
    r"\b(?:Den Haag|'s-Gravenhage),? (?P<d>\d{1,2}) (?P<m>" + "|".join(MONTHS) + r") (?P<y>\d{4})", re.I
)
_ISO_DATE = re.compile(r"\b[Dd]atum:? (?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")
_DOC_NUMBER = re.compile(r"\b20\d\dD\d{4,6}\b")
_ZAAK = re.compile(r"\b20\d\dZ\d{4,6}\b")
_DOSSIER = re.compile(
    r"(?:^|\n)(?P<nr>\d{2} \d{3}(?:[- ](?:[A-Z]{1,5}|[IVXL]+))?) (?P<title>[A-Z][^\n]{3,200})"
)
_VOLGNUMMER = re.compile(r"(?:^|\n)Nr\. (?P<nr>\d{1,4})\b")
_KIND = re.compile(r"(?:^|\n)(?P<kind>Brief regering|BRIEF VAN DE[A-Z ]+|Motie|MOTIE|Verslag)", re.M)
_TITLE_BEFORE_KIND = re.compile(r"(?:^|\n\n)(?P<title>[^\n]{5,200})\n\n(?:Brief regering|Kamerbrief)\n")
# starts with a character class so the scan is fast; what precedes it is checked in read_metadata
_SIGNATURE = re.compile(
    r"(?P<office>[Dd]e (?P<role>[Mm]inister(?:-[Pp]resident)?|[Ss]taatssecretaris)"
    r"(?: (?:van|voor) (?P<of>[^,\n]{3,120}?))?),(?:\n\n| )+"
    r"(?P<name>(?:[A-Z]\.(?: ?[A-Z]\.)*) ?(?:(?:van|de|der|den|ter|ten) )*[A-Z][\w'-]+(?: [A-Z][\w'-]+)?)"
    r"(?=\s*(?:\n|$))"
)


def _iso(y: str, m: int | str, d: str) -> str:
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"


def surname(name: str) -> str:
    """`J.J.M. Uitermark` -> `Uitermark`; `H.G.J. Bruins Slot` -> `Bruins Slot`."""
    return re.sub(r"^(?:[A-Z]\.\s?)+", "", name).strip()


def read_metadata(doc: NormalisedText, vocab: Vocabulary | None = None) -> LetterMeta:
    vocab = vocab or vocabulary()
    text = doc.text
    head = text[: min(len(text), 4000)]
    meta = LetterMeta()
    if m := _PLACE_DATE.search(head):
        meta.date = _iso(m["y"], MONTHS[m["m"].lower()], m["d"])
    elif m := _ISO_DATE.search(head):
        meta.date = _iso(m["y"], m["m"], m["d"])
    if m := _DOC_NUMBER.search(head):
        meta.document_number = m.group(0)
    if m := _ZAAK.search(head):
        meta.zaak = m.group(0)
    for m in _DOSSIER.finditer(head[:1500]):
        meta.dossiers.append(
            Dossier(
                number=m["nr"].replace(" ", "", 1).replace(" ", "-"),
                title=m["title"].strip(),
                start=m.start("nr"),
                end=m.start("title") + len(m["title"].rstrip()),
            )
        )
    if m := _VOLGNUMMER.search(head[:1500]):
        meta.volgnummer = m["nr"]
        if meta.dossiers:
            meta.kamerstuk = f"{meta.dossiers[0].number}-{meta.volgnummer}"
    if m := _KIND.search(head):
        kind = m["kind"]
        meta.kind = "Brief regering" if kind.upper().startswith("BRIEF") else kind
    elif re.search(r"Aan de Voorzitter van de Tweede Kamer", head):
        meta.kind = "Brief regering"
    if m := _TITLE_BEFORE_KIND.search(head):
        meta.title = m["title"].strip()
    body_end = doc.footnotes_start
    for m in _SIGNATURE.finditer(text, 0, body_end):
        at = m.start()
        if at and not (text.endswith("\n\n", 0, at) or text[at - 2 : at] in (". ", ": ")):
            continue  # a signature starts a paragraph or follows a sentence
        ministry = None
        if m["of"]:
            ministry = vocab.ministry_by_name.get(lower_same_length(m["of"].strip()))
        elif m["role"].lower().startswith("minister-president"):
            ministry = "ministry:az"
        meta.signatories.append(
            Signatory(
                name=m["name"],
                office=m["office"].strip(),
                role=m["role"].lower(),
                ministry=ministry,
                start=m.start("office"),
                end=m.end("name"),
            )
        )
    return meta
