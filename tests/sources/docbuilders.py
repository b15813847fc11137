"""Files written for the tests: PDFs (with and without a text layer, with a password), Word
documents and a Word zip bomb. Nothing here comes from the corpus."""

from __future__ import annotations

import io
import zipfile

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject


def _escape(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf(pages: list[list[str]] | None, password: str | None = None) -> bytes:
    """A PDF whose pages show the given lines in Helvetica; `None` pages are blank (no text layer)."""
    w = PdfWriter()
    for lines in pages or [[]]:
        page = w.add_blank_page(595, 842)
        if not lines:
            continue
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): w._add_object(font)})}
        )
        ops = ["BT", "/F1 11 Tf", "14 TL", "72 770 Td"]
        for line in lines:
            ops.append(f"({_escape(line)}) Tj T*")
        ops.append("ET")
        stream = DecodedStreamObject()
        stream.set_data("\n".join(ops).encode("cp1252"))
        page[NameObject("/Contents")] = w._add_object(stream)
    if password:
        w.encrypt(user_password=password, owner_password=password + "-owner", algorithm="RC4-128")
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import docx as python_docx

    d = python_docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for i, row in enumerate(table):
            for j, cell in enumerate(row):
                t.cell(i, j).text = cell
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def docx_bomb(unpacked_mb: int = 8) -> bytes:
    """A real .docx whose word/document.xml is padded to `unpacked_mb` MB of spaces (a few hundred
    kilobytes packed)."""
    base = zipfile.ZipFile(io.BytesIO(docx(["Een brief."])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in base.infolist():
            data = base.read(info.filename)
            if info.filename == "word/document.xml":
                with z.open("word/document.xml", "w", force_zip64=True) as f:
                    f.write(data[: -len("</w:document>")] if data.endswith(b"</w:document>") else data)
                    chunk = b" " * (1024 * 1024)
                    for _ in range(unpacked_mb):
                        f.write(chunk)
                    f.write(b"</w:document>")
            else:
                z.writestr(info, data)
    return out.getvalue()
