"""The package works from a wheel, without the repository: curated queries and data files ship with it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, api
from fastapi.testclient import TestClient
from api.main import create_app
from regiograph.settings import load_settings
with TestClient(create_app(load_settings(store="memory"))) as client:
    names = [q["name"] for q in client.get("/queries").json()]
print(json.dumps({"api": api.__file__, "queries": names}))
"""


def test_wheel_install_serves_the_curated_queries(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels),
         str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    (wheel,) = wheels.glob("regiograph-*.whl")
    fresh = tmp_path / "venv"
    venv.create(fresh, with_pip=False)
    # The fresh venv borrows the dependencies (not the project) from this one, so no network is needed.
    site = next((fresh / "lib").glob("python3*/site-packages"))
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
        check=True, capture_output=True, timeout=300,
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    env.update(REGIOGRAPH_RUNTIME_DIR=str(tmp_path / "var"))
    done = subprocess.run(
        [str(fresh / "bin" / "python"), "-c", PROBE], cwd=tmp_path, env=env,
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["api"].startswith(str(site))  # the wheel's copy, not the repository's
    assert len(result["queries"]) >= 10
    assert "programmes-covering-region" in result["queries"]
