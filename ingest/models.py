"""Typed objects passed between the extraction stages."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RawLetter:
    """A decoded letter file: `text` is the original against which all offsets are given."""

    path: str
    source: str  # file name
    text: str
    encoding: str
    sha256: str


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
    """A recognised span in the normalised text, typed and keyed for resolution."""

    label: str  # primary label: Programme, Region, Ministry, ...
    start: int
    end: int
    text: str
    key: str  # canonical key (vocabulary id or pattern-derived name)
    rule: str
    extra_labels: tuple[str, ...] = ()
    name: str | None = None  # canonical name when known
    props: dict = field(default_factory=dict)

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass
class LetterMeta:
    date: str | None = None
    document_number: str | None = None
    zaak: str | None = None
    dossiers: list[dict] = field(default_factory=list)  # [{"number", "title", "start", "end"}]
    volgnummer: str | None = None
    kamerstuk: str | None = None
    kind: str | None = None
    title: str | None = None
    signatories: list[dict] = field(default_factory=list)  # [{"name", "office", "ministry", "start", "end"}]
