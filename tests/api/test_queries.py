"""Curated queries: every one answers on both stores, and its Cypher and SPARQL twins agree."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.curated import CuratedQueryError, load, load_all
from api.main import create_app
from graph.memory_store import MemoryStore
from graph.model import Evidence, Graph, Node, Relationship
from graph.store import GraphStore
from regiograph.settings import load_settings

QUERIES = load_all()
EVIDENCE_FREE = {"programme-overlaps"}  # derived overlaps rest on shared regions, not on a quote


def _params(name: str) -> dict[str, str]:
    """The required parameters with their examples (as_of, optional, left out)."""
    return {n: e for n, e in QUERIES[name].params if n not in QUERIES[name].optional}


def _rows(client: TestClient, name: str, **extra: str) -> dict:
    response = client.get(f"/queries/{name}", params={**_params(name), **extra})
    assert response.status_code == 200, response.text
    return response.json()


def test_at_least_ten_documented_queries(client: TestClient) -> None:
    listed = client.get("/queries").json()
    assert len(listed) >= 10
    assert {q["name"] for q in listed} == set(QUERIES)
    for q in listed:
        assert q["question"].endswith("?") or q["question"].endswith(".")
        assert q["cypher"].startswith("// name: ") and q["sparql"].startswith("# name: ")
        for p in q["params"]:
            assert f"${p['name']}" in q["cypher"] and f"?{p['name']}" in q["sparql"]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_answers_with_evidence(client: TestClient, store: GraphStore, name: str) -> None:
    body = _rows(client, name)
    assert body["language"] == ("sparql" if isinstance(store, MemoryStore) else "cypher")
    assert body["rows"], f"{name} found nothing in the corpus"
    assert body["truncated"] is False
    if "quote" in body["columns"] and name not in EVIDENCE_FREE:
        # a row without a quote is a relationship read from data (the area hierarchy), which has none
        for row in (r for r in body["rows"] if not r["quote"]):
            assert name == "region-profile", row
            ends = (_params(name)["region"], row["other"])[:: 1 if row["direction"] == "out" else -1]
            (rel,) = store.relationships(row["type"], *ends)
            assert rel.evidence == [] and rel.properties["basis"] == "structure", row
        quoted = [row for row in body["rows"] if row["quote"]]
        assert quoted and all(row.get("letter", "letter:").startswith("letter:") for row in quoted)


@pytest.mark.parametrize("store", [pytest.param("neo4j", marks=pytest.mark.neo4j)], indirect=True)
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_cypher_and_sparql_twins_agree(client: TestClient, name: str) -> None:
    cypher = _rows(client, name, engine="cypher")
    sparql = _rows(client, name, engine="sparql")
    assert (cypher["language"], sparql["language"]) == ("cypher", "sparql")
    assert cypher["columns"] == sparql["columns"]

    def as_set(body):
        return {tuple(row[c] for c in body["columns"]) for row in body["rows"]}

    assert as_set(cypher) == as_set(sparql)
    assert len(cypher["rows"]) == len(sparql["rows"])


def test_known_answers(client: TestClient, corpus_texts: dict[str, str]) -> None:
    covering = _rows(client, "programmes-covering-region", region="region:twente")["rows"]
    npvr = [r for r in covering if r["programme"] == "programme:npvr"]
    assert npvr and all(r["quote"] for r in npvr)
    assert any(r["quote"] in text for r in npvr for text in corpus_texts.values())

    stacking = _rows(client, "stacking-regions")["rows"]
    zuid_limburg = [r for r in stacking if r["region"] == "region:zuid-limburg"]
    assert zuid_limburg and all(r["programmes"] > 1 for r in zuid_limburg)
    assert len({r["programme"] for r in zuid_limburg}) == zuid_limburg[0]["programmes"]

    evolution = _rows(client, "programme-evolution", programme="programme:npvr")["rows"]
    assert {"succeeds", "first_mention", "last_mention"} <= {r["step"] for r in evolution}
    firsts = [r["date"] for r in evolution if r["step"] == "first_mention"]
    lasts = [r["date"] for r in evolution if r["step"] == "last_mention"]
    assert min(firsts) <= max(lasts)


def test_unknown_name_and_missing_parameter(client: TestClient, store: GraphStore) -> None:
    assert client.get("/queries/nope").status_code == 404
    missing = client.get("/queries/programmes-covering-region")
    assert missing.status_code == 422 and "region" in missing.json()["detail"]
    if isinstance(store, MemoryStore):
        assert client.get("/queries/stacking-regions", params={"engine": "cypher"}).status_code == 501


def test_incomplete_query_files_are_named(tmp_path) -> None:
    (tmp_path / "lonely.cypher").write_text("// name: lonely\n// question: ?\n// params: none\nRETURN 1\n")
    with pytest.raises(CuratedQueryError, match="no SPARQL twin"):
        load(tmp_path / "lonely.cypher")
    (tmp_path / "lonely.rq").write_text("# name: lonely\n# question: ?\n# params: region (e.g. region:x)\n")
    with pytest.raises(CuratedQueryError, match="params differ"):
        load(tmp_path / "lonely.cypher")


def test_parameter_by_name_or_a_422_naming_the_form(client: TestClient) -> None:
    by_id = _rows(client, "programmes-covering-region", region="region:twente")["rows"]
    by_name = _rows(client, "programmes-covering-region", region="twente")["rows"]
    assert by_id and by_name == by_id
    unknown = client.get("/queries/programmes-covering-region", params={"region": "Atlantis"})
    assert unknown.status_code == 422
    assert "region:twente" in unknown.json()["detail"] and "Atlantis" in unknown.json()["detail"]


@pytest.mark.parametrize("store", [pytest.param("neo4j", marks=pytest.mark.neo4j)], indirect=True)
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_twins_agree_as_of_a_day(client: TestClient, name: str) -> None:
    for day in ("2024-12-31", "2025-06-30"):
        cypher = _rows(client, name, engine="cypher", as_of=day)
        sparql = _rows(client, name, engine="sparql", as_of=day)
        assert cypher["columns"] == sparql["columns"]
        rows = {tuple(row[c] for c in cypher["columns"]) for row in cypher["rows"]}
        assert rows == {tuple(row[c] for c in sparql["columns"]) for row in sparql["rows"]}
        assert len(cypher["rows"]) == len(sparql["rows"])
        assert cypher["as_of"] == sparql["as_of"] == day
        assert cypher["undated_letters"] == sparql["undated_letters"]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_takes_as_of(client: TestClient, name: str) -> None:
    assert "as_of" in QUERIES[name].optional
    everything = _rows(client, name)["rows"]
    later = _rows(client, name, as_of="2099-12-31")
    # As of a day after every letter: all but what only undated letters say.
    assert later["rows"] and len(later["rows"]) <= len(everything)
    assert all(row in everything for row in later["rows"])
    # Before every letter only what no letter states is left: the area hierarchy read from data.
    before = _rows(client, name, as_of="1999-01-01")["rows"]
    assert all(row.get("type") == "PART_OF" and not row.get("quote") for row in before), before


def test_as_of_leaves_out_later_and_undated_letters(client: TestClient, store: GraphStore) -> None:
    dates = {n.id: n.properties.get("date") for n in store.letters()}
    undated = sorted(letter for letter, day in dates.items() if not day)
    assert undated, "the corpus has an undated letter"
    body = _rows(client, "programme-coordination", as_of="2024-12-31")
    assert body["rows"] and body["undated_letters"] == undated
    assert all(dates[row["letter"]] and dates[row["letter"]] <= "2024-12-31" for row in body["rows"])
    everything = _rows(client, "programme-coordination")
    assert any(dates[row["letter"]] > "2024-12-31" for row in everything["rows"] if dates[row["letter"]])
    assert everything["as_of"] is None and everything["undated_letters"] == []


@pytest.mark.parametrize("day", ["2024-13-01", "2024-02-30", "yesterday", "20241231"])
def test_as_of_that_is_no_date_is_a_422_naming_it(client: TestClient, day: str) -> None:
    response = client.get("/queries/stacking-regions", params={"as_of": day})
    assert response.status_code == 422
    assert "as_of" in response.json()["detail"] and day in response.json()["detail"]


def _letter_stating(letter: str, day: str, sentence: str, rel: Relationship, *nodes: Node) -> Graph:
    """A letter dated `day` whose one sentence states `rel`."""
    source = f"{letter.split(':')[1]}.txt"
    quote = Evidence(letter=letter, source=source, start=0, end=len(sentence), quote=sentence, basis="stated")
    quoted = rel.model_copy(update={"evidence": [quote]})
    letter_node = Node(id=letter, labels=["Letter"], name=source, properties={"date": day, "source": source})
    return Graph(nodes=[letter_node, *nodes], relationships=[quoted])


@pytest.mark.parametrize("store", ["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)], indirect=True)
def test_a_submitter_known_only_from_a_later_letter_is_left_out_as_of_an_earlier_day(
    store: GraphStore,
) -> None:
    motion = Node(id="motion:voorbeeld-2031-01-15", labels=["Motion"], name="Motie Voorbeeld")
    person = Node(id="person:ab-voorbeeld", labels=["Person"], name="A.B. Voorbeeld")
    store.write_letter(
        _letter_stating(
            "letter:2031D00001",
            "2031-03-01",
            "Met deze brief geef ik uitvoering aan de motie Voorbeeld.",
            Relationship(type="RESPONDS_TO", start="letter:2031D00001", end=motion.id),
            motion,
        )
    )
    store.write_letter(
        _letter_stating(
            "letter:2032D00001",
            "2032-03-01",
            "De motie van het lid Voorbeeld vroeg om een regionale aanpak.",
            Relationship(type="SUBMITTED", start=person.id, end=motion.id),
            motion,
            person,
        )
    )
    engines = ["sparql"] if isinstance(store, MemoryStore) else ["cypher", "sparql"]
    with TestClient(create_app(load_settings(), store)) as client:

        def submitters(engine: str, **as_of: str) -> set:
            rows = _rows(client, "motion-responses", engine=engine, **as_of)["rows"]
            return {row["submitter"] for row in rows if row["motion"] == motion.id}

        for engine in engines:
            assert submitters(engine) == {person.id}, engine
            assert submitters(engine, as_of="2032-12-31") == {person.id}, engine
            # the response is known by the end of 2031, who submitted the motion only a year later
            assert submitters(engine, as_of="2031-12-31") == {None}, engine
            assert submitters(engine, as_of="2030-12-31") == set(), engine
