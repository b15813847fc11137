"""Read-only SPARQL over a store: the dump of its snapshot (graph/rdf_stream.py load_store), run in worker
processes that can be killed, rebuilt when the store's fingerprint (counts and letters) changes.

The default graph of a query is the merge of all graphs, so plain patterns see node descriptions,
direct triples, assertions and evidence alike (each triple once); `GRAPH ?letter {...}` still tells
which letter supports a claim. The endpoint serves exactly the dump's quads and terms.

Limits that hold: each query runs in one of `workers` processes (graph/sparql_worker.py, opening the
dump's pyoxigraph Store on disk read-only); one that runs past its time limit, or whose client went away, is
killed with its process and a fresh worker takes its place, so no number of slow queries locks the
endpoint. A result over the row cap is refused (SparqlRowCap), never cut short silently; curated
queries ask for truncation instead and say so (`truncated`). Results are written by the worker with
pyoxigraph's serialisers (QueryResultsFormat, RdfFormat).

Nothing a query says makes the server fetch a URL: each query is parsed first (rdflib's SPARQL 1.1 parser;
pyoxigraph has no parse-only call) and refused when its syntax tree holds a SERVICE pattern (federation), is
an update (LOAD, INSERT...) or cannot be parsed. pyoxigraph only runs queries (never `update`), and its FROM /
FROM NAMED, like the protocol's default-graph-uri / named-graph-uri, select graphs of the in-memory dataset;
a graph it does not hold is empty, nothing is loaded.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from pyparsing import ParseResults
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from graph import rdf
from graph.rdf_stream import fill_store, load_store
from graph.sparql_worker import read_frame, write_frame
from graph.store import GraphStore
from graph.vocab import PREFIXES

log = logging.getLogger(__name__)

DEFAULT_PREFIXES = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {
    f"{_XSD}{t}" for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")
}


class SparqlError(ValueError):
    """A query that cannot run: a syntax error or an update; the message says which."""


class SparqlTimeout(Exception):
    """The query ran longer than the time limit (it was stopped)."""


class SparqlBusy(SparqlTimeout):
    """Every worker stayed busy for the whole time limit."""


class DatasetBuilding(SparqlTimeout):
    """The dataset of the store's current content is still being built (after a change to the store);
    the message says how far it got."""

    headers = {"Retry-After": "30"}


class SparqlRowCap(SparqlError):
    """More rows or triples than the row cap; the message names the cap, LIMIT and the dump."""


class SparqlNotAcceptable(SparqlError):
    """No result format the client accepts fits this kind of query (`kind`: "results" or "graph")."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


class SparqlCancelled(Exception):
    """The client went away; its query was stopped."""


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


# rdflib's pyparsing grammar keeps state while it parses: one parse at a time (requests run in threads).
_PARSE_LOCK = threading.Lock()


def _problem(text: str) -> str | None:
    with _PARSE_LOCK:
        return _parse_problem(text)


def _parse_problem(text: str) -> str | None:
    # Whatever the parser cannot read is refused (fail closed): it might hide what it cannot see.
    try:
        tree = parseQuery(text)
    except Exception as exc:  # pyparsing's errors, bad escapes, parser recursion limits
        try:
            update = parseUpdate(text)
        except Exception:
            return f"invalid SPARQL: {exc}"
        if not update.request:  # comments or a prologue alone parse as an empty update
            return f"invalid SPARQL: {exc}"
        operations = ", ".join(dict.fromkeys(op.name for op in update.request))
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


@dataclass
class SparqlAnswer:
    """What a worker wrote: the body in `media_type`, for a query of `kind` (select, ask or graph)."""

    kind: str
    media_type: str
    body: bytes
    truncated: bool = False  # mode="truncate": more rows existed than were kept


