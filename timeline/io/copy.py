"""Copy a whole database into another, whatever their engines: a SQLite file to a team's
PostgreSQL server, and back.

The target gets its schema from the migrations, then every table's rows, ids included, in one
transaction: a copy that fails leaves the target's records as they were. Rows are counted on
both sides before that transaction commits."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from sqlalchemy import Connection, Engine, Table, bindparam, delete, func, select, text, update
from sqlalchemy.engine import RowMapping, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import SQLModel

import db.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from db.engine import database_url, describe_location, make_engine, writer
from db.errors import DatabaseError
from db.schema import current_revision, ensure_schema, explain

BATCH_ROWS = 1000


@dataclass(frozen=True)
class CopyReport:
    source: str  # locations as a user sees them
    target: str
    rows: dict[str, int]  # table -> rows copied, in the order copied
    replaced: int  # treaties the target held before

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def summary(self) -> str:
        head = f"copied {self.total} rows in {len(self.rows)} tables from {self.source} to"
        head += f" {self.target}"
        if self.replaced:
            head += f", replacing its {self.replaced} treaties"
        width = max(len(name) for name in self.rows)
        lines = [f"  {name:<{width}}  {count:>8}" for name, count in self.rows.items()]
        return "\n".join([head, *lines, "row counts checked: source and target agree"])


def tables() -> list[Table]:
    """Every table of the schema, each after the tables it refers to."""
    return list(SQLModel.metadata.sorted_tables)


def copy_database(source: str | None, target: str, *, replace: bool = False) -> CopyReport:
    """Copy the database at `source` (--db: a path or a URL; None for the default) to
    `target`, which is created or upgraded first. A target holding treaties is refused unless
    `replace`, which empties it first."""
    source_url, target_url = database_url(source), database_url(target)
    if _same_database(source_url, target_url):
        raise DatabaseError("the source and the target are the same database")
    reading = _open_source(source_url)
    try:
        writing = _target_engine(target_url)
        try:
            ensure_schema(writing)
            rows, replaced = _copy(reading, writing, replace)
        finally:
            writing.dispose()
    except SQLAlchemyError as error:
        raise DatabaseError(explain(error)) from error
    finally:
        reading.dispose()
    return CopyReport(describe_location(source_url), describe_location(target_url), rows, replaced)


def _same_database(a: str, b: str) -> bool:
    first, second = make_url(a), make_url(b)
    if first.get_backend_name() == second.get_backend_name() == "sqlite":
        return Path(first.database or "").resolve() == Path(second.database or "").resolve()
    return first.set(password=None) == second.set(password=None)


def _target_engine(url: str) -> Engine:
    try:
        return make_engine(url)
    except OSError as error:  # the folder of a new SQLite file
        raise DatabaseError(f"cannot create the target's folder: {error.strerror}") from error


def _open_source(url: str) -> Engine:
    """The source must already be a treaty-timeline database: nothing is created there."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").is_file():
        raise DatabaseError(f"there is no database at {describe_location(url)} to copy")
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            empty = current_revision(connection) is None
        if empty:
            raise DatabaseError(f"{describe_location(url)} is empty: there is nothing to copy")
        # A source made by an older version is upgraded, as opening it anywhere would.
        ensure_schema(engine)
    except SQLAlchemyError as error:
        engine.dispose()
        raise DatabaseError(explain(error)) from error
    except DatabaseError:
        engine.dispose()
        raise
    return engine


def _copy(reading: Engine, writing: Engine, replace: bool) -> tuple[dict[str, int], int]:
    treaties = SQLModel.metadata.tables["treaty"]
    # The target's transaction takes SQLite's write lock at once, so another program writing
    # there makes the copy wait (the busy timeout) instead of failing halfway through.
    with reading.connect() as source, writer(writing).connect() as target:
        source = _one_snapshot(source)
        with source.begin(), target.begin():
            held = target.execute(select(func.count()).select_from(treaties)).scalar_one()
            if held and not replace:
                raise DatabaseError(
                    f"the target already holds {held} treaties; add --replace to replace"
                    " everything in it with the copy"
                )
            # Without treaties, whatever the target holds (the founding states, say) goes too.
            for table in reversed(tables()):
                target.execute(delete(table))
            rows = {table.name: _copy_table(source, target, table) for table in tables()}
            _restart_sequences(target)
            _check_counts(source, target)
    return rows, held


def _one_snapshot(connection: Connection) -> Connection:
    # On a server, every table is read as of one moment, whoever writes meanwhile; a SQLite
    # read transaction is that already.
    if connection.dialect.name == "postgresql":
        return connection.execution_options(isolation_level="REPEATABLE READ")
    return connection


def _copy_table(source: Connection, target: Connection, table: Table) -> int:
    # A column referring to its own table (a treaty replacing another) may point at a row
    # further on: it is filled in once every row is there.
    later = [c.name for c in table.columns if any(k.column.table is table for k in c.foreign_keys)]
    key = next(iter(table.primary_key.columns))
    links: list[dict[str, object]] = []
    count = 0
    result = source.execution_options(yield_per=BATCH_ROWS).execute(
        select(table).order_by(*table.primary_key.columns)
    )
    try:
        for batch in _batches(result.mappings()):
            rows = [dict(row) for row in batch]
            for row in rows:
                if any(row[name] is not None for name in later):
                    links.append({"_key": row[key.name], **{f"_{n}": row[n] for n in later}})
                    row.update(dict.fromkeys(later, None))
            target.execute(table.insert(), rows)
            count += len(rows)
        if links:
            values = {name: bindparam(f"_{name}") for name in later}
            target.execute(update(table).where(key == bindparam("_key")).values(values), links)
    except SQLAlchemyError as error:
        # SQLite keeps a text longer than its column allows; a server refuses it. Say where.
        raise DatabaseError(f"copy stopped at the table {table.name}: {explain(error)}") from error
    return count


def _batches(rows: Iterable[RowMapping]) -> Iterator[list[RowMapping]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH_ROWS)):
        yield batch


def _restart_sequences(target: Connection) -> None:
    """PostgreSQL hands out new ids from a sequence that rows inserted with their ids leave
    behind; each restarts after the highest id copied."""
    if target.dialect.name != "postgresql":
        return
    quote = target.dialect.identifier_preparer.quote
    for table in tables():
        column = table.autoincrement_column
        if column is None:
            continue
        target.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column),"
                f" COALESCE(MAX({quote(column.name)}), 0) + 1, false) FROM {quote(table.name)}"
            ),
            {"table": quote(table.name), "column": column.name},
        )


def _check_counts(source: Connection, target: Connection) -> None:
    for table in tables():
        counted = [
            side.execute(select(func.count()).select_from(table)).scalar_one()
            for side in (source, target)
        ]
        if counted[0] != counted[1]:
            raise DatabaseError(
                f"copy stopped: {table.name} has {counted[0]} rows in the source but"
                f" {counted[1]} in the target; nothing was written"
            )
