"""Browsing the timeline a page at a time: the filter a user sets, and the rows on screen.

Plain Python for the terminal UI's timeline view: it asks for pages by position and gets back
small immutable rows; nothing here holds more than the pages asked for. Everything but the
export reads with SQLAlchemy Core on a plain connection: the ORM, SQLModel and pydantic are
never imported to browse (tests/test_browse_path.py)."""

from __future__ import annotations

import bisect
import datetime as dt
import re
import reprlib
from collections.abc import Callable, Sequence

from sqlalchemy import Engine

from db import paging as queries
from timeline import timeline_rows
from timeline.dates import PartialDate, parse_optional_date, partial
from timeline.states import StateIndex
from timeline.strength import parse_strength
from timeline.text_checks import search_problem
from timeline.timeline_rows import PAGE_SIZE, BrowseFilter, BrowseState, EventMark, TimelineRow

# Between the two dates of the period box: "..", or "to" or a dash between spaces (a date itself
# may hold a hyphen, as in 1961-07-06).
_PERIOD_SEPARATOR = re.compile(r"\.\.|\s+(?:to|[\u2013\u2014-])\s+", re.IGNORECASE)
# Counting stops here when a filter is applied; the view then asks for the exact figure.
COUNT_AT_ONCE = 20_000


_ECHO = reprlib.Repr()
_ECHO.maxstring = 40
_echo = _ECHO.repr


def to_query_filter(
    reader: queries.Reader, wanted: BrowseFilter
) -> tuple[queries.TreatyFilter, str]:
    """The database filter for what the user typed, and a phrase saying what it shows.

    Raises ValueError (or NotFound for an unknown state) with a message for the filter bar."""
    words = []
    state_ids = None
    if wanted.party.strip():
        index = StateIndex.kept(reader)
        state = index.find(wanted.party)
        lineage = index.lineage(state)
        state_ids = tuple(s.id for s in lineage)
        words.append("party " + " / ".join(s.short_name for s in lineage))
    start, end = period_ends(wanted.period)
    if start and end and end.last_day < start.first_day:
        raise ValueError(f"the period ends ({end.display()}) before it starts ({start.display()})")
    if start is not None and start == end:
        words.append(f"in force {'on' if start.precision == 'day' else 'in'} {start.display()}")
    elif start or end:
        words.append(
            f"in force {start.display() if start else '...'} to {end.display() if end else '...'}"
        )
    strength = parse_strength(wanted.min_strength) if wanted.min_strength.strip() else None
    if strength is not None:
        words.append(f"strength {strength} or more")
    text = wanted.text.strip() or None
    problem = search_problem(text) if text else None
    if problem:
        raise ValueError(f"the words to look for: {problem}")
    if text:
        words.append(f'"{text}"')
    query_filter = queries.TreatyFilter(
        state_ids=state_ids,
        active_from=start.first_day if start else None,
        active_to=end.last_day if end else None,
        min_strength=strength,
        text=text,
    )
    return query_filter, ", ".join(words) or "all treaties"


def period_ends(typed: str) -> tuple[PartialDate | None, PartialDate | None]:
    """The period box's first and last dates: "1961" or "6 July 1961" is that year or day,
    "1950..1990" (or "1950 to 1990", "1950 – 1990") a span, and "1950.." or "..1990" a span
    open at one end. ValueError, with a message for the filter bar, for anything else."""
    text = typed.strip()
    if not text:
        return None, None
    parts = _PERIOD_SEPARATOR.split(text)
    if len(parts) > 2:
        raise ValueError(
            f"the period: give one date or two (1950..1990), not {len(parts)} ({_echo(text)})"
        )
    if len(parts) == 1:
        day = parse_optional_date(text)
        return day, day
    return parse_optional_date(parts[0]), parse_optional_date(parts[1])


def apply_filter(engine: Engine, wanted: BrowseFilter, today: dt.date | None = None) -> BrowseState:
    """Apply what the user typed: the first page of rows, how many there are and the years
    they span, in as few reads as a keystroke allows."""
    today = today or dt.date.today()
    with engine.connect() as connection:
        query_filter, description = to_query_filter(connection, wanted)
        first_rows = queries.treaty_rows(connection, query_filter, 0, PAGE_SIZE)
        # Every treaty: a whole table is counted from its smallest index in a few ms.
        every = query_filter == queries.TreatyFilter()
        if len(first_rows) < PAGE_SIZE:
            count = len(first_rows)
        else:
            cap = None if every else COUNT_AT_ONCE + 1
            count = queries.count_rows(connection, query_filter, at_most=cap)
        exact = len(first_rows) < PAGE_SIZE or every or count <= COUNT_AT_ONCE
        first = queries.first_start(connection, query_filter, first_rows)
        last = queries.last_end(connection, query_filter, count if exact else None)
        page = tuple(_timeline_rows(connection, first_rows))
    first = first or today.replace(year=max(today.year - 10, 1))
    last = max(last or today, today)
    return BrowseState(query_filter, count, first, last, description, exact, page)


