"""Helpers of the page tests: a real headless Chromium (selenium + chromedriver) that can reach nothing
but 127.0.0.1, real mouse clicks on map shapes, and screenshots in var/artefacts/ (git-ignored) for a
person to look at after a run."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "var" / "artefacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def _browser_or_skip() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip install -e '.[dev]')")
    if missing:
        message = f"browser tests need {', '.join(missing)} (make browser)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def make_driver(javascript: bool = True, width: int = 1400, height: int = 900):
    """Headless Chromium that resolves no host but 127.0.0.1: a page that needs the internet fails."""
    _browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--window-size={width},{height}",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        "--lang=nl",
    ):
        options.add_argument(arg)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    return driver


def screenshot(driver, name: str) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / name
    driver.save_screenshot(str(path))
    return path


def external_resources(driver, origin: str) -> list[str]:
    """Every resource the page fetched from anywhere but the test server. A request the page's
    Content-Security-Policy stopped before it was made (the browser log says so) does not count."""
    urls = driver.execute_script(
        "return performance.getEntriesByType('resource').map(function (e) { return e.name; });"
    )
    blocked = " ".join(
        e["message"] for e in driver.get_log("browser") if "Content Security Policy" in e["message"]
    )
    return [
        u
        for u in urls
        if not (u.startswith(origin) or u.startswith(("data:", "blob:"))) and f"'{u}'" not in blocked
    ]


def wait_for(driver, script: str, timeout: float = 20.0):
    """Run `script` (returning a value) until it is truthy; its value."""
    deadline = time.monotonic() + timeout
    while True:
        value = driver.execute_script(script)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {script}")
        time.sleep(0.1)


def click_at_area(driver, selector: str) -> None:
    """A real mouse click on a point inside the SVG shape `selector` (its centre may lie outside it)."""
    from selenium.webdriver.common.action_chains import ActionChains

    point = driver.execute_script(
        """
        var el = document.querySelector(arguments[0]);
        var r = el.getBoundingClientRect();
        for (var n = 2; n <= 24; n *= 2) {
          for (var i = 1; i < n; i++) for (var j = 1; j < n; j++) {
            var x = r.left + r.width * i / n, y = r.top + r.height * j / n;
            if (document.elementFromPoint(x, y) === el) return [Math.round(x), Math.round(y)];
          }
        }
        return null;
        """,
        selector,
    )
    assert point, f"no visible point inside {selector}"
    actions = ActionChains(driver)
    actions.w3c_actions.pointer_action.move_to_location(point[0], point[1])
    actions.w3c_actions.pointer_action.click()
    actions.perform()


@contextmanager
def serve(store) -> Iterator[str]:
    """The API over `store`, served by uvicorn in a thread on a free port: its base URL."""
    import uvicorn

    from api.main import create_app
    from regiograph.neo4j_server import free_port
    from regiograph.settings import load_settings

    port = free_port()
    config = uvicorn.Config(
        create_app(load_settings(), store), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the API did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
