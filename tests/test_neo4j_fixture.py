"""The `neo4j_driver` fixture skips without a server, but fails under CI=true."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TARGET = "tests/graph/test_neo4j_server.py::test_shared_server_answers"


def _run_against_closed_port(ci: str) -> subprocess.CompletedProcess:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again below: nothing listens there
    env = dict(os.environ, CI=ci, REGIOGRAPH_NEO4J_URI=f"bolt://127.0.0.1:{port}")
    return subprocess.run(
        [sys.executable, "-m", "pytest", TARGET, "-q", "-rs", "-p", "no:cacheprovider"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


@pytest.mark.parametrize(("ci", "expect_failure"), [("true", True), ("", False)])
def test_unreachable_server(ci: str, expect_failure: bool) -> None:
    done = _run_against_closed_port(ci)
    output = done.stdout + done.stderr
    assert "make neo4j" in output
    if expect_failure:
        assert done.returncode != 0 and "error" in output.lower()
    else:
        assert done.returncode == 0 and "skipped" in output
