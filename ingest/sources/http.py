"""One polite HTTP client per source: one request at a time, a delay between requests, retries with
backoff on 429, 5xx, timeouts and dropped connections (tenacity), a clear User-Agent, only the
configured hosts (no redirect elsewhere, no `file:`), and a cap on the size of a response. A
download goes to a temporary `.part` file beside its target and is renamed only when complete."""

from __future__ import annotations

import hashlib
import logging
import os
import random
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
)

log = logging.getLogger(__name__)
MAX_REDIRECTS = 5
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 120.0  # seconds; a longer Retry-After is waited for no longer than this


class SourceError(Exception):
    """A request that failed for good; str() names the URL and the reason."""

    def __init__(self, url: str, reason: str, status: int | None = None):
        self.url = url
        self.reason = reason
        self.status = status
        super().__init__(f"{url}: {reason}")


class NotFound(SourceError):
    """404 or 410: the source does not (or no longer) publish this."""


class _Retryable(Exception):
    def __init__(self, url: str, reason: str, retry_after: float | None = None, status: int | None = None):
        super().__init__(reason)
        self.url = url
        self.reason = reason
        self.retry_after = retry_after
        self.status = status


@dataclass(frozen=True)
class ClientConfig:
    user_agent: str
    timeout: float = 30.0
    delay: float = 1.0
    retries: int = 5
    max_bytes: int = 50_000_000
    backoff_max: float = 60.0


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}:{parts.port or (443 if parts.scheme == 'https' else 80)}"


class SourceClient:
    def __init__(
        self, config: ClientConfig, allowed: Iterable[str], transport: httpx.BaseTransport | None = None
    ):
        self.config = config
        self.allowed = {host_of(u) for u in allowed}
        self._client = httpx.Client(
            headers={"User-Agent": config.user_agent},
            timeout=httpx.Timeout(config.timeout),
            follow_redirects=False,
            transport=transport,
        )
        self._lock = threading.Lock()  # one request at a time
        self._last = 0.0
        self.requests = 0

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> SourceClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- checks ---------------------------------------------------------------------------------
    def check_url(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SourceError(url, f"refused: not an http(s) URL ({parts.scheme or 'no scheme'})")
        if host_of(url) not in self.allowed:
            raise SourceError(url, f"refused: {parts.hostname} is not a configured source host")

    # -- requests -------------------------------------------------------------------------------
    def get(self, url: str, params: dict | None = None) -> bytes:
        """The body of a GET (capped at `max_bytes`)."""
        return self._retrying(url, lambda: self._once(url, params, None))[0]

    def download(self, url: str, target: Path) -> tuple[str, int]:
        """Stream `url` into `target` (through a `.part` file beside it); returns (sha256, size)."""
        target.parent.mkdir(parents=True, exist_ok=True)
        _, digest, size = self._retrying(url, lambda: self._once(url, None, target))
        return digest, size

    def _retrying(self, url: str, call):
        def wait(state: RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            # exponential from the configured delay (at least 0.1 s), with jitter, capped
            base = max(self.config.delay, 0.1)
            backoff = min(self.config.backoff_max, base * 2 ** (state.attempt_number - 1))
            backoff += random.uniform(0, base)
            if isinstance(exc, _Retryable) and exc.retry_after is not None:
                return min(exc.retry_after, MAX_RETRY_AFTER)
            return backoff

        def log_retry(state: RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            log.info(
                "retrying %s (%s), attempt %d", url, getattr(exc, "reason", exc), state.attempt_number + 1
            )

        retrying = Retrying(
            retry=retry_if_exception(lambda e: isinstance(e, _Retryable)),
            stop=stop_after_attempt(self.config.retries + 1),
            wait=wait,
            before_sleep=log_retry,
            reraise=True,
        )
        try:
            return retrying(call)
        except _Retryable as exc:
            attempts = self.config.retries + 1
            raise SourceError(
                url, f"{exc.reason} (gave up after {attempts} attempt(s))", exc.status
            ) from None

    def _pace(self) -> None:
        wait = self._last + self.config.delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)

    def _once(self, url: str, params: dict | None, target: Path | None) -> tuple[bytes, str, int]:
        with self._lock:
            current = url
            for _ in range(MAX_REDIRECTS + 1):
                self.check_url(current)
                self._pace()
                try:
                    result = self._request(current, params, target)
                finally:
                    self._last = time.monotonic()
                    self.requests += 1
                if isinstance(result, str):  # a redirect: its target is checked like any URL
                    current, params = result, None
                    continue
                return result
            raise SourceError(url, f"refused: more than {MAX_REDIRECTS} redirects")

    def _request(self, url: str, params: dict | None, target: Path | None) -> tuple[bytes, str, int] | str:
        try:
            with self._client.stream("GET", url, params=params) as response:
                status = response.status_code
                if status in (301, 302, 303, 307, 308):
                    location = response.headers.get("location")
                    if not location:
                        raise SourceError(url, f"HTTP {status} without a Location", status)
                    return urljoin(str(response.url), location)
                if status in (404, 410):
                    raise NotFound(url, f"HTTP {status} (not published, or withdrawn)", status)
                if status in RETRY_STATUS:
                    raise _Retryable(url, f"HTTP {status}", _retry_after(response), status)
                if status != 200:
                    raise SourceError(url, f"HTTP {status}", status)
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.config.max_bytes:
                    raise SourceError(
                        url, f"refused: {int(declared)} bytes, over the {self.config.max_bytes} byte cap"
                    )
                return self._body(url, response, target)
        except httpx.TimeoutException:
            raise _Retryable(url, f"no answer within {self.config.timeout:g} s (timeout)") from None
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.ConnectError, httpx.WriteError) as exc:
            raise _Retryable(url, f"connection failed ({type(exc).__name__}: {exc or 'closed'})") from None

    def _body(self, url: str, response: httpx.Response, target: Path | None) -> tuple[bytes, str, int]:
        digest = hashlib.sha256()
        size = 0
        if target is None:
            chunks = []
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.config.max_bytes:
                    raise SourceError(url, f"refused: larger than the {self.config.max_bytes} byte cap")
                chunks.append(chunk)
                digest.update(chunk)
            return b"".join(chunks), digest.hexdigest(), size
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        tmp = Path(name)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.config.max_bytes:
                        raise SourceError(url, f"refused: larger than the {self.config.max_bytes} byte cap")
                    out.write(chunk)
                    digest.update(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return b"", digest.hexdigest(), size


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "").strip()
    return float(value) if value.replace(".", "", 1).isdigit() else None


def remove_partials(folder: Path) -> int:
    """Remove what an interrupted run left behind: `.part` downloads and `.incoming` files of a
    document not yet complete (never a complete file under its final name)."""
    count = 0
    if folder.is_dir():
        for pattern in (".*.part", ".*.incoming"):
            for part in folder.rglob(pattern):
                part.unlink(missing_ok=True)
                count += 1
    return count
