"""`regiograph extract` on good and bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from regiograph.cli import app


def test_bad_files_are_reported_and_the_rest_extracted(tmp_path: Path, corpus_dir: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(corpus_dir / "002_ee15c5c2748eb14b.txt", folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    out = tmp_path / "graph.json"
    result = CliRunner().invoke(app, ["extract", str(folder), "--output", str(out)])
    assert result.exit_code == 1
    assert "empty.txt: empty file" in result.output and "binary.txt: binary file" in result.output
    graph = json.loads(out.read_text())
    letters = [n for n in graph["nodes"] if "Letter" in n["labels"]]
    assert [n["properties"]["source"] for n in letters] == ["good.txt"]
    assert "1 letters" in result.output and "2 errors" in result.output


def test_merged_extraction_of_several_letters(tmp_path: Path, corpus_dir: Path):
    out = tmp_path / "all.json"
    result = CliRunner().invoke(app, ["extract", str(corpus_dir), "-o", str(out), "--derived"])
    assert result.exit_code == 0, result.output
    graph = json.loads(out.read_text())
    assert len([n for n in graph["nodes"] if "Letter" in n["labels"]]) == 5
    npvr_covers = [
        r for r in graph["relationships"] if r["type"] == "COVERS" and r["start"] == "programme:npvr"
    ]
    assert len(npvr_covers) >= 11
    derived = [r for r in graph["relationships"] if r["derived"]]
    assert all(r["properties"].get("shared_regions") for r in derived if r["type"] == "OVERLAPS")
