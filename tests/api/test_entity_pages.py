"""The entity endpoint pages a hub's relationships and cuts long evidence lists, on both stores."""

from __future__ import annotations

from fastapi.testclient import TestClient
from hub_graphs import hub_letter

from graph.model import Graph
from graph.store import GraphStore

HUB = "programme:pagina"


def _letter(i: int) -> Graph:
    return hub_letter(i, "pagina", region_0=True)


def _ends(answer: dict) -> list[str]:
    return [n["node"]["id"] for n in answer["relationships"]]


def test_a_hub_is_read_a_page_at_a_time(store: GraphStore, client: TestClient) -> None:
    for i in range(5):
        store.write_letter(_letter(i))
    whole = client.get(f"/entities/{HUB}", params={"limit": 1000}).json()
    assert whole["relationship_count"] == 5 and len(whole["relationships"]) == 5
    assert "link" not in client.get(f"/entities/{HUB}", params={"limit": 1000}).headers

    pages, path = [], f"/entities/{HUB}?limit=2"
    while path:
        response = client.get(path)
        assert response.status_code == 200
        answer = response.json()
        assert answer["relationship_count"] == 5 and len(answer["relationships"]) <= 2
        pages.append(_ends(answer))
        link = response.headers.get("link")
        path = link[1 : link.index(">")] if link else ""
    assert [len(p) for p in pages] == [2, 2, 1]
    assert sum(pages, []) == _ends(whole)  # the pages, in order, are the whole list

    region_0 = next(n for n in whole["relationships"] if n["node"]["id"] == "region:paginaregio-0")
    assert region_0["relationship"]["evidence_count"] == 5 and len(region_0["relationship"]["evidence"]) == 5
    cut = client.get(f"/entities/{HUB}", params={"evidence": 2}).json()
    region_0 = next(n for n in cut["relationships"] if n["node"]["id"] == "region:paginaregio-0")
    assert region_0["relationship"]["evidence_count"] == 5
    assert region_0["relationship"]["evidence"] == whole_evidence(whole)[:2]


def whole_evidence(answer: dict) -> list[dict]:
    return next(n for n in answer["relationships"] if n["node"]["id"] == "region:paginaregio-0")[
        "relationship"
    ]["evidence"]


def test_a_page_past_the_end_is_empty_and_bad_bounds_are_422(store: GraphStore, client: TestClient) -> None:
    store.write_letter(_letter(1))
    past = client.get(f"/entities/{HUB}", params={"offset": 50})
    assert past.status_code == 200 and past.json()["relationships"] == []
    assert past.json()["relationship_count"] == 2
    for bad in ({"limit": 0}, {"limit": 1001}, {"offset": -1}, {"evidence": -1}):
        assert client.get(f"/entities/{HUB}", params=bad).status_code == 422, bad
