"""How the database answers the timeline's queries: the engine's own query plan, as text lines,
so a benchmark can show them and a test can check that an index is used."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlmodel import Session


def plan(session: Session, statement: Select[Any]) -> list[str]:
    """The plan of `statement`, one line a step (EXPLAIN QUERY PLAN or EXPLAIN)."""
    bind = session.get_bind()
    compiled = statement.compile(dialect=bind.dialect, compile_kwargs={"literal_binds": True})
    prefix = "EXPLAIN QUERY PLAN " if bind.dialect.name == "sqlite" else "EXPLAIN "
    connection = session.connection()
    rows = connection.exec_driver_sql(prefix + str(compiled)).all()
    if bind.dialect.name == "sqlite":
        return [str(row[-1]) for row in rows]
    return [str(row[0]) for row in rows]
