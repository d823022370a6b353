"""Database location and engine setup. SQLite-only settings live here and nowhere else; a
server (PostgreSQL) needs none beyond a connect timeout."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool

from db.errors import DatabaseError
from db.location import chosen_target

BUSY_TIMEOUT_MS = 5000
CONNECT_TIMEOUT_S = 10
URL_EXAMPLE = "postgresql+psycopg://USER:PASSWORD@HOST/DATABASE"

# psycopg logs a warning when a failed statement aborts a batch of inserts, just before the error
# that says it better; with no logging set up, Python would print it as a second line.
logging.getLogger("psycopg").addHandler(logging.NullHandler())
SQLITE_BEGIN = "treaty_timeline_sqlite_begin"


def database_url(target: str | os.PathLike[str] | None = None) -> str:
    """Turn what the user gave (--db, then the environment, then the default) into a URL.

    A value with "://" is taken as a SQLAlchemy URL; anything else is a path to a SQLite file."""
    text = chosen_target(target)
    if "://" in text:
        parse_url(text)
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def parse_url(url: str) -> URL:
    try:
        return make_url(url)
    except ArgumentError as error:
        # The text may hold a password: it is not repeated back.
        raise DatabaseError(
            f"cannot read the database URL; give a file path or a URL such as {URL_EXAMPLE}"
        ) from error


def describe_location(url: str) -> str:
    """The URL as a user should see it: a file path for SQLite, no password otherwise."""
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    # Unquoted for reading ("host=/run/postgresql", not "host=%2Frun%2Fpostgresql").
    return unquote(parsed.render_as_string(hide_password=True))


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str) -> Engine:
    parsed = parse_url(url)
    if parsed.get_backend_name() != "sqlite":
        return _server_engine(parsed)

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
    if not in_memory:
        event.listen(engine, "do_connect", _connect_file)

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
        # A write takes the write lock up front (see writer()); a plain BEGIN that reads
        # first and writes later would fail at once against another writer doing the same.
        mode = connection.get_execution_options().get(SQLITE_BEGIN, "")
        connection.exec_driver_sql(f"BEGIN {mode}".strip())

    return engine


# The table every treaty-timeline database holds (db/schema.py's VERSION_TABLE; that module
# imports this one).
SCHEMA_TABLE = "alembic_version"
# SQLite's answers when a WAL file cannot be read because this user may not create the -shm
# file beside it (a read-only folder).
CANNOT_SHARE = ("SQLITE_READONLY_DIRECTORY", "SQLITE_READONLY_CANTINIT", "SQLITE_CANTOPEN")


def _connect_file(
    _dialect: object, _record: object, cargs: list[str], cparams: dict[str, Any]
) -> sqlite3.Connection:
    """Open a SQLite file: in WAL mode when it is ours (or new), read-only when this user can
    read it only that way."""
    connection = sqlite3.connect(*cargs, **cparams)
    # Nothing here waits for a lock: a busy file is reported once, by the first real statement.
    connection.execute("PRAGMA busy_timeout = 0")
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    except sqlite3.Error as error:
        if getattr(error, "sqlite_errorname", "") not in CANNOT_SHARE:
            return connection  # not a database, or locked: the first real statement says so
        connection.close()
        # Read as it lies on disk, the user can browse it; a write is refused as read-only.
        # Only a WAL file nobody has open comes here (an open one has its -shm file).
        uri = f"{Path(cargs[0]).resolve().as_uri()}?mode=ro&immutable=1"
        return sqlite3.connect(uri, **{**cparams, "uri": True})
    if not tables or SCHEMA_TABLE in tables:  # another program's database is left as it is
        _switch_to_wal(connection)
    return connection


def _switch_to_wal(connection: sqlite3.Connection) -> None:
    """Write-ahead logging: readers never wait for the writer nor the writer for readers, so
    the app browses while another program imports into the same file. The mode is stored in
    the file: the first connection switches it, later ones find it set. A file this user may
    not write, or another program holds, keeps its mode for now."""
    with contextlib.suppress(sqlite3.Error):
        connection.execute("PRAGMA journal_mode = WAL")


def _server_engine(url: URL) -> Engine:
    options: dict = {"pool_pre_ping": True}
    if url.get_backend_name() == "postgresql" and "connect_timeout" not in url.query:
        # A host that never answers would otherwise keep the user waiting for minutes.
        options["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_S}
    try:
        return create_engine(url, **options)
    except (ArgumentError, ImportError) as error:  # an unknown scheme, or its driver missing
        raise DatabaseError(
            f"cannot open {url.drivername}:// databases; use a SQLite file or a URL such as"
            f" {URL_EXAMPLE}"
        ) from error


# Each SQLite connection's page cache while browsing, in KiB (SQLite's default is 2 MiB).
BROWSE_CACHE_KIB = 512


def limit_page_cache(engine: Engine, kib: int = BROWSE_CACHE_KIB) -> None:
    """Hold every SQLite connection of `engine` to a page cache of `kib` KiB from now on; the
    connections already in its pool are closed, to be opened again so. Browsing walks indexes
    a few pages at a time, which the system's file cache holds anyway, through a pool of four
    or five connections: at a million treaties their default caches took 5-7 MB of the app's
    memory, for no speed that the browse benchmark could tell. Nothing on another engine."""
    if not is_sqlite(engine):
        return

    @event.listens_for(engine, "connect")
    def _cache(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.execute(f"PRAGMA cache_size = -{int(kib)}")

    engine.dispose()


def writer(engine: Engine) -> Engine:
    """The engine for a unit of work that writes: on SQLite its transaction begins IMMEDIATE,
    so concurrent writers queue on the busy timeout instead of failing; elsewhere unchanged."""
    return engine.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"}) if is_sqlite(engine) else engine


def set_sqlite_foreign_keys(connection: Connection, on: bool) -> None:
    """Switch foreign key enforcement for this connection; SQLite ignores it inside a
    transaction, so it is sent on the driver's connection before any statement."""
    connection.connection.driver_connection.execute(  # type: ignore[union-attr]
        f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}"
    )
