"""Read-only SPARQL over a store: the RDF rendering of its snapshot (graph/rdf.py) loaded into an
in-memory pyoxigraph store, rebuilt when the store's fingerprint (counts and letters) changes.

The default graph of a query is the merge of all graphs, so plain patterns see node descriptions,
direct triples, assertions and evidence alike (each triple once); `GRAPH ?letter {...}` still tells
which letter supports a claim. Queries run in a worker thread and are abandoned after a time limit; at most
`limit` solutions or triples are kept.

Nothing a query says makes the server fetch a URL: each query is parsed first (rdflib's SPARQL 1.1 parser;
pyoxigraph has no parse-only call) and refused when its syntax tree holds a SERVICE pattern (federation), is
an update (LOAD, INSERT...) or cannot be parsed. pyoxigraph only runs queries (never `update`), and its FROM /
FROM NAMED select graphs of the in-memory dataset, they load nothing.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
from pyparsing import ParseResults
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from graph import rdf
from graph.store import GraphStore
from graph.vocab import PREFIXES

DEFAULT_PREFIXES = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {
    f"{_XSD}{t}" for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")
}


class SparqlError(ValueError):
    """A query that cannot run: a syntax error or an update; the message says which."""


class SparqlTimeout(Exception):
    """The query ran longer than the time limit."""


@dataclass
class SparqlResult:
    kind: str  # "select", "ask" or "graph" (CONSTRUCT / DESCRIBE)
    variables: list[str] = field(default_factory=list)
    solutions: list[dict[str, Any]] = field(default_factory=list)  # variable -> pyoxigraph term
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    truncated: bool = False


def check_query(text: str) -> None:
    """Refuse what must not run: a text that is no SPARQL query (an update names its operation),
    and a query with SERVICE anywhere in its syntax tree (federation would fetch the named URL)."""
    # Parsing costs milliseconds: curated and repeated (short) queries are checked once.
    problem = _cached_problem(text) if len(text) <= 4000 else _problem(text)
    if problem:
        raise SparqlError(problem)


def _problem(text: str) -> str | None:
    # Whatever the parser cannot read is refused (fail closed): it might hide what it cannot see.
    try:
        tree = parseQuery(text)
    except Exception as exc:  # pyparsing's errors, bad escapes, parser recursion limits
        try:
            update = parseUpdate(text)
        except Exception:
            return f"invalid SPARQL: {exc}"
        operations = ", ".join(dict.fromkeys(op.name for op in update.request)) or "update"
        return (
            f"SPARQL updates ({operations}) are refused: this endpoint is read-only; "
            "change the graph by adding or deleting letters"
        )
    try:
        names = _pattern_names(tree)
    except RecursionError:
        return "invalid SPARQL: the query is nested too deeply"
    if "ServiceGraphPattern" in names:
        return (
            "SERVICE (federated query) is refused: this endpoint never fetches other endpoints or URLs; "
            "query the data it holds"
        )
    return None


_cached_problem = lru_cache(maxsize=512)(_problem)


def _pattern_names(node: Any, found: set[str] | None = None) -> set[str]:
    """The names of all parsed elements (SelectQuery, GroupGraphPatternSub, ServiceGraphPattern...)."""
    found = set() if found is None else found
    if isinstance(node, CompValue):
        found.add(node.name)
        for value in node.values():
            _pattern_names(value, found)
    elif isinstance(node, dict):
        for value in node.values():
            _pattern_names(value, found)
    elif isinstance(node, list | tuple | ParseResults):
        for value in node:
            _pattern_names(value, found)
    return found


def python_value(term: Any) -> Any:
    """A plain value for JSON rows: IRIs and strings as text, numbers and booleans as such."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGERS:
                return int(term.value)
            if datatype in (f"{_XSD}decimal", f"{_XSD}double", f"{_XSD}float"):
                return float(term.value)
        except ValueError:
            return term.value
        if datatype == f"{_XSD}boolean":
            return term.value in ("true", "1")
        return term.value
    return term.value


class SparqlEngine:
    """One per application: caches the pyoxigraph store of the last snapshot it saw."""

    def __init__(self, base_iri: str, workers: int = 2):
        self.base_iri = base_iri
        self._lock = threading.Lock()
        self._fingerprint: tuple | None = None
        self._store: ox.Store | None = None
        self._workers = workers
        self._pool: ThreadPoolExecutor | None = None
        self.builds = 0

    @staticmethod
    def fingerprint(store: GraphStore) -> tuple:
        counts = tuple(sorted(store.counts().items()))
        letters = tuple((n.id, n.properties.get("sha256")) for n in store.letters())
        return counts, letters

    def dataset(self, store: GraphStore) -> ox.Store:
        """The dump of the current content of `store` (graph/rdf.py build_store, rebuilt only after a
        change): its default graph is the merge of all graphs, each triple once."""
        fingerprint = self.fingerprint(store)
        with self._lock:
            if self._store is None or fingerprint != self._fingerprint:
                self._store = rdf.build_store(store.snapshot(), self.base_iri)
                self._fingerprint = fingerprint
                self.builds += 1
            return self._store

    rdf_store = dataset

    def query(
        self,
        store: GraphStore,
        text: str,
        timeout: float,
        limit: int,
        bindings: dict[str, str] | None = None,
    ) -> SparqlResult:
        """Run a SPARQL query; `bindings` fix variables to string literals (curated query parameters)."""
        check_query(text)
        dataset = self.dataset(store)
        substitutions = {ox.Variable(k): ox.Literal(v) for k, v in (bindings or {}).items()}
        future = self._executor().submit(self._run, dataset, text, limit, substitutions)
        try:
            return future.result(timeout=timeout)
        except FutureTimeout:
            future.cancel()
            raise SparqlTimeout(
                f"the query ran longer than {timeout:g} s and was abandoned; "
                "narrow it (add LIMIT or more specific patterns)"
            ) from None

    @staticmethod
    def _run(dataset: ox.Store, text: str, limit: int, substitutions: dict) -> SparqlResult:
        try:
            answer = dataset.query(
                text,
                prefixes=DEFAULT_PREFIXES,
                substitutions=substitutions or None,
            )
        except SyntaxError as exc:
            raise SparqlError(f"invalid SPARQL: {exc}") from None
        if isinstance(answer, ox.QueryBoolean):
            return SparqlResult(kind="ask", boolean=bool(answer))
        if isinstance(answer, ox.QueryTriples):
            triples = _take(answer, limit + 1)
            return SparqlResult(kind="graph", triples=triples[:limit], truncated=len(triples) > limit)
        variables = [v.value for v in answer.variables]
        rows = _take(answer, limit + 1)
        solutions = [{v: row[v] for v in variables if row[v] is not None} for row in rows[:limit]]
        return SparqlResult(
            kind="select", variables=variables, solutions=solutions, truncated=len(rows) > limit
        )

    def _executor(self) -> ThreadPoolExecutor:
        # Created on demand, so an app that is shut down and started again (tests, reloads) still works.
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=self._workers, thread_name_prefix="sparql")
            return self._pool

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


def _take(iterator, n: int) -> list:
    out = []
    for item in iterator:
        out.append(item)
        if len(out) >= n:
            break
    return out
