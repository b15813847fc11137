"""What a structured source states, joined with what the text stages read (`RawLetter.structure`).

Two steps, called from ingest/pipeline.py:

- `merge_metadata`, right after the metadata stage: the structure overrides the text's dossier,
  volgnummer, Kamerstuk, title, kind and signatories, and gives the date when its metadata has one
  (`DCTERMS.issued`); a field the structure does not state keeps what the text says.
- `add_citations`, after assembly: every cited Kamerstuk (`extref doc="kst-28844-266"`) becomes a
  REFERS_TO from the letter with that exact id, and PART_OF its dossier, with the citing footnote
  or paragraph as evidence (basis `structure`). Other cited documents (Staatsblad, Handelingen)
  are listed on the letter node as `cited_documents`.

Offsets in a Structure are into the rendition (`raw.text`); LetterMeta spans are normalised offsets,
so spans are carried over through the normaliser's offset map.
"""

from __future__ import annotations

import re

from graph.model import Evidence, Graph, Node, Relationship
from ingest.formats.structure import Structure, parse_kst
from ingest.models import Basis, Dossier, LetterMeta, RawLetter, Signatory
from ingest.normalise import NormalisedText
from ingest.text import lower_same_length
from ingest.vocabulary import Vocabulary

_OFFICE = re.compile(
    r"^[Dd]e (?P<role>[Mm]inister(?:-[Pp]resident)?|[Ss]taatssecretaris)(?: (?:van|voor) (?P<of>.+))?$"
)
MAX_QUOTE = 400  # a citing paragraph longer than this is quoted by the citing words alone


def to_normalised(doc: NormalisedText, offset: int) -> int | None:
    """The normalised offset of an original offset, when the normaliser kept that character."""
    m = doc.offsets
    for k, (n0, o0) in enumerate(zip(m.norm_starts, m.orig_starts, strict=False)):
        n1 = m.norm_starts[k + 1] if k + 1 < len(m.norm_starts) else len(doc.text)
        if o0 <= offset < o0 + (n1 - n0):
            return n0 + offset - o0
    return None


def _span(doc: NormalisedText, start: int, end: int) -> tuple[int, int] | None:
    s = to_normalised(doc, start)
    e = to_normalised(doc, end - 1) if end > start else None
    return (s, e + 1) if s is not None and e is not None and e >= s else None


def _signatory(structure_sig, doc: NormalisedText, vocab: Vocabulary) -> Signatory:
    office = structure_sig.office
    role, ministry = "lid", None
    if office and (m := _OFFICE.match(office)):
        role = m["role"].lower()
        if m["of"]:
            ministry = vocab.ministry_by_name.get(lower_same_length(m["of"].strip()))
        elif role == "minister-president":
            ministry = "ministry:az"
    elif office:
        role = (
            office.split(" ")[1].lower()
            if office.lower().startswith("de ") and " " in office
            else office.lower()
        )
    span = _span(doc, structure_sig.start, structure_sig.end) or (0, 0)
    return Signatory(structure_sig.name, office or "", role, ministry, span[0], span[1])


def merge_metadata(raw: RawLetter, doc: NormalisedText, meta: LetterMeta, vocab: Vocabulary) -> LetterMeta:
    """`meta` with what the letter's structure states; unchanged for a letter without structure."""
    s: Structure | None = raw.structure
    if s is None:
        return meta
    if s.dossiers:
        dossiers = []
        for d in s.dossiers:
            span = _span(doc, d.start, d.end) if d.end > d.start else None
            if span is None:  # not shown in the text: keep the text's span of the same dossier, if any
                known = next((x for x in meta.dossiers if x.number == d.number), None)
                span = (known.start, known.end) if known else (0, 0)
            dossiers.append(Dossier(number=d.number, title=d.title or "", start=span[0], end=span[1]))
        meta.dossiers = dossiers
    if s.ondernummer:
        meta.volgnummer = s.ondernummer
    if s.kamerstuk:
        meta.kamerstuk = s.kamerstuk
    if s.title:
        meta.title = s.title
    if s.kind:
        meta.kind = s.kind
    if s.date:
        meta.date = s.date
    if s.document_number:
        meta.document_number = s.document_number
    if s.signatories:
        meta.signatories = [_signatory(sig, doc, vocab) for sig in s.signatories]
    return meta


def add_citations(graph: Graph, raw: RawLetter, lid: str) -> Graph:
    """The letter's graph with a REFERS_TO for every Kamerstuk its structure cites."""
    s: Structure | None = raw.structure
    if s is None or not s.citations:
        return graph
    nodes = graph.node_index()
    rels = {r.key: r for r in graph.relationships}
    others: list[str] = []
    for c in s.citations:
        parsed = parse_kst(c.target)
        if parsed is None:
            if c.target not in others:
                others.append(c.target)
            continue
        dossier, nr = parsed
        doc_id = f"document:{dossier}-{nr}"
        start, end = (c.context_start, c.context_end)
        if end - start > MAX_QUOTE:
            start, end = c.start, c.end
        quote = raw.text[start:end]
        evidence = Evidence(
            letter=lid,
            source=raw.source,
            start=start,
            end=end,
            quote=quote,
            rule="xml-extref",
            basis=Basis.STRUCTURE.value,
        )
        if doc_id not in nodes:
            nodes[doc_id] = Node(
                id=doc_id,
                labels=["Document"],
                name=f"{dossier}-{nr}",
                properties={"dossier": dossier, "number": nr},
            )
        dossier_id = f"dossier:{dossier}"
        if dossier_id not in nodes:
            nodes[dossier_id] = Node(
                id=dossier_id, labels=["Dossier"], name=dossier, properties={"number": dossier}
            )
        for key in (("REFERS_TO", lid, doc_id), ("PART_OF", doc_id, dossier_id)):
            rel = rels.get(key)
            if rel is None:
                rel = rels[key] = Relationship(type=key[0], start=key[1], end=key[2])
            if not any((e.letter, e.start, e.end) == (lid, start, end) for e in rel.evidence):
                rel.evidence.append(evidence.model_copy())
    if others and lid in nodes:
        nodes[lid].properties["cited_documents"] = others
    return Graph(nodes=list(nodes.values()), relationships=list(rels.values()))


def letter_key(raw: RawLetter, meta: LetterMeta) -> str:
    """decisions.md D7: `kst-<dossier>[-<suffix>]-<nr>` when known, else the Tweede Kamer document
    number, else a content hash. The document number stays an alias of the letter node, so a
    letter read as XML and the same letter handed over as text are one letter."""
    kamerstuk = (raw.structure.kamerstuk if raw.structure else None) or meta.kamerstuk
    if kamerstuk:
        parsed = parse_kst("kst-" + kamerstuk)
        return "letter:" + (f"kst-{parsed[0]}-{parsed[1]}" if parsed else f"kst-{kamerstuk}")
    if meta.document_number:
        return f"letter:{meta.document_number}"
    return f"letter:{raw.sha256[:16]}"


__all__ = ["add_citations", "letter_key", "merge_metadata", "to_normalised"]
