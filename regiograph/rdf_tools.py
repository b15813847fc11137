"""Apache Jena (riot, SHACL, Fuseki) and the OWL API with HermiT, assembled from Maven Central once and
run with `java`, like the Neo4j server (decisions.md D9): the checks a linked-data engineer runs on a
dump, and the SPARQL server that serves it when the API's own endpoint is not enough.

Maven resolves the jars of regiograph/jena_dist/pom.xml and regiograph/owl_dist/pom.xml into its local
repository (~/.m2, shared by every working copy and test session); the class path it prints is kept in
`<runtime>/rdf-tools/<tool>.classpath`, stamped with the pom's sha256. OwlCheck.java runs with Java's
single-file source launcher, so nothing is compiled or installed.
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from regiograph.settings import Settings

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
POMS = {"jena": HERE / "jena_dist" / "pom.xml", "owl": HERE / "owl_dist" / "pom.xml"}
OWL_CHECK = HERE / "owl_dist" / "OwlCheck.java"
RIOT = "riotcmd.riot"
SHACL = "shacl.shacl"
FUSEKI = "org.apache.jena.fuseki.main.cmds.FusekiMainCmd"


class RdfToolsError(RuntimeError):
    """Java, Maven or a tool is missing or failed to start; the message says how to fix it."""


@dataclass
class RiotResult:
    path: Path
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    count: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and not self.warnings


@dataclass
class ShaclResult:
    conforms: bool
    report: str


@dataclass
class OwlResult:
    profile_violations: list[str]
    consistent: bool
    unsatisfiable: list[str]
    output: str

    @property
    def ok(self) -> bool:
        return not self.profile_violations and self.consistent and not self.unsatisfiable


def merge_with_ontology(ontology: Path, data: Path, output: Path) -> Path:
    """One N-Triples file of the ontology and the default graph of `data` (any RDF syntax pyoxigraph
    reads, by extension): what SHACL (sh:class through rdfs:subClassOf) and the reasoner read."""
    import pyoxigraph as ox

    both = ox.Store()
    both.load(path=str(ontology), format=ox.RdfFormat.TURTLE)
    both.load(path=str(data), format=ox.RdfFormat.from_extension(data.suffix.lstrip(".")))
    triples = (q.triple for q in both.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    ox.serialize(triples, str(output), format=ox.RdfFormat.N_TRIPLES)
    return output


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class RdfTools:
    def __init__(self, settings: Settings, timeout: float = 900.0):
        self.folder = settings.runtime_dir / "rdf-tools"
        self.timeout = timeout

    def _java(self) -> str:
        java = shutil.which("java")
        if java is None:
            raise RdfToolsError("Java is missing; install a JDK 17 (apt-get install openjdk-17-jdk-headless)")
        return java

    def classpath(self, tool: str) -> str:
        """The class path of `tool` ("jena" or "owl"), resolved by Maven once per pom version."""
        pom = POMS[tool]
        cached = self.folder / f"{tool}.classpath"
        stamp = f"# pom sha256 {_sha256(pom)}"
        if cached.exists():
            lines = cached.read_text(encoding="utf-8").splitlines()
            if len(lines) == 2 and lines[0] == stamp and all(Path(p).exists() for p in lines[1].split(":")):
                return lines[1]
        mvn = shutil.which("mvn")
        if mvn is None:
            raise RdfToolsError("Maven (mvn) is missing; install it (apt-get install maven) and retry")
        self.folder.mkdir(parents=True, exist_ok=True)
        log.info("Resolving %s from Maven Central (first time only)...", pom.relative_to(HERE.parent))
        with tempfile.TemporaryDirectory(dir=self.folder) as tmp:
            out = Path(tmp) / "cp.txt"
            done = subprocess.run(
                [mvn, "-B", "-q", "-f", str(pom), "dependency:build-classpath", f"-Dmdep.outputFile={out}"],
                capture_output=True,
                text=True,
                timeout=self.timeout,
                cwd=tmp,
            )
            if done.returncode != 0 or not out.exists():
                tail = "\n".join((done.stdout + done.stderr).splitlines()[-30:])
                raise RdfToolsError(
                    f"mvn dependency:build-classpath failed for {pom} (Maven Central?):\n{tail}"
                )
            path = out.read_text(encoding="utf-8").strip()
        cached.write_text(f"{stamp}\n{path}\n", encoding="utf-8")
        return path

    def _run(self, tool: str, *args: str) -> subprocess.CompletedProcess:
        cmd = [self._java(), "-Xmx1g", "-cp", self.classpath(tool), *args]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=self.timeout)

    # -- Jena ---------------------------------------------------------------------------------------
    def riot_validate(self, path: Path) -> RiotResult:
        """`riot --validate --count`: syntax errors and warnings (bad IRIs, lexical forms, language tags)."""
        done = self._run("jena", RIOT, "--validate", "--count", "--strict", str(path))
        result = RiotResult(path)
        for line in (done.stdout + done.stderr).splitlines():
            if re.search(r"\bERROR\b|\bFatal\b|Exception", line):
                result.errors.append(line)
            elif re.search(r"\bWARN", line):
                result.warnings.append(line)
            elif ": Triples = " in line or ": Quads = " in line or "Triples = " in line:
                result.count = line.strip()
        if done.returncode != 0 and not result.errors:
            result.errors.append(f"riot exited with {done.returncode}")
        return result

    def shacl_validate(self, data: Path, shapes: Path) -> ShaclResult:
        """Jena's `shacl validate` of one data file against the shapes; the report is Turtle."""
        done = self._run("jena", SHACL, "validate", "--shapes", str(shapes), "--data", str(data))
        report = done.stdout
        if done.returncode != 0 and "sh:conforms" not in report:
            raise RdfToolsError(f"Jena shacl failed ({done.returncode}):\n{done.stderr[-3000:]}")
        return ShaclResult(conforms=bool(re.search(r"sh:conforms\s+true", report)), report=report)

    def fuseki_command(
        self, dump: Path, port: int = 3030, name: str = "regiograph", heap: str = "2g"
    ) -> list[str]:
        """Apache Jena Fuseki serving `dump` (N-Quads, TriG, Turtle ...) read-only, in memory, on
        127.0.0.1: SPARQL 1.1 query at http://127.0.0.1:<port>/<name>/sparql, no update endpoint."""
        if not dump.is_file():
            raise RdfToolsError(f"{dump}: no such dump; write one with `regiograph export --format nquads`")
        return [
            self._java(),
            f"-Xmx{heap}",
            "-cp",
            self.classpath("jena"),
            FUSEKI,
            "--localhost",
            f"--port={port}",
            f"--file={dump}",
            f"/{name}",
        ]

    # -- OWL API and HermiT -------------------------------------------------------------------------
    def owl_check(self, ontology: Path, merged: Path | None = None) -> OwlResult:
        """OWL 2 DL profile of the ontology; consistency and unsatisfiable classes of `merged`, one
        document holding the ontology and the data (`merge_with_ontology`)."""
        done = self._run("owl", str(OWL_CHECK), str(ontology), *([str(merged)] if merged else []))
        out = done.stdout
        summary = re.search(r"OWLCHECK profile=(\d+) consistent=(true|false) unsatisfiable=(\d+)", out)
        if summary is None:
            raise RdfToolsError(f"OwlCheck failed ({done.returncode}):\n{(done.stderr or out)[-3000:]}")
        return OwlResult(
            profile_violations=[line for line in out.splitlines() if line.startswith("PROFILE ")],
            consistent=summary.group(2) == "true",
            unsatisfiable=[line for line in out.splitlines() if line.startswith("UNSATISFIABLE ")],
            output=out,
        )
