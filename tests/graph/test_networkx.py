"""graph.projection.to_networkx and `regiograph export --format graphml`: every relationship one edge."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
from store_graphs import letter_a, letter_b
from typer.testing import CliRunner

from graph.memory_store import MemoryStore
from graph.model import Relationship
from graph.projection import to_networkx, write_graphml
from regiograph.cli import app

README = Path(__file__).resolve().parents[2] / "README.md"


def _snapshot(tmp_path: Path):
    store = MemoryStore(tmp_path / "graph.json")
    store.write_letter(letter_a())
    store.write_letter(letter_b())
    return store, store.snapshot()


def test_every_relationship_is_an_edge_with_count_and_basis(tmp_path: Path) -> None:
    _, graph = _snapshot(tmp_path)
    stated = Relationship(type="OVERLAPS", start="programme:novex", end="programme:npvr")
    graph.relationships.append(stated)  # beside the derived OVERLAPS of the same pair
    g = to_networkx(graph)
    assert isinstance(g, nx.MultiDiGraph)
    assert g.number_of_edges() == len(graph.relationships) and g.number_of_nodes() == len(graph.nodes)
    assert set(g["programme:novex"]["programme:npvr"]) == {"OVERLAPS", "OVERLAPS:derived"}
    covers = g.edges["programme:npvr", "region:twente", "COVERS"]
    assert covers["evidence_count"] == 2 and covers["letters"] == "letter:A|letter:B"
    assert g.nodes["programme:npvr"]["labels"] == "Programme" and g.nodes["letter:A"]["letter_count"] == 1
    only_covers = to_networkx(graph, types={"COVERS"})
    assert {d["type"] for *_, d in only_covers.edges(data=True)} == {"COVERS"}
    assert set(to_networkx(graph, labels={"Programme"}).nodes) == {"programme:npvr", "programme:novex"}


def test_graphml_loads_with_as_many_edges_as_relationships(tmp_path: Path) -> None:
    _, graph = _snapshot(tmp_path)
    path = tmp_path / "graph.graphml"
    write_graphml(graph, path)
    back = nx.read_graphml(path, force_multigraph=True)
    assert back.number_of_edges() == len(graph.relationships)
    graph_file = tmp_path / "g.json"
    graph_file.write_text(graph.to_json(), encoding="utf-8")
    out = tmp_path / "cli.graphml"
    result = CliRunner().invoke(app, ["export", "--format", "graphml", "-i", str(graph_file), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert nx.read_graphml(out, force_multigraph=True).number_of_edges() == len(graph.relationships)


def test_readme_betweenness_example_runs(tmp_path: Path, monkeypatch, capsys) -> None:
    store, _ = _snapshot(tmp_path)
    section = README.read_text(encoding="utf-8").split("### networkx", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, flags=re.DOTALL).group(1)
    import regiograph.stores

    monkeypatch.setattr(regiograph.stores, "open_store", lambda settings: store)
    exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert "Nationaal Programma Vitale Regio's" in printed
