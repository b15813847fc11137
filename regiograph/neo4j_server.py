"""A local Neo4j Community server assembled from Maven Central and run with `java` directly.

The runtime home (default var/neo4j) holds conf/, data/, logs/, the pid file and a generated password.
The jar folder (default var/neo4j/lib) is a cache shared by every home, so an isolated server
(tests, a second port) reuses the jars instead of downloading them again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable
from pydantic import BaseModel
from tqdm import tqdm

from graph.neo4j_procedures import allowed_procedures
from regiograph.settings import Settings, read_password

log = logging.getLogger(__name__)

POM = Path(__file__).resolve().parent / "neo4j_dist" / "pom.xml"
# Neo4j Browser and the APOC core plugin, copied beside the server jars (README, "Local Neo4j").
PLUGINS_POM = Path(__file__).resolve().parent / "neo4j_dist" / "plugins" / "pom.xml"
BROWSER_JAR = "neo4j-browser-"
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
LIB_MARKER = ".complete"
# Flags the official launcher passes on Java 17; without the add-opens Netty and the page cache fail.
JVM_FLAGS = [
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-XX:+UseG1GC",
    "-XX:+ExitOnOutOfMemoryError",
    "-Dfile.encoding=UTF-8",
]
RUNTIME_DIRS = ("conf", "data", "logs", "run", "plugins", "import", "transactions")


class Neo4jServerError(RuntimeError):
    """The server could not be provisioned, started or stopped; the message says what to do."""


class StartResult(BaseModel):
    pid: int
    already_running: bool
    seconds: float
    message: str


class StopResult(BaseModel):
    pid: int | None
    was_running: bool
    forced: bool
    message: str


class StatusResult(BaseModel):
    reachable: bool
    uri: str
    pid: int | None
    version: str | None = None
    edition: str | None = None
    error: str | None = None


class Neo4jServer:
    """Provisions, starts, checks and stops one local server living in `home`."""

    def __init__(
        self,
        settings: Settings,
        home: Path | None = None,
        lib_dir: Path | None = None,
    ) -> None:
        self.settings = settings
        self.home = (home or settings.neo4j_home).resolve()
        self.lib_dir = (lib_dir or settings.jar_dir).resolve()
        self.port = settings.neo4j_bolt_port
        self.http_port = settings.neo4j_http_port
        self._proc: subprocess.Popen | None = None

    # -- paths -------------------------------------------------------------------------------------
    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    @property
    def browser_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/browser/"

    @property
    def plugin_dir(self) -> Path:
        """APOC core and Neo4j Browser (PLUGINS_POM), a cache beside the server jars shared like them."""
        return self.lib_dir / "plugins"

    @property
    def conf_dir(self) -> Path:
        return self.home / "conf"

    @property
    def pid_file(self) -> Path:
        return self.home / "neo4j.pid"

    @property
    def password_file(self) -> Path:
        return self.home / "password"

    @property
    def console_log(self) -> Path:
        return self.home / "logs" / "console.log"

    @property
    def auth_file(self) -> Path:
        return self.home / "data" / "dbms" / "auth.ini"

    # -- password ----------------------------------------------------------------------------------
    def password(self) -> str | None:
        """The configured password, else the one generated into this home at first provisioning."""
        return read_password(self.settings.neo4j_password, self.password_file)

    def _ensure_password(self) -> str:
        password = self.password()
        if password:
            if len(password) < 8:
                raise Neo4jServerError("REGIOGRAPH_NEO4J_PASSWORD: Neo4j needs at least 8 characters")
            return password
        password = secrets.token_urlsafe(24)
        self.home.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(password + "\n")
        os.chmod(self.password_file, 0o600)
        log.info(f"Generated a Neo4j password into {self.password_file} (mode 600).")
        return password

    # -- jars --------------------------------------------------------------------------------------
    @staticmethod
    def _complete(folder: Path, pom: Path) -> bool:
        marker = folder / LIB_MARKER
        if not marker.exists():
            return False
        lines = [n for n in marker.read_text(encoding="utf-8").splitlines() if n.strip()]
        stamp = f"# pom sha256 {_sha256(pom)}"
        if lines and lines[0].startswith("# pom sha256 ") and lines[0] != stamp:
            return False  # the pom changed since the copy: copy again
        names = [n for n in lines if not n.startswith("#")]
        return bool(names) and all((folder / n).exists() for n in names)

    def lib_complete(self) -> bool:
        return self._complete(self.lib_dir, POM)

    def plugins_complete(self) -> bool:
        return self._complete(self.plugin_dir, PLUGINS_POM)

    def ensure_lib(self) -> None:
        """Copy the server's jars from Maven Central once; later calls reuse the folder."""
        if self.lib_complete():
            return
        log.info(
            f"Assembling the Neo4j server from Maven Central into {self.lib_dir} "
            "(first time only, about 120 MB)..."
        )
        jars = self._copy_jars(POM, self.lib_dir, keep=self.plugin_dir)
        if not any(name.startswith("neo4j-server-") for name in jars):
            raise Neo4jServerError(f"neo4j-server jar missing after mvn copy into {self.lib_dir}")
        log.info(f"{len(jars)} jars ready in {self.lib_dir}.")

    def ensure_plugins(self) -> None:
        """Copy Neo4j Browser and APOC core (with the libraries the server does not already have) once."""
        if self.plugins_complete():
            return
        log.info(f"Fetching Neo4j Browser and APOC core from Maven Central into {self.plugin_dir}...")
        server_jars = {_artifact(p.name) for p in self.lib_dir.glob("*.jar")}
        jars = self._copy_jars(PLUGINS_POM, self.plugin_dir, drop=server_jars, provided=False)
        for prefix in (BROWSER_JAR, "apoc-core-"):
            if not any(n.startswith(prefix) for n in jars):
                raise Neo4jServerError(f"{prefix}*.jar missing after mvn copy into {self.plugin_dir}")
        log.info(f"{len(jars)} plugin jars ready in {self.plugin_dir}.")

    def _copy_jars(
        self,
        pom: Path,
        target: Path,
        keep: Path | None = None,
        drop: frozenset[str] | set[str] = frozenset(),
        provided: bool = True,
    ) -> list[str]:
        """mvn dependency:copy-dependencies of `pom` into `target` (replaced whole when it succeeded;
        `keep` is a subfolder carried over), leaving out jars whose artifact is in `drop`."""
        mvn = shutil.which("mvn")
        if mvn is None:
            raise Neo4jServerError("Maven (mvn) is missing; install it (apt-get install maven) and retry")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        cmd = [mvn, "-B", "-f", str(pom), "dependency:copy-dependencies", f"-DoutputDirectory={partial}"]
        if not provided:
            cmd.append("-DexcludeScope=provided")  # what the server itself provides
        tail: deque[str] = deque(maxlen=40)
        with (
            subprocess.Popen(
                cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=target.parent
            ) as proc,
            tqdm(desc="maven", unit=" artifacts", mininterval=1.0) as bar,
        ):
            assert proc.stdout is not None
            for line in proc.stdout:
                tail.append(line.rstrip())
                match = re.search(r"(Downloaded from \S+|Copying) (\S+)", line)
                if match:
                    bar.set_postfix_str(match.group(2).rsplit("/", 1)[-1][:50])
                    bar.update(1)
        if proc.returncode != 0:
            shutil.rmtree(partial, ignore_errors=True)
            raise Neo4jServerError(
                "mvn dependency:copy-dependencies failed (check network access to Maven Central):\n"
                + "\n".join(tail)
            )
        for jar in partial.glob("*.jar"):
            if _artifact(jar.name) in drop:
                jar.unlink()  # the server's own version stays the only one on its classpath
        jars = sorted(p.name for p in partial.glob("*.jar"))
        if keep is not None and keep.parent == target and keep.exists():
            shutil.move(str(keep), str(partial / keep.name))
        shutil.rmtree(target, ignore_errors=True)
        partial.rename(target)
        # Written last: its presence means the copy finished.
        (target / LIB_MARKER).write_text(
            f"# pom sha256 {_sha256(pom)}\n" + "\n".join(jars) + "\n", encoding="utf-8"
        )
        return jars

    # -- configuration -----------------------------------------------------------------------------
    def write_conf(self) -> None:
        for name in RUNTIME_DIRS:
            (self.home / name).mkdir(parents=True, exist_ok=True)
        h = self.home
        lines = [
            "server.default_listen_address=127.0.0.1",
            "server.bolt.enabled=true",
            f"server.bolt.listen_address=127.0.0.1:{self.port}",
            f"server.bolt.advertised_address=127.0.0.1:{self.port}",
            # Neo4j Browser over HTTP, on this machine only; it logs in over Bolt with the same credentials.
            "server.http.enabled=true",
            f"server.http.listen_address=127.0.0.1:{self.http_port}",
            f"server.http.advertised_address=127.0.0.1:{self.http_port}",
            "server.https.enabled=false",
            "dbms.security.auth_enabled=true",
            f"server.directories.data={h / 'data'}",
            f"server.directories.logs={h / 'logs'}",
            f"server.directories.run={h / 'run'}",
            f"server.directories.plugins={self.plugin_dir}",
            f"server.directories.import={h / 'import'}",
            f"server.directories.transaction.logs.root={h / 'transactions'}",
            f"server.memory.heap.initial_size={self.settings.neo4j_heap}",
            f"server.memory.heap.max_size={self.settings.neo4j_heap}",
            f"server.memory.pagecache.size={self.settings.neo4j_pagecache}",
            "dbms.usage_report.enabled=false",
            # Plugins (APOC...) load only the procedures user Cypher may call, and no function; built-in
            # procedures are not affected (the API checks those). LOAD CSV cannot read local files.
            "dbms.security.procedures.allowlist=" + ",".join(sorted(allowed_procedures().names)),
            # The listed apoc.meta summaries read the count store, outside the plugin sandbox; they only read.
            "dbms.security.procedures.unrestricted="
            + ",".join(sorted(n for n in allowed_procedures().names if n.startswith("apoc.meta."))),
            "dbms.security.allow_csv_import_from_file_urls=false",
        ]
        (self.conf_dir / "neo4j.conf").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def _java(self) -> str:
        java = shutil.which("java")
        if java is None:
            raise Neo4jServerError("java not found; install OpenJDK 17 (apt-get install openjdk-17-jre)")
        return java

    def _set_initial_password(self, password: str) -> None:
        env = dict(os.environ, NEO4J_HOME=str(self.home), NEO4J_CONF=str(self.conf_dir))
        cmd = [
            self._java(),
            *JVM_FLAGS,
            "-cp",
            f"{self.lib_dir}/*",
            ADMIN_TOOL,
            # "--" ends the options: a password may start with "-".
            "dbms",
            "set-initial-password",
            "--",
            password,
        ]
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=self.home)
        if done.returncode != 0 or not self.auth_file.exists():
            raise Neo4jServerError(
                "neo4j-admin dbms set-initial-password failed:\n" + (done.stdout + done.stderr)[-3000:]
            )

    # -- process -----------------------------------------------------------------------------------
    def _read_pid(self) -> int | None:
        try:
            return int(self.pid_file.read_text(encoding="utf-8").strip())
        except (FileNotFoundError, ValueError):
            return None

    def _is_ours(self, pid: int) -> bool:
        """True when `pid` is a live java process running this home's server (guards against pid reuse)."""
        if not _alive(pid):
            return False
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            return False
        args = [a.decode(errors="replace") for a in cmdline]
        return ENTRY_POINT in args and f"--home-dir={self.home}" in args

    def running_pid(self) -> int | None:
        """The pid of this home's server, cleaning up a stale pid file."""
        pid = self._read_pid()
        if pid is None:
            return None
        if self._is_ours(pid):
            return pid
        self.pid_file.unlink(missing_ok=True)
        return None

    def _port_in_use(self) -> bool:
        return _port_in_use(self.port)

    def start(self) -> StartResult:
        began = time.monotonic()
        pid = self.running_pid()
        if pid is not None:
            return StartResult(
                pid=pid,
                already_running=True,
                seconds=0.0,
                message=f"Neo4j is already running (pid {pid}) on {self.uri}; nothing to do.",
            )
        for port, setting in ((self.port, "BOLT_PORT"), (self.http_port, "HTTP_PORT")):
            if _port_in_use(port):
                raise Neo4jServerError(
                    f"port {port} on 127.0.0.1 is taken by another process; stop it or set "
                    f"REGIOGRAPH_NEO4J_{setting} to a free port"
                )
        self.ensure_lib()
        self.ensure_plugins()
        self.write_conf()
        password = self._ensure_password()
        if not self.auth_file.exists():
            log.info("Setting the initial Neo4j password...")
            self._set_initial_password(password)
        heap = self.settings.neo4j_heap
        cmd = [
            self._java(),
            f"-Xms{heap}",
            f"-Xmx{heap}",
            *JVM_FLAGS,
            # The Browser's pages are served from the classpath; APOC loads from the plugin folder.
            "-cp",
            f"{self.conf_dir}:{self.lib_dir}/*:{self._browser_jar()}",
            ENTRY_POINT,
            f"--home-dir={self.home}",
            f"--config-dir={self.conf_dir}",
            "--console-mode",
        ]
        env = dict(os.environ, NEO4J_HOME=str(self.home), NEO4J_CONF=str(self.conf_dir))
        with self.console_log.open("ab") as out:
            # Own session: the server outlives the CLI and ignores the terminal's Ctrl-C.
            self._proc = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=self.home,
                env=env,
                start_new_session=True,
            )
        pid = self._proc.pid
        self.pid_file.write_text(f"{pid}\n", encoding="utf-8")
        log.info(
            f"Starting Neo4j (pid {pid}) on {self.uri}, waiting up to "
            f"{self.settings.neo4j_start_timeout:.0f} s for Bolt..."
        )
        error = self._wait_ready(password)
        if error is not None:
            self._kill(pid)
            self.pid_file.unlink(missing_ok=True)
            raise Neo4jServerError(f"Neo4j did not become ready: {error}\n{self.log_tail()}")
        seconds = time.monotonic() - began
        return StartResult(
            pid=pid,
            already_running=False,
            seconds=seconds,
            message=f"Neo4j started (pid {pid}) on {self.uri} in {seconds:.1f} s.",
        )

    def _browser_jar(self) -> str:
        jars = sorted(self.plugin_dir.glob(f"{BROWSER_JAR}*.jar"))
        if not jars:
            raise Neo4jServerError(f"no Neo4j Browser jar in {self.plugin_dir}; delete it and start again")
        return str(jars[-1])

    def _wait_ready(self, password: str) -> str | None:
        deadline = time.monotonic() + self.settings.neo4j_start_timeout
        last = "timed out"
        while time.monotonic() < deadline:
            if self._proc is not None and self._proc.poll() is not None:
                return f"java exited with code {self._proc.returncode}"
            try:
                self._query("RETURN 1 AS ok", password)
                return None
            except AuthError as exc:
                return f"authentication failed ({type(exc).__name__}); the data folder has another password"
            except (ServiceUnavailable, Neo4jError, OSError) as exc:
                last = f"timed out after {self.settings.neo4j_start_timeout:.0f} s ({type(exc).__name__})"
            time.sleep(0.5)
        return last

    def _query(self, cypher: str, password: str | None) -> list[dict]:
        auth = (self.settings.neo4j_user, password or "")
        with GraphDatabase.driver(self.uri, auth=auth, connection_timeout=3.0) as driver:
            # Auto-commit run: no driver-side retries, so polling stays quiet and fast.
            with driver.session() as session:
                return [record.data() for record in session.run(cypher)]

    def _kill(self, pid: int, timeout: float = 30.0) -> bool:
        """SIGTERM, then SIGKILL after `timeout`; returns True when SIGKILL was needed."""
        forced = False
        _signal(pid, signal.SIGTERM)
        if not _wait_gone(pid, timeout):
            forced = True
            _signal(pid, signal.SIGKILL)
            if not _wait_gone(pid, 10.0):
                raise Neo4jServerError(f"process {pid} survived SIGKILL")
        if self._proc is not None and self._proc.pid == pid:
            self._proc.wait()
            self._proc = None
        return forced

    def stop(self, timeout: float = 30.0) -> StopResult:
        pid = self.running_pid()
        if pid is None:
            return StopResult(
                pid=None,
                was_running=False,
                forced=False,
                message=f"Neo4j is not running from {self.home}; nothing to stop.",
            )
        forced = self._kill(pid, timeout)
        self.pid_file.unlink(missing_ok=True)
        how = " (forced with SIGKILL)" if forced else ""
        message = f"Neo4j (pid {pid}) stopped{how}."
        return StopResult(pid=pid, was_running=True, forced=forced, message=message)

    def import_csv(self, arguments: list[str], database: str = "neo4j") -> str:
        """`neo4j-admin database import full` into `database`, replacing it (the server must be
        stopped); returns the tool's report. `arguments` are its --nodes/--relationships options."""
        if self.running_pid() is not None:
            raise Neo4jServerError("stop the server first: the import tool writes the database offline")
        self.ensure_lib()
        self.write_conf()
        env = dict(os.environ, NEO4J_HOME=str(self.home), NEO4J_CONF=str(self.conf_dir))
        cmd = [
            self._java(),
            *JVM_FLAGS,
            f"-Xmx{self.settings.neo4j_heap}",
            "-cp",
            f"{self.lib_dir}/*",
            ADMIN_TOOL,
            "database",
            "import",
            "full",
            database,  # before the file lists, which take every argument after them
            "--overwrite-destination=true",
            "--multiline-fields=true",
            "--array-delimiter=U+001F",
            "--id-type=string",
            "--verbose",
            "--threads=" + str(os.cpu_count() or 1),
            *arguments,
        ]
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=self.home)
        if done.returncode != 0:
            report = (done.stdout + done.stderr)[-3000:]
            raise Neo4jServerError("neo4j-admin database import failed:\n" + report)
        return done.stdout

    def status(self) -> StatusResult:
        pid = self.running_pid()
        try:
            self._query("RETURN 1 AS ok", self.password())
            rows = self._query(
                "CALL dbms.components() YIELD name, versions, edition RETURN name, versions, edition",
                self.password(),
            )
        except (ServiceUnavailable, Neo4jError, OSError) as exc:
            first_line = (str(exc).strip().splitlines() or [""])[0]
            return StatusResult(
                reachable=False, uri=self.uri, pid=pid, error=f"{type(exc).__name__}: {first_line}"
            )
        kernel = next((r for r in rows if r["name"] == "Neo4j Kernel"), rows[0] if rows else {})
        return StatusResult(
            reachable=True,
            uri=self.uri,
            pid=pid,
            version=(kernel.get("versions") or [None])[0],
            edition=kernel.get("edition"),
        )

    def log_tail(self, lines: int = 40) -> str:
        parts = []
        for path in (self.home / "logs" / "neo4j.log", self.console_log):
            if path.exists():
                text = path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
                parts.append(f"--- last lines of {path} ---\n" + "\n".join(text))
        return "\n".join(parts) or f"(no log files in {self.home / 'logs'})"


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _artifact(jar_name: str) -> str:
    """`commons-lang3-3.12.0.jar` -> `commons-lang3`: the artifact without its version."""
    return re.sub(r"-\d[\w.\-]*\.jar$", "", jar_name)


