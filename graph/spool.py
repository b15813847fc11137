"""Relationships kept in a file instead of in memory, for an export of a store too large to hold: a
read-only Sequence that the streamed dump (graph/rdf_stream.py) reads like the list of a Graph, while
memory holds one offset per relationship. Each is pickled on its own and read back by position, so the
named graphs can visit them in any order."""

from __future__ import annotations

import os
import pickle
from array import array
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import overload

from graph.model import Graph, Node, Relationship


class SpooledRelationships(Sequence[Relationship]):
    def __init__(self, path: Path, relationships: Iterable[Relationship]):
        self.path = path
        self._offsets = array("Q", [0])
        with open(path, "wb") as out:
            for rel in relationships:
                out.write(pickle.dumps(rel, protocol=pickle.HIGHEST_PROTOCOL))
                self._offsets.append(out.tell())
        self._fd = os.open(path, os.O_RDONLY)

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def _read(self, i: int) -> Relationship:
        start = self._offsets[i]
        return pickle.loads(os.pread(self._fd, self._offsets[i + 1] - start, start))

    @overload
    def __getitem__(self, index: int) -> Relationship: ...

    @overload
    def __getitem__(self, index: slice) -> list[Relationship]: ...

    def __getitem__(self, index: int | slice) -> Relationship | list[Relationship]:
        if isinstance(index, slice):
            return [self._read(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._read(index)

    def __iter__(self) -> Iterator[Relationship]:
        with open(self.path, "rb") as source:  # read in order: one sequential pass
            for _ in range(len(self)):
                yield pickle.load(source)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __del__(self) -> None:
        self.close()


def spooled_graph(nodes: list[Node], relationships: SpooledRelationships) -> Graph:
    """A Graph whose relationships stay in their file (not validated again: they were read from the
    store as models)."""
    return Graph.model_construct(nodes=nodes, relationships=relationships)  # type: ignore[arg-type]
