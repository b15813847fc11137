"""The bulk path (`regiograph ingest --bulk`): CSV for neo4j-admin's import of what the transactional
writer would store, imported into a throwaway server of its own; the graph it gives is the same."""

from __future__ import annotations

import csv

import pytest
from factories import corpus_dir, sample_graph, split_by_letter
from typer.testing import CliRunner

from graph.neo4j_bulk import ARRAY_DELIMITER, write_bulk_csv
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
    with files.nodes[0].open(encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert header[:2] == ["id:ID", ":LABEL"]
    assert "letters:string[]" in header and "contributions:string" in header
    labels = {row[1] for path in files.nodes for row in list(csv.reader(path.open(encoding="utf-8")))[1:]}
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
