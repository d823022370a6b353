"""Browsing the timeline a page at a time: only the rows on screen are ever read.

The order is the timeline's: undated treaties first, then by day of signature, then by id.
Two ways to read it in that order without sorting:
- the covering index ix_treaty_timeline (signature, id, in force, end, strength), walked from
  the start, from the end, or from a row's key (keyset paging);
- on SQLite with words to look for, the full-text index itself, whose rowid is the timeline
  key (db/search.py): its matches come out in timeline order, however many there are.
A page next to one already read is found from that page's edge row, so scrolling never makes
the database count its way through the rows before it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, false, func, literal, or_, select, tuple_
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler

from db.search import (
    ID_MASK,
    contains,
    pg_title_search,
    search_table,
    search_words,
    sqlite_matches,
    timeline_key,
    timeline_key_parts,
)
from db.tables import event, state, treaty, treaty_party

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    # What the queries run on: a Core connection (the timeline's own reads), or an ORM session
    # (callers that hold one); both execute Core statements.
    Reader = Connection | Session

# SQLAlchemy renders table hints only for dialects that declare them; SQLite's INDEXED BY is
# one, and the planner needs it where it would otherwise sort a big match (see _page).
SQLiteCompiler.get_from_hint_text = lambda self, table, text: text  # type: ignore[method-assign]
WALK_TIMELINE = "INDEXED BY ix_treaty_timeline"


@dataclass(frozen=True)
class TreatyFilter:
    """Filters for browsing, as plain values; every field None means no filter."""

    state_ids: tuple[int, ...] | None = None
    active_from: dt.date | None = None  # in force at some time in [active_from, active_to]
    active_to: dt.date | None = None
    min_strength: int | None = None
    text: str | None = None


@dataclass(frozen=True)
class RowKey:
    """A row's place in the timeline's order."""

    signed_on: dt.date | None
    id: int


# The treaty table's columns, as every statement below names them.
t = treaty.c
BROWSE_COLUMNS = (
    t.id,
    t.slug,
    t.title,
    t.short_title,
    t.signed_on,
    t.signed_precision,
    t.in_force_on,
    t.in_force_precision,
    t.ended_on,
    t.ended_precision,
    t.strength,
)
_TITLE_COLUMNS = (t.title, t.short_title, t.slug)


def key_of(row: Any) -> RowKey:
    return RowKey(as_date(row.signed_on), row.id)


def as_date(value: Any) -> dt.date | None:
    """SQLite hands back dates from aggregates and text SQL as text."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def dialect_of(reader: Reader) -> str:
    dialect = getattr(reader, "dialect", None) or reader.get_bind().dialect  # type: ignore[union-attr]
    return dialect.name


def _scalar(reader: Reader, statement: Any) -> Any:
    return reader.execute(statement).scalar_one()


def _rows(reader: Reader, statement: Any) -> list[Any]:
    return list(reader.execute(statement).all())


# -- the conditions ------------------------------------------------------------------------------


def _indexed_words(f: TreatyFilter, dialect: str) -> list[str] | None:
    """The words SQLite's full-text index answers for this filter, or None when it does not
    apply (no words, another engine)."""
    if dialect != "sqlite" or not f.text or "\x00" in f.text:
        return None
    return search_words(f.text) or None


def _words_alone(reader: Reader, f: TreatyFilter) -> list[str] | None:
    """The words of a filter that is words and nothing else, on SQLite: its rows are the
    index's matches, in the index's own order. None for any other filter."""
    words = _indexed_words(f, dialect_of(reader))
    if words is not None and replace(f, text=None) == TreatyFilter():
        return words
    return None


def _index_step(
    reader: Reader, words: list[str], skip: int, after: int | None = None, backward: bool = False
) -> int | None:
    """The index's rowid `skip` matches on from `after` (not counted; from the first or, going
    `backward`, the last match when None), read from the index alone: stepping over matches
    there costs a small share of joining each to its treaty (a tenth of a millisecond a
    thousand against 3 ms)."""
    rowid = search_table().c.rowid
    step = select(rowid).where(sqlite_matches(words))
    if after is not None:
        step = step.where(rowid < after if backward else rowid > after)
    order = rowid.desc() if backward else rowid
    found = reader.execute(step.order_by(order).offset(skip).limit(1)).scalar()
    return None if found is None else int(found)


