"""What a structured source states about its letter, beside the text: the typed result of every
format reader (`Document`) and the `structure` a loaded letter carries (`RawLetter.structure`).

Offsets here are into the rendition (`Document.text`), which is the letter's original text: the
text stages give evidence offsets into it, so a quote read from a rendition can be checked in it.
This module imports nothing of the project, so the letter models can refer to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# kst-<dossier>[-<suffix>]-<nr>: the suffix is a budget chapter or letter (36600-VII, 36600-M),
# the number a volgnummer or, for Eerste Kamer papers, letters (33797-C).
KST_ID = re.compile(
    r"^kst-(?P<dossier>\d{4,6})(?:-(?P<suffix>[IVXL]+|[A-Z]{1,5}(?:\d{1,2})?))??-(?P<nr>\d{1,4}|[A-Z]{1,3})$",
    re.I,
)


def parse_kst(identifier: str) -> tuple[str, str] | None:
    """`kst-36600-vii-5` -> ("36600-VII", "5"); `kst-28844-269` -> ("28844", "269"); else None."""
    m = KST_ID.match(identifier.strip())
    if not m:
        return None
    dossier = m["dossier"] + (f"-{m['suffix'].upper()}" if m["suffix"] else "")
    return dossier, m["nr"].upper()


def kst_id(dossier: str, nr: str) -> str:
    """The Kamerstuk identifier of a dossier number (with suffix) and a number: `kst-36600-VII-5`."""
    return f"kst-{dossier_number(dossier)}-{nr.strip().upper()}"


def dossier_number(text: str) -> str:
    """`35 470`, `35470 XIV`, `35470;XIV`, `35470-xiv` -> `35470` / `35470-XIV`."""
    text = re.sub(r"(?<=\d) (?=\d)", "", text.strip())
    m = re.match(r"^(\d{4,6})(?:[\s;,-]+([A-Za-z]{1,5}\d{0,2}))?$", text)
    if not m:
        return text
    return m[1] + (f"-{m[2].upper()}" if m[2] else "")


@dataclass(frozen=True)
class DossierRef:
    number: str  # "28844", "35470-XIV"
    title: str | None = None
    start: int = 0  # the dossier line in the rendition (0, 0 when the text does not show it)
    end: int = 0


@dataclass(frozen=True)
class StructuredSignatory:
    name: str  # "H.G.J. Bruins Slot"
    office: str | None  # "De Minister van Binnenlandse Zaken en Koninkrijksrelaties"; None for members
    start: int  # office and name in the rendition
    end: int


@dataclass(frozen=True)
class Citation:
    """A cited document with its exact identifier (an `extref`, a link to a publication)."""

    target: str  # "kst-28844-266", "stb-2014-205", "h-tk-20222023-84-12"
    start: int  # the citing words in the rendition
    end: int
    context_start: int  # the paragraph or footnote it stands in
    context_end: int
    footnote: str | None = None  # the footnote's label when the citation stands in one


@dataclass(frozen=True)
class Footnote:
    label: str  # "1"
    anchor: int  # offset of the anchor mark in the body
    start: int  # the footnote's text
    end: int


@dataclass(frozen=True)
class Structure:
    """Metadata a structured source states; a field it does not state is None or empty."""

    source: str  # "officiele-publicatie", "kamerwrk", "metadata.xml", "html:officielebekendmakingen", ...
    identifier: str | None = None  # "kst-28844-269"
    dossiers: tuple[DossierRef, ...] = ()
    ondernummer: str | None = None
    title: str | None = None
    kind: str | None = None  # "Brief regering", "Motie", "Memorie van toelichting", ...
    date: str | None = None  # ISO date
    date_source: str | None = None  # "DCTERMS.issued", "datum@isodatum", "page"
    document_number: str | None = None  # Tweede Kamer DocumentNummer "2024D51884"
    signatories: tuple[StructuredSignatory, ...] = ()
    citations: tuple[Citation, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    properties: dict[str, str | list[str]] = field(default_factory=dict)  # further metadata, as read

    @property
    def kamerstuk(self) -> str | None:
        """`28844-269`, `35470-XIV-4`: dossier (with suffix) and number, when both are known."""
        if self.identifier and (parsed := parse_kst(self.identifier)):
            return f"{parsed[0]}-{parsed[1]}"
        if self.dossiers and self.ondernummer:
            return f"{self.dossiers[0].number}-{self.ondernummer}"
        return None


@dataclass(frozen=True)
class Document:
    """What a format reader makes of a file: the plain-text rendition and what its structure says."""

    text: str
    format: str  # "txt", "xml", "pdf", "docx", "html"
    encoding: str = "utf-8"
    structure: Structure | None = None
