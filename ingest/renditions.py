"""Plain-text renditions of ingested letters: where they are kept and how a letter is read with its own.

A letter read from a structured format (XML, PDF, DOCX, HTML) has a rendition, its text as the
extraction saw it (evidence offsets point into it). It is kept in two places: beside the source
(`kst-28844-269.xml.txt`, when that folder can be written), so quotes can be checked next to the
file; and in a texts folder keyed by letter id, from which `GET /letters/{id}/text` serves it.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from graph.files import write_text_atomic
from graph.model import Graph
from ingest.errors import LetterError
from ingest.formats import rendition_path
from ingest.geography import with_reference_areas
from ingest.load import MAX_LETTER_BYTES, load_letter
from ingest.models import RawLetter
from ingest.pipeline import extract_raw

log = logging.getLogger(__name__)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def text_file(texts_dir: Path, letter_id: str) -> Path:
    """`letter:kst-28844-269` -> `<texts_dir>/kst-28844-269.txt` (never outside the folder)."""
    key = letter_id.removeprefix("letter:")
    return texts_dir / (_UNSAFE.sub("_", key).lstrip(".") + ".txt")


def save_text(texts_dir: Path, letter_id: str, text: str) -> Path:
    path = text_file(texts_dir, letter_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, text)
    return path


def save_beside(source: Path, raw: RawLetter) -> Path | None:
    """The rendition beside its source, for a structured format; None when that folder is read-only."""
    if raw.format == "txt":
        return None
    target = rendition_path(source)
    try:
        if not target.exists() or target.read_text(encoding="utf-8") != raw.text:
            write_text_atomic(target, raw.text)
    except OSError as exc:
        log.debug("rendition of %s not kept beside it: %s", source, exc)
        return None
    return target


def extract_letter(path: Path | str, max_bytes: int = MAX_LETTER_BYTES) -> tuple[RawLetter, Graph]:
    """One letter file with its rendition and its graph as a store keeps it (with the reference
    geography of the areas it names); LetterError names the file on bad input."""
    raw = load_letter(path, max_bytes)
    try:
        return raw, with_reference_areas(extract_raw(raw))
    except LetterError:
        raise
    except Exception as exc:  # a bug must not hide which letter triggered it
        raise LetterError(path, f"extraction failed: {type(exc).__name__}: {exc}") from exc
