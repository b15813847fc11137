"""Format readers: one module per published format behind one small interface.

Each reader module has `SUFFIXES`, `sniff(data) -> bool` and `read(data, path) -> Document`
(`ingest.formats.structure.Document`: the plain-text rendition and, for structured sources, the
`Structure` it states). `read_document` picks the reader by the file name's suffix, or, for an
upload, by the bytes (`sniff_format`), never by a declared content type.

| format | module | structure |
| --- | --- | --- |
| `.xml` Kamerstuk + `metadata.xml` | `xml` | dossier, number, title, date, signatories, citations, notes |
| `.pdf` | `pdf` | none (text layer only) |
| `.docx` | `docx` | none |
| `.html` officielebekendmakingen, tkconv, tweedekamer.nl | `html` | from the page head / header lines |
| `.txt` | `plain` | none |
"""

from __future__ import annotations

from pathlib import Path, PurePath
from types import ModuleType

from ingest.errors import LetterError
from ingest.formats import docx, html, pdf, plain, xml
from ingest.formats.structure import Document, Structure

READERS: dict[str, ModuleType] = {"xml": xml, "pdf": pdf, "docx": docx, "html": html, "txt": plain}
SUFFIXES: dict[str, str] = {s: name for name, mod in READERS.items() for s in mod.SUFFIXES}
METADATA_SUFFIX = ".metadata.xml"  # kst-28844-269.metadata.xml beside kst-28844-269.xml
RENDITION_SUFFIX = ".txt"  # kst-28844-269.xml.txt: the rendition of kst-28844-269.xml


def format_of(name: str | PurePath) -> str | None:
    return SUFFIXES.get(PurePath(name).suffix.lower())


def sniff_format(data: bytes) -> str:
    """The format the bytes are in (PDF, DOCX, XML, HTML, else text), whatever a header claims."""
    for name in ("pdf", "docx", "html", "xml"):
        if READERS[name].sniff(data):
            return name
    if data[:4] == b"PK\x03\x04":
        raise ValueError("a zip archive that is not a Word document")
    return "txt"


def is_metadata_file(path: Path | PurePath) -> bool:
    return path.name.lower().endswith(METADATA_SUFFIX) or path.name.lower() == "metadata.xml"


def metadata_beside(path: Path) -> Path | None:
    """`kst-28844-269.metadata.xml` beside `kst-28844-269.xml`, when there is one."""
    if path.suffix.lower() != ".xml":
        return None
    candidate = path.with_name(path.name[: -len(path.suffix)] + METADATA_SUFFIX)
    return candidate if candidate.is_file() else None


def rendition_path(path: Path) -> Path:
    return path.with_name(path.name + RENDITION_SUFFIX)


def is_rendition(path: Path) -> bool:
    """`X.xml.txt` beside `X.xml`: a rendition, read through its source."""
    if path.suffix.lower() != RENDITION_SUFFIX:
        return False
    source = path.with_name(path.name[: -len(RENDITION_SUFFIX)])
    return format_of(source) not in (None, "txt") and source.is_file()


def read_document(data: bytes, path: str, fmt: str | None = None, metadata: bytes | None = None) -> Document:
    """The Document of a file's bytes; `fmt` from the file name's suffix unless given."""
    fmt = fmt or format_of(path)
    if fmt not in READERS:
        raise LetterError(path, f"unsupported format {fmt!r}")
    if fmt == "xml":
        return xml.read(data, path, metadata=metadata)
    return READERS[fmt].read(data, path)


__all__ = [
    "Document",
    "READERS",
    "SUFFIXES",
    "Structure",
    "format_of",
    "is_metadata_file",
    "is_rendition",
    "metadata_beside",
    "read_document",
    "rendition_path",
    "sniff_format",
]
