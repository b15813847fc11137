"""Fetch a dossier's papers into the corpus folder, and keep them up to date.

`discover` lists a dossier's Kamerstukken through SRU; `fetch` downloads a record's XML manifestation
(its PDF when there is none) and its `metadata.xml`. A document lands whole or not at all: its files
are downloaded beside their targets as `.incoming` files (each through a `.part` file) and renamed
only when every one is complete; the manifest is written after every document. A document whose
files are in the manifest with the record's modification date and intact checksums is not fetched
again. `withdraw` removes a document the source no longer publishes.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from ingest.formats import rendition_path
from ingest.formats.structure import parse_kst
from ingest.sources import koop
from ingest.sources.http import NotFound, SourceClient, SourceError, remove_partials
from ingest.sources.manifest import DocumentEntry, DossierEntry, FileEntry, Manifest
from ingest.sources.sru import KoopRecord, SruClient

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FetchResult:
    identifier: str
    action: str  # fetched, changed, unchanged, planned, failed, withdrawn
    reason: str = ""
    path: Path | None = None  # the letter's main file (xml or pdf)
    letter: str | None = None
    status: int | None = None  # HTTP status of a failed request

    def line(self) -> str:
        tail = f": {self.reason}" if self.reason else ""
        return f"{self.action:<9} {self.identifier}{tail}"


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class Fetcher:
    def __init__(self, http: SourceClient, sru: SruClient, corpus: Path, repository_url: str):
        self.http = http
        self.sru = sru
        self.corpus = corpus
        self.repository_url = repository_url
        corpus.mkdir(parents=True, exist_ok=True)
        removed = remove_partials(corpus)
        if removed:
            log.info("removed %d partial download(s) an interrupted run left in %s", removed, corpus)
        self.manifest = Manifest.load(corpus)

    # -- discovery ------------------------------------------------------------------------------
    def discover(self, dossier: str, since: date | None = None, kind: str = "all") -> list[KoopRecord]:
        """The dossier's Kamerstukken of this kind (the latest record of each identifier)."""
        found: dict[str, KoopRecord] = {}
        for record in self.sru.records(koop.dossier_query(dossier, since)):
            if parse_kst(record.identifier) is None:
                log.debug("skipped %s: not a Kamerstuk identifier", record.identifier)
                continue
            if koop.wanted(record, kind):
                found[record.identifier] = record
        return list(found.values())

    def remember(self, dossier: str, kind: str) -> None:
        entry = self.manifest.dossiers.setdefault(dossier, DossierEntry(kind=kind))
        entry.kind = kind
        entry.last_fetched = now()
        self.manifest.save()

    # -- fetching -------------------------------------------------------------------------------
    def fetch_all(
        self, records: Iterable[KoopRecord], dossier: str, dry_run: bool = False
    ) -> Iterator[FetchResult]:
        for record in records:
            yield self.fetch(record, dossier, dry_run)

    def fetch(self, record: KoopRecord, dossier: str, dry_run: bool = False) -> FetchResult:
        ident = record.identifier
        known = self.manifest.documents.get(ident)
        if self.manifest.complete(ident, record.modified):
            return FetchResult(ident, "unchanged", path=self._main_path(known), letter=koop.letter_id(ident))
        files = koop.files_to_fetch(record)
        if not any(role in files for role in ("xml", "pdf")):
            return FetchResult(ident, "failed", "the record lists no XML or PDF manifestation")
        action = "changed" if known is not None and known.status == "present" else "fetched"
        if dry_run:
            names = ", ".join(koop.file_name(ident, r) for r in files)
            return FetchResult(ident, "planned", f"{action}: {names}")
        staged: list[tuple[Path, Path, FileEntry]] = []
        try:
            for role, url in files.items():
                url = koop.rebase(url, self.repository_url)
                final = koop.target(self.corpus, record, role)
                incoming = final.with_name(f".{final.name}.incoming")
                digest, size = self.http.download(url, incoming)
                rel = final.relative_to(self.corpus).as_posix()
                staged.append((incoming, final, FileEntry(role, url, rel, digest, size, now())))
        except SourceError as exc:
            for incoming, _, _ in staged:
                incoming.unlink(missing_ok=True)
            what = "not found" if isinstance(exc, NotFound) else "failed"
            log.debug("%s %s: %s", what, ident, exc)
            return FetchResult(ident, "failed", str(exc), status=exc.status)
        for incoming, final, _ in staged:
            os.replace(incoming, final)
        roles = {entry.role for _, _, entry in staged}
        if known is not None:  # a manifestation the record no longer lists (a PDF now XML) goes
            for old in known.files:
                if old.role not in roles:
                    (self.corpus / old.path).unlink(missing_ok=True)
        entry = DocumentEntry(
            identifier=ident,
            dossier=dossier,
            modified=record.modified,
            files=[e for _, _, e in staged],
            metadata=record.metadata(),
            retrieved_at=now(),
            letter=koop.letter_id(ident),
        )
        self.manifest.documents[ident] = entry
        self.manifest.save()
        return FetchResult(ident, action, path=self._main_path(entry), letter=entry.letter)

    def to_ingest(self, dossier: str) -> list[tuple[str, Path]]:
        """Documents of the dossier whose files are not in the graph yet: (identifier, main file)."""
        out = []
        for ident, entry in sorted(self.manifest.documents.items()):
            path = self._main_path(entry)
            if entry.dossier == dossier and entry.status == "present" and not entry.ingested and path:
                out.append((ident, path))
        return out

    def mark_ingested(self, identifier: str, letter: str) -> None:
        entry = self.manifest.documents[identifier]
        entry.ingested = True
        entry.letter = letter
        self.manifest.save()

    def _main_path(self, entry: DocumentEntry | None) -> Path | None:
        if entry is None:
            return None
        for f in entry.files:
            if f.role in ("xml", "pdf"):
                return self.corpus / f.path
        return None

    # -- withdrawal -----------------------------------------------------------------------------
    def gone(self, dossier: str, listed: Iterable[str]) -> list[str]:
        """Documents of the dossier the manifest holds as present that the source no longer lists."""
        listed = set(listed)
        return sorted(
            ident
            for ident, e in self.manifest.documents.items()
            if e.dossier == dossier and e.status == "present" and ident not in listed
        )

    def withdraw(self, identifier: str, reason: str) -> FetchResult:
        """Remove a document's files (and their renditions) from the corpus folder; the manifest
        keeps it as withdrawn, with the reason."""
        entry = self.manifest.documents.get(identifier)
        if entry is None:
            return FetchResult(identifier, "withdrawn", reason)
        for f in entry.files:
            path = self.corpus / f.path
            path.unlink(missing_ok=True)
            rendition_path(path).unlink(missing_ok=True)
        entry.status = "withdrawn"
        entry.withdrawn_reason = reason
        entry.retrieved_at = now()
        self.manifest.save()
        return FetchResult(identifier, "withdrawn", reason, letter=entry.letter or koop.letter_id(identifier))
