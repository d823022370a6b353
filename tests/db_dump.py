"""Every row of a database as plain values, to compare two databases whatever their engine:
before and after a command that must change nothing, or a copy with its original."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, MetaData, Table, inspect, select
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

import db.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from db.engine import database_url, make_engine
from db.search import SEARCH_TABLES

Dump = dict[str, list[tuple]]


def dump_database(target: str | os.PathLike[str] | Engine) -> Dump:
    """Every table's rows, ordered by primary key. Tables the models describe are read with the
    models' types, so that a date, a flag or a timestamp reads the same from SQLite (text,
    0/1) as from PostgreSQL; any other table (Alembic's, an older schema's) as it is."""
    if isinstance(target, Engine):
        return _dump(target)
    engine = make_engine(database_url(target))
    try:
        return _dump(engine)
    finally:
        engine.dispose()


def _dump(engine: Engine) -> Dump:
    with engine.connect() as connection:
        inspector = inspect(connection)
        dump: Dump = {}
        for name in sorted(inspector.get_table_names()):
            if name in SEARCH_TABLES:
                # The full-text index is made from the treaty table by triggers, its own
                # tables depend on the order rows were written, and only SQLite has them
                # (tests/test_search.py checks what it finds).
                continue
            columns = {c["name"] for c in inspector.get_columns(name)}
            table = SQLModel.metadata.tables.get(name)
            if table is None or set(table.columns.keys()) != columns:
                table = Table(name, MetaData(), autoload_with=connection)
            order = list(table.primary_key.columns) or list(table.columns)
            rows = connection.execute(select(table).order_by(*order))
            dump[name] = [tuple(row) for row in rows]
        return dump


def nothing_created(target: str) -> bool:
    """True when no database was made at `target`: no SQLite file, or a server database
    without a single table."""
    url = database_url(target)
    if make_url(url).get_backend_name() == "sqlite":
        return not Path(make_url(url).database or "").exists()
    return dump_database(url) == {}
