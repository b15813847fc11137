"""Graph analysis (stacking, overlap, centrality) and the export/viz/report commands."""

from __future__ import annotations

import csv
import io
from dataclasses import fields
from pathlib import Path

import pytest
from factories import NPVR_REGIONS, sample_graph, split_by_letter, synthetic_graph
from typer.testing import CliRunner

from graph.derive import coverage
from graph.model import Graph, Node, Relationship
from graph.projection import actor_graph
from graph.report import (
    SECTIONS,
    Centrality,
    ProgrammeOverlap,
    RegionStack,
    build_report,
    to_csv,
    to_table,
)
from regiograph.cli import app


@pytest.fixture(scope="module")
def graph() -> Graph:
    return sample_graph()


def test_stacking_counts_programmes_per_region(graph):
    rows = {r.region_id: r for r in build_report(graph).stacking}
    assert all(isinstance(r, RegionStack) for r in rows.values())
    assert rows["region:zuid-limburg"].programmes == 2
    assert rows["region:zuid-limburg"].programme_names == "NOVEX; Nationaal Programma Vitale Regio's"
    assert rows["region:twente"].programmes == 1
    assert "province:zeeland" not in rows  # a region no programme covers is left out
    counts = [r.programmes for r in build_report(graph).stacking]
    assert counts == sorted(counts, reverse=True)


def test_stacking_agrees_with_coverage_on_a_random_graph():
    g = synthetic_graph(programmes=40, regions=60, covers_per_programme=8, seed=3)
    covered = coverage(g.relationships)
    for row in build_report(g).stacking:
        assert row.programmes == sum(row.region_id in regions for regions in covered.values())


def test_overlap_is_jaccard_of_covered_regions(graph):
    rows = build_report(graph).overlap
    assert len(rows) == 1
    row = rows[0]
    assert isinstance(row, ProgrammeOverlap)
    assert {row.programme_a, row.programme_b} == {"NOVEX", "Nationaal Programma Vitale Regio's"}
    assert (row.shared, {row.regions_a, row.regions_b}) == (2, {len(NPVR_REGIONS), 2})
    assert row.jaccard == pytest.approx(2 / len(NPVR_REGIONS))
    assert row.shared_regions == "Zeeuws-Vlaanderen; Zuid-Limburg"


def test_overlap_lists_each_sharing_pair_once():
    g = synthetic_graph(programmes=30, regions=40, covers_per_programme=6, seed=5)
    covered = coverage(g.relationships)
    expected = {frozenset((a, b)) for a in covered for b in covered if a < b and covered[a] & covered[b]}
    rows = build_report(g).overlap
    assert len(rows) == len(expected)
    assert all(0 < r.jaccard <= 1 for r in rows)


def test_projection_leaves_out_letters_and_mentions(graph):
    g = actor_graph(graph)
    assert not any(n.startswith("letter:") for n in g.nodes)
    assert g.has_edge("ministry:bzk", "programme:npvr")
    mentions_only = Graph(
        nodes=[
            Node(id="letter:x", labels=["Letter"], name="x"),
            Node(id="programme:p", labels=["Programme"], name="p"),
        ],
        relationships=[Relationship(type="MENTIONS", start="letter:x", end="programme:p")],
    )
    assert actor_graph(mentions_only).number_of_edges() == 0


def test_centrality_ranks_the_hub_first(graph):
    rows = build_report(graph).centrality
    assert all(isinstance(r, Centrality) for r in rows)
    programmes = [r for r in rows if r.label == "Programme"]
    ministries = [r for r in rows if r.label == "Ministry"]
    assert programmes[0].node_id == "programme:npvr"  # it links the ministries, regions and NOVEX
    assert programmes[0].betweenness > programmes[1].betweenness
    # BZK reaches NOVEX only through the NPVR; VRO coordinates NOVEX and joins the NPVR directly
    assert {m.node_id for m in ministries} == {"ministry:bzk", "ministry:vro"}
    assert ministries[0].degree == 2


def test_top_limits_each_label():
    g = synthetic_graph(programmes=30, regions=40, covers_per_programme=4, ministries=8)
    rows = build_report(g, top=3).centrality
    assert [r.label for r in rows] == ["Ministry"] * 3 + ["Programme"] * 3


def test_csv_and_table_carry_the_same_rows(graph):
    result = build_report(graph)
    for section in SECTIONS:
        parsed = list(csv.DictReader(io.StringIO(to_csv(result, section))))
        assert len(parsed) == len(result.rows(section))
        table = to_table(result, section).splitlines()
        assert len(table) == 3 + len(result.rows(section))  # title, header, rule, rows
        header, rule = table[1], table[2]
        # columns line up: every column starts where the rule's dashes start
        starts = [i for i, ch in enumerate(rule) if ch == "-" and (i == 0 or rule[i - 1] == " ")]
        names = [f.name for f in fields(type(result.rows(section)[0]))]
        assert [header[i : i + len(n)] for i, n in zip(starts, names, strict=True)] == names


# -- commands ------------------------------------------------------------------------------------
runner = CliRunner()


@pytest.fixture()
def graph_file(tmp_path: Path, graph) -> Path:
    path = tmp_path / "graph.json"
    path.write_text(graph.to_json(), encoding="utf-8")
    return path


