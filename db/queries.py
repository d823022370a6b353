"""Reads. Each takes a Session the caller opened for one unit of work."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

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


def _like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` literally anywhere (% and _ escaped with backslash)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def _contains(column: Any, text: str) -> Any:
    """`column` holds `text`, in any case. The database's lower() may change only ASCII letters
    (SQLite's always does, PostgreSQL's in a database with the C locale), so the upper-case
    forms of the other letters of `text` are lowered with replace(), which every engine has."""
    lowered = func.lower(column)
    for letter in sorted({c for c in text.lower() if not c.isascii()}):
        for upper in sorted({letter.upper(), letter.title()} - {letter}):
            if len(upper) == 1 and upper.lower() == letter:
                lowered = func.replace(lowered, upper, letter)
    return lowered.like(_like_pattern(text), escape="\\")


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
            or_(_contains(Provision.text, text), _contains(Provision.conditions, text))
        )
        statement = statement.where(
            or_(
                *(
                    _contains(column, text)
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


# -- paged browsing: only the rows on screen are ever loaded -----------------------------------


@dataclass(frozen=True)
class TreatyFilter:
    """Filters for browsing, as plain values; every field None means no filter."""

    state_ids: tuple[int, ...] | None = None
    active_from: dt.date | None = None  # in force at some time in [active_from, active_to]
    active_to: dt.date | None = None
    min_strength: int | None = None
    text: str | None = None


def _browse_where(statement, f: TreatyFilter):  # type: ignore[no-untyped-def]
    if f.state_ids is not None:
        parties = select(TreatyParty.treaty_id).where(col(TreatyParty.state_id).in_(f.state_ids))
        statement = statement.where(col(Treaty.id).in_(parties))
    starts = func.coalesce(Treaty.signed_on, Treaty.in_force_on)
    if f.active_to is not None:
        statement = statement.where(starts <= f.active_to)
    if f.active_from is not None:
        statement = statement.where(
            or_(col(Treaty.ended_on).is_(None), col(Treaty.ended_on) > f.active_from)
        )
    if f.min_strength is not None:
        statement = statement.where(col(Treaty.strength) >= f.min_strength)
    if f.text:
        statement = statement.where(
            or_(
                *(
                    _contains(column, f.text)
                    for column in (Treaty.title, Treaty.short_title, Treaty.slug)
                )
            )
        )
    return statement


BROWSE_COLUMNS = (
    Treaty.id,
    Treaty.slug,
    Treaty.title,
    Treaty.short_title,
    Treaty.signed_on,
    Treaty.signed_precision,
    Treaty.in_force_on,
    Treaty.in_force_precision,
    Treaty.ended_on,
    Treaty.ended_precision,
    Treaty.strength,
)


def treaty_rows(session: Session, f: TreatyFilter, offset: int, limit: int) -> list[Any]:
    """One page of light rows in time order (undated first). Ordering by the signature date
    and the row id lets SQLite walk ix_treaty_signed_on (which carries the rowid) instead of
    sorting, so any page costs about the same."""
    statement = (
        _browse_where(select(*BROWSE_COLUMNS), f)
        # NULLS FIRST spelt out: it is SQLite's default but not PostgreSQL's.
        .order_by(col(Treaty.signed_on).nulls_first(), col(Treaty.id))
        .offset(offset)
        .limit(limit)
    )
    return list(session.exec(statement).all())


def row_position(session: Session, f: TreatyFilter, slug: str) -> int | None:
    """Where the treaty stands in the filtered, ordered list (for jumping to it)."""
    target = session.exec(select(Treaty.id, Treaty.signed_on).where(Treaty.slug == slug)).first()
    if target is None:
        return None
    treaty_id, signed_on = target
    if signed_on is None:
        before = col(Treaty.signed_on).is_(None) & (col(Treaty.id) < treaty_id)
    else:
        before = or_(
            col(Treaty.signed_on).is_(None),
            col(Treaty.signed_on) < signed_on,
            (col(Treaty.signed_on) == signed_on) & (col(Treaty.id) < treaty_id),
        )
    statement = _browse_where(select(func.count()).select_from(Treaty), f).where(before)
    return session.exec(statement).one()


def filter_summary(session: Session, f: TreatyFilter) -> tuple[int, dt.date | None, dt.date | None]:
    """How many treaties match, the first start and the last end among them: one scan."""
    starts = func.coalesce(Treaty.signed_on, Treaty.in_force_on)
    statement = _browse_where(
        select(func.count(), func.min(starts), func.max(Treaty.ended_on)).select_from(Treaty), f
    )
    count, first, last = session.exec(statement).one()
    # SQLite hands back aggregates of dates as text.
    return count, _as_date(first), _as_date(last)


def _as_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def party_names_of(session: Session, treaty_ids: Sequence[int]) -> dict[int, list[str]]:
    rows = session.exec(
        select(TreatyParty.treaty_id, State.short_name)
        .join(State, col(State.id) == col(TreatyParty.state_id))
        .where(col(TreatyParty.treaty_id).in_(treaty_ids))
        .order_by(col(TreatyParty.id))
    ).all()
    found: dict[int, list[str]] = {i: [] for i in treaty_ids}
    for treaty_id, name in rows:
        found[treaty_id].append(name)
    return found


def event_marks_of(session: Session, treaty_ids: Sequence[int]) -> dict[int, list[Any]]:
    rows = session.exec(
        select(Event.treaty_id, Event.happened_on, Event.happened_precision, Event.kind)
        .where(col(Event.treaty_id).in_(treaty_ids))
        .order_by(col(Event.happened_on))
    ).all()
    found: dict[int, list[Any]] = {i: [] for i in treaty_ids}
    for treaty_id, on, precision, kind in rows:
        found[treaty_id].append((on, precision, kind))
    return found


def treaties_matching(session: Session, f: TreatyFilter) -> list[Treaty]:
    """Every treaty the browsing filter matches, in time order (for exporting a selection)."""
    statement = _browse_where(select(Treaty), f).order_by(
        col(Treaty.signed_on).nulls_first(), col(Treaty.id)
    )
    return list(session.exec(statement).all())
