"""KOOP officiële bekendmakingen: the dossier query, what kind of paper a record is, which of its
manifestations to fetch, and where its files land in the corpus folder."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ingest.formats.structure import dossier_number, parse_kst
from ingest.sources.sru import KoopRecord

OFFICIAL_REPOSITORY = "https://repository.overheid.nl/"
KINDS = ("brief", "motie", "all")
_DOSSIER = re.compile(r"^\d{4,6}(?:-[A-Z]{1,5}\d{0,2}|-[IVXL]+)?$")


def check_dossier(value: str) -> str:
    """`29697`, `36600-VII` (also `36600 VII`): the dossier number as the source writes it."""
    number = dossier_number(value)
    if not _DOSSIER.match(number):
        raise ValueError(f"{value!r} is not a dossier number (e.g. 29697 or 36600-VII)")
    return number


def dossier_query(dossier: str, since: date | None = None) -> str:
    """CQL for the Kamerstukken of a dossier, oldest change first (`dt.modified`)."""
    parts = ["c.product-area==officielepublicaties", f"w.dossiernummer=={dossier}", "dt.type==Kamerstuk"]
    if since is not None:
        parts.append(f"dt.modified>={since.isoformat()}")
    return "(" + " AND ".join(parts) + ") sortBy dt.modified/sort.ascending"


def kind_of(record: KoopRecord) -> str:
    """`brief`, `motie` or `other`, from the record's subrubriek (else its document title)."""
    for value in (record.subrubriek, record.documenttitel, record.title):
        low = (value or "").lower()
        if not low:
            continue
        if low.startswith(("motie", "gewijzigde motie")) or low == "motie":
            return "motie"
        if low.startswith("brief") or "brief regering" in low:
            return "brief"
        if record.subrubriek:
            return "other"
    return "other"


def wanted(record: KoopRecord, kind: str) -> bool:
    return kind == "all" or kind_of(record) == kind


def rebase(url: str, repository_url: str) -> str:
    """A manifestation URL under the official repository, moved onto the configured one (a mirror)."""
    if repository_url.rstrip("/") + "/" != OFFICIAL_REPOSITORY and url.startswith(OFFICIAL_REPOSITORY):
        return repository_url.rstrip("/") + "/" + url[len(OFFICIAL_REPOSITORY) :]
    return url


def files_to_fetch(record: KoopRecord) -> dict[str, str]:
    """The XML manifestation (the PDF when there is none) and `metadata.xml`: role -> URL."""
    out: dict[str, str] = {}
    m = record.manifestations
    if m.get("xml"):
        out["xml"] = m["xml"]
    elif m.get("pdf"):
        out["pdf"] = m["pdf"]
    if m.get("metadata"):
        out["metadata"] = m["metadata"]
    return out


def folder_name(record: KoopRecord) -> str:
    parsed = parse_kst(record.identifier)
    if parsed:
        return parsed[0]
    return record.dossiers[0] if record.dossiers else "other"


def file_name(identifier: str, role: str) -> str:
    """`kst-28844-269.xml`, `kst-28844-269.pdf`, `kst-28844-269.metadata.xml`."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", identifier)
    return f"{safe}.metadata.xml" if role == "metadata" else f"{safe}.{role}"


def target(corpus: Path, record: KoopRecord, role: str) -> Path:
    return corpus / folder_name(record) / file_name(record.identifier, role)


def letter_id(identifier: str) -> str:
    """The graph's letter id of a publication (decisions.md D7): `letter:kst-28844-269`."""
    parsed = parse_kst(identifier)
    return f"letter:kst-{parsed[0]}-{parsed[1]}" if parsed else f"letter:{identifier}"