def test_export_command_writes_each_format(graph_file, tmp_path, graph):
    for fmt in ("turtle", "ntriples", "jsonld", "trig", "nquads", "json"):
        out = tmp_path / f"out.{fmt}"
        result = runner.invoke(
            app, ["export", "--format", fmt, "--output", str(out), "--input", str(graph_file)]
        )
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 1000
    assert Graph.model_validate_json((tmp_path / "out.json").read_text(encoding="utf-8")) == graph


def test_export_command_streams_the_store_dump(graph_file, tmp_path, graph):
    """`regiograph export` writes the Store-built dump's quads (streamed, to a file or to stdout)."""
    import pyoxigraph as ox

    from graph.rdf import RDF_FORMATS, build_store, dump
    from regiograph.settings import get_settings

    store = build_store(graph, get_settings().base_iri)
    for fmt in ("ntriples", "trig"):
        spec = RDF_FORMATS[fmt]
        out = tmp_path / f"streamed.{spec.extension}"
        result = runner.invoke(app, ["export", "--format", fmt, "-o", str(out), "-i", str(graph_file)])
        assert result.exit_code == 0, result.output
        assert f"{len(list(ox.parse(out.read_bytes(), format=spec.ox_format))):,}" in result.output
        expected = set(ox.parse(dump(store, fmt) or b"", format=spec.ox_format))
        assert set(ox.parse(out.read_bytes(), format=spec.ox_format)) == expected
    result = runner.invoke(app, ["export", "--format", "ntriples", "-o", "-", "-i", str(graph_file)])
    assert result.exit_code == 0, result.output
    expected = set(ox.parse(dump(store, "ntriples") or b"", format=ox.RdfFormat.N_TRIPLES))
    assert set(ox.parse(result.stdout_bytes, format=ox.RdfFormat.N_TRIPLES)) == expected


def test_export_command_writes_ntriples_with_several_processes(graph_file, tmp_path, monkeypatch):
    from graph import rdf_parts

    monkeypatch.setattr(rdf_parts, "MIN_RELATIONSHIPS", 1)  # the test graph is far smaller than a real one
    files = {}
    for jobs in ("1", "2"):
        files[jobs] = tmp_path / f"jobs-{jobs}.nt"
        args = ["export", "-f", "ntriples", "-o", str(files[jobs]), "-i", str(graph_file), "--jobs", jobs]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    one = files["1"].read_bytes()
    assert files["2"].read_bytes() == one and f"{len(one.splitlines()):,} triples" in result.output


def test_export_command_rejects_unknown_format(graph_file, tmp_path):
    result = runner.invoke(
        app, ["export", "--format", "notation9", "-o", str(tmp_path / "x"), "-i", str(graph_file)]
    )
    assert result.exit_code == 2
    assert "notation9" in result.output and all(f in result.output for f in ("turtle", "nquads", "json"))
    assert not (tmp_path / "x").exists()


def test_commands_name_a_bad_input_file(tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text('{"nodes": [{"id": 1}]}', encoding="utf-8")
    result = runner.invoke(app, ["report", "-i", str(bad)])
    assert result.exit_code == 2
    assert "broken.json" in result.output and "nodes.0" in result.output


def test_report_command_csv_files(graph_file, tmp_path):
    out = tmp_path / "report.csv"
    result = runner.invoke(app, ["report", "--format", "csv", "--output", str(out), "-i", str(graph_file)])
    assert result.exit_code == 0, result.output
    for section in SECTIONS:
        rows = list(csv.DictReader((tmp_path / f"report-{section}.csv").open(encoding="utf-8")))
        assert rows, section
    table = runner.invoke(app, ["report", "--section", "overlap", "-i", str(graph_file)])
    assert "Zeeuws-Vlaanderen; Zuid-Limburg" in table.output


def test_viz_command_focus_and_unknown_node(graph_file, tmp_path):
    out = tmp_path / "g.html"
    result = runner.invoke(app, ["viz", "-o", str(out), "--focus", "programme:npvr", "-i", str(graph_file)])
    assert result.exit_code == 0, result.output
    assert "Nationaal Programma Vitale Regio" in out.read_text(encoding="utf-8")
    bad = runner.invoke(
        app, ["viz", "-o", str(tmp_path / "h.html"), "--focus", "programme:zzz", "-i", str(graph_file)]
    )
    assert bad.exit_code == 2 and "programme:zzz" in bad.output
    assert not (tmp_path / "h.html").exists()


def test_commands_read_the_memory_store(tmp_path, graph, monkeypatch):
    from graph.memory_store import MemoryStore

    store_file = tmp_path / "store.json"
    store = MemoryStore(store_file)
    for part in split_by_letter(graph):
        store.write_letter(part)
    monkeypatch.setenv("REGIOGRAPH_STORE", "memory")
    monkeypatch.setenv("REGIOGRAPH_MEMORY_STORE_PATH", str(store_file))
    from regiograph.settings import get_settings

    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["report", "--section", "stacking", "--format", "csv"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    rows = {r["region_id"]: r for r in csv.DictReader(io.StringIO(result.output))}
    assert rows["region:zuid-limburg"]["programmes"] == "2"
