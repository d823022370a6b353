"""The treaty filters of `list`, reusable: the CLI, the exports and the UI select the same way.

Filters are checked before the database is touched (parse_filters), so a mistyped filter never
opens, creates or seeds a database; apply_filters then runs them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from db.models import Event
from db.queries import find_treaties
from timeline.dates import DateError, DateOrder, PartialDate, parse_date
from timeline.forms import search_problem
from timeline.records import EventRecord, StateIndex, TreatyRecord, events_of, to_records
from timeline.strength import parse_strength


@dataclass(frozen=True)
class TreatyFilters:
    """Checked filters; every field None means no filter."""

    party: str | None = None
    in_force_on: PartialDate | None = None
    between: tuple[PartialDate, PartialDate] | None = None
    min_strength: int | None = None
    search: str | None = None
    limit: int | None = None

    @property
    def given(self) -> bool:
        return self != TreatyFilters()

    def describe(self) -> list[str]:
        """The filters as a reader would say them, e.g. ["party CHN", "strength 3 or more"]."""
        said = []
        if self.party:
            said.append(f"party {self.party}")
        if self.in_force_on:
            said.append(f"in force on {self.in_force_on.display()}")
        if self.between:
            said.append(f"signed {self.between[0].display()} to {self.between[1].display()}")
        if self.min_strength is not None:
            said.append(f"strength {self.min_strength} or more")
        if self.search:
            said.append(f'mentioning "{self.search}"')
        if self.limit is not None:
            said.append(f"at most {self.limit}")
        return said


def _date(text: str, order: DateOrder | str, what: str) -> PartialDate:
    try:
        return parse_date(text, order)
    except DateError as error:
        raise ValueError(f"{what}: {error}") from error


def parse_filters(
    *,
    party: str | None = None,
    in_force_on: str | None = None,
    between: Sequence[str] | None = None,
    min_strength: str | int | None = None,
    search: str | None = None,
    limit: int | None = None,
    order: DateOrder | str = "strict",
) -> TreatyFilters:
    """Filters as typed, checked; ValueError says which one is wrong."""
    day = _date(in_force_on, order, "--in-force-on") if in_force_on else None
    span = None
    if between:
        start = _date(between[0], order, "--between")
        end = _date(between[1], order, "--between")
        if end.last_day < start.first_day:
            raise ValueError(f"--between: {end.display()} is before {start.display()}")
        span = (start, end)
    strength = parse_strength(min_strength) if min_strength is not None else None
    problem = search_problem(search) if search else None
    if problem:
        raise ValueError(f"--search: {problem}")
    if limit is not None and not 0 <= limit <= 2**31 - 1:
        raise ValueError(f"--limit: give how many treaties at most, from 0 to {2**31 - 1}")
    return TreatyFilters(party or None, day, span, strength, search or None, limit)


def apply_filters(
    session: Session, filters: TreatyFilters, states: StateIndex | None = None
) -> list[TreatyRecord]:
    """The treaties matching `filters`, in order of signature. NotFound for an unknown party."""
    states = states or StateIndex(session)
    query: dict[str, Any] = {"text": filters.search, "limit": filters.limit}
    if filters.in_force_on:
        query.update(
            in_force_from=filters.in_force_on.first_day, in_force_to=filters.in_force_on.last_day
        )
    if filters.between:
        start, end = filters.between
        query.update(signed_from=start.first_day, signed_to=end.last_day)
    if filters.min_strength is not None:
        query["min_strength"] = filters.min_strength
    if filters.party:
        # The state named and every state of its lineage (the USSR with Russia).
        query["state_ids"] = [s.id for s in states.lineage(states.find(filters.party))]
    return to_records(session, find_treaties(session, **query), states)


def select_treaties(
    session: Session,
    *,
    party: str | None = None,
    in_force_on: str | None = None,
    between: Sequence[str] | None = None,
    min_strength: str | int | None = None,
    search: str | None = None,
    limit: int | None = None,
    order: DateOrder | str = "strict",
) -> list[TreatyRecord]:
    """The treaties `list` shows for these filters (as typed), in order of signature."""
    filters = parse_filters(
        party=party,
        in_force_on=in_force_on,
        between=between,
        min_strength=min_strength,
        search=search,
        limit=limit,
        order=order,
    )
    return apply_filters(session, filters)


def select_events(
    session: Session,
    treaties: Sequence[TreatyRecord],
    *,
    everything: bool = False,
    states: StateIndex | None = None,
) -> list[EventRecord]:
    """The events tied to `treaties` in date order; with `everything`, all events."""
    statement = select(Event).options(selectinload(Event.states))  # type: ignore[arg-type]
    if not everything:
        statement = statement.where(col(Event.treaty_id).in_([t.id for t in treaties]))
    rows = session.exec(statement.order_by(col(Event.happened_on), col(Event.key))).all()
    return events_of(session, states or StateIndex(session), rows)
