"""Stage 1: read a letter file (any published format) into its text, refusing what is not a letter.

The format reader (`ingest/formats/`) makes the plain-text rendition, which is the letter's original
text from here on (evidence offsets point into it), and, for structured sources, the `Structure`
the letter carries (`RawLetter.structure`). A Kamerstuk's `metadata.xml`, saved beside it as
`<name>.metadata.xml`, is read with it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePath

from ingest.errors import LetterError
from ingest.formats import SUFFIXES, is_metadata_file, is_rendition, metadata_beside, read_document
from ingest.formats.plain import decode  # noqa: F401  (the one text decoding, kept importable here)
from ingest.models import RawLetter

SUPPORTED_SUFFIXES = set(SUFFIXES)
MAX_LETTER_BYTES = 20 * 1024 * 1024


def load_letter(path: Path | str, max_bytes: int = MAX_LETTER_BYTES) -> RawLetter:
    """A letter file read from disk; LetterError names the file and the reason."""
    path = Path(path)
    check_suffix(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise LetterError(
                path, f"file is {size / 1e6:.1f} MB, larger than the {max_bytes / 1e6:.0f} MB limit"
            )
        data = path.read_bytes()
        sidecar = metadata_beside(path)
        metadata = sidecar.read_bytes() if sidecar else None
    except LetterError:
        raise
    except IsADirectoryError:
        raise LetterError(path, "is a directory, expected a letter file") from None
    except OSError as exc:
        raise LetterError(path, f"cannot be read: {exc.strerror or exc}") from None
    return read_letter_bytes(data, path=str(path), source=path.name, metadata=metadata)


def check_suffix(path: Path | PurePath) -> None:
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        expected = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise LetterError(
            str(path), f"unsupported extension {path.suffix or '(none)'!r}; expected one of {expected}"
        )
    if is_metadata_file(path):
        raise LetterError(
            str(path), "a metadata.xml holds no letter text; ingest the Kamerstuk .xml beside it"
        )


def read_letter_bytes(
    data: bytes, path: str, source: str, fmt: str | None = None, metadata: bytes | None = None
) -> RawLetter:
    """The one reading of a letter's bytes (files and uploads alike): refuses empty data, then the
    format's reader (by the suffix of `source`, or `fmt` when the caller sniffed the bytes)."""
    if fmt is None:
        check_suffix(PurePath(source))
    if not data.strip():
        raise LetterError(path, "empty file")
    doc = read_document(data, path, fmt or SUFFIXES[PurePath(source).suffix.lower()], metadata=metadata)
    return RawLetter(
        path=path,
        source=source,
        text=doc.text,
        encoding=doc.encoding,
        sha256=hashlib.sha256(data + (metadata or b"")).hexdigest(),
        structure=doc.structure,
        format=doc.format,
    )


def expand_paths(paths: Iterable[Path | str]) -> Iterator[Path]:
    """The one expansion of letter paths: files as given; directories to their supported files,
    recursively and sorted. Unsupported files inside directories are skipped, and so are a
    Kamerstuk's `metadata.xml` and the `.txt` rendition beside a source (both are read through the
    source); named files are passed on (and rejected by load_letter); a path that does not exist
    raises FileNotFoundError."""
    for p in map(Path, paths):
        if not p.exists():
            raise FileNotFoundError(f"{p}: no such file or directory")
        if p.is_dir():
            yield from sorted(
                f
                for f in p.rglob("*")
                if f.is_file()
                and f.suffix.lower() in SUPPORTED_SUFFIXES
                and not is_metadata_file(f)
                and not is_rendition(f)
            )
        else:
            yield p