def _title_holds(text: str, dialect: str) -> Any:
    """The treaty's titles hold every word of `text`, each as the start of a word. SQLite
    answers from its full-text index; PostgreSQL from its tsvector index, except for
    non-ASCII words (a C-locale database folds only ASCII letters), which are looked for by a
    scan. A search with no letters or digits at all is a plain substring search."""
    if "\x00" in text:  # no title holds one, and PostgreSQL refuses it as a parameter
        return false()
    words = search_words(text)
    if not words:
        return or_(*(contains(column, text) for column in _TITLE_COLUMNS))
    if dialect == "sqlite":
        search = search_table()
        matching = select(search.c.rowid.op("&")(ID_MASK)).where(sqlite_matches(words))
        return t.id.in_(matching)
    ascii_words = [w for w in words if w.isascii()] if dialect == "postgresql" else []
    conditions = [pg_title_search(ascii_words)] if ascii_words else []
    for word in words:
        if word not in ascii_words:
            conditions.append(or_(*(contains(column, word) for column in _TITLE_COLUMNS)))
    return and_(*conditions)


def _starts() -> Any:
    return func.coalesce(t.signed_on, t.in_force_on)


def browse_where(statement: Any, f: TreatyFilter, dialect: str) -> Any:
    """`statement` (which reads db/tables.py's treaty table) narrowed to the rows `f` keeps."""
    if f.state_ids is not None:
        parties = select(treaty_party.c.treaty_id).where(treaty_party.c.state_id.in_(f.state_ids))
        statement = statement.where(t.id.in_(parties))
    if f.active_to is not None:
        statement = statement.where(_starts() <= f.active_to)
    if f.active_from is not None:
        statement = statement.where(or_(t.ended_on.is_(None), t.ended_on > f.active_from))
    if f.min_strength is not None:
        statement = statement.where(t.strength >= f.min_strength)
    if f.text:
        statement = statement.where(_title_holds(f.text, dialect))
    return statement


def _searched(statement: Any, f: TreatyFilter, words: list[str], dialect: str) -> Any:
    """`statement` driven by SQLite's full-text index: matches in timeline order, joined to
    their treaties for the other filters."""
    search = search_table()
    statement = statement.select_from(search).join(treaty, t.id == search.c.rowid.op("&")(ID_MASK))
    return browse_where(statement, replace(f, text=None), dialect).where(sqlite_matches(words))


# -- pages ---------------------------------------------------------------------------------------


def _page(reader: Reader, f: TreatyFilter, descending: bool, walk: bool) -> tuple[Any, Any]:
    """The statement for rows in timeline order (or its reverse), and the expression keys
    compare against: the search index's rowid or the (signature, id) pair."""
    dialect = dialect_of(reader)
    words = _indexed_words(f, dialect)
    if words is not None:
        statement = _searched(select(*BROWSE_COLUMNS), f, words, dialect)
        rowid = search_table().c.rowid
        return statement.order_by(rowid.desc() if descending else rowid), rowid
    statement = browse_where(select(*BROWSE_COLUMNS), f, dialect)
    if walk and dialect == "sqlite" and f.state_ids is not None:
        # A state's treaties: walking the timeline and picking them out finds a page near
        # where the walk starts in a few ms; SQLite would gather and sort all of them instead.
        statement = statement.with_hint(treaty, WALK_TIMELINE, "sqlite")
    if descending:
        order = (t.signed_on.desc().nulls_last(), t.id.desc())
    else:
        # NULLS FIRST spelt out: it is SQLite's default but not PostgreSQL's.
        order = (t.signed_on.nulls_first(), t.id)
    return statement.order_by(*order), None


def page_select(reader: Reader, f: TreatyFilter, offset: int, limit: int) -> Any:
    """The statement that reads a page of the timeline by position, first to last."""
    statement, _ = _page(reader, f, descending=False, walk=offset == 0)
    return statement.offset(offset).limit(limit)


