"""Shared by the security probes: their settings, and a real local HTTP server that records every request
it receives (the probes point URLs at it and assert that it was never called)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from regiograph.settings import Settings, load_settings

KEY = "security-probe-key"
ROW_LIMIT = 100


def probe_settings(**overrides) -> Settings:
    """The API's settings for the probes: the session's Neo4j server, a key, small limits."""
    values = {"store": "neo4j", "api_key": KEY, "query_timeout": 2.0, "query_row_limit": ROW_LIMIT}
    return load_settings(**{**values, **overrides})

# A valid answer for any client (SPARQL results, JSON, CSV readers alike), so that a request that does
# get through would make its query succeed rather than fail for some other reason.
_BODY = b'{"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri", "value": "http://x/"}}]}}'


class Recorder:
    def __init__(self) -> None:
        self.requests: list[str] = []
        recorded = self.requests

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                recorded.append(f"{self.command} {self.path}")
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(_BODY)))
                self.end_headers()
                self.wfile.write(_BODY)

            do_GET = do_POST = do_HEAD = _answer

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_port}/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Recorder:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
