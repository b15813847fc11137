"""Loads the schema (graph/schema.yaml): the one list of labels and relationship types."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

SCHEMA_FILE = Path(__file__).with_name("schema.yaml")


@lru_cache(maxsize=1)
def schema() -> dict:
    return yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))


def labels() -> list[str]:
    return list(schema()["labels"])


def relationship_types() -> list[str]:
    return list(schema()["relationships"])