def treaty_rows(
    reader: Reader, f: TreatyFilter, offset: int, limit: int, count: int | None = None
) -> list[Any]:
    """One page of light rows in timeline order, by position. With `count` given, a page in
    the second half is counted from the end, so no page skips more than half the rows."""
    words = _words_alone(reader, f)
    if count is not None and offset > count // 2:
        wanted = min(limit, count - offset)
        if wanted <= 0:
            return []
        from_end = max(count - offset - limit, 0)
        statement, rowid = _page(reader, f, descending=True, walk=from_end == 0)
        if words is not None and from_end:
            boundary = _index_step(reader, words, from_end - 1, backward=True)
            if boundary is None:
                return []
            statement, from_end = statement.where(rowid < boundary), 0
        return list(reversed(_rows(reader, statement.offset(from_end).limit(wanted))))
    if words is not None and offset:
        boundary = _index_step(reader, words, offset - 1)
        if boundary is None:
            return []
        statement, rowid = _page(reader, f, descending=False, walk=True)
        return _rows(reader, statement.where(rowid > boundary).limit(limit))
    return _rows(reader, page_select(reader, f, offset, limit))


def rows_after(
    reader: Reader, f: TreatyFilter, key: RowKey, limit: int, skip: int = 0
) -> list[Any]:
    """The `limit` rows that follow `key` in timeline order, after skipping `skip` of them
    (for a dated key only: an anchor, see anchors())."""
    statement, rowid = _page(reader, f, descending=False, walk=True)
    if rowid is not None:
        after = timeline_key(key.signed_on, key.id)
        words = _words_alone(reader, f)
        if words is not None and skip:
            found = _index_step(reader, words, skip - 1, after=after)
            if found is None:
                return []
            after, skip = found, 0
        return _rows(reader, statement.where(rowid > after).offset(skip).limit(limit))
    if skip:
        assert key.signed_on is not None, "rows are skipped after a dated key only"
        return _rows(reader, statement.where(_pair() > _pair_of(key)).offset(skip).limit(limit))
    if key.signed_on is None:
        undated = statement.where(t.signed_on.is_(None), t.id > key.id)
        found = _rows(reader, undated.limit(limit))
        if len(found) == limit:
            return found
        dated = statement.where(t.signed_on.is_not(None))
        return found + _rows(reader, dated.limit(limit - len(found)))
    later = _pair() > _pair_of(key)
    return _rows(reader, statement.where(later).limit(limit))


Anchor = tuple[int, RowKey]  # a row's position in the timeline, and its key


def anchors(
    reader: Reader, f: TreatyFilter, every: int, stop: Callable[[], bool] = lambda: False
) -> list[Anchor]:
    """The key of every `every`-th row, with its position. SQLite and PostgreSQL have no index
    by position: a page far down is found with OFFSET, which steps through every row before
    it (50 ms for the middle of a million). From the nearest anchor before it, a page is a
    seek and fewer than `every` steps. Each anchor is found from the one before, so all of
    them together step through the rows once (0.2 s for a million). `stop` ends the work
    early (a filter changed meanwhile), with the anchors found so far."""
    words = _words_alone(reader, f)
    if words is not None:
        return _search_anchors(reader, words, every, stop)
    if f.text is not None:
        # Words with other filters, or on PostgreSQL: each step would join every match it
        # skips to its treaty (0.45 s for 125,000 matches); pages are read by position.
        return []
    found: list[Anchor] = []
    position, key = every - 1, None
    while not stop():
        if key is None or key.signed_on is None:  # the first, or after an undated row
            rows = _rows(reader, page_select(reader, f, position, 1))
        else:
            rows = rows_after(reader, f, key, 1, skip=every - 1)
        if not rows:
            return found
        key = key_of(rows[0])
        if key.signed_on is not None:
            found.append((position, key))
        position += every
    return found


def _search_anchors(
    reader: Reader, words: list[str], every: int, stop: Callable[[], bool]
) -> list[Anchor]:
    """anchors() for words alone, on SQLite: the index's rowid is the timeline key, so the
    walk steps through the index alone, never reading a treaty (13 ms for 125,000 matches)."""
    found: list[Anchor] = []
    position, last = every - 1, None
    while not stop():
        last = _index_step(reader, words, every - 1, after=last)
        if last is None:
            return found
        signed_on, treaty_id = timeline_key_parts(last)
        if signed_on is not None:  # as anchors() keeps them: a dated key only
            found.append((position, RowKey(signed_on, treaty_id)))
        position += every
    return found


