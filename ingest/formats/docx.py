"""Word (.docx, python-docx): paragraphs and table rows in document order. The zip is checked
before it is opened: too many members, too large unpacked, or compressed beyond any real
document (a zip bomb) is refused."""

from __future__ import annotations

import io
import zipfile

from ingest.errors import LetterError
from ingest.formats.render import clean
from ingest.formats.structure import Document

SUFFIXES = (".docx",)
MAX_MEMBERS = 2000
MAX_UNPACKED = 100 * 1024 * 1024  # bytes, all members together
MAX_RATIO = 200  # unpacked / packed per member; text compresses 5-20 times, a bomb thousands of times


def sniff(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04" and b"word/" in data[:65536]


def check_zip(data: bytes, path: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise LetterError(path, f"not a valid .docx (zip: {exc})") from None
    if len(infos) > MAX_MEMBERS:
        raise LetterError(path, f"refused: the .docx has {len(infos)} parts (limit {MAX_MEMBERS})")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED:
        raise LetterError(
            path,
            f"refused: the .docx unpacks to {total / 1e6:.0f} MB"
            f" (limit {MAX_UNPACKED / 1e6:.0f} MB; a zip bomb?)",
        )
    for i in infos:
        if i.file_size > 1_000_000 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise LetterError(
                path,
                f"refused: {i.filename} is compressed"
                f" {i.file_size // max(i.compress_size, 1)} times (a zip bomb?)",
            )
    if "word/document.xml" not in {i.filename for i in infos}:
        raise LetterError(path, "not a Word document (no word/document.xml)")


def read(data: bytes, path: str) -> Document:
    check_zip(data, path)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
        paragraphs: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                paragraphs.append(block.text.strip())
            elif isinstance(block, Table):
                for row in block.rows:
                    cells = [clean(c.text) for c in row.cells]
                    if any(cells):
                        paragraphs.append(" | ".join(dict.fromkeys(cells)))
    except LetterError:
        raise
    except Exception as exc:  # python-docx raises many kinds on broken parts
        raise LetterError(path, f"unreadable .docx ({type(exc).__name__}: {exc})") from None
    text = "\n\n".join(p for p in paragraphs if p)
    if not text.strip():
        raise LetterError(path, "the .docx holds no text")
    return Document(text=text + "\n", format="docx")
