"""Typed objects passed between the extraction stages.

load -> `RawLetter`; normalise -> `NormalisedText` (ingest/normalise.py) with `Segment`s;
sentences -> `Sentence`s; metadata -> `LetterMeta` (`Dossier`s, `Signatory`s); recognise ->
`Mention`s; resolve -> `Resolution` (ingest/resolve.py); relate -> relationships with evidence;
assemble -> Graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ingest.formats.structure import Structure
from ingest.text import name_parts, person_key


@dataclass(frozen=True)
class RawLetter:
    """A decoded letter file: `text` is the original against which all offsets are given (for a
    structured format, its plain-text rendition). `structure` is what a structured source states
    (ingest/formats/structure.py); it overrides and augments what the metadata stage reads."""

    path: str
    source: str  # file name
    text: str
    encoding: str
    sha256: str
    structure: Structure | None = None
    format: str = "txt"  # the reader that made `text`: txt, xml, pdf, docx, html


@dataclass
class Segment:
    """A block of normalised text: body, footnote or header (page furniture)."""

    kind: str
    start: int  # offsets into the normalised text
    end: int


@dataclass
class Sentence:
    start: int  # normalised offsets
    end: int
    text: str
    kind: str  # segment kind the sentence lies in
    paragraph: int
    lower: str = ""  # `text` lower-cased, same length: trigger phrases are matched on it


@dataclass
class Mention:
    """A recognised span in the normalised text, typed and keyed for resolution.

    The fields after `name` are typed facts a recogniser read from the mention's own words; the
    relation stage reads them, never a loose dictionary. `properties` is copied onto the node as
    is (codes and identifiers from the vocabulary) and no rule reads it."""

    label: str  # primary label: Programme, Region, Ministry, ...
    start: int
    end: int
    text: str
    key: str  # canonical key (vocabulary id or pattern-derived name)
    rule: str
    extra_labels: tuple[str, ...] = ()
    name: str | None = None  # canonical name when known
    kind: str | None = None  # vocabulary kind: "land"/"deelstaat" for states, "deal" for programmes, ...
    aliases: list[str] = field(default_factory=list)  # further names (an abbreviation it defines)
    properties: dict[str, Any] = field(default_factory=dict)  # node properties, passed through
    province: str | None = None  # Region: the province it lies in, from the gazetteer
    # Programme facts its name states: the generic programme it is one of ("Regio Deal Zeeland" is
    # one of the Regio Deals), the region it covers, the neighbouring states it works with.
    family: str | None = None
    region: Mention | None = None  # Programme: the region its name gives; area: the region it lies in
    more_regions: tuple[Mention, ...] = ()  # Programme: further regions its name gives ("A en B")
    states: tuple[str, ...] = ()
    covered_by: str | None = None  # Region "<P>-gebied X": the programme P, as written
    submitters: tuple[str, ...] = ()  # Motion: the members who submitted it, as written
    published_as: str | None = None  # Motion: key of its own Kamerstuk when cited with it
    dossier: str | None = None  # Document: the dossier the cited Kamerstuk belongs to
    new: bool = False  # Commitment: made in this letter (else an earlier one reported on)
    tentative: bool = False  # a node only where the letter relates it (see ingest/assemble.py)

    def take_identity(self, owner: Mention) -> None:
        """Become a mention of the entity `owner` names (a short or dated form of its name)."""
        self.key, self.name, self.kind = owner.key, owner.name, owner.kind
        self.family, self.region, self.states = owner.family, owner.region, owner.states

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass(frozen=True)
class Dossier:
    """A Kamerstuk dossier the letter belongs to, from its header line."""

    number: str  # "29697", "36800-IV"
    title: str
    start: int  # normalised span of the header line
    end: int


@dataclass
class Signatory:
    """A minister or state secretary who signs (or, per a metadata block, sends) the letter."""

    name: str
    office: str  # "De Minister van Binnenlandse Zaken en Koninkrijksrelaties"
    role: str  # "minister", "staatssecretaris", "minister-president"
    ministry: str | None  # ministry id, when the office names one
    start: int
    end: int

    @property
    def surname(self) -> str:
        """`J.J.M. Uitermark` -> `Uitermark`; `H.G.J. Bruins Slot` -> `Bruins Slot`."""
        return name_parts(self.name)[1]

    @property
    def person(self) -> str:
        """The person's node id: initials and surname (decisions.md D7)."""
        return person_key(self.name)


@dataclass(frozen=True)
class Sender:
    """A ministry on whose behalf the letter is sent: a signatory's or the header's
    ("BRIEF VAN DE MINISTER VAN ..."). `start`/`end` locate the words that say so."""

    ministry: str
    office: str
    start: int
    end: int


@dataclass
class LetterMeta:
    date: str | None = None
    document_number: str | None = None
    zaak: str | None = None
    dossiers: list[Dossier] = field(default_factory=list)
    volgnummer: str | None = None
    kamerstuk: str | None = None
    kind: str | None = None
    title: str | None = None
    signatories: list[Signatory] = field(default_factory=list)
    senders: list[Sender] = field(default_factory=list)  # filled by ingest/senders.py


class Basis(StrEnum):
    """How a relationship was read (decisions.md D4)."""

    STATED = "stated"  # the sentence names both ends
    COREFERENCE = "coreference"  # one end is an anaphor ("het programma") resolved in the paragraph
    CONTEXT = "context"  # one end is taken from the surrounding text
    STRUCTURE = "structure"  # read from the letter's structure: header, metadata, signature, table
