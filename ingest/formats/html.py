"""HTML pages that publish a letter: the letter's body, not the page chrome.

- zoek.officielebekendmakingen.nl: the body is `#broodtekst`; the page head carries the same
  metadata as `metadata.xml` (`DC.identifier`, `OVERHEIDop.dossiernummer`, `DCTERMS.issued`, ...).
- tkconv / opentk pages: the body is the bordered preview block ("Preview document"); title, kind
  ("Brief regering"), document number, date and Kamerstuk are read from the page's header lines.
- tweedekamer.nl and any other page: `main`, `article` or `[role=main]`, with navigation, header,
  footer, scripts, forms and asides removed.

Links to a publication (`…/kst-28844-266.html`) become citations with their exact identifier.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from ingest.errors import LetterError
from ingest.formats.render import TextBuilder, clean
from ingest.formats.structure import (
    Citation,
    Document,
    DossierRef,
    Structure,
    dossier_number,
    kst_id,
    parse_kst,
)

SUFFIXES = (".html", ".htm")
_CHROME = (
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "noscript",
    "button",
    "svg",
    "iframe",
    "template",
    "select",
    "input",
    "menu",
)
_BLOCKS = frozenset(
    "p h1 h2 h3 h4 h5 h6 li dt dd blockquote pre tr caption figcaption address div section article "
    "hblock".split()
)
_KST_HREF = re.compile(r"(kst-\d{4,6}(?:-[A-Za-z0-9]{1,7})?-[A-Za-z0-9]{1,4})(?:\.html|\.pdf|\.xml|$|[/?#])")
_TK_NUMBER = re.compile(r"\b(20\d\dD\d{4,6})\b")


def sniff(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:1024] or b"<body" in head


def _meta(doc: lxml.html.HtmlElement) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for el in doc.iter("meta"):
        name = el.get("name") or el.get("property")
        content = clean(el.get("content"))
        if name and content:
            out.setdefault(name, []).append(content)
    return out


class _HtmlRenderer:
    def __init__(self, page_url: str | None) -> None:
        self.b = TextBuilder()
        self.citations: list[Citation] = []
        self._cites: list[tuple[str, int, int]] = []
        self._block = 0

    def render(self, el: lxml.html.HtmlElement) -> None:
        self.walk(el)
        self.close()

    def open(self) -> None:
        self.close()
        self._block = self.b.start()

    def close(self) -> None:
        for target, s, e in self._cites:
            self.citations.append(Citation(target, s, e, self._block, self.b.pos))
        self._cites = []
        self.b.end()

    def walk(self, el: lxml.html.HtmlElement) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        block = tag in _BLOCKS
        if tag == "br":
            self.b.newline()
        elif block:
            self.open()
        if tag == "a" and (m := _KST_HREF.search(el.get("href", ""))) and parse_kst(m.group(1)):
            start = self.b.mark()
            self._text(el)
            self._cites.append((kst_id(*parse_kst(m.group(1))), start, self.b.pos))  # type: ignore[misc]
        elif tag in ("td", "th"):
            if not self.b.at_paragraph_start():
                self.b.write(" | ")
            self._text(el)
        else:
            self._text(el)
        if block:
            self.close()
        if el.tail and tag:
            self.b.write(el.tail)

    def _text(self, el: lxml.html.HtmlElement) -> None:
        if isinstance(el.tag, str):
            self.b.write(el.text)
        for child in el:
            if isinstance(child.tag, str):
                self.walk(child)
            else:
                self.b.write(child.tail)


def _find_tkconv_preview(doc: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    for h4 in doc.iter("h4"):
        if clean(h4.text_content()).startswith("Preview document"):
            box = h4.getparent()
            for el in list(box):
                if el is h4 or el.tag == "hr":
                    el.drop_tree()
                else:
                    break
            return box
    return None


def _tkconv(doc: lxml.html.HtmlElement, props: dict) -> dict:
    """What the tkconv page header says: title (h2), kind (em), number and date, Kamerstuk."""
    out: dict = {}
    main = doc.find(".//main") if doc.find(".//main") is not None else doc
    h2 = main.find(".//h2")
    if h2 is not None and clean(h2.text_content()):
        out["title"] = clean(h2.text_content())
    em = main.find(".//em")
    if em is not None and clean(em.text_content()):
        out["kind"] = clean(em.text_content())
    for p in main.iter("p"):
        text = clean(p.text_content())
        if m := re.match(r"Nummer: (20\d\dD\d{4,6}), datum: (\d{4}-\d{2}-\d{2})", text):
            out["document_number"], out["date"] = m[1], m[2]
        if m := re.match(
            r"Onderdeel van kamerstukdossier (\d{4,6}) ?([A-Z]{0,5}[IVXL]*)-(\d{1,4})\b ?(.*)", text
        ):
            out["dossier"] = dossier_number(f"{m[1]} {m[2]}".strip())
            out["ondernummer"] = m[3]
            out["dossier_title"] = m[4].strip(" .") or None
    return out


def _one(meta: dict[str, list[str]], name: str) -> str | None:
    values = meta.get(name)
    return values[0] if values else None


def read(data: bytes, path: str) -> Document:
    try:
        doc = lxml.html.document_fromstring(data)
    except (etree.ParserError, ValueError) as exc:
        raise LetterError(path, f"unreadable HTML ({exc})") from None
    meta = _meta(doc)
    for el in list(doc.iter(*_CHROME)):
        if el.getparent() is not None:
            el.drop_tree()
    source = "html"
    facts: dict = {}
    body = doc.get_element_by_id("broodtekst", None)
    if body is not None:
        source = "html:officielebekendmakingen"
    elif (preview := _find_tkconv_preview(doc)) is not None:
        source = "html:tkconv"
        facts = _tkconv(doc, meta)
        body = preview
    else:
        canonical = " ".join(meta.get("og:url", []) + [link.get("href", "") for link in doc.iter("link")])
        if "tweedekamer.nl" in canonical or "Tweede Kamer der Staten-Generaal" in " ".join(
            meta.get("og:site_name", [])
        ):
            source = "html:tweedekamer"
        for xpath in ("//main", "//article", "//*[@role='main']", "//body"):
            found = doc.xpath(xpath)
            if found:
                body = found[0]
                break
    if body is None:
        body = doc
    r = _HtmlRenderer(None)
    r.render(body)
    text = r.b.text()
    if not text.strip():
        raise LetterError(path, "the HTML page holds no letter text")
    identifier = next((v for v in meta.get("DC.identifier", []) if parse_kst(v)), None)
    dossiers: list[DossierRef] = []
    for i, dossier in enumerate(meta.get("OVERHEIDop.dossiernummer", [])):
        titles = meta.get("OVERHEIDop.dossiertitel", [])
        dossiers.append(DossierRef(dossier_number(dossier), titles[i] if i < len(titles) else None))
    if facts.get("dossier"):
        dossiers = [DossierRef(facts["dossier"], facts.get("dossier_title"))]
    nr = _one(meta, "OVERHEIDop.ondernummer") or facts.get("ondernummer")
    if identifier is None and dossiers and nr:
        identifier = kst_id(dossiers[0].number, nr)
    date = _one(meta, "DCTERMS.issued") or facts.get("date")
    number: str | None = facts.get("document_number")
    if number is None:
        m = _TK_NUMBER.search(
            " ".join(meta.get("og:url", []) + [link.get("href", "") for link in doc.iter("link")])
        )
        number = m.group(1) if m else None
    structure = Structure(
        source=source,
        identifier=kst_id(*parse_kst(identifier)) if identifier and parse_kst(identifier) else None,  # type: ignore[misc]
        dossiers=tuple(dossiers),
        ondernummer=nr,
        title=_one(meta, "OVERHEIDop.documenttitel") or facts.get("title"),
        kind=facts.get("kind") or _one(meta, "DC.type"),
        date=date[:10] if date and re.match(r"\d{4}-\d{2}-\d{2}", date) else None,
        date_source="DCTERMS.issued"
        if meta.get("DCTERMS.issued")
        else ("page" if facts.get("date") else None),
        document_number=number,
        citations=tuple(r.citations),
    )
    empty = structure == Structure(source=source, citations=structure.citations)
    return Document(text=text, format="html", structure=None if empty and not r.citations else structure)
