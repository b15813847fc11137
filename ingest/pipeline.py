"""Chains the stages, one call each, typed objects between them:

load -> RawLetter -> normalise -> NormalisedText -> sentences -> [Sentence] -> metadata -> LetterMeta
(with its senders) -> recognise -> [Mention] -> resolve -> Resolution -> relate -> [Relationship]
-> assemble -> Graph.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from graph.model import Graph, Relationship
from ingest.assemble import assemble
from ingest.errors import LetterError
from ingest.load import MAX_LETTER_BYTES, expand_paths, load_letter
from ingest.metadata import read_metadata
from ingest.models import RawLetter
from ingest.normalise import normalise
from ingest.patterns import grammar, patterns, triggers
from ingest.recognise import recognise
from ingest.relate import relate
from ingest.resolve import resolve
from ingest.senders import senders
from ingest.sentences import split_sentences
from ingest.structured import add_citations, letter_key, merge_metadata
from ingest.vocabulary import Vocabulary, vocabulary


@lru_cache(maxsize=1)
def load_tables() -> None:
    """Load the vocabulary and the rule tables once per process. They live as long as the process,
    so they are moved out of the collector's generations (`gc.freeze`): every collection would
    otherwise traverse their objects again, a few percent of extraction time."""
    vocabulary(), patterns(), grammar(), triggers()
    gc.freeze()


def extract_raw(raw: RawLetter, vocab: Vocabulary | None = None) -> Graph:
    load_tables()
    vocab = vocab or vocabulary()
    doc = normalise(raw)
    sentences = split_sentences(doc)
    meta = merge_metadata(raw, doc, read_metadata(doc, vocab), vocab)  # structure overrides the text
    meta.senders = senders(doc, meta, vocab)
    mentions = recognise(doc.text, sentences, vocab, meta)
    resolution = resolve(mentions, meta.date, vocab)
    lid = letter_key(raw, meta)
    relationships = relate(raw, doc, lid, meta, sentences, resolution.mentions)
    return add_citations(assemble(raw, meta, lid, resolution, relationships, vocab), raw, lid)


def extract_file(path: Path | str, max_bytes: int = MAX_LETTER_BYTES) -> Graph:
    """One letter file into its graph; raises LetterError naming the file on bad input."""
    raw = load_letter(path, max_bytes)
    try:
        return extract_raw(raw)
    except LetterError:
        raise
    except Exception as exc:  # a bug must not hide which letter triggered it
        raise LetterError(path, f"extraction failed: {type(exc).__name__}: {exc}") from exc


def iter_extract(
    paths: Iterable[Path | str], max_bytes: int = MAX_LETTER_BYTES
) -> Iterator[tuple[Path, Graph | LetterError]]:
    """Extract every letter, yielding (path, graph) or (path, error) so one bad file stops nothing."""
    for path in expand_paths(paths):
        try:
            yield path, extract_file(path, max_bytes)
        except LetterError as exc:
            yield path, exc


letter_id = letter_key  # decisions.md D7 (ingest/structured.py)

__all__ = ["extract_file", "extract_raw", "iter_extract", "letter_id", "Relationship"]
