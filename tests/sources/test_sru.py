"""The SRU client and the HTTP client against a real local server: recorded SRU responses of the
BWB service (../shared/data/koop) and constructed officiële-publicaties pages (data/*_constructed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.sources.http import ClientConfig, NotFound, SourceClient, SourceError
from ingest.sources.koop import dossier_query, kind_of, rebase
from ingest.sources.sru import SruClient, SruDiagnostic, parse_page

KOOP_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "koop"
DATA = Path(__file__).parent / "data"
CONFIG = ClientConfig(user_agent="RegioGraph-test/1", timeout=1.0, delay=0.0, retries=1, max_bytes=1000)


def client(koop, **kw) -> SourceClient:
    return SourceClient(ClientConfig(**{**CONFIG.__dict__, **kw}), allowed=[koop.sru_url])


def test_recorded_bwb_page_parses():
    page = parse_page((KOOP_DIR / "bwb_sru_grondwet_page.xml").read_bytes(), "bwb")
    assert page.number_of_records == 11 and page.next_position == 4 and len(page.records) == 3
    assert [r.identifier for r in page.records][:1] == ["BWBR0001840"]
    assert page.records[0].title == "Grondwet" and page.records[0].modified == "2016-01-12"


def test_recorded_diagnostic_is_an_error():
    with pytest.raises(SruDiagnostic, match="info:srw/diagnostic/1/67"):
        parse_page((KOOP_DIR / "bwb_sru_diagnostic.xml").read_bytes(), "bwb")


def test_constructed_pages_are_read_page_by_page(koop):
    with client(koop, max_bytes=1_000_000) as http:
        records = list(SruClient(http, koop.sru_url, page_size=2).records(dossier_query("28844")))
    assert [r.identifier for r in records] == ["kst-28844-269", "kst-28844-270", "kst-28844-271"]
    assert [q["startRecord"] for q in koop.queries] == ["1", "3"]
    assert koop.queries[0]["query"].startswith(
        "(c.product-area==officielepublicaties AND w.dossiernummer==28844"
    )
    assert koop.queries[0]["httpAccept"] == "application/xml"
    first = records[0]
    assert (
        first.dossiers == ("28844",) and first.ondernummer == "269" and first.subrubriek == "Brief regering"
    )
    assert set(first.manifestations) == {"xml", "pdf", "metadata"}
    assert [kind_of(r) for r in records] == ["brief", "brief", "motie"]
    assert koop.user_agents == {"RegioGraph-test/1"}


def test_a_diagnostic_answer_is_an_error(koop):
    koop.listing = "diagnostic"
    with client(koop, max_bytes=1_000_000) as http, pytest.raises(SruDiagnostic, match="Query syntax error"):
        list(SruClient(http, koop.sru_url).records("(bad"))


def test_since_and_sort_in_the_query():
    from datetime import date

    q = dossier_query("36600-VII", date(2024, 1, 1))
    assert "w.dossiernummer==36600-VII" in q and "dt.modified>=2024-01-01" in q
    assert q.endswith("sortBy dt.modified/sort.ascending")


def test_manifestation_urls_move_onto_a_mirror():
    url = "https://repository.overheid.nl/frbr/officielepublicaties/kst/28844/kst-28844-269/1/xml/kst-28844-269.xml"
    assert (
        rebase(url, "http://127.0.0.1:9/")
        == "http://127.0.0.1:9/frbr/officielepublicaties/kst/28844/kst-28844-269/1/xml/kst-28844-269.xml"
    )
    assert rebase(url, "https://repository.overheid.nl/") == url


def test_only_configured_hosts_and_no_file_urls(koop, tmp_path: Path):
    with client(koop) as http:
        with pytest.raises(SourceError, match="not a configured source host"):
            http.get("http://elsewhere.invalid/sru")
        with pytest.raises(SourceError, match="not an http"):
            http.get("file:///etc/passwd")
        path = "/frbr/officielepublicaties/kst/28844/kst-28844-269/1/xml/kst-28844-269.xml"
        koop.faults[path] = "redirect-offsite"
        with pytest.raises(SourceError, match="elsewhere.invalid is not a configured source host"):
            http.download(koop.server.url_for(path), tmp_path / "x.xml")
    assert not (tmp_path / "x.xml").exists()


def test_retries_after_429_and_503(koop, tmp_path: Path):
    path = "/frbr/officielepublicaties/kst/28844/kst-28844-271/1/xml/kst-28844-271.xml"
    koop.faults[path] = "429-once"
    with client(koop, max_bytes=1_000_000) as http:
        digest, size = http.download(koop.server.url_for(path), tmp_path / "a.xml")
    assert koop.hits[path] == 2 and size == len(koop.files[path])
    koop.faults[path] = "503-once"
    koop.hits.clear()
    with client(koop, max_bytes=1_000_000) as http:
        http.download(koop.server.url_for(path), tmp_path / "b.xml")
    assert koop.hits[path] == 2


def test_size_cap_and_404(koop, tmp_path: Path):
    path = "/frbr/officielepublicaties/kst/28844/kst-28844-271/1/xml/kst-28844-271.xml"
    koop.faults[path] = "huge"
    with client(koop, max_bytes=1000) as http:
        with pytest.raises(SourceError, match="byte cap"):
            http.download(koop.server.url_for(path), tmp_path / "big.xml")
        koop.faults[path] = "404"
        with pytest.raises(NotFound, match="HTTP 404"):
            http.download(koop.server.url_for(path), tmp_path / "gone.xml")
    assert list(tmp_path.iterdir()) == []  # no partial file is left, none under the final name


def test_a_dropped_connection_is_retried_then_reported(koop, tmp_path: Path):
    path = "/frbr/officielepublicaties/kst/28844/kst-28844-269/1/xml/kst-28844-269.xml"
    koop.faults[path] = "drop-once"
    with client(koop, max_bytes=1_000_000) as http:
        digest, size = http.download(koop.server.url_for(path), tmp_path / "a.xml")
    assert (tmp_path / "a.xml").read_bytes() == koop.files[path]
    koop.faults[path] = "drop"
    with client(koop, max_bytes=1_000_000) as http, pytest.raises(SourceError, match="connection failed"):
        http.download(koop.server.url_for(path), tmp_path / "b.xml")
    assert not (tmp_path / "b.xml").exists() and not list(tmp_path.glob(".*.part"))


def test_a_response_slower_than_the_timeout(koop, tmp_path: Path):
    path = "/frbr/officielepublicaties/kst/28844/kst-28844-271/1/xml/kst-28844-271.xml"
    koop.faults[path] = "slow"
    koop.slow_seconds = 1.0
    with client(koop, timeout=0.3, retries=0) as http, pytest.raises(SourceError, match="timeout"):
        http.download(koop.server.url_for(path), tmp_path / "slow.xml")
    assert not (tmp_path / "slow.xml").exists()
