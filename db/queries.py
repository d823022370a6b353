"""Reads. Each takes a Session the caller opened for one unit of work."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, or_
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from db import tables
from db.errors import NotFound
from db.models import (
    Citation,
    Event,
    EventState,
    Provision,
    Source,
    State,
    Treaty,
    TreatyParty,
)
from db.paging import TreatyFilter, browse_where, dialect_of
from db.search import contains

COUNTED = {
    "treaties": Treaty,
    "states": State,
    "parties": TreatyParty,
    "provisions": Provision,
    "events": Event,
    "sources": Source,
    "citations": Citation,
}


def row_counts(session: Session) -> dict[str, int]:
    return {
        name: session.exec(select(func.count()).select_from(table)).one()
        for name, table in COUNTED.items()
    }


def _with_parties():  # type: ignore[no-untyped-def]
    return selectinload(Treaty.parties).selectinload(TreatyParty.state)  # type: ignore[arg-type]


def treaties_by_date(session: Session, limit: int | None = None) -> list[Treaty]:
    """Treaties in order of signature (undated last), with their parties and states loaded."""
    statement = (
        select(Treaty)
        .options(_with_parties())
        .order_by(Treaty.signed_on.is_(None), Treaty.signed_on, Treaty.slug)  # type: ignore[union-attr]
        .limit(limit)
    )
    return list(session.exec(statement).all())


def treaty_by_slug(session: Session, slug: str) -> Treaty:
    treaty = session.exec(
        select(Treaty).where(Treaty.slug == slug).options(_with_parties())
    ).first()
    if treaty is None:
        raise NotFound(f"no treaty with the slug {slug!r}")
    return treaty


def find_treaties(
    session: Session,
    *,
    state_ids: Sequence[int] | None = None,
    in_force_from: dt.date | None = None,
    in_force_to: dt.date | None = None,
    signed_from: dt.date | None = None,
    signed_to: dt.date | None = None,
    min_strength: int | None = None,
    text: str | None = None,
    limit: int | None = None,
) -> list[Treaty]:
    """Treaties matching every filter given, in order of signature.

    in_force_from/to: the treaty was in force at some time in [from, to], counting from entry
    into force (or signature where that is unknown) to its end, exclusive."""
    statement = select(Treaty).options(_with_parties())
    if state_ids is not None:
        parties = select(TreatyParty.treaty_id).where(col(TreatyParty.state_id).in_(state_ids))
        statement = statement.where(col(Treaty.id).in_(parties))
    if in_force_to is not None:
        starts = func.coalesce(Treaty.in_force_on, Treaty.signed_on)
        statement = statement.where(starts.is_not(None), starts <= in_force_to)
    if in_force_from is not None:
        statement = statement.where(
            or_(col(Treaty.ended_on).is_(None), col(Treaty.ended_on) > in_force_from)
        )
    if signed_from is not None:
        statement = statement.where(col(Treaty.signed_on) >= signed_from)
    if signed_to is not None:
        statement = statement.where(col(Treaty.signed_on) <= signed_to)
    if min_strength is not None:
        statement = statement.where(col(Treaty.strength) >= min_strength)
    if text:
        clauses = select(Provision.treaty_id).where(
            or_(contains(Provision.text, text), contains(Provision.conditions, text))
        )
        statement = statement.where(
            or_(
                *(
                    contains(column, text)
                    for column in (
                        Treaty.title,
                        Treaty.short_title,
                        Treaty.slug,
                        Treaty.summary,
                        Treaty.notes,
                    )
                ),
                col(Treaty.id).in_(clauses),
            )
        )
    statement = statement.order_by(
        col(Treaty.signed_on).is_(None), col(Treaty.signed_on), col(Treaty.slug)
    ).limit(limit)
    return list(session.exec(statement).all())


def find_events(
    session: Session,
    *,
    state_ids: Sequence[int] | None = None,
    happened_from: dt.date | None = None,
    happened_to: dt.date | None = None,
    treaty_id: int | None = None,
) -> list[Event]:
    """Events in date order. With state_ids: events naming one of those states, or tied to a
    treaty one of them is party to."""
    statement = select(Event).options(selectinload(Event.states))  # type: ignore[arg-type]
    if state_ids is not None:
        named = select(EventState.event_id).where(col(EventState.state_id).in_(state_ids))
        treaties = select(TreatyParty.treaty_id).where(col(TreatyParty.state_id).in_(state_ids))
        statement = statement.where(
            or_(col(Event.id).in_(named), col(Event.treaty_id).in_(treaties))
        )
    if happened_from is not None:
        statement = statement.where(col(Event.happened_on) >= happened_from)
    if happened_to is not None:
        statement = statement.where(col(Event.happened_on) <= happened_to)
    if treaty_id is not None:
        statement = statement.where(Event.treaty_id == treaty_id)
    return list(session.exec(statement.order_by(col(Event.happened_on), col(Event.key))).all())


def treaties_matching(session: Session, f: TreatyFilter) -> list[Treaty]:
    """Every treaty the browsing filter matches, in timeline order (for exporting)."""
    statement = select(Treaty)
    if f != TreatyFilter():
        # The filter is written over db/tables.py's treaty table, a table apart from the
        # model's: it selects the ids here, as a subquery, rather than join the two.
        matching = browse_where(select(tables.treaty.c.id), f, dialect_of(session))
        statement = statement.where(col(Treaty.id).in_(matching))
    statement = statement.order_by(col(Treaty.signed_on).nulls_first(), col(Treaty.id))
    return list(session.exec(statement).all())
