"""The timeline's first page read straight from an SQLite file with the standard library, so the
app shows treaties while the database layer (SQLAlchemy, SQLModel: longer to import than
Textual itself) is still loading. Only a file already at this program's schema is read, and
only for reading; anything unusual (no file, an older or newer schema, a damaged file, a
server URL) gives None and the app waits for the database layer as before, which then
replaces these rows with the same ones."""

from __future__ import annotations

import datetime as dt
import sqlite3

from db.location import sqlite_file
from db.schema_head import SCHEMA_HEAD
from timeline.dates import PartialDate
from timeline.timeline_rows import PAGE_SIZE, BrowseState, EventMark, TimelineRow

# The same order and the same columns as db/paging.py's first page with no filter.
_ROWS = """
SELECT id, slug, title, short_title, signed_on, signed_precision, in_force_on,
       in_force_precision, ended_on, ended_precision, strength
FROM treaty ORDER BY signed_on, id LIMIT ?"""
_PARTIES = """
SELECT treaty_party.treaty_id, state.short_name FROM treaty_party
JOIN state ON state.id = treaty_party.state_id
WHERE treaty_party.treaty_id IN ({marks}) ORDER BY treaty_party.id"""
_EVENTS = """
SELECT treaty_id, happened_on, happened_precision, kind FROM event
WHERE treaty_id IN ({marks}) ORDER BY happened_on"""


def peek(target: str | None, today: dt.date) -> BrowseState | None:
    """Every treaty, first page only, or None when the file cannot be read this way."""
    path = sqlite_file(target)
    if path is None or not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=0.2)
    except sqlite3.Error:
        return None
    try:
        return _read(connection, today)
    except (sqlite3.Error, ValueError):
        return None
    finally:
        connection.close()


def _read(connection: sqlite3.Connection, today: dt.date) -> BrowseState | None:
    version = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    if version is None or version[0] != SCHEMA_HEAD:
        return None
    rows = connection.execute(_ROWS, (PAGE_SIZE,)).fetchall()
    if not rows:
        return None
    count = connection.execute("SELECT count(*) FROM treaty").fetchone()[0]
    last_end = connection.execute("SELECT max(ended_on) FROM treaty").fetchone()[0]
    ids = [row[0] for row in rows]
    marks = ", ".join("?" * len(ids))
    parties: dict[int, list[str]] = {i: [] for i in ids}
    for treaty_id, name in connection.execute(_PARTIES.format(marks=marks), ids):
        parties[treaty_id].append(name)
    events: dict[int, list[EventMark]] = {i: [] for i in ids}
    for treaty_id, on, precision, kind in connection.execute(_EVENTS.format(marks=marks), ids):
        events[treaty_id].append(EventMark(PartialDate.from_parts(_day(on), precision), kind))
    page = tuple(
        TimelineRow(
            id=r[0],
            slug=r[1],
            name=r[3] or r[2],
            signed=_partial(r[4], r[5]),
            in_force=_partial(r[6], r[7]),
            ended=_partial(r[8], r[9]),
            strength=r[10],
            parties=tuple(parties[r[0]]),
            events=tuple(events[r[0]]),
        )
        for r in rows
    )
    starts = [row.starts.first_day for row in page if row.starts is not None]
    first = min(starts, default=today.replace(year=max(today.year - 10, 1)))
    last = max(_day(last_end) if last_end else today, today)
    # No filter: the database layer's own state replaces this one with the same rows.
    return BrowseState(None, count, first, last, "all treaties", True, page)  # type: ignore[arg-type]


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10])


def _partial(text: str | None, precision: str | None) -> PartialDate | None:
    if text is None or precision is None:
        return None
    return PartialDate.from_parts(_day(text), precision)
