"""The corpus folder's manifest: per document its identifier, source URLs, files with checksum and
size, when they were retrieved, the record's metadata and whether the source still publishes it;
per dossier when it was last fetched. Written atomically after every document, so an interrupted
fetch continues where it stopped."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from graph.files import write_text_atomic

MANIFEST = "manifest.json"
VERSION = 1


@dataclass
class FileEntry:
    role: str  # xml, pdf, metadata
    url: str
    path: str  # relative to the corpus folder
    sha256: str
    size: int
    retrieved_at: str


@dataclass
class DocumentEntry:
    identifier: str
    dossier: str
    modified: str | None
    files: list[FileEntry]
    metadata: dict
    retrieved_at: str
    status: str = "present"  # present | withdrawn
    letter: str | None = None  # the graph's letter id
    ingested: bool = False  # these files are in the graph (set by sync)
    withdrawn_reason: str | None = None


@dataclass
class DossierEntry:
    kind: str = "all"
    last_fetched: str | None = None  # ISO timestamp of the last complete discovery


@dataclass
class Manifest:
    path: Path
    documents: dict[str, DocumentEntry] = field(default_factory=dict)
    dossiers: dict[str, DossierEntry] = field(default_factory=dict)

    @classmethod
    def load(cls, corpus: Path) -> Manifest:
        path = corpus / MANIFEST
        if not path.exists():
            return cls(path)
        data = json.loads(path.read_text(encoding="utf-8"))
        docs = {
            k: DocumentEntry(**{**v, "files": [FileEntry(**f) for f in v["files"]]})
            for k, v in data.get("documents", {}).items()
        }
        dossiers = {k: DossierEntry(**v) for k, v in data.get("dossiers", {}).items()}
        return cls(path, docs, dossiers)

    def save(self) -> None:
        data = {
            "version": VERSION,
            "dossiers": {k: asdict(v) for k, v in sorted(self.dossiers.items())},
            "documents": {k: asdict(v) for k, v in sorted(self.documents.items())},
        }
        write_text_atomic(self.path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")

    def complete(self, identifier: str, modified: str | None) -> bool:
        """The document is present with this modification date and every file has its checksum."""
        entry = self.documents.get(identifier)
        if entry is None or entry.status != "present" or entry.modified != modified or not entry.files:
            return False
        root = self.path.parent
        return all(_sha256(root / f.path) == f.sha256 for f in entry.files)


def _sha256(path: Path) -> str | None:
    if not path.is_file():
        return None
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
