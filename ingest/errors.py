"""Errors raised for letters that cannot be read."""

from __future__ import annotations

from pathlib import Path


class LetterError(Exception):
    """A letter that cannot be processed; str() is a one-line message naming the file."""

    def __init__(self, path: Path | str, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")

    def __reduce__(self):  # rebuilt from (path, reason) when it crosses a process boundary
        return type(self), (self.path, self.reason)