def rows_before(reader: Reader, f: TreatyFilter, key: RowKey, limit: int) -> list[Any]:
    """The `limit` rows that come just before `key`, in timeline order."""
    statement, rowid = _page(reader, f, descending=True, walk=True)
    if rowid is not None:
        earlier = rowid < timeline_key(key.signed_on, key.id)
        return list(reversed(_rows(reader, statement.where(earlier).limit(limit))))
    undated = statement.where(t.signed_on.is_(None))
    if key.signed_on is None:
        found = _rows(reader, undated.where(t.id < key.id).limit(limit))
        return list(reversed(found))
    found = _rows(reader, statement.where(_pair() < _pair_of(key)).limit(limit))
    if len(found) < limit:
        found += _rows(reader, undated.limit(limit - len(found)))
    return list(reversed(found))


def _pair() -> Any:
    # A row value: SQLite and PostgreSQL both seek an index on (signed_on, id) with it.
    return tuple_(t.signed_on, t.id)


def _pair_of(key: RowKey) -> Any:
    return tuple_(literal(key.signed_on, type_=t.signed_on.type), literal(key.id))


# -- counting and the axis -----------------------------------------------------------------------


def count_select(reader: Reader, f: TreatyFilter, at_most: int | None = None) -> Any:
    """The statement that counts the treaties `f` keeps, stopping at `at_most`."""
    dialect = dialect_of(reader)
    words = _indexed_words(f, dialect)
    if words is not None and replace(f, text=None) == TreatyFilter():
        # Words alone: count the index's matches without reading a treaty.
        kept = select(literal(1)).select_from(search_table()).where(sqlite_matches(words))
    elif words is not None:
        kept = _searched(select(literal(1)), f, words, dialect)
    else:
        kept = browse_where(select(literal(1)).select_from(treaty), f, dialect)
        if f.active_from or f.active_to:
            # "In force on" keeps rows from either end of the signature order; the covering
            # index answers it without reading the table (SQLite would pick the end-date one).
            kept = kept.with_hint(treaty, WALK_TIMELINE, "sqlite")
    if at_most is not None:
        kept = kept.limit(at_most)
    return select(func.count()).select_from(kept.subquery())


def count_rows(reader: Reader, f: TreatyFilter, at_most: int | None = None) -> int:
    """How many treaties `f` keeps, counting no further than `at_most`."""
    dialect = dialect_of(reader)
    if f.text is None and f.active_from is None and f.active_to is None and f.state_ids:
        # A state's treaties, from the (state, treaty) index alone.
        kept: Any = select(treaty_party.c.treaty_id).where(treaty_party.c.state_id.in_(f.state_ids))
        kept = _at_most(kept.distinct(), at_most)
        return _scalar(reader, select(func.count()).select_from(kept.subquery()))
    if f.text is None and f.state_ids is None and f.active_to is not None and dialect == "sqlite":
        return _count_in_force(reader, f, f.active_to, at_most)
    return _scalar(reader, count_select(reader, f, at_most))


def _at_most(statement: Any, at_most: int | None) -> Any:
    return statement if at_most is None else statement.limit(at_most)


def _count_in_force(
    reader: Reader, f: TreatyFilter, active_to: dt.date, at_most: int | None
) -> int:
    """Treaties in force in a period, counted back in time from its end: those signed just
    before are nearly all still in force, so a capped count stops within a few thousand
    index entries instead of walking from 1815. Undated treaties are counted apart."""
    dated = browse_where(
        select(literal(1)).select_from(treaty), replace(f, active_to=None), "sqlite"
    ).where(t.signed_on <= active_to)
    dated = dated.with_hint(treaty, WALK_TIMELINE, "sqlite").order_by(t.signed_on.desc())
    undated = browse_where(
        select(literal(1)).select_from(treaty).where(t.signed_on.is_(None)), f, "sqlite"
    )
    total = 0
    for part in (dated, undated):
        left = None if at_most is None else at_most - total
        if left is not None and left <= 0:
            break
        counted = select(func.count()).select_from(_at_most(part, left).subquery())
        total += _scalar(reader, counted)
    return total


