"""`regiograph map --output map.html`: the same self-contained page, from a graph file, offline."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from regiograph.cli import app


def test_map_command_writes_a_self_contained_page(tmp_path, corpus_store):
    graph_file = tmp_path / "graph.json"
    graph_file.write_text(corpus_store.snapshot().to_json(), encoding="utf-8")
    out = tmp_path / "map.html"
    result = CliRunner().invoke(
        app, ["map", "--input", str(graph_file), "--output", str(out), "--programme", "programme:npvr"]
    )
    assert result.exit_code == 0, result.output
    assert "regions on the map" in result.output and "listed beside it" in result.output
    page = out.read_text(encoding="utf-8")
    assert "L.geoJSON" in page and '"programme": "programme:npvr"' in page
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']?https?://", page)  # nothing to fetch
    missing = CliRunner().invoke(
        app, ["map", "--input", str(graph_file), "--output", str(out), "--region", "region:nergens"]
    )
    assert missing.exit_code == 2 and "zoek" in missing.output
