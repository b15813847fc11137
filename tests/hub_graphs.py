"""A hub: one programme named by every letter of a run, for the tests of pages and answers that
must stay bounded however many letters name an entity."""

from __future__ import annotations

from graph.model import Evidence, Graph, Node, Relationship


def _evidence(letter: str, quote: str, start: int) -> Evidence:
    source = f"{letter.split(':')[1]}.txt"
    return Evidence(letter=letter, source=source, start=start, end=start + len(quote), quote=quote)


def hub_letter(i: int, stem: str, *, region_0: bool = False, mentions: bool = False) -> Graph:
    """Letter i of a dossier whose every letter is about one programme, the hub (programme:<stem>):
    a sentence of its own states that the hub covers <Stem>regio i. `region_0`: a second sentence
    states that it covers <Stem>regio 0 too, so that relationship has evidence from every letter;
    `mentions`: the letter MENTIONS the hub, quoting its name."""
    word = stem.capitalize()
    hub, letter, name = f"programme:{stem}", f"letter:{stem}-{i}", f"{word}programma"

    def region(n: int) -> str:
        return f"region:{stem}regio-{n}"

    sentences = [(i, f"Het {name} richt zich ook op {word}regio {i}.")]
    if region_0 and i:
        sentences.append((0, f"Het {name} richt zich op {word}regio 0."))
    rels, start = [], 0
    for n, sentence in sentences:
        rels.append(
            Relationship(
                type="COVERS", start=hub, end=region(n), evidence=[_evidence(letter, sentence, start)]
            )
        )
        start += len(sentence) + 1
    if mentions:
        rels.append(
            Relationship(type="MENTIONS", start=letter, end=hub, evidence=[_evidence(letter, name, 4)])
        )
    nodes = [
        Node(id=letter, labels=["Letter"], name=f"{word}brief {i}", properties={"date": f"2025-03-0{i + 1}"}),
        Node(id=hub, labels=["Programme"], name=name),
        *(
            Node(id=region(n), labels=["Region"], name=f"{word}regio {n}")
            for n in sorted({i, 0 if region_0 else i})
        ),
    ]
    return Graph(nodes=nodes, relationships=rels)