def count_exactly(engine: Engine, state: BrowseState) -> BrowseState:
    """The same state with every matching row counted."""
    with engine.connect() as connection:
        count = queries.count_rows(connection, state.filter)
    return state._replace(count=count, exact=True)


def fetch_page(
    engine: Engine,
    query_filter: queries.TreatyFilter,
    page: int,
    count: int | None = None,
    after: TimelineRow | None = None,
    before: TimelineRow | None = None,
    anchors: Sequence[queries.Anchor] = (),
    pages: int = 1,
) -> list[TimelineRow]:
    """Page number `page` of the filtered rows, and the `pages - 1` pages after it, in one
    read. `after` (the last row of the page before) or `before` (the first row of the page
    after the last asked for) lets the database seek straight to them instead of counting its
    way there; so does the nearest of `anchors` (anchors()) before them; `count` lets a far
    page be counted from the end."""
    offset, limit = page * PAGE_SIZE, pages * PAGE_SIZE
    with engine.connect() as connection:
        anchor = _nearest(anchors, offset, count)
        if after is not None:
            rows = queries.rows_after(connection, query_filter, _key(after), limit)
        elif before is not None:
            rows = queries.rows_before(connection, query_filter, _key(before), limit)
        elif anchor is not None:
            position, key = anchor
            skip = offset - position - 1
            rows = queries.rows_after(connection, query_filter, key, limit, skip=skip)
        else:
            rows = queries.treaty_rows(connection, query_filter, offset, limit, count)
        return _timeline_rows(connection, rows)


def anchors(
    engine: Engine, query_filter: queries.TreatyFilter, stop: Callable[[], bool] = lambda: False
) -> list[queries.Anchor]:
    """The anchors of a filter's rows (db/paging.py's anchors()), for fetch_page."""
    with engine.connect() as connection:
        return queries.anchors(connection, query_filter, timeline_rows.ANCHOR_EVERY, stop)


def _nearest(
    anchors: Sequence[queries.Anchor], offset: int, count: int | None
) -> queries.Anchor | None:
    """The anchor to read the page at `offset` from: the last before it, when it is nearer
    than the first row (or the last, which a known count lets a page be counted from)."""
    index = bisect.bisect_left(anchors, offset, key=lambda a: a[0]) - 1
    if index < 0:
        return None
    steps = offset - anchors[index][0] - 1
    direct = offset if count is None else min(offset, count - offset)
    return anchors[index] if steps < direct else None


def _timeline_rows(reader: queries.Reader, rows: list) -> list[TimelineRow]:  # type: ignore[type-arg]
    ids = [r.id for r in rows]
    parties = queries.party_names_of(reader, ids)
    marks = queries.event_marks_of(reader, ids)
    made = []
    # By position, in BROWSE_COLUMNS' order: a page is hundreds of rows, and a row's
    # attributes by name cost more than building the row.
    for (id_, slug, title, short_title, signed_on, signed_precision, in_force_on,
         in_force_precision, ended_on, ended_precision, strength) in rows:  # fmt: skip
        made.append(
            TimelineRow(
                id=id_,
                slug=slug,
                name=short_title or title,
                signed=partial(signed_on, signed_precision),
                in_force=partial(in_force_on, in_force_precision),
                ended=partial(ended_on, ended_precision),
                strength=strength,
                parties=tuple(parties[id_]),
                events=tuple(
                    EventMark(partial(on, precision), kind)  # type: ignore[arg-type]
                    for on, precision, kind in marks[id_]
                ),
            )
        )
    return made


def _key(row: TimelineRow) -> queries.RowKey:
    # A partial date is stored as its first day, which is what the order sorts on.
    return queries.RowKey(row.signed.first_day if row.signed else None, row.id)


def position_of(engine: Engine, query_filter: queries.TreatyFilter, slug: str) -> int | None:
    with engine.connect() as connection:
        return queries.row_position(connection, query_filter, slug)


def export_selection(
    engine: Engine, state: BrowseState, form: str, path: str, everything: bool
) -> tuple[int, int]:
    """Write the treaties the screen's filter shows (and their events) to `path` in `form`;
    returns how many treaties and events were written."""
    from sqlmodel import Session

    from db.queries import treaties_matching
    from timeline.io.export_cli import render, write_output
    from timeline.io.selection import select_events
    from timeline.records import to_records

    with Session(engine) as session:
        states = StateIndex(session)
        treaties = to_records(session, treaties_matching(session, state.filter), states)
        events = select_events(session, treaties, everything=everything, states=states)
        said = [] if everything else [state.description]
        text = render(form, session, treaties, events, said)
    write_output(path, text)
    return len(treaties), len(events)
