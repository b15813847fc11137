"""PDF (pypdf): the text layer, page by page. A PDF without a text layer (a scan) or one that
needs a password is refused with that reason; no OCR is attempted."""

from __future__ import annotations

import io
import logging

from ingest.errors import LetterError
from ingest.formats.structure import Document

SUFFIXES = (".pdf",)
MAX_PAGES = 2000
log = logging.getLogger(__name__)


def sniff(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF-")


def read(data: bytes, path: str) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # an owner password alone (printing, copying restricted) opens with an empty user password
            try:
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError) as exc:
                raise LetterError(path, f"encrypted PDF that cannot be opened here ({exc})") from None
            if not opened:
                raise LetterError(path, "password-protected PDF; save it without a password, or use the XML")
        if len(reader.pages) > MAX_PAGES:
            raise LetterError(
                path, f"PDF has {len(reader.pages)} pages, more than the {MAX_PAGES} page limit"
            )
        pages = [(page.extract_text() or "").strip("\n") for page in reader.pages]
    except LetterError:
        raise
    except FileNotDecryptedError:
        raise LetterError(
            path, "password-protected PDF; save it without a password, or use the XML"
        ) from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise LetterError(path, f"unreadable PDF ({type(exc).__name__}: {exc})") from None
    text = "\n\n".join(p for p in pages if p.strip())
    if not text.strip():
        raise LetterError(
            path, f"PDF without a text layer ({len(pages)} page(s) of images?); use the XML or an OCR'd copy"
        )
    return Document(text=text.rstrip() + "\n", format="pdf")
