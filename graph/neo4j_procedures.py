"""The allow-list of procedures user Cypher may call (neo4j_procedures.yaml), read and checked once.

The same list is enforced twice: the API refuses any other procedure before a query runs, and the local
server is configured to load no plugin procedure or function outside it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, field_validator

ALLOW_LIST_FILE = Path(__file__).with_name("neo4j_procedures.yaml")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$")
# Families that write, run other statements, administer the server or reach URLs and files: never allowed,
# whatever the file says (a safety net for edits of the list).
NEVER = (
    "dbms.", "tx.", "db.create", "db.clear", "db.stats.", "db.index.vector.create",
    "apoc.load.", "apoc.import.", "apoc.export.", "apoc.cypher.", "apoc.periodic.", "apoc.do.",
    "apoc.trigger.", "apoc.create.", "apoc.merge.", "apoc.refactor.", "apoc.nodes.", "apoc.lock.",
    "apoc.atomic.", "apoc.schema.", "apoc.systemdb.", "apoc.custom.", "apoc.uuid.", "apoc.ttl.",
    "apoc.log.", "apoc.util.", "apoc.spatial.", "apoc.static.", "apoc.warmup.",
)


class AllowedProcedure(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    why: str

    @field_validator("name")
    @classmethod
    def _plain_read_only_name(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError(f"{value!r}: a full procedure name (namespace.name), no wildcards")
        if value.startswith(NEVER):
            raise ValueError(f"{value!r} writes, administers or reaches URLs/files: it cannot be allowed")
        return value


class ProcedureAllowList(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    procedures: tuple[AllowedProcedure, ...]

    @field_validator("procedures")
    @classmethod
    def _unique(cls, value: tuple[AllowedProcedure, ...]) -> tuple[AllowedProcedure, ...]:
        names = [p.name for p in value]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"listed twice: {', '.join(duplicates)}")
        return value

    @property
    def names(self) -> frozenset[str]:
        return frozenset(p.name for p in self.procedures)


@lru_cache(maxsize=1)
def allowed_procedures() -> ProcedureAllowList:
    return ProcedureAllowList.model_validate(yaml.safe_load(ALLOW_LIST_FILE.read_text(encoding="utf-8")))
