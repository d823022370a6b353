"""Add, edit and delete treaties: validation and the write in one transaction, so a refused
change leaves the database exactly as it was. The CLI and the terminal UI both call these."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session

from db import audit
from db.changes import (
    create_event,
    create_treaty,
    delete_treaty,
    event_key_exists,
    slug_exists,
    update_treaty,
)
from db.engine import writer
from db.errors import DatabaseError
from db.schema import explain
from timeline.dates import DateOrder
from timeline.forms import (
    EventInput,
    TreatyInput,
    editable_values,
    validate_event,
    validate_treaty,
)
from timeline.records import StateIndex, TreatyRecord, load_treaty


def _validate(
    session: Session,
    raw: Mapping[str, Any],
    order: DateOrder | str,
    current_slug: str | None = None,
) -> TreatyInput:
    return validate_treaty(
        raw,
        StateIndex(session),
        slug_taken=lambda s: slug_exists(session, s),
        treaty_exists=lambda s: slug_exists(session, s),
        order=order,
        current_slug=current_slug,
    )


def _integrity(error: IntegrityError) -> DatabaseError:
    message = str(error.orig).lower()
    if "unique" in message and "slug" in message:
        return DatabaseError("that slug is already used by another treaty")
    return DatabaseError(f"the database refused the change: {error.orig}")


def add_treaty(
    engine: Engine, raw: Mapping[str, Any], order: DateOrder | str = DateOrder.STRICT
) -> TreatyRecord:
    with Session(writer(engine)) as session:
        try:
            data = _validate(session, raw, order)
            audit.begin(session, f"add {data.values['slug']}")
            treaty = create_treaty(
                session,
                data.values,
                replaces=data.replaces,
                parties=data.parties,
                provisions=data.provisions,
            )
            session.commit()
            return load_treaty(session, treaty.slug)
        except IntegrityError as error:
            session.rollback()
            raise _integrity(error) from error
        except SQLAlchemyError as error:
            session.rollback()
            raise DatabaseError(explain(error)) from error


def edit_treaty(
    engine: Engine,
    slug: str,
    changes: Mapping[str, Any],
    order: DateOrder | str = DateOrder.STRICT,
    expected_version: int | None = None,
) -> TreatyRecord:
    """Apply `changes` (user-facing fields) to the treaty; parties or provisions are replaced
    only when given."""
    with Session(writer(engine)) as session:
        try:
            current = load_treaty(session, slug)
            raw = editable_values(current)
            raw.update(changes)
            data = _validate(session, raw, order, current_slug=slug)
            audit.begin(session, f"edit {slug}")
            update_treaty(
                session,
                slug,
                data.values,
                replaces=data.replaces,
                parties=data.parties if "parties" in changes else None,
                provisions=data.provisions if "provisions" in changes else None,
                expected_version=expected_version,
            )
            session.commit()
            return load_treaty(session, data.values["slug"])
        except IntegrityError as error:
            session.rollback()
            raise _integrity(error) from error
        except SQLAlchemyError as error:
            session.rollback()
            raise DatabaseError(explain(error)) from error


def remove_treaty(engine: Engine, slug: str) -> None:
    with Session(writer(engine)) as session:
        try:
            audit.begin(session, f"delete {slug}")
            delete_treaty(session, slug)
            session.commit()
        except SQLAlchemyError as error:
            session.rollback()
            raise DatabaseError(explain(error)) from error


def add_event(
    engine: Engine, raw: Mapping[str, Any], order: DateOrder | str = DateOrder.STRICT
) -> EventInput:
    """Validate and store an event; returns what was stored (with its key)."""
    with Session(writer(engine)) as session:
        try:
            data = validate_event(
                raw,
                StateIndex(session),
                treaty_exists=lambda s: slug_exists(session, s),
                key_taken=lambda k: event_key_exists(session, k),
                order=order,
            )
            audit.begin(session, f"add event {data.values['key']}")
            create_event(session, data.values, treaty_slug=data.treaty, state_ids=data.state_ids)
            session.commit()
            return data
        except SQLAlchemyError as error:
            session.rollback()
            raise DatabaseError(explain(error)) from error