class Job:
    """One query's claim on a worker; `cancel()` (e.g. when the client disconnects) kills that worker."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.cancelled = False
        self.worker: _WorkerProcess | None = None

    def attach(self, worker: _WorkerProcess | None) -> bool:
        with self._lock:
            self.worker = worker
            return not self.cancelled

    def cancel(self) -> None:
        with self._lock:
            self.cancelled = True
            worker = self.worker
        if worker is not None:
            worker.kill()


class _WorkerDied(Exception):
    pass


class _WorkerProcess:
    """`python -m graph.sparql_worker`, talking length-prefixed pickles over its stdin and stdout."""

    def __init__(self) -> None:
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "graph.sparql_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            start_new_session=True,  # a Ctrl-C at the terminal is the server's to handle, not the worker's
        )
        self.loaded: str | None = None
        self.killed = False

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return not self.killed and self.proc.poll() is None

    def call(self, request: dict, timeout: float) -> tuple:
        """Send one request and wait for its reply; TimeoutError after `timeout` seconds (the worker is
        then still busy: kill it), _WorkerDied when the process ended (killed, crashed)."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        try:
            write_frame(self.proc.stdin, request)
        except (BrokenPipeError, OSError, ValueError):
            raise _WorkerDied from None
        ready, _, _ = select.select([self.proc.stdout], [], [], max(0.0, timeout))
        if not ready:
            raise TimeoutError
        try:
            return read_frame(self.proc.stdout)
        except (EOFError, OSError, ValueError):
            raise _WorkerDied from None

    def kill(self) -> None:
        self.killed = True
        if self.proc.poll() is None:
            try:
                self.proc.kill()
            except ProcessLookupError:
                pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            log.warning("SPARQL worker %s did not exit after SIGKILL", self.proc.pid)
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass


class _Pool:
    """`size` worker processes; a worker that was killed is replaced by a fresh one, started (and given
    the current dump) in the background so the next query finds it ready."""

    def __init__(self, size: int, warm: Any):
        self.size = size
        self._warm = warm  # () -> (version, path) | None: what a new worker loads before its first query
        self._idle: queue.Queue[_WorkerProcess | None] = queue.Queue()
        self._lock = threading.Lock()
        self._workers: set[_WorkerProcess] = set()
        self._closed = False
        self.busy = 0
        self.kills = 0
        for _ in range(size):
            self._idle.put(None)  # started on first use

    def _spawn(self) -> _WorkerProcess:
        worker = _WorkerProcess()
        with self._lock:
            if self._closed:
                worker.kill()
                raise SparqlError("the SPARQL engine is shut down")
            self._workers.add(worker)
        return worker

    def _spawn_warm(self) -> None:
        worker: _WorkerProcess | None = None
        try:
            worker = self._spawn()
            current = self._warm()
            if current is not None:
                reply = worker.call({"op": "load", "version": current[0], "path": current[1]}, 120.0)
                if reply[0] == "ok":
                    worker.loaded = current[0]
        except Exception as exc:  # the next query starts one itself
            log.warning("could not start a SPARQL worker in advance: %s", exc)
            if worker is not None:
                self._forget(worker)
            worker = None
        self._idle.put(worker)

    def acquire(self, timeout: float) -> _WorkerProcess:
        try:
            worker = self._idle.get(timeout=max(0.0, timeout))
        except queue.Empty:
            raise SparqlBusy(
                f"all {self.size} SPARQL workers stayed busy for {timeout:g} s; try again shortly"
            ) from None
        if worker is None or not worker.alive():
            if worker is not None:
                self._forget(worker)
            try:
                worker = self._spawn()
            except Exception:
                self._idle.put(None)
                raise
        with self._lock:
            self.busy += 1
        return worker

    def release(self, worker: _WorkerProcess, healthy: bool) -> None:
        with self._lock:
            self.busy -= 1
            closed = self._closed
        if healthy and worker.alive() and not closed:
            self._idle.put(worker)
            return
        self._forget(worker)
        with self._lock:
            self.kills += 1
        if not closed:
            threading.Thread(target=self._spawn_warm, name="sparql-worker-start", daemon=True).start()

    def _forget(self, worker: _WorkerProcess) -> None:
        worker.kill()
        with self._lock:
            self._workers.discard(worker)

    def pids(self) -> list[int]:
        with self._lock:
            return [w.pid for w in self._workers if w.alive()]

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._workers = list(self._workers), set()
        for worker in workers:
            worker.kill()


