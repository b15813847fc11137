"""The procedure allow-list file (graph/neo4j_procedures.yaml): every entry named in full, read-only,
and the loader refuses entries that would write, administer or reach URLs and files."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from graph.neo4j_procedures import ProcedureAllowList, allowed_procedures

REQUIRED = {
    "db.labels",
    "db.relationshipTypes",
    "db.propertyKeys",
    "db.schema.visualization",
    "db.index.fulltext.queryNodes",
}


def test_the_file_names_the_required_procedures() -> None:
    names = allowed_procedures().names
    assert REQUIRED <= names
    assert not any(n.startswith(("apoc.load.", "apoc.import.", "apoc.export.", "dbms.")) for n in names)


@pytest.mark.parametrize(
    "name",
    [
        "apoc.load.json",
        "apoc.import.csv",
        "apoc.export.csv.all",
        "apoc.cypher.run",
        "apoc.periodic.iterate",
        "dbms.security.createUser",
        "db.clearQueryCaches",
        "db.createLabel",
        "apoc.*",
        "apoc.meta.*",
        "labels",
        "db.labels; CALL dbms.listConfig",
    ],
)
def test_the_loader_refuses_dangerous_or_vague_entries(name: str) -> None:
    with pytest.raises(ValidationError):
        ProcedureAllowList.model_validate({"procedures": [{"name": name, "why": "probe"}]})


def test_the_loader_refuses_duplicates_and_unknown_keys() -> None:
    twice = [{"name": "db.labels", "why": "a"}, {"name": "db.labels", "why": "b"}]
    with pytest.raises(ValidationError, match="listed twice"):
        ProcedureAllowList.model_validate({"procedures": twice})
    with pytest.raises(ValidationError):
        ProcedureAllowList.model_validate({"procedures": [{"name": "db.labels", "why": "a", "mode": "x"}]})
