"""Derived relationships: OVERLAPS between programmes that cover at least one common region.

Computed from COVERS relationships only, so both stores share the logic. A derived OVERLAPS is
stored once per pair, from the smaller to the larger programme id, with `derived=True`,
`shared_regions` (sorted ids) and `jaccard` (shared / all regions covered by either).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from graph.model import Relationship


def coverage(relationships: Iterable[Relationship]) -> dict[str, set[str]]:
    """Programme id -> ids of the regions it COVERS."""
    covered: dict[str, set[str]] = {}
    for rel in relationships:
        if rel.type == "COVERS" and not rel.derived:
            covered.setdefault(rel.start, set()).add(rel.end)
    return covered


def jaccard(a: set[str], b: set[str]) -> float:
    """Shared regions over all regions covered by either, rounded as stored."""
    return round(len(a & b) / len(a | b), 4) if a or b else 0.0


def derive_overlaps(covered: Mapping[str, set[str]], only: set[str] | None = None) -> list[Relationship]:
    """Derived OVERLAPS for every pair sharing a region; with `only`, just the pairs that involve
    one of those programmes (the rest is unchanged after a write touching only them)."""
    by_region: dict[str, set[str]] = {}
    for programme, regions in covered.items():
        for region in regions:
            by_region.setdefault(region, set()).add(programme)
    pairs: set[tuple[str, str]] = set()
    for programmes in by_region.values():
        ordered = sorted(programmes)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                if only is None or a in only or b in only:
                    pairs.add((a, b))
    overlaps = []
    for a, b in sorted(pairs):
        shared = covered[a] & covered[b]
        overlaps.append(
            Relationship(
                type="OVERLAPS",
                start=a,
                end=b,
                derived=True,
                properties={"shared_regions": sorted(shared), "jaccard": jaccard(covered[a], covered[b])},
            )
        )
    return overlaps


def derive_all(relationships: Iterable[Relationship]) -> list[Relationship]:
    return derive_overlaps(coverage(relationships))
