"""Graphs for the graph-layer tests: a small graph whose evidence quotes two letters written for
these tests (`letter_text`; no corpus sentence is recited), and a synthetic graph of any size (also
used by bench/)."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

from graph.model import Evidence, Graph, Node, Relationship
from regiograph.settings import load_settings

LETTER_004 = "fixture_2024-12-20.txt"  # stands in for a December 2024 letter, id 2024D51884
LETTER_002 = "fixture_2025-03-27.txt"  # stands in for a March 2025 letter

NPVR_REGIONS = ["kop-van-noord-holland", "twente", "achterhoek", "zuid-limburg", "zeeuws-vlaanderen"]
COVERS_QUOTE = (
    "Het programma richt zich op vijf regio’s: de Kop van Noord-Holland, Twente, de Achterhoek, "
    "Zuid-Limburg en Zeeuws-Vlaanderen."
)
# Two letters written for these tests: every evidence quote of the sample graph is taken from them.
LETTER_TEXTS = {
    LETTER_004: (
        "Den Haag, 20 december 2024\n\n"
        "Met het NPVR werken rijk en regio langjarig samen (Kamerstuk 29 697, nr. 142). "
        + COVERS_QUOTE
        + " In het NOVEX-gebied Zuid-Limburg en het NOVEX-gebied Zeeuws-Vlaanderen werken we al samen.\n\n"
        "NOVEX wordt getrokken door het ministerie van VRO, samen met de provincies.\n\n"
        "Als minister van BZK neem ik de coördinatie van het programma op me.\n\n"
        "De ministeries van BZK, VRO en IenW committeren zich aan het programma.\n\n"
        "Daarbij werken we verder aan de Samenwerkingsagenda met Nedersaksen.\n\n"
        "De minister van Binnenlandse Zaken en Koninkrijksrelaties,\n\nJ.J.M. Uitermark\n"
    ),
    LETTER_002: (
        "Den Haag, 27 maart 2025\n\n"
        "In het debat (Kamerstuk 29 697, nr. 160) vroeg uw Kamer waarom het NPVR zich op elf regio’s richt. "
        "Het NPVR sluit aan bij de NOVEX en de Regiodeals.\n\n"
        "De Minister van Binnenlandse Zaken en Koninkrijksrelaties,\n\nJ.J.M. Uitermark\n"
    ),
}


def corpus_dir() -> Path:
    """The real corpus, for tests that extract it; the sample graph does not quote it."""
    return load_settings().corpus_dir


def letter_text(file: str) -> str:
    """The text of a letter the sample graph quotes."""
    return LETTER_TEXTS[file]


def letter_id(file: str) -> str:
    return {LETTER_004: "letter:2024D51884", LETTER_002: "letter:ee15c5c2748eb14b"}[file]


def evidence(file: str, quote: str, rule: str = "test-fixture") -> Evidence:
    """Evidence whose offsets are found in the letter, so letter_text(file)[start:end] == quote."""
    start = letter_text(file).find(quote)
    if start < 0:
        raise ValueError(f"quote not found in {file}: {quote[:60]!r}")
    return Evidence(
        letter=letter_id(file), source=file, start=start, end=start + len(quote), quote=quote, rule=rule
    )


def _letter(file: str, **props) -> Node:
    sha = hashlib.sha256(letter_text(file).encode("utf-8")).hexdigest()
    return Node(
        id=letter_id(file),
        labels=["Letter"],
        name=props.pop("title", file),
        properties={"source": file, "sha256": sha, **props},
    )


def _rel(
    type_: str, start: str, end: str, *evidence: Evidence, derived: bool = False, **props
) -> Relationship:
    return Relationship(
        type=type_, start=start, end=end, derived=derived, properties=props, evidence=list(evidence)
    )


def sample_graph() -> Graph:
    """Two letters about the NPVR: programmes, regions, a province, ministries, a signatory,
    cited Kamerstukken, relationships with real evidence, and one derived overlap."""
    l004, l002 = letter_id(LETTER_004), letter_id(LETTER_002)
    nodes = [
        _letter(
            LETTER_004,
            title="Nadere uitwerking Elke regio telt",
            date="2024-12-20",
            document_number="2024D51884",
            zaak="2024Z21996",
            dossiers=["29697"],
            kind="Brief regering",
        ),
        _letter(LETTER_002, title="Procesbrief Nationaal Programma Vitale Regio's", date="2025-03-27"),
        Node(
            id="programme:npvr",
            labels=["Programme"],
            name="Nationaal Programma Vitale Regio's",
            aliases=["NPVR"],
            properties={"kind": "programme"},
        ),
        Node(id="programme:novex", labels=["Programme"], name="NOVEX", aliases=["programma NOVEX"]),
        Node(
            id="programme:samenwerkingsagenda-nedersaksen",
            labels=["Programme"],
            name="Samenwerkingsagenda met Nedersaksen",
            properties={"kind": "agenda"},
        ),
        Node(id="region:kop-van-noord-holland", labels=["Region"], name="Kop van Noord-Holland"),
        Node(id="region:twente", labels=["Region"], name="Twente"),
        Node(id="region:achterhoek", labels=["Region"], name="Achterhoek"),
        Node(id="region:zuid-limburg", labels=["Region"], name="Zuid-Limburg"),
        Node(id="region:zeeuws-vlaanderen", labels=["Region"], name="Zeeuws-Vlaanderen"),
        Node(
            id="province:zeeland",
            labels=["Region", "Province"],
            name="Zeeland",
            properties={"tooi": "pv29", "wikidata": "Q705", "cbs": "PV29"},
        ),
        Node(
            id="neighbouringstate:nedersaksen",
            labels=["NeighbouringState"],
            name="Nedersaksen",
            aliases=["Niedersachsen"],
            properties={"wikidata": "Q1197", "kind": "state"},
        ),
        Node(
            id="ministry:bzk",
            labels=["Ministry"],
            name="Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
            aliases=["BZK"],
            properties={"tooi": "https://identifier.overheid.nl/tooi/id/ministerie/mnre1034"},
        ),
        Node(
            id="ministry:vro",
            labels=["Ministry"],
            name="Ministerie van Volkshuisvesting en Ruimtelijke Ordening",
            aliases=["VRO"],
            properties={"tooi": "mnre1171"},
        ),
        Node(id="person:jjm-uitermark", labels=["Person"], name="J.J.M. Uitermark"),
        Node(id="document:29697-142", labels=["Document"], name="Kamerstuk 29 697, nr. 142"),
        Node(
            id="document:29697-160",
            labels=["Document"],
            name="Kamerstuk 29 697, nr. 160",
            properties={"dossier": "29697", "number": "160"},
        ),
        Node(
            id="dossier:29697",
            labels=["Dossier"],
            name="Kamerstukdossier 29 697",
            properties={"dossier": "29697"},
        ),
    ]
    covers_quote = evidence(LETTER_004, COVERS_QUOTE, rule="covers-list")
    relationships = [
        *(_rel("COVERS", "programme:npvr", f"region:{r}", covers_quote) for r in NPVR_REGIONS),
        _rel(
            "COVERS",
            "programme:novex",
            "region:zuid-limburg",
            evidence(LETTER_004, "het NOVEX-gebied Zuid-Limburg"),
        ),
        _rel(
            "COVERS",
            "programme:novex",
            "region:zeeuws-vlaanderen",
            evidence(LETTER_004, "het NOVEX-gebied Zeeuws-Vlaanderen"),
        ),
        _rel(
            "OVERLAPS",
            "programme:npvr",
            "programme:novex",
            derived=True,
            shared_regions=["region:zeeuws-vlaanderen", "region:zuid-limburg"],
            jaccard=0.4,
        ),
        _rel(
            "COORDINATES",
            "ministry:vro",
            "programme:novex",
            evidence(LETTER_004, "NOVEX wordt getrokken door het ministerie van VRO"),
        ),
        _rel(
            "COORDINATES",
            "ministry:bzk",
            "programme:npvr",
            evidence(LETTER_004, "Als minister van BZK neem ik de coördinatie van het programma op me."),
        ),
        _rel(
            "PARTICIPATES_IN",
            "ministry:vro",
            "programme:npvr",
            evidence(LETTER_004, "De ministeries van BZK, VRO en IenW committeren zich aan het programma."),
        ),
        _rel(
            "PARTNERS_WITH",
            "programme:samenwerkingsagenda-nedersaksen",
            "neighbouringstate:nedersaksen",
            evidence(LETTER_004, "de Samenwerkingsagenda met Nedersaksen"),
        ),
        _rel(
            "SIGNED_BY",
            l004,
            "person:jjm-uitermark",
            evidence(LETTER_004, "J.J.M. Uitermark", rule="signature"),
        ),
        _rel(
            "SIGNED_BY",
            l002,
            "person:jjm-uitermark",
            evidence(LETTER_002, "J.J.M. Uitermark", rule="signature"),
        ),
        _rel(
            "HOLDS_OFFICE",
            "person:jjm-uitermark",
            "ministry:bzk",
            evidence(LETTER_004, "De minister van Binnenlandse Zaken en Koninkrijksrelaties,"),
            evidence(LETTER_002, "De Minister van Binnenlandse Zaken en Koninkrijksrelaties,"),
            role="minister",
        ),
        _rel("REFERS_TO", l004, "document:29697-142", evidence(LETTER_004, "29 697, nr. 142")),
        _rel("REFERS_TO", l002, "document:29697-160", evidence(LETTER_002, "(Kamerstuk 29 697, nr. 160)")),
        _rel(
            "PART_OF",
            "document:29697-160",
            "dossier:29697",
            evidence(LETTER_002, "(Kamerstuk 29 697, nr. 160)"),
        ),
        _rel("PART_OF", "region:zeeuws-vlaanderen", "province:zeeland", derived=True),
        _rel("MENTIONS", l004, "programme:npvr", evidence(LETTER_004, "Met het NPVR werken"), count=14),
        _rel(
            "MENTIONS",
            l002,
            "programme:npvr",
            evidence(LETTER_002, "het NPVR zich op elf regio’s richt"),
            evidence(LETTER_002, "Het NPVR sluit aan bij de NOVEX en de Regiodeals."),
            count=9,
        ),
        _rel(
            "MENTIONS",
            l002,
            "programme:novex",
            evidence(LETTER_002, "de NOVEX en de Regiodeals"),
        ),
    ]
    return Graph(nodes=nodes, relationships=relationships)


def split_by_letter(graph: Graph) -> list[Graph]:
    """One graph per letter, as extraction would produce them (the letter, what its evidence
    supports, the nodes involved); derived and evidence-less relationships are left to the store."""
    index = graph.node_index()
    parts = []
    for letter in graph.letter_ids():
        rels = []
        for rel in graph.relationships:
            own = [e for e in rel.evidence if e.letter == letter]
            if own and not rel.derived:
                rels.append(rel.model_copy(update={"evidence": own}))
        ids = {letter} | {r.start for r in rels} | {r.end for r in rels}
        parts.append(Graph(nodes=[index[i] for i in sorted(ids)], relationships=rels))
    return parts


def synthetic_graph(
    programmes: int,
    regions: int,
    covers_per_programme: int,
    letters: int = 50,
    ministries: int = 12,
    seed: int = 7,
) -> Graph:
    """A random graph shaped like the real one (every relationship with one evidence quote):
    programmes cover regions, ministries coordinate programmes, letters mention programmes."""
    rng = random.Random(seed)
    letter_ids = [f"letter:2099D{i:05d}" for i in range(letters)]
    nodes = [
        Node(id=lid, labels=["Letter"], name=f"Brief {i}", properties={"date": "2024-12-20"})
        for i, lid in enumerate(letter_ids)
    ]
    nodes += [Node(id=f"region:r{i}", labels=["Region"], name=f"Regio {i}") for i in range(regions)]
    nodes += [
        Node(id=f"ministry:m{i}", labels=["Ministry"], name=f"Ministerie {i}", aliases=[f"M{i}"])
        for i in range(ministries)
    ]
    nodes += [
        Node(id=f"programme:p{i}", labels=["Programme"], name=f"Programma {i}", aliases=[f"P{i}"])
        for i in range(programmes)
    ]

    def ev(i: int) -> Evidence:
        letter = letter_ids[i % letters]
        quote = f"Zin {i}: het programma werkt in deze regio."
        return Evidence(
            letter=letter,
            source=f"{letter}.txt",
            start=i * 50,
            end=i * 50 + len(quote),
            quote=quote,
            rule="synthetic",
        )

    rels: list[Relationship] = []
    for p in range(programmes):
        for r in rng.sample(range(regions), min(covers_per_programme, regions)):
            rels.append(
                Relationship(
                    type="COVERS", start=f"programme:p{p}", end=f"region:r{r}", evidence=[ev(len(rels))]
                )
            )
        rels.append(
            Relationship(
                type="COORDINATES",
                start=f"ministry:m{rng.randrange(ministries)}",
                end=f"programme:p{p}",
                evidence=[ev(len(rels))],
            )
        )
        rels.append(
            Relationship(
                type="MENTIONS",
                start=letter_ids[p % letters],
                end=f"programme:p{p}",
                properties={"count": 1 + p % 5},
                evidence=[ev(len(rels))],
            )
        )
    return Graph(nodes=nodes, relationships=rels)
