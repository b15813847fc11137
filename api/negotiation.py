"""Choosing a response media type from an Accept header (RFC 9110 q-values, `type/*` and `*/*`)."""

from __future__ import annotations


def _parse(accept: str) -> list[tuple[str, float, int]]:
    ranges = []
    for position, item in enumerate(accept.split(",")):
        media, *params = (part.strip() for part in item.split(";"))
        if not media:
            continue
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges.append((media.lower(), quality, position))
    return ranges


def _specificity(media_range: str, offered: str) -> int | None:
    if media_range == offered:
        return 2
    if media_range.endswith("/*") and offered.startswith(media_range[:-1]):
        return 1
    if media_range == "*/*":
        return 0
    return None


def negotiate(accept: str | None, offered: list[str]) -> str | None:
    """The offered type the client prefers; the first offered one when Accept is absent or `*/*`;
    None when nothing offered is acceptable (answer 406)."""
    if not accept or not accept.strip():
        return offered[0]
    best: tuple[float, int, int, int] | None = None
    choice = None
    for index, offer in enumerate(offered):
        # The most specific range that matches decides the quality of this offer.
        matches = [
            (spec, quality, position)
            for media, quality, position in _parse(accept)
            if (spec := _specificity(media, offer)) is not None
        ]
        if not matches:
            continue
        spec, quality, position = max(matches, key=lambda m: m[0])
        if quality <= 0:
            continue
        # Higher quality, then an exact match over a wildcard, then the client's order, then ours.
        rank = (quality, spec, -position if spec else 0, -index)
        if best is None or rank > best:
            best, choice = rank, offer
    return choice
