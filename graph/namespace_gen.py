"""Writes graph/rg_namespace.py from ontology.ttl: the `rg:` vocabulary as an rdflib `DefinedNamespace`
with `_fail = True`, so a term the ontology does not declare is an error, never a new IRI.

    python -m graph.namespace_gen            # rewrite graph/rg_namespace.py
    python -m graph.namespace_gen --check    # exit 1 when the file is not current

The generated module also carries the ontology's Turtle text (`ONTOLOGY_TURTLE`), so an installed
package serves `/def/` without the repository. tests/graph/test_vocabulary.py checks the file is current.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from rdflib import Graph as RDFGraph
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
ONTOLOGY_PATH = HERE.parent / "ontology.ttl"
OUTPUT_PATH = HERE / "rg_namespace.py"
NAMESPACE = "https://regiograph.nl/def/"

_KINDS = (
    ("Classes", OWL.Class),
    ("Object properties", OWL.ObjectProperty),
    ("Datatype properties", OWL.DatatypeProperty),
    ("Annotation properties", OWL.AnnotationProperty),
)


def _english(graph: RDFGraph, term: URIRef, predicate: URIRef) -> str:
    for value in graph.objects(term, predicate):
        if isinstance(value, Literal) and value.language == "en":
            return " ".join(str(value).split())
    return ""


def terms(graph: RDFGraph) -> list[tuple[str, str, str]]:
    """(section, local name, English label: comment) of every rg: term the ontology types."""
    out: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for section, kind in _KINDS:
        names = sorted(
            str(t)[len(NAMESPACE) :]
            for t in graph.subjects(RDF.type, kind)
            if isinstance(t, URIRef) and str(t).startswith(NAMESPACE) and len(str(t)) > len(NAMESPACE)
        )
        for name in names:
            if name in seen:
                continue
            seen.add(name)
            term = URIRef(NAMESPACE + name)
            label, comment = _english(graph, term, RDFS.label), _english(graph, term, RDFS.comment)
            out.append((section, name, f"{label}: {comment}" if comment else label))
    return out


def render(ontology_text: str) -> str:
    """The source of graph/rg_namespace.py for this ontology text."""
    graph = RDFGraph().parse(data=ontology_text, format="turtle")
    lines = [
        "# ruff: noqa: E501",
        '"""The `rg:` vocabulary, generated from ontology.ttl (python -m graph.namespace_gen); do not edit.',
        "",
        '`RG.<term>` and `RG["<term>"]` raise AttributeError for a term the ontology does not declare.',
        '"""',
        "",
        "from rdflib.namespace import DefinedNamespace, Namespace",
        "from rdflib.term import URIRef",
        "",
        "",
        "class RG(DefinedNamespace):",
        '    """RegioGraph ontology <https://regiograph.nl/def/>."""',
        "",
        f'    _NS = Namespace("{NAMESPACE}")',
        "    _fail = True",
    ]
    section = None
    for term_section, name, doc in terms(graph):
        if term_section != section:
            section = term_section
            lines += ["", f"    # {section}"]
        lines.append(f"    {name}: URIRef  # {doc}".rstrip())
    lines += ["", "", f"ONTOLOGY_TURTLE = {ontology_text!r}", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ontology", type=Path, default=ONTOLOGY_PATH)
    parser.add_argument("--output", type=Path, default=OUTPUT_PATH)
    parser.add_argument("--check", action="store_true", help="only check that the output is current")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    source = render(args.ontology.read_text(encoding="utf-8"))
    current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
    if args.check:
        if current != source:
            log.error("%s is not current; run python -m graph.namespace_gen", args.output)
            return 1
        return 0
    if current != source:
        args.output.write_text(source, encoding="utf-8")
        log.info("wrote %s", args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
