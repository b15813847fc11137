"""`regiograph fetch` and `regiograph sync` end to end against the local KOOP (conftest.py): the
real Kamerstuk XML kst-28844-269 with constructed SRU pages and metadata, a PDF-only letter and a
constructed motion."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from graph.memory_store import MemoryStore

XML_269 = "/frbr/officielepublicaties/kst/28844/kst-28844-269/1/xml/kst-28844-269.xml"
PDF_270 = "/frbr/officielepublicaties/kst/28844/kst-28844-270/1/pdf/kst-28844-270.pdf"


def manifest(env) -> dict:
    return json.loads((Path(env["REGIOGRAPH_SOURCES_DIR"]) / "manifest.json").read_text())


def store(env) -> MemoryStore:
    return MemoryStore(Path(env["REGIOGRAPH_MEMORY_STORE_PATH"]))


def test_fetch_then_ingest_gives_the_letters_with_their_metadata(cli, koop, source_env):
    result = cli("fetch", "--dossier", "28844")
    assert result.exit_code == 0, result.output
    assert "3 fetched, 0 changed, 0 unchanged, 0 planned, 0 failed" in result.output
    corpus = Path(source_env["REGIOGRAPH_SOURCES_DIR"])
    files = sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*") if p.is_file())
    assert files == [
        "28844/kst-28844-269.metadata.xml",
        "28844/kst-28844-269.xml",
        "28844/kst-28844-270.pdf",
        "28844/kst-28844-271.metadata.xml",
        "28844/kst-28844-271.xml",
        "manifest.json",
    ]
    m = manifest(source_env)
    doc = m["documents"]["kst-28844-269"]
    assert doc["modified"] == "2023-07-10" and doc["metadata"]["subrubriek"] == "Brief regering"
    xml = next(f for f in doc["files"] if f["role"] == "xml")
    assert xml["sha256"] == hashlib.sha256(koop.files[XML_269]).hexdigest()
    assert xml["url"] == koop.server.url_for(XML_269) and xml["retrieved_at"]
    assert m["dossiers"]["28844"]["kind"] == "all"
    assert koop.hits[PDF_270] == 1 and not any("/pdf/kst-28844-269" in p for p in koop.hits)  # XML preferred

    result = cli("ingest", str(corpus))
    assert result.exit_code == 0, result.output
    s = store(source_env)
    letter = s.get_node("letter:kst-28844-269")
    p = letter.properties
    assert (p["dossiers"], p["volgnummer"], p["date"]) == (["28844"], "269", "2023-07-10")
    assert p["title"] == "Brief van de minister over de opzet van de evaluaties"
    assert p["signatories"] == ["H.G.J. Bruins Slot"]
    graph = s.snapshot()
    refers = {
        r.end for r in graph.relationships if r.type == "REFERS_TO" and r.start == "letter:kst-28844-269"
    }
    assert {"document:28844-266", "document:28844-261", "document:36101-15"} <= refers
    assert s.get_node("letter:kst-28844-270").properties["volgnummer"] == "270"
    assert (corpus / "28844" / "kst-28844-269.xml.txt").is_file()  # the rendition beside its source


def test_a_second_fetch_requests_no_manifestation_and_a_newer_record_is_fetched_again(cli, koop):
    assert cli("fetch", "--dossier", "28844").exit_code == 0
    before = koop.manifestation_requests()
    result = cli("fetch", "--dossier", "28844")
    assert result.exit_code == 0 and "0 fetched, 0 changed, 3 unchanged" in result.output
    assert koop.manifestation_requests() == before
    koop.listing = "changed"  # kst-28844-269 has a newer dt.modified
    result = cli("fetch", "--dossier", "28844")
    assert "changed   kst-28844-269" in result.output, result.output
    assert koop.hits[XML_269] == 2


def test_kind_since_and_dry_run(cli, koop, source_env):
    result = cli("fetch", "--dossier", "28844", "--kind", "motie", "--since", "2023-09-01", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "planned   kst-28844-271" in result.output and "kst-28844-269" not in result.output
    assert "dt.modified>=2023-09-01" in koop.queries[0]["query"]
    assert koop.manifestation_requests() == 0
    assert not (Path(source_env["REGIOGRAPH_SOURCES_DIR"]) / "28844").exists()
    assert cli("fetch", "--dossier", "not-a-dossier").exit_code == 2


def test_a_404_for_a_listed_manifestation_and_a_dropped_connection(cli, koop, source_env):
    koop.faults[PDF_270] = "404"
    koop.faults[XML_269] = "drop"
    result = cli("fetch", "--dossier", "28844")
    assert result.exit_code == 1
    assert "failed    kst-28844-270: " in result.output and "HTTP 404" in result.output
    assert "failed    kst-28844-269: " in result.output and "connection failed" in result.output
    corpus = Path(source_env["REGIOGRAPH_SOURCES_DIR"]) / "28844"
    assert sorted(p.name for p in corpus.iterdir()) == ["kst-28844-271.metadata.xml", "kst-28844-271.xml"]
    assert set(manifest(source_env)["documents"]) == {"kst-28844-271"}


def test_a_response_slower_than_the_timeout_is_reported(cli, koop, source_env):
    koop.faults[PDF_270] = "slow"
    koop.slow_seconds = 1.5
    result = cli("fetch", "--dossier", "28844")
    assert result.exit_code == 1 and "kst-28844-270: " in result.output and "timeout" in result.output
    assert not (Path(source_env["REGIOGRAPH_SOURCES_DIR"]) / "28844" / "kst-28844-270.pdf").exists()


def test_an_sru_diagnostic_is_reported(cli, koop):
    koop.listing = "diagnostic"
    result = cli("fetch", "--dossier", "28844")
    assert (
        result.exit_code == 1 and "dossier 28844" in result.output and "Query syntax error" in result.output
    )
    koop.listing = "bwb-diagnostic"  # the recorded one
    result = cli("fetch", "--dossier", "28844")
    assert result.exit_code == 1 and "info:srw/diagnostic/1/67" in result.output


def test_a_fetch_killed_mid_file_completes_on_the_next_run(cli, koop, source_env):
    koop.faults[XML_269] = "trickle"
    corpus = Path(source_env["REGIOGRAPH_SOURCES_DIR"])
    proc = subprocess.Popen(
        [sys.executable, "-m", "regiograph.cli", "fetch", "--dossier", "28844"],
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not list(corpus.rglob("*kst-28844-269.xml.incoming*.part")):
            assert proc.poll() is None and time.monotonic() < deadline, "the fetch never started the file"
            time.sleep(0.02)
        time.sleep(0.3)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(10)
    assert not (corpus / "28844" / "kst-28844-269.xml").exists()  # never under its final name
    koop.faults.clear()
    result = cli("fetch", "--dossier", "28844")
    assert result.exit_code == 0, result.output
    assert not list(corpus.rglob("*.part")) and not list(corpus.rglob("*.incoming"))
    for path, body in koop.files.items():
        name = path.rsplit("/", 1)[1]
        ident = path.split("/")[5]
        local = corpus / "28844" / (f"{ident}.metadata.xml" if name == "metadata.xml" else name)
        assert hashlib.sha256(local.read_bytes()).hexdigest() == hashlib.sha256(body).hexdigest()
    checksums = {
        f["path"]: f["sha256"] for d in manifest(source_env)["documents"].values() for f in d["files"]
    }
    assert checksums["28844/kst-28844-269.xml"] == hashlib.sha256(koop.files[XML_269]).hexdigest()


def test_sync_picks_up_a_changed_and_a_withdrawn_record(cli, koop, source_env):
    assert cli("fetch", "--dossier", "28844").exit_code == 0
    assert cli("sync").exit_code == 0  # ingests what the fetch brought
    s = store(source_env)
    assert {"letter:kst-28844-269", "letter:kst-28844-270", "letter:kst-28844-271"} <= set(
        s.snapshot().letter_ids()
    )
    koop.listing = "changed"  # 269 changed, 270 no longer listed
    result = cli("sync")
    assert result.exit_code == 0, result.output
    assert "changed   kst-28844-269" in result.output
    assert "withdrawn kst-28844-270: no longer listed by the source" in result.output
    s = store(source_env)
    assert "letter:kst-28844-270" not in s.snapshot().letter_ids()
    assert "letter:kst-28844-269" in s.snapshot().letter_ids()
    corpus = Path(source_env["REGIOGRAPH_SOURCES_DIR"]) / "28844"
    assert not (corpus / "kst-28844-270.pdf").exists()
    assert manifest(source_env)["documents"]["kst-28844-270"]["status"] == "withdrawn"


def test_sync_withdraws_a_letter_whose_file_answers_410(cli, koop, source_env):
    assert cli("fetch", "--dossier", "28844").exit_code == 0
    assert cli("sync").exit_code == 0
    koop.listing = "changed"
    koop.faults[XML_269] = "410"  # listed, changed, but its file is gone
    result = cli("sync")
    assert "withdrawn kst-28844-269: " in result.output and "HTTP 410" in result.output, result.output
    assert "letter:kst-28844-269" not in store(source_env).snapshot().letter_ids()


def test_sync_without_a_fetch_says_what_to_do(cli):
    result = cli("sync")
    assert result.exit_code == 2 and "regiograph fetch --dossier" in result.output
