"""Helpers for the extraction tests: extract small texts written for a test."""

from __future__ import annotations

import hashlib

from graph.model import Graph
from ingest.models import RawLetter
from ingest.pipeline import extract_raw


def letter_from_text(text: str, name: str = "test.txt") -> RawLetter:
    return RawLetter(
        path=name, source=name, text=text, encoding="utf-8", sha256=hashlib.sha256(text.encode()).hexdigest()
    )


def extract_text(text: str) -> Graph:
    return extract_raw(letter_from_text(text))


def rel_keys(graph: Graph, rtype: str) -> set[tuple[str, str]]:
    return {(r.start, r.end) for r in graph.relationships if r.type == rtype}
