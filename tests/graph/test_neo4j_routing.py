"""The same settings reach a cluster or Aura through a routing URI (neo4j://, neo4j+s://): the store is
opened with the routing driver and keeps its one transaction per letter. Tested against the session's
own server, which answers the routing requests itself."""

from __future__ import annotations

import pytest
from factories import sample_graph, split_by_letter

from regiograph.settings import Settings
from regiograph.stores import open_neo4j_store

pytestmark = pytest.mark.neo4j


def test_a_routing_uri_writes_reads_and_deletes_letter_by_letter(empty_neo4j, neo4j_server, test_settings):
    settings = Settings(**{**test_settings.model_dump(), "neo4j_uri": f"neo4j://127.0.0.1:{neo4j_server.port}"})
    letters = split_by_letter(sample_graph())
    store = open_neo4j_store(settings)
    try:
        assert store.driver.__class__.__name__ == "Neo4jDriver"  # the routing driver, not a direct one
        summaries = [store.write_letter(letter) for letter in letters]
        assert [s.action for s in summaries] == ["created"] * len(letters)
        assert sorted(n.id for n in store.letters()) == sorted(s.letter for s in summaries)
        assert store.write_letter(letters[0]).action == "unchanged"  # idempotent through routing too
        before = store.counts()
        gone = store.delete_letter(summaries[-1].letter)
        assert gone.action == "deleted" and store.counts()["relationships"] < before["relationships"]
    finally:
        store.close()
