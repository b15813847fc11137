"""The throwaway server fixture skips when it cannot start, but fails under CI=true."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TARGET = "tests/graph/test_neo4j_server.py::test_shared_server_answers"


def _run_without_java(ci: str, tmp_path: Path) -> subprocess.CompletedProcess:
    # No java on PATH: the fixture cannot start its server.
    env = dict(os.environ, CI=ci, PATH=str(tmp_path))
    return subprocess.run(
        [sys.executable, "-m", "pytest", TARGET, "-q", "-rs", "-p", "no:cacheprovider"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


@pytest.mark.parametrize(("ci", "expect_failure"), [("true", True), ("", False)])
def test_server_that_cannot_start(ci: str, expect_failure: bool, tmp_path: Path) -> None:
    done = _run_without_java(ci, tmp_path)
    output = done.stdout + done.stderr
    assert "make neo4j" in output and "java" in output.lower()
    if expect_failure:
        assert done.returncode != 0 and "error" in output.lower()
    else:
        assert done.returncode == 0 and "skipped" in output
