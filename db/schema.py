"""Bring a database to the schema this program knows, with the Alembic migrations shipped in
`db/migrations`. Alembic is imported only when there is something to migrate, so opening a
current database costs one query."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from db.engine import is_sqlite, set_sqlite_foreign_keys
from db.errors import DatabaseError, SchemaTooNew
from db.schema_head import SCHEMA_HEAD
from db.server_errors import explain_server

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version"
# Any fixed number: the key of the PostgreSQL advisory lock taken while a schema is made.
SCHEMA_LOCK_KEY = 7_236_051


@dataclass(frozen=True)
class SchemaChange:
    before: str | None  # revision found; None for a new, empty database
    after: str

    @property
    def created(self) -> bool:
        return self.before is None

    @property
    def upgraded(self) -> bool:
        return self.before is not None and self.before != self.after


def current_revision(connection: Connection) -> str | None:
    """The schema revision of the database; None when it is empty.

    Raises DatabaseError for a database that holds other tables but was not made by us."""
    inspector = inspect(connection)
    if not inspector.has_table(VERSION_TABLE):
        if inspector.get_table_names():
            raise DatabaseError(
                "this database holds tables but was not created by treaty-timeline;"
                " choose another file with --db"
            )
        return None
    rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).all()
    return rows[0][0] if rows else None


def alembic_config(connection: Connection):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def known_revisions() -> list[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return [script.revision for script in ScriptDirectory.from_config(config).walk_revisions()]


def ensure_schema(engine: Engine) -> SchemaChange:
    """Create or upgrade the schema in place; refuse a database newer than this program."""
    try:
        with engine.connect() as connection:
            before = current_revision(connection)
        if before == SCHEMA_HEAD:
            return SchemaChange(before, before)
        if before is not None and before not in known_revisions():
            raise SchemaTooNew(
                f"this database has schema version {before}, newer than this treaty-timeline"
                f" knows (up to {SCHEMA_HEAD}); upgrade treaty-timeline to open it"
            )
        migrate(engine)
        return SchemaChange(before, SCHEMA_HEAD)
    except DatabaseError:
        raise
    except SQLAlchemyError as error:
        raise DatabaseError(explain(error)) from error


def migrate(engine: Engine) -> None:
    from alembic import command

    sqlite = is_sqlite(engine)
    with engine.connect() as connection:
        if sqlite:
            # Batch migrations rebuild tables (copy, drop, rename); with foreign keys on, the
            # drop would cascade into the child rows. They are checked again before commit.
            set_sqlite_foreign_keys(connection, on=False)
        try:
            # One transaction for the whole upgrade: a failure leaves the file as it was.
            with connection.begin():
                hold_schema_lock(connection)
                if current_revision(connection) == SCHEMA_HEAD:
                    return  # another program made it while this one waited for the lock
                command.upgrade(alembic_config(connection), "head")
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise DatabaseError(
                            f"upgrade stopped: {len(broken)} records would lose their links"
                        )
        finally:
            if sqlite:
                set_sqlite_foreign_keys(connection, on=True)


def hold_schema_lock(connection: Connection) -> None:
    """On PostgreSQL, programs creating, upgrading or seeding the same database at once take
    turns: each holds this lock until its transaction ends."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})


def explain(error: SQLAlchemyError) -> str:
    """A one-line reason a user can act on, for the errors opening or writing a database can
    meet. Callers give it an error whose transaction was rolled back: nothing was changed."""
    message = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    lowered = message.lower()
    server = explain_server(message)
    if server:
        return server
    if "file is not a database" in lowered or "malformed" in lowered:
        return "the file is not a treaty-timeline database (not SQLite, or damaged)"
    if "unable to open database file" in lowered:
        return "cannot open the database file: check that you may read it and its folder"
    if "readonly" in lowered or "read-only" in lowered:
        return (
            "the database is read-only (no write permission on the file or its folder):"
            " nothing was changed"
        )
    if "locked" in lowered:
        return "the database is locked by another program; try again in a moment"
    if "disk is full" in lowered:
        return "the disk is full: nothing was changed; free some space and try again"
    return f"database error: {message}"
