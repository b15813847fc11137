"""What user Cypher may do, decided from the server's own plan (EXPLAIN), never from the query's words.

Allowed: plans the server types read-only (`query_type == "r"`), calling only procedures on the allow-list
(graph/neo4j_procedures.yaml), with no LOAD CSV and, among commands, only schema discovery (SHOW INDEXES,
CONSTRAINTS, PROCEDURES, FUNCTIONS). Everything else is refused with 403: writes, schema changes,
administration (users, databases, transactions, settings), other procedures, anything reading files or URLs.
"""

from __future__ import annotations

import re

from neo4j.exceptions import Neo4jError

from graph.neo4j_procedures import allowed_procedures
from graph.store import QueryPlan

READ_ONLY = "this endpoint is read-only"
# Command operators (SHOW ..., TERMINATE ...) that only describe the schema; any other command is refused.
SCHEMA_DISCOVERY = {"ShowIndexes", "ShowConstraints", "ShowProcedures", "ShowFunctions"}
_COMMAND = re.compile(r"^(Show|Terminate|Administration)")
# Server errors that mean "an administration command" (Community refuses most before planning them).
_ADMIN_CODES = {
    "Neo.ClientError.Statement.UnsupportedAdministrationCommand",
    "Neo.ClientError.Statement.NotSystemDatabaseError",
}
_UNKNOWN_PROCEDURE = "Neo.ClientError.Procedure.ProcedureNotFound"
_PROCEDURE_NAME = re.compile(r"name `([^`]+)`")
_TYPES = {
    "w": "writes (CREATE, MERGE, SET, DELETE, REMOVE or a write procedure)",
    "rw": "writes (CREATE, MERGE, SET, DELETE, REMOVE or a write procedure)",
    "s": "changes the schema or administers the server (CREATE INDEX, constraints, DBMS procedures)",
}


class CypherRefused(Exception):
    """A query this endpoint does not run (403); the message says why."""


def check_plan(plan: QueryPlan) -> None:
    """Raise CypherRefused unless the plan only reads, with allowed procedures and commands."""
    allowed = allowed_procedures().names
    for operator, details in plan.operators:
        if _COMMAND.match(operator) and operator not in SCHEMA_DISCOVERY:
            raise CypherRefused(
                f"refused: administration commands ({operator}) are not allowed; only SHOW INDEXES, "
                f"SHOW CONSTRAINTS, SHOW PROCEDURES and SHOW FUNCTIONS are; {READ_ONLY}"
            )
        if operator == "LoadCSV":
            raise CypherRefused(f"refused: LOAD CSV reads files and URLs; {READ_ONLY}")
        if operator == "ProcedureCall" and (name := details.split("(", 1)[0].strip()) not in allowed:
            raise _off_the_list(name)
    if plan.query_type != "r":
        reason = _TYPES.get(plan.query_type, f"is not read-only (query type {plan.query_type!r})")
        raise CypherRefused(f"refused: the query {reason}; {READ_ONLY}")


def refusal(error: Neo4jError) -> CypherRefused | None:
    """The refusal a planning error stands for (an administration command, a procedure off the
    allow-list), or None when it is an ordinary error of the query."""
    if error.code in _ADMIN_CODES:
        return CypherRefused(
            f"refused: administration commands are not allowed ({error.message}); {READ_ONLY}"
        )
    if error.code == _UNKNOWN_PROCEDURE:
        match = _PROCEDURE_NAME.search(error.message or "")
        name = match.group(1) if match else "?"
        if name not in allowed_procedures().names:
            return _off_the_list(name)
    return None


def _off_the_list(name: str) -> CypherRefused:
    allowed = ", ".join(sorted(allowed_procedures().names))
    return CypherRefused(f"refused: procedure {name} is not on the allow-list ({allowed}); {READ_ONLY}")
