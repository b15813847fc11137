"""Fixtures for the extraction tests: the real corpus and its reference annotations."""

from __future__ import annotations

from pathlib import Path

import pytest

from regiograph.settings import load_settings


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    path = load_settings().corpus_dir
    if not path.is_dir():
        pytest.fail(f"corpus not found at {path}; set REGIOGRAPH_CORPUS_DIR", pytrace=False)
    return path


@pytest.fixture(scope="session")
def gold_dir(corpus_dir: Path) -> Path:
    return corpus_dir.parent.parent / "gold"
