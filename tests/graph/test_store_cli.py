"""`regiograph ingest` and `regiograph delete` on the memory store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from store_graphs import letter_a, letter_b
from typer.testing import CliRunner

import ingest.renditions
from graph.memory_store import MemoryStore
from ingest.errors import LetterError
from ingest.load import load_letter
from regiograph.cli import app
from regiograph.settings import get_settings

runner = CliRunner()


@pytest.fixture
def graph_file(tmp_path: Path, monkeypatch) -> Path:
    path = tmp_path / "store" / "graph.json"
    monkeypatch.setenv("REGIOGRAPH_STORE", "memory")
    monkeypatch.setenv("REGIOGRAPH_MEMORY_STORE_PATH", str(path))
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()


@pytest.fixture
def letters(tmp_path: Path, monkeypatch) -> Path:
    """A folder with two letters and an unreadable one; extraction maps file names to small graphs."""
    folder = tmp_path / "letters"
    folder.mkdir()
    graphs = {"a.txt": letter_a, "b.txt": letter_b}
    for name in [*graphs, "broken.txt"]:
        (folder / name).write_text(name, encoding="utf-8")
    (folder / "notes.md").write_text("not a letter", encoding="utf-8")

    def extract_letter(path, max_bytes=None):
        path = Path(path)
        if path.name not in graphs:
            raise LetterError(path, "no letter metadata found")
        return load_letter(path), graphs[path.name]()

    monkeypatch.setattr(ingest.renditions, "extract_letter", extract_letter)
    return folder


def test_ingest_reports_each_letter_and_fails_at_the_end(graph_file: Path, letters: Path) -> None:
    result = runner.invoke(app, ["ingest", str(letters)])
    assert result.exit_code == 1
    assert "created   letter:A" in result.output and "created   letter:B" in result.output
    assert f"error     {letters / 'broken.txt'}: no letter metadata found" in result.output
    assert "3 letter(s): 2 created, 0 replaced, 0 unchanged, 1 failed" in result.output
    assert [n.id for n in MemoryStore(graph_file).letters()] == ["letter:A", "letter:B"]

    again = runner.invoke(app, ["ingest", str(letters / "a.txt"), str(letters / "b.txt")])
    assert again.exit_code == 0, again.output
    assert again.output.count("unchanged ") == 2


def test_delete_prints_summary(graph_file: Path, letters: Path) -> None:
    runner.invoke(app, ["ingest", str(letters / "a.txt"), str(letters / "b.txt")])
    result = runner.invoke(app, ["delete", "B"])
    assert result.exit_code == 0, result.output
    assert "deleted   letter:B: nodes 7 -> 5 (-2), relationships 8 -> 4 (-4)" in result.output
    assert [n.id for n in MemoryStore(graph_file).letters()] == ["letter:A"]
    missing = runner.invoke(app, ["delete", "letter:B"])
    assert missing.exit_code == 1 and "no letter letter:B" in missing.output


def test_missing_path_is_named(graph_file: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2 and "nope.txt: no such file or directory" in result.output


def test_store_option_overrides_settings(
    graph_file: Path, letters: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("REGIOGRAPH_STORE", "neo4j")
    get_settings.cache_clear()
    result = runner.invoke(app, ["ingest", "--store", "memory", str(letters / "a.txt")])
    assert result.exit_code == 0, result.output
    assert graph_file.exists()


def test_ingest_corpus_twice(graph_file: Path, tmp_path: Path) -> None:
    """The real pipeline on the real letters: every stored letter is unchanged the second time."""
    corpus = get_settings().corpus_dir
    folder = tmp_path / "corpus"
    shutil.copytree(corpus, folder)
    first = runner.invoke(app, ["ingest", str(folder)])
    created = first.output.count("created   ")
    assert created >= 1, first.output
    stored = MemoryStore(graph_file).letters()
    assert len(stored) == created
    assert {n.properties.get("source") for n in stored} <= {p.name for p in folder.glob("*.txt")}
    before = MemoryStore(graph_file).snapshot()
    second = runner.invoke(app, ["ingest", str(folder)])
    assert second.output.count("unchanged ") == created
    assert MemoryStore(graph_file).snapshot() == before


def test_parallel_extraction_stores_what_one_process_stores(tmp_path: Path, monkeypatch) -> None:
    """The real pipeline on the corpus with two worker processes and with one: the same graph, and the
    letters written in the order given."""
    corpus = get_settings().corpus_dir
    snapshots, orders = [], []
    for jobs in ("2", "1"):
        path = tmp_path / jobs / "graph.json"
        monkeypatch.setenv("REGIOGRAPH_STORE", "memory")
        monkeypatch.setenv("REGIOGRAPH_MEMORY_STORE_PATH", str(path))
        get_settings.cache_clear()
        result = runner.invoke(app, ["ingest", "--jobs", jobs, str(corpus)])
        assert result.exit_code == 0, result.output
        orders.append([line.rsplit("  [", 1)[-1] for line in result.output.splitlines() if "  [" in line])
        snapshots.append(MemoryStore(path).snapshot())
    get_settings.cache_clear()
    assert orders[0] == orders[1] == [f"{p.name}]" for p in sorted(corpus.glob("*.txt"))]
    assert snapshots[0] == snapshots[1] and snapshots[0].nodes


def test_a_letter_error_crosses_the_process_boundary_intact() -> None:
    import pickle

    error = pickle.loads(pickle.dumps(LetterError(Path("x/brief.pdf"), "no text layer")))
    assert (error.path, error.reason) == (Path("x/brief.pdf"), "no text layer")
    assert str(error) == "x/brief.pdf: no text layer"
