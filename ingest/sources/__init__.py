"""The official sources: discovery through KOOP's SRU search, downloads of the published files into a
corpus folder with a manifest, kept up to date (`regiograph fetch`, `regiograph sync`).

| module | what |
| --- | --- |
| `http.py` | one polite client: one request at a time, delay, retries, allowed hosts, size cap |
| `sru.py` | SRU searchRetrieve: pages by `nextRecordPosition`, diagnostics, records (`KoopRecord`) |
| `koop.py` | the dossier query, kinds (brief, motie), manifestations to fetch, file names, mirror URLs |
| `manifest.py` | the corpus folder's `manifest.json` |
| `fetcher.py` | discovery, whole-document downloads, withdrawal |
"""

from __future__ import annotations

from pathlib import Path

from ingest.sources.fetcher import Fetcher, FetchResult
from ingest.sources.http import ClientConfig, NotFound, SourceClient, SourceError
from ingest.sources.sru import KoopRecord, SruClient, SruDiagnostic


def open_fetcher(sru_url: str, repository_url: str, corpus: Path, config: ClientConfig) -> Fetcher:
    """A fetcher over one client that may only reach the SRU and the repository hosts."""
    http = SourceClient(config, allowed=[sru_url, repository_url])
    return Fetcher(http, SruClient(http, sru_url), corpus, repository_url)


__all__ = [
    "ClientConfig",
    "FetchResult",
    "Fetcher",
    "KoopRecord",
    "NotFound",
    "SourceClient",
    "SourceError",
    "SruClient",
    "SruDiagnostic",
    "open_fetcher",
]
