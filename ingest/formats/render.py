"""Building a plain-text rendition paragraph by paragraph while remembering where things land.

Paragraphs are separated by a blank line; whitespace inside a paragraph is collapsed, so offsets
recorded while writing (`pos`) are offsets into the finished text.
"""

from __future__ import annotations

import re

_WS = re.compile(r"\s+")
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


class TextBuilder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self._open = False  # inside a paragraph
        self._space = False  # a collapsed space is pending
        self._empty_at = -1  # the position of a paragraph begun but not written to yet

    def start(self) -> int:
        """Begin a paragraph (closing an open one); returns where it starts."""
        self.end()
        if self.pos and self.pos != self._empty_at:
            self._emit("\n\n")
        self._open = True
        self._space = False
        self._empty_at = self.pos
        return self.pos

    def end(self) -> None:
        self._open = False
        self._space = False

    def write(self, text: str | None) -> None:
        """Inline text: whitespace collapses to single spaces, none at a paragraph's edges."""
        if not text:
            return
        if not self._open:
            self.start()
        for i, piece in enumerate(_WS.split(text)):
            if i:
                self._space = True
            if piece:
                if self._space and not self.at_paragraph_start():
                    self._emit(" ")
                self._space = False
                self._emit(piece)

    def newline(self) -> int:
        """A new line inside the current block (footnotes: one a line); returns where it starts."""
        if self.pos:
            self._emit("\n")
        self._open = True
        self._space = False
        return self.pos

    def glue(self, text: str) -> int:
        """Text glued to what precedes it (a footnote anchor); returns where it starts."""
        if not self._open:
            self.start()
        self._space = False
        at = self.pos
        self._emit(text)
        return at

    def space(self) -> None:
        self._space = True

    def mark(self) -> int:
        """Where the next visible character will land (a pending space is written first)."""
        if self._space and self._open and not self.at_paragraph_start():
            self._emit(" ")
            self._space = False
        return self.pos

    def at_paragraph_start(self) -> bool:
        return not self.parts or self.parts[-1].endswith("\n")

    def _emit(self, text: str) -> None:
        self.parts.append(text)
        self.pos += len(text)

    def text(self) -> str:
        text = "".join(self.parts).rstrip("\n")
        return text + "\n" if text else ""


def clean(text: str | None) -> str:
    return _WS.sub(" ", text or "").strip()
