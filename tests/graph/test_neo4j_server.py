"""The local server manager, run as a second, isolated server (own runtime folder, free port, shared jars)."""

from __future__ import annotations

import os
import socket
import urllib.request
from pathlib import Path

import pytest
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError
from typer.testing import CliRunner

from regiograph import settings as settings_module
from regiograph.cli import app
from regiograph.neo4j_server import Neo4jServer, Neo4jServerError
from regiograph.settings import Settings, load_settings

pytestmark = pytest.mark.neo4j

SHARED_LIB = load_settings().jar_dir  # the conftest points this at the user's jar cache


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _isolated_settings(tmp_path: Path, port: int, **extra) -> Settings:
    extra.setdefault("neo4j_password", None)  # exercise the generated password unless a test sets one
    extra.setdefault("neo4j_http_port", _free_port())  # Neo4j Browser's port, apart from the session's
    return load_settings(runtime_dir=tmp_path / "var", neo4j_bolt_port=port, neo4j_heap="256m", **extra)


def _pid_alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, port: int, *args: str, http_port: int = 0):
    """Run `regiograph neo4j ...` against the isolated runtime folder through environment variables."""
    monkeypatch.setenv("REGIOGRAPH_RUNTIME_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("REGIOGRAPH_NEO4J_BOLT_PORT", str(port))
    if http_port:
        monkeypatch.setenv("REGIOGRAPH_NEO4J_HTTP_PORT", str(http_port))
    monkeypatch.delenv("REGIOGRAPH_NEO4J_PASSWORD", raising=False)  # the generated one in that folder
    settings_module.get_settings.cache_clear()
    try:
        return CliRunner().invoke(app, ["neo4j", *args])
    finally:
        settings_module.get_settings.cache_clear()


def test_start_query_stop_on_isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    port = _free_port()
    settings = _isolated_settings(tmp_path, port)
    server = Neo4jServer(settings, lib_dir=SHARED_LIB)
    try:
        first = server.start()
        assert not first.already_running
        assert _pid_alive(first.pid)
        assert server.pid_file.read_text().strip() == str(first.pid)
        assert f"--home-dir={server.home}" in Path(f"/proc/{first.pid}/cmdline").read_text()

        password = server.password()
        assert password
        if not settings.neo4j_password:  # generated, never a fixed default
            assert len(password) >= 16
            assert oct(server.password_file.stat().st_mode & 0o777) == "0o600"
        with GraphDatabase.driver(server.uri, auth=("neo4j", password)) as driver:
            records, _, _ = driver.execute_query("UNWIND range(1, 5) AS n RETURN sum(n) AS total")
            assert records[0]["total"] == 15
            # APOC core is installed, its listed functions and procedures load, the others do not.
            records, _, _ = driver.execute_query("RETURN apoc.version() AS v")
            assert records[0]["v"].startswith("5.26")
            records, _, _ = driver.execute_query("CALL apoc.meta.stats() YIELD labelCount RETURN labelCount")
            assert records[0]["labelCount"] >= 0
            records, _, _ = driver.execute_query(
                "SHOW PROCEDURES YIELD name WHERE name STARTS WITH 'apoc.load' RETURN count(*) AS n"
            )
            assert records[0]["n"] == 0
        # Neo4j Browser over HTTP, on 127.0.0.1 only; its page loads.
        conf = (server.conf_dir / "neo4j.conf").read_text()
        assert f"server.http.listen_address=127.0.0.1:{server.http_port}" in conf
        with urllib.request.urlopen(server.browser_url, timeout=10) as page:
            assert page.status == 200 and "neo4j" in page.read().decode("utf-8", "replace").lower()
        shown = _cli(monkeypatch, tmp_path, port, "browser", http_port=server.http_port)
        assert shown.exit_code == 0 and server.browser_url in shown.output
        assert str(server.password_file) in shown.output
        with GraphDatabase.driver(server.uri, auth=("neo4j", "wrong-password")) as driver:
            with pytest.raises(AuthError):
                driver.verify_connectivity()

        second = server.start()
        assert second.already_running
        assert second.pid == first.pid
        assert "already running" in second.message

        again = _cli(monkeypatch, tmp_path, port, "start")
        assert again.exit_code == 0 and "already running" in again.output

        status = _cli(monkeypatch, tmp_path, port, "status")
        assert status.exit_code == 0, status.output
        assert "5.26" in status.output
    finally:
        stopped = server.stop()

    assert stopped.was_running and stopped.pid == first.pid
    assert not _pid_alive(first.pid)
    assert not server.pid_file.exists()
    assert server.status().reachable is False
    down = _cli(monkeypatch, tmp_path, port, "status")
    assert down.exit_code != 0
    assert "regiograph neo4j start" in down.output
    assert "nothing to stop" in server.stop().message


def test_failed_start_reports_log_and_kills_the_process(tmp_path: Path) -> None:
    # A password starting with "-" must still reach the admin tool as a value, not an option.
    settings = _isolated_settings(
        tmp_path, _free_port(), neo4j_start_timeout=0.5, neo4j_password="-leading-dash-secret"
    )
    server = Neo4jServer(settings, lib_dir=SHARED_LIB)
    with pytest.raises(Neo4jServerError) as info:
        server.start()
    assert server.auth_file.exists()
    assert "did not become ready" in str(info.value)
    assert "last lines of" in str(info.value)
    assert not server.pid_file.exists()
    leftovers = [
        pid for pid in os.listdir("/proc") if pid.isdigit() and _pid_alive(int(pid))
        and str(server.home) in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
    ]
    assert leftovers == []


def test_stale_pid_file_is_not_trusted(tmp_path: Path) -> None:
    """A pid file pointing at an unrelated live process must neither count as running nor be killed."""
    server = Neo4jServer(_isolated_settings(tmp_path, _free_port()), lib_dir=SHARED_LIB)
    server.home.mkdir(parents=True)
    server.pid_file.write_text(f"{os.getpid()}\n")
    assert server.running_pid() is None
    assert not server.pid_file.exists()
    assert server.stop().was_running is False
    assert _pid_alive(os.getpid())


def test_busy_port_is_refused(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        server = Neo4jServer(_isolated_settings(tmp_path, sock.getsockname()[1]), lib_dir=SHARED_LIB)
        with pytest.raises(Neo4jServerError, match="REGIOGRAPH_NEO4J_BOLT_PORT"):
            server.start()
    assert not server.pid_file.exists()


def test_shared_server_answers(neo4j_driver) -> None:
    records, _, _ = neo4j_driver.execute_query(
        "CALL dbms.components() YIELD name, versions RETURN name, versions[0] AS version"
    )
    assert records and records[0]["version"].startswith("5.26")
