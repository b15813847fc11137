"""What was said when, over HTTP on both stores: programmes as of a day, a programme's regions as of a
day, and a programme's timeline letter by letter; against the corpus, and against small letters
written for these tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from graph.memory_store import MemoryStore
from graph.model import Evidence, Graph, Node, Relationship
from graph.store import GraphStore
from regiograph.settings import load_settings


def _dates(store: GraphStore) -> dict[str, str | None]:
    return {n.id: n.properties.get("date") for n in store.letters()}


def test_programmes_as_of_end_of_2022(client: TestClient, store: GraphStore) -> None:
    body = client.get("/programmes", params={"as_of": "2022-12-31"}).json()
    assert body["as_of"] == "2022-12-31"
    names = {p["name"] for p in body["programmes"]}
    assert "Regio's aan de grens" in names
    assert all("programme:npvr" != p["id"] and "NPVR" not in p["aliases"] for p in body["programmes"])
    dates = _dates(store)
    for p in body["programmes"]:
        assert p["letters"] and all(dates[x] and dates[x] <= "2022-12-31" for x in p["letters"])
        assert p["first_named"] == min(dates[x] for x in p["letters"])
    assert body["undated_letters"] == sorted(x for x, day in dates.items() if not day)

    everything = client.get("/programmes").json()
    npvr = [p for p in everything["programmes"] if p["id"] == "programme:npvr"]
    assert npvr and npvr[0]["first_named"].startswith("2024-12")
    end_of_2024 = client.get("/programmes", params={"as_of": "2024-12-31"}).json()["programmes"]
    assert "programme:npvr" in {p["id"] for p in end_of_2024}


def test_programme_regions_as_of(client: TestClient, store: GraphStore) -> None:
    first = client.get("/programmes/programme:npvr/timeline").json()["letters"][0]["date"]
    before = client.get("/programmes/programme:npvr/regions", params={"as_of": "2024-12-01"})
    assert before.status_code == 200 and before.json() == []
    on_the_day = client.get("/programmes/programme:npvr/regions", params={"as_of": first}).json()
    everything = client.get("/programmes/programme:npvr/regions").json()
    assert on_the_day and len(on_the_day) <= len(everything)
    dates = _dates(store)
    for n in on_the_day:
        rel = n["relationship"]
        assert all(dates[e["letter"]] == first for e in rel["evidence"])
        assert rel["properties"]["first_stated"] == rel["properties"]["last_stated"] == first
    for n in everything:
        props = n["relationship"]["properties"]
        stated = sorted(dates[e["letter"]] for e in n["relationship"]["evidence"] if dates[e["letter"]])
        assert (props["first_stated"], props["last_stated"]) == (stated[0], stated[-1])
    regions = client.get("/regions/region:twente/programmes", params={"as_of": "2024-12-01"}).json()
    assert "programme:npvr" not in {n["node"]["id"] for n in regions}


def test_npvr_timeline_lists_its_letters_in_date_order(client: TestClient, store: GraphStore) -> None:
    body = client.get("/programmes/programme:npvr/timeline").json()
    assert body["programme"]["id"] == "programme:npvr" and body["as_of"] is None
    steps = body["letters"]
    dates = _dates(store)
    assert len(steps) >= 2
    assert [s["date"] for s in steps] == sorted(s["date"] for s in steps)
    assert all(dates[s["letter"]["id"]] == s["date"] for s in steps)
    assert steps[0]["date"].startswith("2024-12")  # the letters introduce the NPVR in December 2024
    first = steps[0]
    assert first["first_stated"] and not first["stated_again"] and not first["no_longer_stated"]
    assert "COVERS" in {n["relationship"]["type"] for n in first["first_stated"]}
    seen: set[tuple] = set()
    for step in steps:
        for kind in ("first_stated", "stated_again"):
            for n in step[kind]:
                rel = n["relationship"]
                key = (rel["type"], rel["start"], rel["end"])
                assert (key in seen) == (kind == "stated_again")
                assert rel["evidence"] and {e["letter"] for e in rel["evidence"]} == {step["letter"]["id"]}
                if kind == "first_stated":
                    assert rel["properties"]["first_stated"] == step["date"]
                seen.add(key)
        for n in step["no_longer_stated"]:
            rel = n["relationship"]
            assert (rel["type"], rel["start"], rel["end"]) in seen and rel["evidence"] == []
            assert rel["properties"]["last_stated"] < step["date"]
    # Every relationship of the programme a dated letter states appears, the first time, exactly once.
    stated = {
        (n["relationship"]["type"], n["relationship"]["start"], n["relationship"]["end"])
        for n in client.get("/entities/programme:npvr/neighbours").json()
        if n["relationship"]["type"] != "MENTIONS" and not n["relationship"]["derived"]
        and any(dates[e["letter"]] for e in n["relationship"]["evidence"])
    }
    firsts = [
        (n["relationship"]["type"], n["relationship"]["start"], n["relationship"]["end"])
        for s in steps for n in s["first_stated"]
    ]
    assert sorted(firsts) == sorted(stated)

    cut = client.get("/programmes/programme:npvr/timeline", params={"as_of": steps[0]["date"]}).json()
    assert [s["letter"]["id"] for s in cut["letters"]] == [steps[0]["letter"]["id"]]


@pytest.mark.parametrize(
    "path", ["/programmes", "/programmes/programme:npvr/regions", "/programmes/programme:npvr/timeline",
             "/regions/region:twente/programmes", "/overlaps"],
)
def test_as_of_that_is_no_date_is_a_422_naming_it(client: TestClient, path: str) -> None:
    response = client.get(path, params={"as_of": "2024-02-30"})
    assert response.status_code == 422 and "as_of" in response.json()["detail"]


def test_overlaps_as_of(client: TestClient) -> None:
    assert client.get("/overlaps", params={"as_of": "1999-12-31"}).json() == []
    everything = client.get("/overlaps").json()
    later = client.get("/overlaps", params={"as_of": "2099-12-31"}).json()
    assert later and len(later) <= len(everything)


# -- small letters written for these tests -----------------------------------------------------------------

PROGRAMME = "programme:tijdlijn"


def _letter(key: str, day: str | None, regions: list[str]) -> Graph:
    letter_id = f"letter:{key}"
    props = {"sha256": key, **({"date": day} if day else {})}
    nodes = [
        Node(id=letter_id, labels=["Letter"], name=f"Brief {key}", properties=props),
        Node(id=PROGRAMME, labels=["Programme"], name="Programma Tijdlijn"),
    ]
    rels = []
    for i, region in enumerate(regions):
        name = region.split(":")[1].capitalize()
        nodes.append(Node(id=region, labels=["Region"], name=name))
        quote = f"Het Programma Tijdlijn richt zich ook op {name}."
        start = 40 * i
        evidence = Evidence(
            letter=letter_id, source=f"{key}.txt", start=start, end=start + len(quote), quote=quote, rule="t"
        )
        rels.append(Relationship(type="COVERS", start=PROGRAMME, end=region, evidence=[evidence]))
    return Graph(nodes=nodes, relationships=rels)


@pytest.fixture(params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def small(request, tmp_path: Path) -> Iterator[TestClient]:
    if request.param == "memory":
        graph_store: GraphStore = MemoryStore(tmp_path / "graph.json")
    else:
        from graph.neo4j_store import Neo4jStore

        driver = request.getfixturevalue("empty_neo4j")
        graph_store = Neo4jStore(driver, database=load_settings().neo4j_database)
    graph_store.write_letter(_letter("later", "2023-03-03", ["region:oost", "region:west"]))
    graph_store.write_letter(_letter("earlier", "2021-01-01", ["region:oost", "region:noord"]))
    graph_store.write_letter(_letter("undated", None, ["region:zuid", "region:oost"]))
    with TestClient(create_app(load_settings(), graph_store)) as test_client:
        yield test_client


def test_timeline_of_small_letters_with_an_undated_one(small: TestClient) -> None:
    body = small.get(f"/programmes/{PROGRAMME}/timeline").json()

    def ends(items: list[dict]) -> list[str]:
        return [n["node"]["id"] for n in items]

    assert [(s["letter"]["id"], s["date"]) for s in body["letters"]] == [
        ("letter:earlier", "2021-01-01"),
        ("letter:later", "2023-03-03"),
    ]
    earlier, later = body["letters"]
    assert ends(earlier["first_stated"]) == ["region:noord", "region:oost"]
    assert ends(later["first_stated"]) == ["region:west"] and ends(later["stated_again"]) == ["region:oost"]
    assert ends(later["no_longer_stated"]) == ["region:noord"]
    # The undated letter is listed apart with what it says, and dates nothing.
    assert [(u["letter"]["id"], ends(u["stated"])) for u in body["undated"]] == [
        ("letter:undated", ["region:oost", "region:zuid"])
    ]
    (oost,) = [n for n in later["stated_again"] if n["node"]["id"] == "region:oost"]
    assert oost["relationship"]["properties"]["first_stated"] == "2021-01-01"
    assert oost["relationship"]["properties"]["last_stated"] == "2023-03-03"

    regions = small.get(f"/programmes/{PROGRAMME}/regions", params={"as_of": "2022-06-30"})
    assert ends(regions.json()) == ["region:noord", "region:oost"]
    assert regions.headers["X-Undated-Letters"] == "letter:undated"
    everything = small.get(f"/programmes/{PROGRAMME}/regions").json()
    (zuid,) = [n for n in everything if n["node"]["id"] == "region:zuid"]
    assert "first_stated" not in zuid["relationship"]["properties"]  # said only by the undated letter
    listed = small.get("/programmes", params={"as_of": "2020-12-31"}).json()
    assert listed["programmes"] == [] and listed["undated_letters"] == ["letter:undated"]
