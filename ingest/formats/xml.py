"""Kamerstuk XML (`officiele-publicatie`, and the older `kamerwrk` dialect) and `metadata.xml`.

The structure gives dossier, ondernummer, title, the signatories (`ondertekening`, `ondtek`), the
cited documents (`extref doc=...`) and the footnotes with their anchors (`noot`, `voetref` ->
`voetnoot`); the date comes from the metadata (`DCTERMS.issued`) when present, else from a dated
element (`datum isodatum=...`). The rendition lays the paper out as it is printed: header lines,
the dossier line ("28 844 Integriteitsbeleid ..."), "Nr. 269", the title, the paragraphs, the
signature, then the footnotes, one a line ("1 Kamerstuk 28 844, nr. 266."), each anchored in the
body by a superscript number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from ingest.errors import LetterError
from ingest.formats.render import SUPERSCRIPT, TextBuilder, clean
from ingest.formats.structure import (
    Citation,
    Document,
    DossierRef,
    Footnote,
    Structure,
    StructuredSignatory,
    dossier_number,
    kst_id,
    parse_kst,
)

SUFFIXES = (".xml",)
ROOTS = ("officiele-publicatie", "kamerwrk")
METADATA_ROOTS = ("metadata_gegevens",)

# elements rendered as a paragraph of their own, their content inline
_PARAGRAPHS = frozenset(
    "al tussenkop tuskop titel subtitel tekstregel label considerans.al li functie naam deze wie "
    "datumtekst slotformulering.al p kop.titel".split()
)
_SKIPPED = frozenset("metadata versie ordernr vergjaar colspec witreg noot voetnoot".split())
_KST_URL = re.compile(
    r"(?:^|/)(kst-\d{4,6}(?:-[A-Za-z0-9]{1,7})?-[A-Za-z0-9]{1,4})(?:\.html|\.xml|\.pdf|/|$)"
)


def _parser() -> etree.XMLParser:
    # no DTDs, no entities, no network: a letter is data, never instructions to fetch something
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )


def parse(data: bytes, path: str) -> etree._Element:
    try:
        return etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise LetterError(path, f"malformed XML ({exc.msg}, line {exc.lineno})") from None
    except ValueError as exc:
        raise LetterError(path, f"malformed XML ({exc})") from None


def local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def sniff(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<"):
        return False
    low = head.lower()
    return (low.startswith(b"<?xml") or any(f"<{r}".encode() in low for r in ROOTS + METADATA_ROOTS)) and (
        b"<html" not in low and b"<!doctype html" not in low
    )


def read_meta(root: etree._Element) -> dict[str, list[str]]:
    """`<meta name=... content=...>` (in a paper's `metadata`) and `<metadata name=... content=...>`
    (a `metadata.xml`): name -> contents in document order."""
    out: dict[str, list[str]] = {}
    for el in root.iter():
        if local(el.tag) in ("meta", "metadata") and el.get("name") and el.get("content") is not None:
            value = clean(el.get("content"))
            if value:
                out.setdefault(el.get("name"), []).append(value)
    return out


def read_metadata_file(data: bytes, path: str) -> dict[str, list[str]]:
    root = parse(data, path)
    if local(root.tag) not in METADATA_ROOTS + ("metadata",):
        raise LetterError(path, f"not a metadata.xml (root <{local(root.tag)}>)")
    return read_meta(root)


@dataclass
class _Pending:
    label: str
    anchor: int
    element: etree._Element


@dataclass
class _Renderer:
    b: TextBuilder = field(default_factory=TextBuilder)
    dossiers: list[DossierRef] = field(default_factory=list)
    signatories: list[StructuredSignatory] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    pending: list[_Pending] = field(default_factory=list)
    endnotes: dict[str, etree._Element] = field(default_factory=dict)  # kamerwrk voetnoot by id
    ondernummer: str | None = None
    stuk_title: str | None = None
    iso_date: str | None = None
    _block: int = 0
    _block_cites: list[tuple[str, int, int, str | None]] = field(default_factory=list)
    _footnote: str | None = None

    # -- paragraphs ---------------------------------------------------------------------------
    def paragraph(self, el: etree._Element) -> tuple[int, int]:
        start = self.open()
        self.inline(el)
        return start, self.close()

    def open(self) -> int:
        self._block = self.b.start()
        return self._block

    def close(self) -> int:
        end = self.b.pos
        for target, s, e, note in self._block_cites:
            self.citations.append(Citation(target, s, e, self._block, end, note))
        self._block_cites = []
        self.b.end()
        return end

    def line(self, text: str) -> tuple[int, int]:
        start = self.open()
        self.b.write(text)
        return start, self.close()

    # -- inline -------------------------------------------------------------------------------
    def inline(self, el: etree._Element) -> None:
        self.b.write(el.text)
        for child in el:
            tag = local(child.tag)
            if tag in ("noot",):
                self.anchor(child.findtext("noot.nr") or child.get("nr") or str(len(self.pending) + 1), child)
            elif tag == "voetref":
                note = self.endnotes.get(child.get("refid", ""))
                if note is not None:
                    self.anchor(child.get("nr") or note.get("nr") or str(len(self.pending) + 1), note)
            elif tag == "extref":
                start = self.b.mark()
                self.inline(child)
                target = _target(child.get("doc", ""))
                if target:
                    self._block_cites.append((target, start, self.b.pos, self._footnote))
            elif tag in ("noot.nr",):
                pass
            elif tag:
                self.inline(child)
            self.b.write(child.tail)

    def anchor(self, label: str, note: etree._Element) -> None:
        label = clean(label)
        at = self.b.glue(label.translate(SUPERSCRIPT))
        self.pending.append(_Pending(label, at, note))

    # -- blocks -------------------------------------------------------------------------------
    def blocks(self, el: etree._Element) -> None:
        for child in el:
            self.block(child)

    def block(self, el: etree._Element) -> None:
        tag = local(el.tag)
        if not tag or tag in _SKIPPED:
            return
        handler = getattr(self, "_" + tag.replace("-", "_").replace(".", "_"), None)
        if handler is not None:
            handler(el)
        elif tag in _PARAGRAPHS or clean(el.text):
            self.paragraph(el)
        else:
            self.blocks(el)

    def _row(self, el: etree._Element) -> None:
        if not clean("".join(el.itertext())):
            return
        self.open()
        for i, entry in enumerate(e for e in el if local(e.tag) == "entry"):
            if i:
                self.b.write(" | ")
            self.inline(entry)
        self.close()

    def _kamerstukkop(self, el: etree._Element) -> None:
        lines = {t.get("inhoud"): clean("".join(t.itertext())) for t in el if local(t.tag) == "tekstregel"}
        for key in ("kameraanduiding", "vergaderjaar"):
            if lines.get(key):
                self.line(lines[key])

    def _dossier(self, el: etree._Element) -> None:
        nr = clean(el.findtext("dossiernummer/dossiernr") or el.findtext(".//dossiernr"))
        chapter = clean(el.findtext("dossiernummer/begrotingshoofdstuk") or "")
        title = clean("".join(el.find("titel").itertext())) if el.find("titel") is not None else None
        if not nr:
            return
        shown = " ".join(x for x in (nr, chapter, title) if x)
        start, end = self.line(shown)
        self.dossiers.append(DossierRef(dossier_number(f"{nr} {chapter}".strip()), title, start, end))

    def _stuknr(self, el: etree._Element) -> None:
        self.ondernummer = clean(el.findtext("ondernummer") or "") or self.ondernummer
        self.paragraph(el)

    def _stuk(self, el: etree._Element) -> None:
        titel = el.find("titel")
        if titel is not None:
            self.stuk_title = clean("".join(titel.itertext()))
        if self.ondernummer is None and el.find("nummer") is not None:  # kamerwrk: ltrlabel + nummer
            self.ondernummer = clean(el.findtext("nummer"))
            self.line(f"Nr. {self.ondernummer}")
        for child in el:
            if local(child.tag) in ("ltrlabel", "nummer") and self.ondernummer:
                continue
            self.block(child)

    def _datumtekst(self, el: etree._Element) -> None:
        datum = el.find(".//datum")
        if datum is not None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", datum.get("isodatum", "")):
            self.iso_date = self.iso_date or datum.get("isodatum")
        self.paragraph(el)

    def _onderw(self, el: etree._Element) -> None:  # kamerwrk: the dossier
        nr = clean(el.findtext("nummer"))
        name = clean("".join(el.find("naam").itertext())) if el.find("naam") is not None else None
        if nr:
            start, end = self.line(" ".join(x for x in (nr, name) if x))
            self.dossiers.append(DossierRef(dossier_number(nr), name, start, end))

    def _kop(self, el: etree._Element) -> None:  # kamerwrk heading: "Tweede Kamer ...", "Vergaderjaar ..."
        for child in el:
            text = clean("".join(child.itertext()))
            if text and not re.fullmatch(r"[\d/ ]+", text):
                self.line(text)

    def _ondertekening(self, el: etree._Element) -> None:
        office: tuple[str, int] | None = None
        for child in el:
            tag = local(child.tag)
            if tag == "functie":
                text = clean("".join(child.itertext()))
                start, _ = self.paragraph(child)
                office = (text.rstrip(", ").strip(), start)
            elif tag in ("naam", "deze", "wie"):
                parts = [clean(child.findtext("voornaam")), clean(child.findtext("achternaam"))]
                name = " ".join(p for p in parts if p) or clean("".join(child.itertext()))
                start = self.open()
                self.b.write(name)
                end = self.close()
                if name:
                    self.signatories.append(
                        StructuredSignatory(
                            name, office[0] if office else None, office[1] if office else start, end
                        )
                    )
                office = None
            else:
                self.block(child)

    _ondtek = _ondertekening

    # -- footnotes ----------------------------------------------------------------------------
    def notes(self) -> None:
        first = True
        while self.pending:
            note = self.pending.pop(0)
            if first:
                self.open()
                first = False
            start = self.b.newline()
            self._block = start
            self.b.write(note.label)
            self._footnote = note.label
            for part in note.element:
                if local(part.tag) in ("noot.al", "al"):
                    self.b.space()
                    self.inline(part)
            self._footnote = None
            end = self.b.pos
            for target, s, e, label in self._block_cites:
                self.citations.append(Citation(target, s, e, start, end, label))
            self._block_cites = []
            self.footnotes.append(Footnote(note.label, note.anchor, start, end))
        self.b.end()


def _target(doc: str) -> str | None:
    """The exact identifier an `extref doc` names: `kst-28844-266`; a link to a publication gives
    its identifier; other URLs give none."""
    doc = doc.strip()
    if not doc:
        return None
    if doc.startswith(("http://", "https://")):
        m = _KST_URL.search(doc.split("?")[0])
        return m.group(1) if m and "officielebekendmakingen.nl" in doc else None
    if re.fullmatch(r"[a-z]{1,5}(?:-[A-Za-z0-9]+)+", doc):
        return doc
    return None


def _kind(title: str | None, meta: dict[str, list[str]]) -> str | None:
    if title:
        up = title.upper()
        if up.startswith("BRIEF VAN") or up.startswith("BRIEF REGERING"):
            return "Brief regering"
        if "MOTIE" in up.split(" ")[:3] or up.startswith("GEWIJZIGDE MOTIE"):
            return "Motie"
    for value in meta.get("DC.type", []):
        if value not in ("Kamerstuk", "officiële publicatie", "Overig"):
            return value
    if title and title.isupper():
        return title[:1] + title[1:].lower()
    return title


def _identifier(meta: dict[str, list[str]], dossiers: list[DossierRef], nr: str | None) -> str | None:
    for value in meta.get("DC.identifier", []):
        if parse_kst(value):
            return value
    for value in meta.get("OVERHEIDop.externMetadataRecord", []):
        m = _KST_URL.search(value)
        if m and parse_kst(m.group(1)):
            return m.group(1)
    if dossiers and nr:
        return kst_id(dossiers[0].number, nr)
    return None


def _canonical(identifier: str | None) -> str | None:
    parsed = parse_kst(identifier) if identifier else None
    return kst_id(*parsed) if parsed else identifier


def _one(meta: dict[str, list[str]], name: str) -> str | None:
    values = meta.get(name)
    return values[0] if values else None


def read(data: bytes, path: str, metadata: bytes | None = None, metadata_path: str | None = None) -> Document:
    """A Kamerstuk XML file (and its `metadata.xml`, when given) as a Document."""
    root = parse(data, path)
    tag = local(root.tag)
    if tag in METADATA_ROOTS:
        raise LetterError(path, "a metadata.xml holds no letter text; ingest the Kamerstuk .xml beside it")
    if tag not in ROOTS:
        raise LetterError(
            path, f"not a Kamerstuk XML (root <{tag}>, expected <officiele-publicatie> or <kamerwrk>)"
        )
    meta = read_meta(root.find("metadata")) if root.find("metadata") is not None else {}
    if metadata:
        meta.update(read_metadata_file(metadata, metadata_path or path))
    r = _Renderer()
    for note in root.iter("voetnoot"):
        if note.get("id"):
            r.endnotes[note.get("id")] = note
    r.blocks(root)
    r.notes()
    text = r.b.text()
    if not text.strip():
        raise LetterError(path, "the XML holds no text")
    dossiers = list(r.dossiers)
    if not dossiers and meta.get("OVERHEIDop.dossiernummer"):
        titles = meta.get("OVERHEIDop.dossiertitel", [])
        for i, number in enumerate(meta["OVERHEIDop.dossiernummer"]):
            dossiers.append(DossierRef(dossier_number(number), titles[i] if i < len(titles) else None))
    nr = r.ondernummer or _one(meta, "OVERHEIDop.ondernummer")
    date, date_source = None, None
    if meta.get("DCTERMS.issued"):
        date, date_source = meta["DCTERMS.issued"][0][:10], "DCTERMS.issued"
    elif r.iso_date:
        date, date_source = r.iso_date, "datum@isodatum"
    title = _one(meta, "OVERHEIDop.documenttitel") or r.stuk_title
    keep = (
        "OVERHEIDop.vergaderjaar",
        "OVERHEIDop.indiener",
        "OVERHEIDop.dossiertitel",
        "DC.title",
        "DCTERMS.available",
        "OVERHEIDop.documenttitel",
    )
    props: dict[str, str | list[str]] = {k: (v if len(v) > 1 else v[0]) for k, v in meta.items() if k in keep}
    structure = Structure(
        source=tag,
        identifier=_canonical(_identifier(meta, dossiers, nr)),
        dossiers=tuple(dossiers),
        ondernummer=nr,
        title=title,
        kind=_kind(r.stuk_title, meta),
        date=date if date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else None,
        date_source=date_source,
        signatories=tuple(r.signatories),
        citations=tuple(r.citations),
        footnotes=tuple(r.footnotes),
        properties=props,
    )
    return Document(text=text, format="xml", structure=structure)
