"""INSERTs of thousands of rows handed straight to the driver's executemany.

insert() with a list of dicts costs SQLAlchemy more Python work per row (its parameters built
and checked one by one) than the INSERT itself costs the database. Here rows are tuples in a
fixed column order, each column's values go through that column type's own bind processing
(a date as ISO text and a flag as 0/1 on SQLite, as insert() stores them), and the statement
runs on the session's connection: the same transaction, events and error wrapping.

A column that is NULL in every row of a batch is written as the literal NULL rather than bound
row by row (sqlite3 binds a None far more slowly than text or a number). On SQLite each
statement writes many rows: SQLite has work to do per statement (a statement that writes a
treaty opens a savepoint, at which the full-text index flushes its pending terms, through the
trigger on treaty), which executemany's statement a row pays per row. Rows are written in
their order either way, so ids follow it."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.engine import Dialect
from sqlmodel import Session

# The placeholder of each positional paramstyle; any other dialect takes insert().
_MARKS = {"qmark": "?", "format": "%s", "pyformat": "%s"}
# Rows in one statement on SQLite, and the values bound in one: its smallest limit (999
# before version 3.32).
ROWS_PER_STATEMENT = 100
MAX_PARAMETERS = 999

Row = tuple[Any, ...]


def insert_tuples(
    session: Session, table: Table, columns: Sequence[str], rows: Sequence[Row]
) -> None:
    """INSERTs of many rows, each a tuple of `columns`' values in that order."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    mark = _MARKS.get(dialect.paramstyle)
    if mark is None:
        session.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    values = _bound_values(dialect, table, columns, rows)
    bound = [i for i, column in enumerate(values) if column.count(None) != len(column)]
    kept = set(bound)
    one = "(" + ", ".join(mark if i in kept else "NULL" for i in range(len(columns))) + ")"
    head = (
        f"INSERT INTO {dialect.identifier_preparer.format_table(table)}"
        f" ({', '.join(dialect.identifier_preparer.quote(name) for name in columns)}) VALUES "
    )
    params: list[Row] = list(zip(*(values[i] for i in bound), strict=True)) or [()] * len(rows)
    per = 1
    if dialect.name == "sqlite":
        per = max(1, min(ROWS_PER_STATEMENT, MAX_PARAMETERS // max(1, len(bound))))
    if per == 1:
        connection.exec_driver_sql(head + one, params)
        return
    whole = len(params) - len(params) % per
    if whole:
        groups = [_joined(params[i : i + per]) for i in range(0, whole, per)]
        connection.exec_driver_sql(head + ", ".join([one] * per), groups)
    if whole < len(params):
        rest = params[whole:]
        connection.exec_driver_sql(head + ", ".join([one] * len(rest)), [_joined(rest)])


def _bound_values(
    dialect: Dialect, table: Table, columns: Sequence[str], rows: Sequence[Row]
) -> list[tuple[Any, ...]]:
    """Each column's values, as its type binds them."""
    values: list[tuple[Any, ...]] = list(zip(*rows, strict=True))
    for index, name in enumerate(columns):
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            values[index] = tuple(map(process, values[index]))
    return values


def _joined(rows: Sequence[Row]) -> Row:
    return tuple(itertools.chain.from_iterable(rows))


def insert_dicts(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """insert_tuples() of rows given as dicts with the same keys (the first row's)."""
    if not rows:
        return
    columns = tuple(rows[0])
    if len(columns) == 1:
        tuples = [(row[columns[0]],) for row in rows]
    else:
        tuples = list(map(itemgetter(*columns), rows))
    insert_tuples(session, table, columns, tuples)
