"""Open the database the user chose: create or upgrade its schema, and seed a new one."""

from __future__ import annotations

import os
from dataclasses import dataclass

from sqlalchemy import Engine, func
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from db.engine import database_url, describe_location, make_engine, writer
from db.errors import DatabaseError
from db.models import State
from db.schema import SchemaChange, ensure_schema, explain, hold_schema_lock
from timeline.seed import SeedReport, seed


@dataclass
class OpenDatabase:
    engine: Engine
    url: str
    schema: SchemaChange
    seeded: SeedReport | None

    @property
    def location(self) -> str:
        return describe_location(self.url)


def _state_count(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(State)).one()


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
        if _state_count(engine) == 0:
            with Session(writer(engine)) as session:
                hold_schema_lock(session.connection())
                if session.exec(select(func.count()).select_from(State)).one() == 0:
                    report = seed(session)
                    session.commit()
    except SQLAlchemyError as error:
        raise DatabaseError(explain(error)) from error
    return OpenDatabase(engine, url, schema, report)
