"""Words the pages show people: Dutch names of kinds and relationships, letters by date and title.

Relationship names come from the ontology's `rdfs:label@nl` (ontology.ttl beside the package in a
source checkout); an installed package without it falls back to graph/schema.yaml, whose `nl` names
a test keeps equal to the ontology's.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from graph import schema
from graph.model import Node
from graph.vocab import OB_KAMERSTUK_PAGE, TK_LETTER_PAGE

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology.ttl"
MONTHS = ("januari februari maart april mei juni juli augustus september oktober november december").split()
DOCUMENT_LABELS = ("Letter", "Document", "Kamerstuk", "Dossier")  # hidden by default in the network
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_FILE_NAME = re.compile(r"^\d{3}_[0-9a-f]{8,}\.txt$|^Brief van \d{4}-\d{2}-\d{2}$")


@lru_cache(maxsize=1)
def relationship_labels() -> dict[str, str]:
    """Relationship type -> its Dutch name: {"COVERS": "bestrijkt", "COORDINATES": "coördineert", ...}."""
    labels = {t: spec.get("nl", t.lower()) for t, spec in schema.schema()["relationships"].items()}
    if ONTOLOGY.exists():
        labels.update(ontology_labels(ONTOLOGY))
    return labels


def ontology_labels(path: Path) -> dict[str, str]:
    """`rg:relationshipType` -> `rdfs:label@nl` of every property in an ontology file."""
    from rdflib import Graph as RdfGraph
    from rdflib import Literal
    from rdflib.namespace import RDFS

    from graph.vocab import RG

    onto = RdfGraph().parse(path, format="turtle")
    out: dict[str, str] = {}
    for prop, rel_type in onto.subject_objects(RG.relationshipType):
        for label in onto.objects(prop, RDFS.label):
            if isinstance(label, Literal) and label.language == "nl":
                out[str(rel_type)] = str(label)
    return out


def relationship_label(rel_type: str) -> str:
    return relationship_labels().get(rel_type, rel_type.lower().replace("_", " "))


def display_label(node: Node) -> str:
    """The most specific schema label (Province rather than Region)."""
    known = [label for label in node.labels if label in schema.schema()["labels"]]
    return known[-1] if known else node.label


def kind_name(node: Node) -> str:
    """The Dutch name of a node's kind: Programma, Provincie, COROP-gebied, Brief ..."""
    kind = node.properties.get("kind")
    if kind == "corop-gebied":
        return "COROP-gebied"
    if kind == "woonplaats":
        return "Woonplaats"
    label = display_label(node)
    return schema.schema()["labels"].get(label, {}).get("nl", label)


def dutch_date(value: object) -> str:
    """'2024-12-20' -> '20 december 2024'; anything else as it is ('' for none)."""
    match = _ISO_DATE.match(str(value or ""))
    if not match:
        return str(value or "")
    year, month, day = (int(x) for x in match.groups())
    if not 1 <= month <= 12:
        return str(value)
    return f"{day} {MONTHS[month - 1]} {year}"


def letter_title(node: Node) -> str:
    """What a letter is about: its title, else its dossier's title and number, else its kind."""
    props = node.properties
    if props.get("title"):
        return str(props["title"])
    dossier_titles = props.get("dossier_titles") or []
    if dossier_titles:
        number = props.get("kamerstuk") or ""
        return f"{dossier_titles[0]}" + (f" (Kamerstuk {number})" if number else "")
    if props.get("kamerstuk"):
        return f"Kamerstuk {props['kamerstuk']}"
    if node.name and not _FILE_NAME.match(node.name):
        return node.name
    return str(props.get("kind") or "Brief")


def letter_label(node: Node) -> str:
    """A letter by date and title: '20 december 2024 · Nadere uitwerking Elke regio telt'."""
    date = dutch_date(node.properties.get("date")) or "zonder datum"
    return f"{date} · {letter_title(node)}"


def signatories(node: Node) -> str:
    return ", ".join(str(s) for s in node.properties.get("signatories") or [])


def official_page(node: Node) -> str | None:
    """The letter's public page (Tweede Kamer or officielebekendmakingen.nl) where one is known."""
    props = node.properties
    if props.get("document_number"):
        return TK_LETTER_PAGE.format(number=props["document_number"])
    kamerstuk = str(props.get("kamerstuk") or "")
    if "-" in kamerstuk:
        dossier, number = kamerstuk.rsplit("-", 1)
        return OB_KAMERSTUK_PAGE.format(dossier=dossier, number=number)
    return None


def node_label(node: Node) -> str:
    """How a node is named on a page: letters by date and title, everything else by name."""
    return letter_label(node) if "Letter" in node.labels else node.name
