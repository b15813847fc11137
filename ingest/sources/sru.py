"""SRU searchRetrieve (2.0 as at repository.overheid.nl/sru, and 1.2 as at the BWB service):
paging by `nextRecordPosition`, diagnostics as errors, records as typed `KoopRecord`s.

Elements are matched by local name, so the SRU 1.2 (`http://www.loc.gov/zing/srw/`) and 2.0
(`http://docs.oasis-open.org/ns/search-ws/sruResponse`) namespaces read alike, and so do the
record vocabularies (`dcterms`, `overheidwetgeving`, `gzd`)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from ingest.sources.http import SourceClient, SourceError

log = logging.getLogger(__name__)
PAGE_SIZE = 100
MAX_PAGES = 1000


class SruDiagnostic(SourceError):
    """The service answered with a diagnostic (a query it cannot parse, an unknown index, ...)."""

    def __init__(self, url: str, uri: str, message: str):
        self.uri = uri
        self.message = message
        super().__init__(url, f"SRU diagnostic {uri}: {message}")


@dataclass(frozen=True)
class KoopRecord:
    """One publication as the search lists it."""

    identifier: str  # "kst-28844-269", "BWBR0001840"
    title: str | None = None
    type: str | None = None  # "Kamerstuk"
    modified: str | None = None  # dcterms:modified, ISO date
    available: str | None = None
    issued: str | None = None
    dossiers: tuple[str, ...] = ()  # overheidwetgeving:dossiernummer ("28844", "36600-VII")
    ondernummer: str | None = None
    vergaderjaar: str | None = None
    documenttitel: str | None = None
    subrubriek: str | None = None  # Brief, Brief regering, Motie, ...
    indieners: tuple[str, ...] = ()
    manifestations: dict[str, str] = field(default_factory=dict)  # xml/pdf/html/odt/metadata -> URL
    preferred_url: str | None = None

    def metadata(self) -> dict:
        """What the manifest keeps of the record."""
        out = {
            "title": self.title,
            "type": self.type,
            "modified": self.modified,
            "available": self.available,
            "issued": self.issued,
            "dossiers": list(self.dossiers),
            "ondernummer": self.ondernummer,
            "vergaderjaar": self.vergaderjaar,
            "documenttitel": self.documenttitel,
            "subrubriek": self.subrubriek,
            "indieners": list(self.indieners),
            "preferred_url": self.preferred_url,
            "manifestations": dict(self.manifestations),
        }
        return {k: v for k, v in out.items() if v not in (None, [], {})}


@dataclass(frozen=True)
class SruPage:
    records: list[KoopRecord]
    number_of_records: int | None
    next_position: int | None


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _first(el: etree._Element, name: str) -> etree._Element | None:
    for child in el.iter():
        if _local(child) == name:
            return child
    return None


def _texts(el: etree._Element, name: str) -> list[str]:
    return [(c.text or "").strip() for c in el.iter() if _local(c) == name and (c.text or "").strip()]


def _text(el: etree._Element, name: str) -> str | None:
    found = _texts(el, name)
    return found[0] if found else None


def parse_record(data: etree._Element) -> KoopRecord | None:
    identifier = _text(data, "identifier")
    if not identifier:
        return None
    manifestations: dict[str, str] = {}
    for el in data.iter():
        if _local(el) == "itemUrl" and el.get("manifestation") and (el.text or "").strip():
            manifestations.setdefault(el.get("manifestation"), el.text.strip())
    return KoopRecord(
        identifier=identifier,
        title=_text(data, "title"),
        type=_text(data, "type"),
        modified=_text(data, "modified"),
        available=_text(data, "available"),
        issued=_text(data, "issued"),
        dossiers=tuple(dict.fromkeys(_texts(data, "dossiernummer"))),
        ondernummer=_text(data, "ondernummer"),
        vergaderjaar=_text(data, "vergaderjaar"),
        documenttitel=_text(data, "documenttitel"),
        subrubriek=_text(data, "subrubriek"),
        indieners=tuple(_texts(data, "indiener")),
        manifestations=manifestations,
        preferred_url=_text(data, "preferredUrl"),
    )


def parse_page(body: bytes, url: str) -> SruPage:
    """One searchRetrieveResponse; SruDiagnostic when it carries a diagnostic."""
    try:
        root = etree.fromstring(
            body, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        )
    except etree.XMLSyntaxError as exc:
        raise SourceError(url, f"the SRU answer is not XML ({exc.msg})") from None
    diagnostic = _first(root, "diagnostic")
    if diagnostic is not None:
        raise SruDiagnostic(
            url, _text(diagnostic, "uri") or "?", _text(diagnostic, "message") or "(no message)"
        )
    if _local(root) != "searchRetrieveResponse":
        raise SourceError(url, f"not an SRU searchRetrieveResponse (root <{_local(root)}>)")
    count = next((c.text for c in root if _local(c) == "numberOfRecords"), None)
    nxt = next((c.text for c in root if _local(c) == "nextRecordPosition"), None)
    records: list[KoopRecord] = []
    for rec in root.iter():
        if _local(rec) == "recordData":
            parsed = parse_record(rec)
            if parsed is not None:
                records.append(parsed)
    return SruPage(
        records=records,
        number_of_records=int(count) if count and count.strip().isdigit() else None,
        next_position=int(nxt) if nxt and nxt.strip().isdigit() else None,
    )


class SruClient:
    def __init__(self, http: SourceClient, base_url: str, page_size: int = PAGE_SIZE):
        self.http = http
        self.base_url = base_url
        self.page_size = page_size

    def search(self, query: str, start: int = 1) -> SruPage:
        params = {
            "operation": "searchRetrieve",
            "version": "2.0",
            "query": query,
            "startRecord": str(start),
            "maximumRecords": str(self.page_size),
            "httpAccept": "application/xml",
        }
        body = self.http.get(self.base_url, params=params)
        return parse_page(body, self.base_url)

    def records(self, query: str) -> Iterator[KoopRecord]:
        """Every record of the query, page by page (`nextRecordPosition`)."""
        start: int | None = 1
        for _ in range(MAX_PAGES):
            if start is None:
                return
            page = self.search(query, start)
            yield from page.records
            if page.next_position is not None and page.next_position <= start:
                raise SourceError(self.base_url, f"nextRecordPosition {page.next_position} does not advance")
            start = page.next_position if page.records else None
        raise SourceError(self.base_url, f"more than {MAX_PAGES} pages; narrow the query")
