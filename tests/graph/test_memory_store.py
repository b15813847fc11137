"""Memory-store specifics: the file is interchange JSON, survives reopening, and is shared by processes."""

from __future__ import annotations

import json
from pathlib import Path

from store_graphs import letter_a, letter_b

from graph.memory_store import MemoryStore
from graph.model import Graph


def test_store_persists_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "var" / "graph.json"
    first = MemoryStore(path)
    first.write_letter(letter_a())
    first.write_letter(letter_b())
    reopened = MemoryStore(path)
    assert reopened.snapshot() == first.snapshot()
    assert reopened.counts() == first.counts()
    assert reopened.write_letter(letter_a()).action == "unchanged"


def test_file_is_graph_interchange_json(tmp_path: Path) -> None:
    path = tmp_path / "graph.json"
    store = MemoryStore(path)
    store.write_letter(letter_a())
    store.write_letter(letter_b())
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data["contributions"]) == {"letter:A", "letter:B"}
    plain = Graph.model_validate(data)  # what other tools read
    assert plain == store.snapshot()
    assert any(r["derived"] for r in data["relationships"])


def test_other_instance_sees_writes(tmp_path: Path) -> None:
    """`ingest` and `serve` run as separate processes on the same file."""
    path = tmp_path / "graph.json"
    reader, writer = MemoryStore(path), MemoryStore(path)
    assert reader.counts()["nodes"] == 0
    writer.write_letter(letter_a())
    assert reader.get_node("programme:npvr") is not None
    reader.write_letter(letter_b())  # re-reads the file first, so A is kept
    assert {n.id for n in writer.letters()} == {"letter:A", "letter:B"}
    writer.delete_letter("A")
    assert [n.id for n in reader.letters()] == ["letter:B"]