def first_start(reader: Reader, f: TreatyFilter, first_rows: Sequence[Any] = ()) -> dt.date | None:
    """The earliest start (signature, or entry into force where undated) among the rows `f`
    keeps, given the first page of them: the first dated row in timeline order, and the
    undated rows (few, and at the front of the order), rather than a scan of every match."""
    dialect = dialect_of(reader)
    starts = [as_date(r.in_force_on) for r in first_rows if r.signed_on is None]
    dated = [r for r in first_rows if r.signed_on is not None][:1]
    if first_rows and dated:
        # The page holds every undated row (they come first) and the earliest dated one.
        starts.append(as_date(dated[0].signed_on))
        return min((d for d in starts if d is not None), default=None)
    dated = rows_after(reader, f, RowKey(dt.date.min, 0), 1)
    words = _indexed_words(f, dialect)
    if words is not None:
        undated = _searched(select(func.min(t.in_force_on)), f, words, dialect)
        undated = undated.where(search_table().c.rowid <= ID_MASK)
    else:
        undated = browse_where(
            select(func.min(t.in_force_on)).where(t.signed_on.is_(None)), f, dialect
        )
    found = [as_date(_scalar(reader, undated))]
    found += [as_date(dated[0].signed_on)] if dated else []
    return min((d for d in found if d is not None), default=None)


def last_end(reader: Reader, f: TreatyFilter, count: int | None) -> dt.date | None:
    """The latest end among the rows `f` keeps when they are few; otherwise the latest end
    of all (one index lookup), which only ever widens the axis."""
    if count is not None and count <= 5000:
        statement = browse_where(
            select(func.max(t.ended_on)).select_from(treaty), f, dialect_of(reader)
        )
    else:
        statement = select(func.max(t.ended_on))
    return as_date(_scalar(reader, statement))


def row_position(reader: Reader, f: TreatyFilter, slug: str) -> int | None:
    """Where the treaty stands in the filtered, ordered list (for jumping to it)."""
    target = reader.execute(select(t.id, t.signed_on).where(t.slug == slug)).first()
    if target is None:
        return None
    treaty_id, signed_on = target
    dialect = dialect_of(reader)
    words = _indexed_words(f, dialect)
    if words is not None:
        # A search: the matches before its key in the search index, which is in timeline order.
        if replace(f, text=None) == TreatyFilter():
            counting = select(func.count()).select_from(search_table()).where(sqlite_matches(words))
        else:
            counting = _searched(select(func.count()), f, words, dialect)
        earlier = search_table().c.rowid < timeline_key(signed_on, treaty_id)
        return _scalar(reader, counting.where(earlier))
    # The rows before it, as separate ranges of the timeline's index: one OR of the three
    # made SQLite gather every matching row id first (1.3 s and 23 MB for the last of a
    # million treaties, against 0.1 s for the sum of three counts).
    before = [t.signed_on.is_(None) & (t.id < treaty_id)]
    if signed_on is not None:
        before = [
            t.signed_on.is_(None),
            t.signed_on < signed_on,
            (t.signed_on == signed_on) & (t.id < treaty_id),
        ]
    counting = browse_where(select(func.count()).select_from(treaty), f, dialect)
    return sum(_scalar(reader, counting.where(part)) for part in before)


# -- what a page shows besides the treaty row ----------------------------------------------------


def party_names_of(reader: Reader, treaty_ids: Sequence[int]) -> dict[int, list[str]]:
    rows = reader.execute(
        select(treaty_party.c.treaty_id, state.c.short_name)
        .join(state, state.c.id == treaty_party.c.state_id)
        .where(treaty_party.c.treaty_id.in_(treaty_ids))
        .order_by(treaty_party.c.id)
    ).all()
    found: dict[int, list[str]] = {i: [] for i in treaty_ids}
    for treaty_id, name in rows:
        found[treaty_id].append(name)
    return found


def event_marks_of(reader: Reader, treaty_ids: Sequence[int]) -> dict[int, list[Any]]:
    e = event.c
    rows = reader.execute(
        select(e.treaty_id, e.happened_on, e.happened_precision, e.kind)
        .where(e.treaty_id.in_(treaty_ids))
        .order_by(e.happened_on)
    ).all()
    found: dict[int, list[Any]] = {i: [] for i in treaty_ids}
    for treaty_id, on, precision, kind in rows:
        found[treaty_id].append((on, precision, kind))
    return found
