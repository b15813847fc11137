"""A SPARQL worker process: `python -m graph.sparql_worker`, started and killed by graph/sparql.py.

It reads requests from stdin and writes replies to stdout, each a length-prefixed pickle (4-byte
big-endian length). A request names the dataset (a pyoxigraph Store on disk) and its version; the worker
opens it read-only when the version changes (nothing is loaded into memory), runs the query, applies
the row cap and writes
the answer with pyoxigraph's own serialisers (QueryResultsFormat, RdfFormat), so the parent only relays
bytes. A query that runs too long is not interrupted here: the parent kills the whole process.

Replies: ("ok", kind, media_type, body, truncated) with kind "select" | "ask" | "graph" | "load", or
("error", code, message) with code "syntax" | "row_cap" | "not_acceptable" | "internal". With mode
"truncate" (curated queries) SELECT answers SPARQL JSON cut at the limit, `truncated` saying so.
"""

from __future__ import annotations

import json
import os
import pickle
import struct
import sys
from typing import IO, Any

import pyoxigraph as ox

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}


def read_frame(stream: IO[bytes]) -> Any:
    head = stream.read(4)
    if len(head) < 4:
        raise EOFError
    (size,) = struct.unpack(">I", head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


def write_frame(stream: IO[bytes], value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack(">I", len(data)) + data)
    stream.flush()


def _term_json(term: Any) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _term_json(term.subject),
                "predicate": _term_json(term.predicate),
                "object": _term_json(term.object),
            },
        }
    raise TypeError(f"unexpected term {term!r}")


def solutions_json(variables: list[str], rows: list) -> bytes:
    """SPARQL 1.1 JSON results of the collected rows (pyoxigraph then writes the asked format from it)."""
    bindings = [{v: _term_json(row[v]) for v in variables if row[v] is not None} for row in rows]
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}).encode("utf-8")


def _take(iterator, n: int) -> list:
    out = []
    for item in iterator:
        out.append(item)
        if len(out) >= n:
            break
    return out


class Worker:
    def __init__(self) -> None:
        self.version: str | None = None
        self.store: ox.Store | None = None

    def load(self, version: str, path: str) -> ox.Store:
        if self.store is None or version != self.version:
            self.store = None  # the previous dataset's handle is let go first
            self.store, self.version = ox.Store.read_only(path), version
        return self.store

    def handle(self, request: dict) -> tuple:
        if request.get("op") == "load":
            self.load(request["version"], request["path"])
            return ("ok", "load", "", b"", False)
        store = self.load(request["version"], request["path"])
        options: dict[str, Any] = {"prefixes": request.get("prefixes") or None}
        if request.get("base_iri"):
            options["base_iri"] = request["base_iri"]
        if request.get("substitutions"):
            options["substitutions"] = {
                ox.Variable(k): ox.Literal(v) for k, v in request["substitutions"].items()
            }
        if request.get("default_graph") is not None or request.get("named_graphs") is not None:
            # The protocol's dataset replaces the query's FROM / FROM NAMED (SPARQL 1.1 Protocol 2.1.4);
            # a graph the store does not hold is empty, nothing is ever fetched.
            try:
                options["default_graph"] = [ox.NamedNode(g) for g in request.get("default_graph") or []]
                options["named_graphs"] = [ox.NamedNode(g) for g in request.get("named_graphs") or []]
            except ValueError as exc:
                return ("error", "syntax", f"a dataset graph is not an absolute IRI: {exc}")
        try:
            answer = store.query(request["query"], **options)
        except SyntaxError as exc:
            return ("error", "syntax", f"invalid SPARQL: {exc}")
        limit = int(request["limit"])
        truncate = request.get("mode") == "truncate"  # else past the row cap is refused
        if isinstance(answer, ox.QueryBoolean):
            if truncate:
                return ("ok", "ask", "", json.dumps({"head": {}, "boolean": bool(answer)}).encode(), False)
            fmt = request.get("results_format")
            if fmt is None:
                return ("error", "not_acceptable", "results")
            body = answer.serialize(format=RESULT_FORMATS[fmt])
            return ("ok", "ask", request["results_media"], body, False)
        if isinstance(answer, ox.QueryTriples):
            triples = _take(answer, limit + 1)
            truncated = len(triples) > limit
            if truncated and not truncate:
                return ("error", "row_cap", "triples")
            fmt = request.get("graph_format")
            if fmt is None:
                return ("error", "not_acceptable", "graph")
            body = ox.serialize(triples[:limit], format=GRAPH_FORMATS[fmt], prefixes=options["prefixes"])
            return ("ok", "graph", request["graph_media"], body, truncated)
        variables = [v.value for v in answer.variables]
        rows = _take(answer, limit + 1)
        truncated = len(rows) > limit
        if truncated and not truncate:
            return ("error", "row_cap", "rows")
        data = solutions_json(variables, rows[:limit])
        if truncate:
            return ("ok", "select", "application/sparql-results+json", data, truncated)
        fmt = request.get("results_format")
        if fmt is None:
            return ("error", "not_acceptable", "results")
        parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        body = parsed.serialize(format=RESULT_FORMATS[fmt])
        return ("ok", "select", request["results_media"], body, False)


def main() -> None:
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    # Nothing else may write to the reply stream.
    sys.stdout = sys.stderr
    worker = Worker()
    while True:
        try:
            request = read_frame(stdin)
        except EOFError:
            return
        try:
            reply = worker.handle(request)
        except Exception as exc:  # a bug or a broken dump file: the parent answers 500
            reply = ("error", "internal", f"{type(exc).__name__}: {exc}")
        write_frame(stdout, reply)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
