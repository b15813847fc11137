"""Small hand-built letter graphs for the store tests: two letters sharing a programme and a region."""

from __future__ import annotations

from graph.model import Evidence, Graph, Node, Relationship


def ev(letter: str, quote: str, start: int, rule: str = "test", basis: str = "") -> Evidence:
    return Evidence(
        letter=letter,
        source=f"{letter.split(':')[1]}.txt",
        start=start,
        end=start + len(quote),
        quote=quote,
        rule=rule,
        basis=basis,
    )


def letter_node(letter: str, sha256: str, **props) -> Node:
    return Node(id=letter, labels=["Letter"], name=f"Brief {letter}", properties={"sha256": sha256, **props})


def letter_a(sha256: str = "a1", with_fryslan: bool = True) -> Graph:
    """Letter A: the NPVR covers Twente (and Fryslân), BZK coordinates it."""
    a = "letter:A"
    nodes = [
        letter_node(a, sha256, date="2024-12-20", dossiers=["29697"], meta={"pages": 4}),
        Node(
            id="programme:npvr",
            labels=["Programme"],
            name="Nationaal Programma Vitale Regio's",
            aliases=["NPVR"],
            properties={"kind": "programme"},
        ),
        Node(id="region:twente", labels=["Region"], name="Twente"),
        Node(id="ministry:bzk", labels=["Ministry"], name="Ministerie van BZK", aliases=["BZK"]),
    ]
    rels = [
        Relationship(
            type="COVERS",
            start="programme:npvr",
            end="region:twente",
            evidence=[ev(a, "Het NPVR richt zich op Twente.", 100, "covers")],
        ),
        Relationship(
            type="COORDINATES",
            start="ministry:bzk",
            end="programme:npvr",
            evidence=[ev(a, "BZK coördineert het NPVR.", 200)],
        ),
        Relationship(
            type="MENTIONS",
            start=a,
            end="programme:npvr",
            properties={"count": 3},
            evidence=[ev(a, "NPVR", 10)],
        ),
    ]
    if with_fryslan:
        nodes.append(
            Node(
                id="province:fryslan",
                labels=["Province", "Region"],
                name="Fryslân",
                aliases=["Friesland"],
                properties={"cbs": "PV21"},
            )
        )
        rels.append(
            Relationship(
                type="COVERS",
                start="programme:npvr",
                end="province:fryslan",
                evidence=[ev(a, "Ook Fryslân hoort erbij.", 300, "covers")],
            )
        )
    return Graph(nodes=nodes, relationships=rels)


def letter_b(sha256: str = "b1", novex_covers_twente: bool = True) -> Graph:
    """Letter B: NOVEX covers Twente too (so it overlaps the NPVR), and B also backs NPVR -> Twente."""
    b = "letter:B"
    nodes = [
        letter_node(b, sha256, date="2025-03-27"),
        Node(
            id="programme:npvr",
            labels=["Programme"],
            name="NPVR",
            aliases=["Vitale Regio's"],
            properties={"kind": "national programme", "start_year": 2024},
        ),
        Node(id="programme:novex", labels=["Programme"], name="NOVEX"),
        Node(id="region:twente", labels=["Region"], name="Twente", aliases=["regio Twente"]),
    ]
    rels = [
        Relationship(
            type="COVERS",
            start="programme:npvr",
            end="region:twente",
            evidence=[ev(b, "Twente blijft een NPVR-regio.", 50, "covers")],
        ),
        Relationship(
            type="MENTIONS",
            start=b,
            end="programme:npvr",
            properties={"count": 2},
            evidence=[ev(b, "NPVR", 5)],
        ),
        Relationship(type="MENTIONS", start=b, end="programme:novex", evidence=[ev(b, "NOVEX", 70)]),
    ]
    if novex_covers_twente:
        rels.append(
            Relationship(
                type="COVERS",
                start="programme:novex",
                end="region:twente",
                evidence=[ev(b, "NOVEX-gebied Twente.", 400, "covers")],
            )
        )
    return Graph(nodes=nodes, relationships=rels)


def letter_with_bases() -> Graph:
    """Letter C, sentences written for the test: the first names the programme and the region (stated),
    the second says "het programma" and the programme is the one the paragraph is about (context)."""
    c = "letter:C"
    text = "Het NPVR richt zich op Twente. Het programma werkt ook in de Achterhoek."
    second = text.index("Het programma")
    nodes = [
        letter_node(c, "c1", date="2025-01-10"),
        Node(id="programme:npvr", labels=["Programme"], name="NPVR"),
        Node(id="region:twente", labels=["Region"], name="Twente"),
        Node(id="region:achterhoek", labels=["Region"], name="Achterhoek"),
    ]
    rels = [
        Relationship(
            type="COVERS",
            start="programme:npvr",
            end="region:twente",
            evidence=[ev(c, text[: second - 1], 0, "aims-at-regions", "stated")],
        ),
        Relationship(
            type="COVERS",
            start="programme:npvr",
            end="region:achterhoek",
            evidence=[ev(c, text[second:], second, "aims-at-regions", "context")],
        ),
    ]
    return Graph(nodes=nodes, relationships=rels)


def letter_citing_document() -> Graph:
    """Letter D, as extraction wrote it before decisions.md D5: a cited Kamerstuk labelled Document."""
    d = "letter:D"
    quote = "Zie Kamerstuk 29 697, nr. 169."
    nodes = [
        letter_node(d, "d1", date="2025-12-19"),
        Node(id="document:29697-169", labels=["Document"], name="29697-169"),
    ]
    rels = [
        Relationship(
            type="REFERS_TO",
            start=d,
            end="document:29697-169",
            evidence=[ev(d, quote, 0, "cites-kamerstuk", "structure")],
        )
    ]
    return Graph(nodes=nodes, relationships=rels)
