"""A local KOOP: a real HTTP server (pytest-httpserver) that answers SRU searches with the
constructed pages in data/ and serves the manifestations: the real Kamerstuk XML of
../shared/data/koop, constructed metadata.xml files, a PDF written for the test. Faults are
switched on per path: 404, a dropped connection, a slow answer, 429 once, a redirect elsewhere."""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import docbuilders as build
import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner
from werkzeug import Request, Response

from regiograph.settings import get_settings

DATA = Path(__file__).parent / "data"
KOOP_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "koop"
PREFIX = "/frbr/officielepublicaties/kst/28844"


def manifestation_files() -> dict[str, bytes]:
    return {
        f"{PREFIX}/kst-28844-269/1/xml/kst-28844-269.xml": (KOOP_DIR / "kst_28844_269.xml").read_bytes(),
        f"{PREFIX}/kst-28844-269/1/metadata/metadata.xml": (
            DATA / "kst-28844-269.metadata_constructed.xml"
        ).read_bytes(),
        f"{PREFIX}/kst-28844-270/1/pdf/kst-28844-270.pdf": build.pdf(
            [
                [
                    "Tweede Kamer der Staten-Generaal",
                    "28 844 Integriteitsbeleid openbaar bestuur en politie",
                    "Nr. 270 BRIEF VAN DE MINISTER VAN BINNENLANDSE ZAKEN EN KONINKRIJKSRELATIES",
                    "Den Haag, 1 september 2023",
                    "Deze brief meldt de voortgang van de proef.",
                ]
            ]
        ),
        f"{PREFIX}/kst-28844-271/1/xml/kst-28844-271.xml": (
            DATA / "kst-28844-271_constructed.xml"
        ).read_bytes(),
        f"{PREFIX}/kst-28844-271/1/metadata/metadata.xml": (
            DATA / "kst-28844-271.metadata_constructed.xml"
        ).read_bytes(),
    }


@dataclass
class LocalKoop:
    server: HTTPServer
    listing: str = "initial"  # initial | changed | diagnostic | bwb-diagnostic | bwb-page
    files: dict[str, bytes] = field(default_factory=manifestation_files)
    faults: dict[str, str] = field(
        default_factory=dict
    )  # path -> 404 | drop | drop-once | slow | 429-once | ...
    queries: list[dict] = field(default_factory=list)
    hits: Counter = field(default_factory=Counter)
    user_agents: set = field(default_factory=set)
    slow_seconds: float = 2.0

    @property
    def sru_url(self) -> str:
        return self.server.url_for("/sru")

    @property
    def repository_url(self) -> str:
        return self.server.url_for("/")

    def manifestation_requests(self) -> int:
        return sum(n for path, n in self.hits.items() if path.startswith("/frbr/"))

    # -- handlers -------------------------------------------------------------------------------
    def sru(self, request: Request) -> Response:
        self.queries.append(dict(request.args))
        self.user_agents.add(request.headers.get("User-Agent"))
        start = int(request.args.get("startRecord", "1"))
        if self.listing == "diagnostic":
            name = DATA / "sru_diagnostic_constructed.xml"
        elif self.listing == "bwb-diagnostic":
            name = KOOP_DIR / "bwb_sru_diagnostic.xml"
        elif self.listing == "bwb-page":
            name = KOOP_DIR / "bwb_sru_grondwet_page.xml"
        elif self.listing == "changed":
            name = DATA / "sru_28844_changed_constructed.xml"
        else:
            name = DATA / (
                "sru_28844_page1_constructed.xml" if start < 3 else "sru_28844_page2_constructed.xml"
            )
        return Response(name.read_bytes(), 200, content_type="application/xml")

    def file(self, request: Request) -> Response:
        path = request.path
        self.hits[path] += 1
        self.user_agents.add(request.headers.get("User-Agent"))
        fault = self.faults.get(path)
        body = self.files.get(path)
        if fault == "404" or body is None:
            return Response(b"not found", 404)
        if fault == "410":
            return Response(b"gone", 410)
        if fault == "429-once" and self.hits[path] == 1:
            return Response(b"slow down", 429, headers={"Retry-After": "0"})
        if fault == "503-once" and self.hits[path] == 1:
            return Response(b"busy", 503)
        if fault == "slow":
            time.sleep(self.slow_seconds)
        if fault == "redirect-offsite":
            return Response(b"", 302, headers={"Location": "http://elsewhere.invalid/x.xml"})
        if fault == "huge":
            return Response(b"x" * 5000, 200, content_type="application/octet-stream")
        if fault in ("drop", "drop-once") and (fault == "drop" or self.hits[path] == 1):

            def cut() -> Iterator[bytes]:
                yield body[: len(body) // 2]
                raise ConnectionResetError("dropped by the test server")

            return Response(cut(), 200, headers={"Content-Length": str(len(body))}, direct_passthrough=True)
        if fault == "trickle":  # a slow stream: the kill test stops the fetch in the middle of it

            def trickle() -> Iterator[bytes]:
                for i in range(0, len(body), 512):
                    time.sleep(0.1)
                    yield body[i : i + 512]

            return Response(
                trickle(), 200, headers={"Content-Length": str(len(body))}, direct_passthrough=True
            )
        return Response(body, 200, content_type="application/octet-stream")


@pytest.fixture
def koop(httpserver: HTTPServer) -> LocalKoop:
    local = LocalKoop(httpserver)
    httpserver.expect_request("/sru").respond_with_handler(local.sru)
    import re

    httpserver.expect_request(re.compile(r"^/frbr/.*")).respond_with_handler(local.file)
    return local


@pytest.fixture
def source_env(koop: LocalKoop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Settings pointing at the local KOOP and at folders of the test's own."""
    env = {
        "REGIOGRAPH_KOOP_SRU_URL": koop.sru_url,
        "REGIOGRAPH_KOOP_REPOSITORY_URL": koop.repository_url,
        "REGIOGRAPH_SOURCES_DIR": str(tmp_path / "sources"),
        "REGIOGRAPH_TEXTS_DIR": str(tmp_path / "texts"),
        "REGIOGRAPH_MEMORY_STORE_PATH": str(tmp_path / "graph.json"),
        "REGIOGRAPH_STORE": "memory",
        "REGIOGRAPH_FETCH_DELAY": "0",
        "REGIOGRAPH_FETCH_RETRIES": "1",
        "REGIOGRAPH_FETCH_TIMEOUT": "1",
    }
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    get_settings.cache_clear()
    yield env
    get_settings.cache_clear()


@pytest.fixture
def cli(source_env):
    from regiograph.cli import app

    runner = CliRunner()

    def run(*args: str):
        get_settings.cache_clear()
        return runner.invoke(app, list(args), catch_exceptions=False, env=dict(os.environ))

    return run
