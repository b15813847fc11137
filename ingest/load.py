"""Stage 1: read a letter file into text, detecting legacy encodings and refusing what is not a letter."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePath

from charset_normalizer import from_bytes

from ingest.errors import LetterError
from ingest.models import RawLetter

SUPPORTED_SUFFIXES = {".txt"}
MAX_LETTER_BYTES = 20 * 1024 * 1024
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """UTF-8 first (the common case, and strict); otherwise the best legacy guess."""
    if b"\x00" in data[:8192]:
        raise LetterError(path, "binary file (contains NUL bytes), expected a plain-text letter")
    try:
        return data.decode("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=["cp1252", "latin_1", "iso8859_15"]).best()
    if best is None:
        raise LetterError(path, "cannot detect the text encoding; save the letter as UTF-8")
    return str(best), best.encoding


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
    except LetterError:
        raise
    except IsADirectoryError:
        raise LetterError(path, "is a directory, expected a letter file") from None
    except OSError as exc:
        raise LetterError(path, f"cannot be read: {exc.strerror or exc}") from None
    return read_letter_bytes(data, path=str(path), source=path.name)


def check_suffix(path: Path | PurePath) -> None:
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise LetterError(path, f"unsupported extension {path.suffix or '(none)'!r}; expected .txt")


def read_letter_bytes(data: bytes, path: str, source: str) -> RawLetter:
    """The one reading of a letter's bytes (files and uploads alike): refuses empty and binary data,
    decodes UTF-8 or a legacy encoding."""
    check_suffix(PurePath(source))
    if not data.strip():
        raise LetterError(path, "empty file")
    text, encoding = decode(data, Path(path))
    if len(_CONTROL.findall(text[:8192])) > 8:
        raise LetterError(path, "binary file (control characters), expected a plain-text letter")
    return RawLetter(
        path=path, source=source, text=text, encoding=encoding, sha256=hashlib.sha256(data).hexdigest()
    )


def expand_paths(paths: Iterable[Path | str]) -> Iterator[Path]:
    """The one expansion of letter paths: files as given; directories to their supported files,
    recursively and sorted. Unsupported files inside directories are skipped, named files are passed
    on (and rejected by load_letter); a path that does not exist raises FileNotFoundError."""
    for p in map(Path, paths):
        if not p.exists():
            raise FileNotFoundError(f"{p}: no such file or directory")
        if p.is_dir():
            yield from sorted(
                f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES
            )
        else:
            yield p
