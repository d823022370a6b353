"""Database location and engine setup. SQLite-only settings live here and nowhere else."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

ENV_VAR = "TREATY_TIMELINE_DB"
APP_NAME = "treaty-timeline"
DB_FILENAME = "treaties.db"
BUSY_TIMEOUT_MS = 5000


def default_database_path() -> Path:
    # platformdirs knows each OS's convention (XDG on Linux, Application Support on macOS, ...).
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / DB_FILENAME


def database_url(target: str | os.PathLike[str] | None = None) -> str:
    """Turn what the user gave (--db, then the environment, then the default) into a URL.

    A value with "://" is taken as a SQLAlchemy URL; anything else is a path to a SQLite file."""
    if target is None or str(target) == "":
        target = os.environ.get(ENV_VAR) or default_database_path()
    text = str(target)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def describe_location(url: str) -> str:
    """The URL as a user should see it: a file path for SQLite, no password otherwise."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return parsed.render_as_string(hide_password=True)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)

    in_memory = parsed.database in (None, "", ":memory:")
    if not in_memory:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    options: dict = {
        "connect_args": {"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    }
    if in_memory:
        # One shared connection keeps an in-memory database alive across sessions and threads.
        options["poolclass"] = StaticPool
    engine = create_engine(url, **options)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # Python's sqlite3 commits silently before DDL; taking over BEGIN makes every
        # transaction (a migration, an import) all or nothing.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            # Off by default in SQLite; the schema's ON DELETE rules depend on it.
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(connection) -> None:  # type: ignore[no-untyped-def]
        connection.exec_driver_sql("BEGIN")

    return engine


def set_sqlite_foreign_keys(connection: Connection, on: bool) -> None:
    """Switch foreign key enforcement for this connection; SQLite ignores it inside a
    transaction, so it is sent on the driver's connection before any statement."""
    connection.connection.driver_connection.execute(  # type: ignore[union-attr]
        f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}"
    )
