"""Text normalisation shared by the stores, so search behaves the same in Neo4j and in memory."""

from __future__ import annotations

import unicodedata


def fold(s: str) -> str:
    """Accent- and case-insensitive form: NFKD, combining marks dropped, casefolded.

    "Fryslân" -> "fryslan"
    """
    decomposed = unicodedata.normalize("NFKD", s)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def search_text(name: str, aliases: list[str]) -> str:
    """One folded string over name and aliases; lines keep a query from matching across two names."""
    return "\n".join(fold(x) for x in [name, *aliases])
