"""Open the database the user chose: create or upgrade its schema, and seed a new one.

Opening a database already at this program's schema reads it with SQLAlchemy Core alone; the
models, the ORM and the fixtures are imported only to seed a new one."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import SQLAlchemyError

from db.engine import database_url, describe_location, make_engine, writer
from db.errors import DatabaseError
from db.schema import SchemaChange, ensure_schema, explain, hold_schema_lock
from db.tables import state

if TYPE_CHECKING:
    from timeline.seed import SeedReport


@dataclass
class OpenDatabase:
    engine: Engine
    url: str
    schema: SchemaChange
    seeded: SeedReport | None

    @property
    def location(self) -> str:
        return describe_location(self.url)


def _state_count(connection: Connection) -> int:
    return connection.execute(select(func.count()).select_from(state)).scalar_one()


def open_database(target: str | os.PathLike[str] | None = None) -> OpenDatabase:
    """Open (creating if needed) the database at `target`: --db value, URL or path.

    A database with no states at all is seeded with the fixtures: that is a new database, or
    one whose first seeding was interrupted; any other is left as the user keeps it."""
    url = database_url(target)
    try:
        engine = make_engine(url)
    except OSError as error:
        raise DatabaseError(f"cannot create the database folder: {error.strerror}") from error
    schema = ensure_schema(engine)
    report = None
    try:
        # Read first: opening a seeded database must not wait for another program's write.
        with engine.connect() as connection:
            empty = _state_count(connection) == 0
        if empty:
            report = _seed(engine)
    except SQLAlchemyError as error:
        raise DatabaseError(explain(error)) from error
    return OpenDatabase(engine, url, schema, report)


def _seed(engine: Engine) -> SeedReport | None:
    """Seed the fixtures, unless another program did while this one waited for the lock."""
    from sqlmodel import Session

    from timeline.seed import seed

    with Session(writer(engine)) as session:
        hold_schema_lock(session.connection())
        if _state_count(session.connection()) != 0:
            return None
        report = seed(session)
        session.commit()
        return report