@dataclass
class _Build:
    """A dataset being built in the background for one content of the store (`fingerprint`)."""

    fingerprint: tuple | None
    number: int  # the engine's builds so far, this one included: names its folder
    started: float = field(default_factory=time.monotonic)
    done: threading.Event = field(default_factory=threading.Event)
    quads: int = 0
    dataset: _Dataset | None = None
    error: BaseException | None = None


@dataclass(frozen=True)
class _Dataset:
    """One content of the store as the endpoint serves it: a pyoxigraph Store on disk (the folder the
    workers open read-only), this process's read-only handle on it, and its default graph's size."""

    version: str
    path: Path
    store: ox.Store
    triples: int

    @property
    def location(self) -> tuple[str, str]:
        """(version, path): what a worker is told to open."""
        return self.version, str(self.path)


class SparqlEngine:
    """One per application: the dump of the last snapshot it saw, loaded into a pyoxigraph Store on disk
    that this process (for /rdf and /id/) and the worker processes that run the queries open read-only,
    so no process holds the dump or the graph in memory, whatever the size of the store.

    A store's dataset is built in a thread of its own after each change; a request waits for it up to
    `build_wait` seconds (enough for hundreds of letters) and is otherwise answered DatasetBuilding (503,
    Retry-After), so a large store's rebuild never holds a request open for minutes.

    `dataset`, when given, is served instead of the store's dump (the W3C protocol tests' data)."""

    def __init__(
        self, base_iri: str, workers: int = 2, dataset: ox.Store | None = None, build_wait: float = 30.0
    ):
        self.base_iri = base_iri
        self.workers = workers
        self.build_wait = build_wait
        self._lock = threading.Lock()
        self._fingerprint: tuple | None = None
        self._source = dataset
        self._dataset: _Dataset | None = None
        self._building: _Build | None = None
        self._closed = False
        self._dir: Path | None = None
        self._pool: _Pool | None = None
        self.builds = 0

    @staticmethod
    def fingerprint(store: GraphStore) -> tuple:
        counts = tuple(sorted(store.counts().items()))
        letters = tuple((n.id, n.properties.get("sha256")) for n in store.letters())
        return counts, letters

    def _current(self, store: GraphStore | None) -> _Dataset:
        """The dataset of the current content of `store`, built again only after a change."""
        fingerprint = None if self._source is not None or store is None else self.fingerprint(store)
        with self._lock:
            if self._closed:
                raise SparqlError("the SPARQL engine is shut down")
            if self._dataset is not None and fingerprint == self._fingerprint:
                return self._dataset
            build = self._building
            if build is None or build.fingerprint != fingerprint:
                if self._dir is None:
                    self._dir = Path(tempfile.mkdtemp(prefix="regiograph-sparql-"))
                self.builds += 1
                build = self._building = _Build(fingerprint, self.builds)
                thread = threading.Thread(target=self._run, args=(build, store), name="sparql-dataset")
                thread.daemon = True
                thread.start()
        if not build.done.wait(self.build_wait):
            raise DatasetBuilding(
                "the SPARQL dataset of the graph's current content is being built (after a change: "
                f"{build.quads:,} quads loaded in {time.monotonic() - build.started:.0f} s so far); "
                "try again in a minute"
            )
        if build.error is not None:
            raise build.error
        assert build.dataset is not None
        return build.dataset

    def _run(self, build: _Build, store: GraphStore | None) -> None:
        try:
            dataset = self._build(store, build)
        except BaseException as exc:  # handed to the requests that wait for it
            build.error = exc
            with self._lock:
                if self._building is build:
                    self._building = None  # the next request tries again
        else:
            build.dataset = dataset
            with self._lock:
                if self._building is build:  # a build started after it (a newer content) wins
                    self._dataset, self._fingerprint, self._building = dataset, build.fingerprint, None
        finally:
            build.done.set()

    def _build(self, store: GraphStore | None, build: _Build) -> _Dataset:
        assert self._dir is not None
        version = f"{os.getpid()}-{build.number}"
        folder = self._dir / f"dataset-{version}"  # the Store, and the dump files made from it
        folder.mkdir()
        path = folder / "store"
        if self._source is not None:
            fill_store(path, self._source)
            triples = None
        else:
            assert store is not None
            # the relationships wait in a file while they are loaded (graph/spool.py), not in memory
            with tempfile.TemporaryDirectory(dir=self._dir, prefix="spool-") as spool:
                graph = store.spooled_snapshot(Path(spool))
                stats = load_store(graph, self.base_iri, path, progress=lambda n: setattr(build, "quads", n))
                triples = stats.written - sum(stats.per_graph.values())  # the description included
                close = getattr(graph.relationships, "close", None)
                if close is not None:
                    close()
        opened = ox.Store.read_only(str(path))
        if triples is None:
            triples = int(rdf.select_values(opened, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"])
        for old in self._dir.glob("dataset-*"):
            if old != folder and not self._used_recently(old):
                shutil.rmtree(old, ignore_errors=True)
        return _Dataset(version, path, opened, triples)

    @staticmethod
    def _used_recently(path: Path) -> bool:
        # A worker may still be opening the previous dataset: keep it for a minute.
        try:
            return time.time() - path.stat().st_mtime < 60
        except OSError:
            return False

    def rdf_store(self, store: GraphStore | None) -> ox.Store:
        """The dump of the current content of `store` (read-only; the same quads as graph/rdf.py
        build_store): its default graph is the merge of all graphs, each triple once."""
        return self._current(store).store

    dataset = rdf_store

    def dump_file(self, store: GraphStore | None, fmt: str) -> Path:
        """The current dump in one of graph/rdf.py's RDF_FORMATS, as a file beside its dataset (written
        from the Store on the first request for it), so a download is streamed, not held in memory."""
        current = self._current(store)
        path = current.path.with_name(f"dump.{rdf.RDF_FORMATS[fmt].extension}")
        if not path.exists():
            rdf.write(current.store, fmt, path)  # atomic: a request at the same time reads a whole file
        return path

    def default_graph_size(self, store: GraphStore | None) -> int:
        """Triples in the default graph of the current dump (the service description's void:triples)."""
        return self._current(store).triples

    def _publish(self, store: GraphStore | None) -> tuple[str, str]:
        """(version, path) of the dataset the workers open."""
        return self._current(store).location

    def _pool_or_start(self) -> _Pool:
        with self._lock:
            if self._pool is None:
                ref = weakref.ref(self)
                self._pool = _Pool(self.workers, lambda: _published(ref()))
                # An app dropped without its shutdown (a test's TestClient) still ends its workers.
                weakref.finalize(self, self._pool.close)
            return self._pool

    def stats(self) -> dict[str, Any]:
        """Workers busy with a query, workers killed so far, live worker pids (for the bench and tests)."""
        pool = self._pool
        if pool is None:
            return {"workers": self.workers, "busy": 0, "kills": 0, "pids": []}
        return {"workers": self.workers, "busy": pool.busy, "kills": pool.kills, "pids": pool.pids()}

    def run(
        self,
        store: GraphStore | None,
        text: str,
        *,
        timeout: float,
        limit: int,
        results: tuple[str, str] | None = ("json", "application/sparql-results+json"),
        graph: tuple[str, str] | None = ("turtle", "text/turtle"),
        default_graph: list[str] | None = None,
        named_graphs: list[str] | None = None,
        bindings: dict[str, str] | None = None,
        mode: str = "refuse",
        job: Job | None = None,
        base_iri: str | None = None,
    ) -> SparqlAnswer:
        """Run one query in a worker and return its serialised answer. `results` and `graph` are the
        (format, media type) for SELECT/ASK and CONSTRUCT/DESCRIBE (None: not acceptable); the protocol's
        dataset (`default_graph`, `named_graphs`) replaces the query's FROM / FROM NAMED; relative IRIs in
        the query resolve against `base_iri` (the endpoint's URL)."""
        check_query(text)
        version, path = self._publish(store)
        request: dict[str, Any] = {
            "op": "query",
            "version": version,
            "path": path,
            "query": text,
            "prefixes": DEFAULT_PREFIXES,
            "base_iri": base_iri,
            "substitutions": bindings or {},
            "limit": limit,
            "mode": mode,
            "results_format": results[0] if results else None,
            "results_media": results[1] if results else None,
            "graph_format": graph[0] if graph else None,
            "graph_media": graph[1] if graph else None,
        }
        if default_graph is not None or named_graphs is not None:
            request["default_graph"] = list(default_graph or [])
            request["named_graphs"] = list(named_graphs or [])
        pool = self._pool_or_start()
        job = job or Job()
        deadline = time.monotonic() + timeout
        worker = pool.acquire(timeout)
        healthy = False
        try:
            if not job.attach(worker):
                raise SparqlCancelled("the client went away")
            reply = worker.call(request, deadline - time.monotonic())
            healthy = True
        except TimeoutError:
            raise SparqlTimeout(
                f"the query ran longer than {timeout:g} s and was stopped; "
                "narrow it (add LIMIT or more specific patterns)"
            ) from None
        except _WorkerDied:
            if job.cancelled:
                raise SparqlCancelled("the client went away") from None
            raise SparqlError("the query stopped its worker (out of memory?); narrow it") from None
        finally:
            job.attach(None)
            pool.release(worker, healthy and not job.cancelled)
        if job.cancelled:
            raise SparqlCancelled("the client went away")
        if reply[0] == "ok":
            _, kind, media, body, truncated = reply
            return SparqlAnswer(kind=kind, media_type=media, body=body, truncated=truncated)
        _, code, message = reply
        if code == "row_cap":
            what = "triples" if message == "triples" else "rows"
            raise SparqlRowCap(
                f"the result has more than {limit} {what}, the row cap (REGIOGRAPH_QUERY_ROW_LIMIT) of this "
                f"endpoint; add LIMIT {limit} (and OFFSET to page through it), or download the whole dump "
                "from /rdf"
            )
        if code == "not_acceptable":
            raise SparqlNotAcceptable(message)
        if code == "syntax":
            raise SparqlError(message)
        raise RuntimeError(f"SPARQL worker failed: {message}")

    def query(
        self,
        store: GraphStore,
        text: str,
        timeout: float,
        limit: int,
        bindings: dict[str, str] | None = None,
    ) -> SparqlResult:
        """Run a SPARQL query for Python callers (curated queries): at most `limit` solutions, `truncated`
        when more existed; `bindings` fix variables to string literals (curated query parameters)."""
        answer = self.run(
            store,
            text,
            timeout=timeout,
            limit=limit,
            bindings=bindings,
            mode="truncate",
            graph=("ntriples", "application/n-triples"),
        )
        if answer.kind == "ask":
            return SparqlResult(kind="ask", boolean=b"true" in answer.body)
        if answer.kind == "graph":
            triples = list(ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES))
            return SparqlResult(kind="graph", triples=triples)
        # Read with json, not pyoxigraph: its result objects must be dropped on the thread that made them.
        data = json.loads(answer.body)
        variables = list(data["head"]["vars"])
        solutions = [{v: _term(b) for v, b in row.items()} for row in data["results"]["bindings"]]
        return SparqlResult(
            kind="select",
            variables=variables,
            solutions=solutions,
            truncated=answer.truncated,
        )

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
            folder, self._dir = self._dir, None
            self._dataset = self._building = None
            self._closed = True
        if pool is not None:
            pool.close()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def _published(engine: SparqlEngine | None) -> tuple[str, str] | None:
    """What a new worker opens before its first query: the engine's current dataset, if it has one."""
    current = engine._dataset if engine is not None else None
    return current.location if current is not None else None


_SD = "http://www.w3.org/ns/sparql-service-description#"
_FORMATS = "http://www.w3.org/ns/formats/"
_RESULT_FORMAT_IRIS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "RDF_XML",
    "JSON-LD",
    "TriG",
    "N-Quads",
)


