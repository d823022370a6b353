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
trigger on treaty), which executemany's statement a row pays per row. SQLite's limit on the
values bound in one statement (32,766, or 999 before version 3.32) caps the rows in one. Rows
are written in their order either way, so ids follow it."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Insert, Table, func, insert, select, text
from sqlalchemy.engine import Dialect
from sqlmodel import Session

# The placeholder of each positional paramstyle; any other dialect takes insert().
_MARKS = {"qmark": "?", "format": "%s", "pyformat": "%s"}
# Rows in one statement on SQLite. Each statement costs a full-text index flush and, in a
# writing thread, a wait for the GIL after it: 20,000 treaties in 500-row statements took
# 3.3 s against 5.2 s in 100-row ones (at most 39 rows of a treaty's 25 values, under 999).
ROWS_PER_STATEMENT = 500
# The values bound in one statement: SQLite's limit, 32,766 since version 3.32, 999 before.
MAX_PARAMETERS = 32_766
OLD_MAX_PARAMETERS = 999

Row = tuple[Any, ...]
# A session's transaction, or its connection itself (for a thread that must leave the session
# alone: timeline/io/merge_bulk.py).
Target = Session | Connection


def insert_tuples(
    target: Target, table: Table, columns: Sequence[str], rows: Sequence[Row]
) -> None:
    """INSERTs of many rows, each a tuple of `columns`' values in that order."""
    connection = target.connection() if isinstance(target, Session) else target
    run(connection, prepared(connection.dialect, table, columns, rows))


# An INSERT ready to run: SQL for the driver with its rows of values, or (on a dialect with
# named parameters) an insert() with its rows as dicts.
Prepared = tuple[str | Insert, list[Any]]


def prepared(
    dialect: Dialect, table: Table, columns: Sequence[str], rows: Sequence[Row]
) -> list[Prepared]:
    """insert_tuples()'s statements, made without the database: a bulk write can make them in
    one thread and run() them in another."""
    if not rows:
        return []
    mark = _MARKS.get(dialect.paramstyle)
    if mark is None:
        return [(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])]
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
        limit = (
            MAX_PARAMETERS if dialect.dbapi.sqlite_version_info >= (3, 32) else OLD_MAX_PARAMETERS
        )
        per = max(1, min(ROWS_PER_STATEMENT, limit // max(1, len(bound))))
    if per == 1:
        return [(head + one, params)]
    statements: list[Prepared] = []
    whole = len(params) - len(params) % per
    if whole:
        groups = [_joined(params[i : i + per]) for i in range(0, whole, per)]
        statements.append((head + ", ".join([one] * per), groups))
    if whole < len(params):
        rest = params[whole:]
        statements.append((head + ", ".join([one] * len(rest)), [_joined(rest)]))
    return statements


def run(connection: Connection, statements: Sequence[Prepared]) -> None:
    """prepared()'s statements, on the connection: its transaction, events and errors."""
    for statement, params in statements:
        if isinstance(statement, str):
            connection.exec_driver_sql(statement, params)
        else:
            connection.execute(statement, params)


def _bound_values(
    dialect: Dialect, table: Table, columns: Sequence[str], rows: Sequence[Row]
) -> list[tuple[Any, ...]]:
    """Each column's values, as its type binds them."""
    values: list[tuple[Any, ...]] = list(zip(*rows, strict=True))
    for index, name in enumerate(columns):
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            values[index] = _processed(process, values[index])
    return values


def _processed(process: Any, column: tuple[Any, ...]) -> tuple[Any, ...]:
    """A column's values through its bind processor, each distinct value once: a batch's
    flags, dates and times of writing repeat (20,000 treaties hold 3 times of writing, and
    their processing was a fifth of the writing thread's own work)."""
    done: dict[Any, Any] = {}
    try:
        return tuple([done[v] if v in done else done.setdefault(v, process(v)) for v in column])
    except TypeError:  # a value that cannot be a key (a list, a dict): one at a time
        return tuple(map(process, column))


def _joined(rows: Sequence[Row]) -> Row:
    return tuple(itertools.chain.from_iterable(rows))


def insert_dicts(target: Target, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """insert_tuples() of rows given as dicts with the same keys (the first row's)."""
    if not rows:
        return
    columns = tuple(rows[0])
    if len(columns) == 1:
        tuples = [(row[columns[0]],) for row in rows]
    else:
        tuples = list(map(itemgetter(*columns), rows))
    insert_tuples(target, table, columns, tuples)


def new_ids(connection: Connection, table: Table, count: int) -> list[int] | None:
    """Ids for `count` new rows of `table`, to write with the rows rather than read back after
    them; None on a database where they must be read back. On SQLite they are those it would
    give itself (the highest id plus one, and on; the caller's transaction holds the write
    lock); PostgreSQL takes them from the id's sequence."""
    if count == 0:
        return []
    if connection.dialect.name == "sqlite":
        highest = connection.execute(select(func.max(table.c.id))).scalar_one() or 0
        return list(range(highest + 1, highest + 1 + count))
    if connection.dialect.name == "postgresql":
        taken = connection.execute(
            text(
                "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
            ),
            {"table": connection.dialect.identifier_preparer.quote(table.name), "n": count},
        )
        return sorted(taken.scalars())
    return None
