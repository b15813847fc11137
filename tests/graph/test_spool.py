"""An export of a store too large for memory: the relationships spooled to a file (graph/spool.py) are
the snapshot's, and the dump streamed from them is byte for byte the dump of the snapshot."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from store_graphs import letter_a, letter_b, letter_citing_document, letter_with_bases

from graph.memory_store import MemoryStore
from graph.rdf import RDF_FORMATS
from graph.rdf_stream import stream_dump
from graph.spool import SpooledRelationships
from regiograph.settings import load_settings

BASE = "https://regiograph.example/"


def _letters():
    return [letter_a(), letter_b(), letter_citing_document(), letter_with_bases()]


def test_spooled_relationships_read_like_the_list(tmp_path: Path) -> None:
    store = MemoryStore(tmp_path / "graph.json")
    for graph in _letters():
        store.write_letter(graph)
    rels = store.snapshot().relationships
    spooled = SpooledRelationships(tmp_path / "rels.pickle", rels)
    assert len(spooled) == len(rels) > 3
    assert list(spooled) == rels
    assert [spooled[i] for i in range(len(rels))] == rels
    assert spooled[-1] == rels[-1] and spooled[1:3] == rels[1:3] and spooled[::2] == rels[::2]
    with pytest.raises(IndexError):
        spooled[len(rels)]
    empty = SpooledRelationships(tmp_path / "none.pickle", [])
    assert len(empty) == 0 and list(empty) == [] and empty[0:5] == []


@pytest.mark.neo4j
def test_a_dump_from_the_spooled_snapshot_is_the_dump_of_the_snapshot(empty_neo4j, tmp_path: Path) -> None:
    from graph.neo4j_store import Neo4jStore

    store = Neo4jStore(empty_neo4j, database=load_settings().neo4j_database)
    for graph in _letters():
        store.write_letter(graph)
    whole = store.snapshot()
    spooled = store.spooled_snapshot(tmp_path)
    assert isinstance(spooled.relationships, SpooledRelationships)
    assert spooled.nodes == whole.nodes and list(spooled.relationships) == whole.relationships
    for fmt in RDF_FORMATS:
        dumps = []
        for graph in (whole, spooled):
            out = io.BytesIO()
            stream_dump(graph, BASE, fmt, out, created=date(2026, 1, 2))
            dumps.append(out.getvalue())
        assert dumps[0] == dumps[1] and len(dumps[0]) > 1000, fmt


def test_workers_write_the_spooled_relationships_into_the_same_dump(tmp_path: Path, monkeypatch) -> None:
    """The forked workers of an export in parts read the spool file by position, as the parent would."""
    from graph import rdf_parts
    from graph.rdf_stream import write_graph
    from graph.spool import spooled_graph

    monkeypatch.setattr(rdf_parts, "MIN_RELATIONSHIPS", 1)
    store = MemoryStore(tmp_path / "graph.json")
    for graph in _letters():
        store.write_letter(graph)
    whole = store.snapshot()
    spooled = spooled_graph(whole.nodes, SpooledRelationships(tmp_path / "rels.pickle", whole.relationships))
    for fmt in ("ntriples", "nquads"):
        one, parts = tmp_path / f"one.{fmt}", tmp_path / f"parts.{fmt}"
        write_graph(whole, BASE, fmt, one, created=date(2026, 1, 2))
        write_graph(spooled, BASE, fmt, parts, created=date(2026, 1, 2), jobs=2)
        assert parts.read_bytes() == one.read_bytes() and len(one.read_bytes()) > 1000, fmt