def _term(binding: dict) -> Any:
    """A pyoxigraph term from one SPARQL JSON results binding."""
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if kind == "triple":
        return ox.Triple(_term(value["subject"]), _term(value["predicate"]), _term(value["object"]))
    if "xml:lang" in binding:
        return ox.Literal(value, language=binding["xml:lang"])
    if "datatype" in binding:
        return ox.Literal(value, datatype=ox.NamedNode(binding["datatype"]))
    return ox.Literal(value)


def service_description(
    endpoint: str, dump: ox.Store, base_iri: str, *, triples: int, timeout: float, row_limit: int
) -> list[ox.Triple]:
    """A SPARQL 1.1 Service Description of the endpoint at `endpoint`: language, result formats, the
    union default graph, its limits, and the dataset with its named graphs (the dump's own VoID/DCAT
    description, `<base>dataset`)."""
    s, sd = ox.NamedNode(endpoint), (lambda t: ox.NamedNode(_SD + t))
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    dataset = ox.NamedNode(rdf.dataset_iri(base_iri))
    default = ox.NamedNode(rdf.dataset_iri(base_iri) + "/graph/default")
    out = [
        ox.Triple(s, rdf_type, sd("Service")),
        ox.Triple(s, sd("endpoint"), s),
        ox.Triple(s, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(s, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(s, sd("defaultEntailmentRegime"), ox.NamedNode("http://www.w3.org/ns/entailment/Simple")),
        ox.Triple(s, sd("defaultDataset"), dataset),
        ox.Triple(
            s,
            ox.NamedNode("http://purl.org/dc/terms/description"),
            ox.Literal(
                f"Read-only: updates, LOAD and SERVICE are refused. A query may run {timeout:g} s and return "
                f"{row_limit} rows or triples; past the time limit it is stopped (503), past the row cap it "
                "is refused (400: add LIMIT, or download the dump from /rdf). The default graph is the "
                "merge of all graphs; default-graph-uri and named-graph-uri select stored graphs, a graph "
                "not stored is empty and nothing is ever fetched.",
                language="en",
            ),
        ),
        ox.Triple(dataset, sd("defaultGraph"), default),
        ox.Triple(default, rdf_type, sd("Graph")),
        ox.Triple(default, ox.NamedNode("http://rdfs.org/ns/void#triples"), ox.Literal(triples)),
    ]
    out += [ox.Triple(s, sd("resultFormat"), ox.NamedNode(_FORMATS + f)) for f in _RESULT_FORMAT_IRIS]
    # the dump's description: what is said of the dataset and, from there, of its distributions and
    # graphs (the subjects under its IRI), looked up by subject instead of read off the whole dump
    prefix, seen, todo = rdf.dataset_iri(base_iri), set(), [dataset]
    while todo:
        subject = todo.pop()
        if subject in seen:
            continue
        seen.add(subject)
        for q in dump.quads_for_pattern(subject, None, None, ox.DefaultGraph()):
            out.append(q.triple)
            if isinstance(q.object, ox.NamedNode) and q.object.value.startswith(prefix):
                todo.append(q.object)
    return out