def _alive(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)  # reaps it when it is our own exited child
    except ChildProcessError:
        pass
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _signal(pid: int, sig: signal.Signals) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.2)
    return not _alive(pid)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def throwaway_server(
    base: Settings, heap: str = "512m", pagecache: str | None = None
) -> Iterator[tuple[Neo4jServer, Settings]]:
    """A server of its own in a temporary home on a free port (jars shared with `base`), stopped and
    deleted on every exit path. Tests and benchmarks use it so they never touch the served graph.
    `pagecache` defaults to the configured one."""
    with tempfile.TemporaryDirectory(prefix="regiograph-neo4j-") as tmp:
        port = free_port()
        own = base.model_copy(
            update={
                "runtime_dir": Path(tmp),
                "neo4j_bolt_port": port,
                "neo4j_http_port": free_port(),
                "neo4j_uri": f"bolt://127.0.0.1:{port}",
                "neo4j_password": secrets.token_urlsafe(18),
                "neo4j_lib_dir": base.jar_dir,
                "neo4j_heap": heap,
                "neo4j_pagecache": pagecache or base.neo4j_pagecache,
                "neo4j_database": "neo4j",
            }
        )
        server = Neo4jServer(own)
        try:
            server.start()
            yield server, own
        finally:
            server.stop()
