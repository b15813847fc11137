"""The bulk path (`regiograph ingest --bulk`): CSV for neo4j-admin's import of what the transactional
writer would store, imported into a throwaway server of its own; the graph it gives is the same."""

from __future__ import annotations

import csv

import pytest
from factories import corpus_dir, sample_graph, split_by_letter
from typer.testing import CliRunner

from graph.neo4j_bulk import ARRAY_DELIMITER, write_bulk_csv
from graph.neo4j_schema import REVISION
from graph.neo4j_store import Neo4jStore
from ingest.renditions import extract_letter
from regiograph.cli import app
from regiograph.neo4j_server import throwaway_server
from regiograph.settings import get_settings, load_settings

pytestmark = pytest.mark.neo4j


def test_the_csv_holds_every_node_and_relationship_the_writer_stores(tmp_path, empty_neo4j, test_settings):
    letters = split_by_letter(sample_graph())
    store = Neo4jStore(empty_neo4j, database=test_settings.neo4j_database)
    for letter in letters:
        store.write_letter(letter)
    with empty_neo4j.session(database=test_settings.neo4j_database) as session:
        nodes = session.run("MATCH (n) RETURN count(n) AS n").single()["n"]
        rels = session.run("MATCH ()-[r]->() RETURN count(r) AS n").single()["n"]
    files = write_bulk_csv(letters, tmp_path)
    assert (files.node_count, files.relationship_count) == (nodes, rels)
    tables = {path: list(csv.reader(path.open(encoding="utf-8"))) for path in files.nodes}
    assert all(rows[0][:2] == ["id:ID", ":LABEL"] for rows in tables.values())
    entities = [rows for rows in tables.values() if rows[1][1].startswith("Entity")]
    assert entities
    assert all("letters:string[]" in rows[0] and "contributions:string" in rows[0] for rows in entities)
    labels = {row[1] for rows in tables.values() for row in rows[1:]}
    assert any(ARRAY_DELIMITER in label and label.startswith("Entity") for label in labels)


@pytest.fixture
def bulk_server(monkeypatch):
    """A server of its own, pointed at by every setting the CLI reads."""
    with throwaway_server(load_settings()) as (server, own):
        for key, value in {
            "REGIOGRAPH_STORE": "neo4j",
            "REGIOGRAPH_RUNTIME_DIR": own.runtime_dir,
            "REGIOGRAPH_NEO4J_URI": own.neo4j_uri,
            "REGIOGRAPH_NEO4J_BOLT_PORT": own.neo4j_bolt_port,
            "REGIOGRAPH_NEO4J_HTTP_PORT": own.neo4j_http_port,
            "REGIOGRAPH_NEO4J_PASSWORD": own.neo4j_password,
            "REGIOGRAPH_NEO4J_LIB_DIR": own.jar_dir,
        }.items():
            monkeypatch.setenv(key, str(value))
        get_settings.cache_clear()
        yield server, own
    get_settings.cache_clear()


def test_bulk_ingest_gives_the_graph_one_transaction_per_letter_gives(
    bulk_server, empty_neo4j, test_settings
):
    files = sorted(corpus_dir().glob("*.txt"))
    transactional = Neo4jStore(empty_neo4j, database=test_settings.neo4j_database)
    for path in files:
        transactional.write_letter(extract_letter(path)[1])
    expected = transactional.snapshot().to_json()

    result = CliRunner().invoke(app, ["ingest", "--bulk", *map(str, files)])
    assert result.exit_code == 0, result.output
    assert "imported" in result.output and "stopping Neo4j" in result.output

    server, own = bulk_server
    from neo4j import GraphDatabase

    with GraphDatabase.driver(server.uri, auth=(own.neo4j_user, own.neo4j_password)) as driver:
        bulk = Neo4jStore(driver, database=own.neo4j_database)
        assert bulk.snapshot().to_json() == expected  # byte for byte
        with driver.session(database=own.neo4j_database) as session:
            constraints = {r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name")}
        assert constraints  # the same schema as the transactional path creates
        assert bulk.revision() is not None  # cached answers of an earlier graph are not served
        assert bulk.write_letter(extract_letter(files[0])[1]).action == "unchanged"  # it is one graph

    again = CliRunner().invoke(app, ["ingest", "--bulk", str(files[0])])
    assert again.exit_code == 2 and "needs an empty database" in again.output


def _imported_rows(folder) -> set[tuple]:
    """Every row of a bulk CSV folder as (file kind, sorted header=cell pairs), the revision's aside."""
    rows = set()
    for path in sorted(folder.glob("*.csv")):
        table = list(csv.reader(path.open(encoding="utf-8")))
        for row in table[1:]:
            if REVISION not in row:
                rows.add((path.name.split("-")[0], tuple(sorted(zip(table[0], row, strict=True)))))
    return rows


def test_a_later_file_of_a_letter_replaces_the_earlier_one_in_the_csv(tmp_path):
    first, second = split_by_letter(sample_graph())
    revised = first.model_copy(update={"relationships": first.relationships[1:]})
    replaced = write_bulk_csv([first, second, revised], tmp_path / "replaced")
    direct = write_bulk_csv([second, revised], tmp_path / "direct")
    assert replaced.node_count == direct.node_count
    assert replaced.relationship_count == direct.relationship_count
    assert _imported_rows(tmp_path / "replaced") == _imported_rows(tmp_path / "direct")
    assert not list((tmp_path / "replaced").glob("*.spool"))  # the spools are gone
    whole = write_bulk_csv([first, second], tmp_path / "whole")
    assert whole.relationship_count > direct.relationship_count  # the revision does drop something
