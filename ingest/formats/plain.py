"""Plain text (.txt): UTF-8 first (the common case, and strict), else the best legacy guess
(Windows-1252, Latin-1); empty and binary data are refused. The text is its own rendition."""

from __future__ import annotations

import re
from pathlib import Path

from charset_normalizer import from_bytes

from ingest.errors import LetterError
from ingest.formats.structure import Document

SUFFIXES = (".txt",)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def sniff(data: bytes) -> bool:
    return b"\x00" not in data[:8192]


def decode(data: bytes, path: Path | str) -> tuple[str, str]:
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


def read(data: bytes, path: str) -> Document:
    text, encoding = decode(data, path)
    if len(_CONTROL.findall(text[:8192])) > 8:
        raise LetterError(path, "binary file (control characters), expected a plain-text letter")
    return Document(text=text, format="txt", encoding=encoding)
