"""The map and network pages on a large graph: 5,000 regions (tied to CBS municipalities, COROP areas
and provinces, a share with no geometry), 200 programmes covering them with a quote each. Prints the
time to build each page in Python, its size, and the time headless Chromium takes to load it until the
page says it is ready (the map drawn and painted, the network laid out).

Run: .venv/bin/python bench/bench_pages.py [--regions 5000] [--programmes 200]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "pages"))  # the headless Chromium the page tests use

from page_helpers import make_driver, wait_for  # noqa: E402

from api.geo import geography  # noqa: E402
from graph.map import render_html as render_map  # noqa: E402
from graph.model import Evidence, Graph, Node, Relationship  # noqa: E402
from graph.viz import render_html as render_network  # noqa: E402


def big_graph(regions: int, programmes: int, covers: int = 40, seed: int = 7) -> Graph:
    rng = random.Random(seed)
    geo = geography()
    municipalities = sorted(geo.municipality_info)
    corops = sorted({m["corop"] for m in geo.municipality_info.values() if m.get("corop")})
    provinces = sorted({m["province"] for m in geo.municipality_info.values() if m.get("province")})
    letters = [
        Node(
            id=f"letter:2099D{i:05d}", labels=["Letter"], name=f"Brief {i}", properties={"date": "2025-01-01"}
        )
        for i in range(20)
    ]
    nodes = list(letters)
    for i in range(regions):
        kind = i % 10
        if kind < 6:
            props = {"cbs_code": municipalities[i % len(municipalities)]}
        elif kind < 8:
            props = {"cbs_code": corops[i % len(corops)], "kind": "corop-gebied"}
        elif kind == 8:
            props = {"cbs_code": provinces[i % len(provinces)]}
        else:
            props = {}  # no geometry: listed beside the map
        nodes.append(Node(id=f"region:r{i}", labels=["Region"], name=f"Regio {i}", properties=props))
    rels = []
    for p in range(programmes):
        nodes.append(Node(id=f"programme:p{p}", labels=["Programme"], name=f"Programma {p}"))
        for r in rng.sample(range(regions), covers):
            letter = letters[(p + r) % len(letters)].id
            quote = f"Programma {p} werkt in regio {r}."
            ev = Evidence(letter=letter, source="x.txt", start=r, end=r + len(quote), quote=quote)
            rels.append(
                Relationship(type="COVERS", start=f"programme:p{p}", end=f"region:r{r}", evidence=[ev])
            )
    return Graph(nodes=nodes, relationships=rels)


def load_time(driver, path: Path, ready: str) -> float:
    start = time.perf_counter()
    driver.get(path.as_uri())
    wait_for(driver, ready, timeout=120)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--regions", type=int, default=5000)
    parser.add_argument("--programmes", type=int, default=200)
    args = parser.parse_args()
    graph = big_graph(args.regions, args.programmes)
    print(f"graph: {len(graph.nodes)} nodes, {len(graph.relationships)} relationships")
    geo = geography()
    try:
        driver = make_driver()
    except BaseException as exc:  # pytest's skip outside pytest: no browser here
        print(f"no browser ({exc}); building only")
        driver = None
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for name, build, ready in (
                (
                    "map",
                    lambda: render_map(graph, geo, programme="programme:p0"),
                    "return document.body.dataset.ready === 'true' && document.body.dataset.painted;",
                ),
                ("network", lambda: render_network(graph), "return document.body.dataset.stabilized;"),
            ):
                start = time.perf_counter()
                html = build()
                built = time.perf_counter() - start
                path = Path(tmp) / f"{name}.html"
                path.write_text(html, encoding="utf-8")
                loaded = f", loaded in Chromium in {load_time(driver, path, ready):5.2f} s" if driver else ""
                print(f"{name:8s} built in {built:5.2f} s, {len(html) / 1e6:5.2f} MB{loaded}")
    finally:
        if driver is not None:
            driver.quit()


if __name__ == "__main__":
    main()
