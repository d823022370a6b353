"""The rows of the timeline and the pages they come in: plain values with no database code, so
the terminal UI can paint before the database layer is imported.

The values are NamedTuples, not dataclasses: the app imports this module before its first frame,
and a frozen dataclass costs about 1.4 ms to define there against 0.4 ms (a page of rows is
also built in half the time)."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from db.paging import TreatyFilter
    from timeline.dates import PartialDate

PAGE_SIZE = 100
# A timeline of this many rows or more gets anchors (timeline/browse.py): the key of every
# ANCHOR_EVERY-th row, so that a jump far down seeks instead of counting its way there. From
# an anchor, a page is at most 25,000 steps away (2 ms at a million); fewer anchors make
# fewer statements in the walk that finds them (every 10,000: 0.26 s, and slower still
# when it shares the processor with the app).
ANCHOR_EVERY = 25_000
ANCHORED = 4 * ANCHOR_EVERY


class BrowseFilter(NamedTuple):
    """What the user typed in the filter bar, as text."""

    party: str = ""
    period: str = ""  # when in force: a date (1961, July 1961) or FROM..TO, either end open
    min_strength: str = ""
    text: str = ""

    @property
    def empty(self) -> bool:
        return not any((self.party, self.period, self.min_strength, self.text))


class EventMark(NamedTuple):
    on: PartialDate
    kind: str


class TimelineRow(NamedTuple):
    id: int
    slug: str
    name: str
    signed: PartialDate | None
    in_force: PartialDate | None
    ended: PartialDate | None
    strength: int | None
    parties: tuple[str, ...]
    events: tuple[EventMark, ...]

    @property
    def starts(self) -> PartialDate | None:
        return self.signed or self.in_force


class BrowseState(NamedTuple):
    """The result of applying a filter: how many rows, over which years, and what it means."""

    filter: TreatyFilter
    count: int
    first: dt.date
    last: dt.date
    description: str
    # False while `count` is only a lower bound: counting every match of a broad filter at a
    # million rows takes longer than a keystroke, so the rows show first and the exact count
    # follows (count_exactly).
    exact: bool = True
    first_page: tuple[TimelineRow, ...] = ()  # read with the count, so it shows at once


class PageCache:
    """The most recently used pages, so scrolling back and forth does not query again."""

    def __init__(self, capacity: int = 8) -> None:
        self.capacity = capacity
        self._pages: OrderedDict[int, list[TimelineRow]] = OrderedDict()

    def get(self, page: int) -> list[TimelineRow] | None:
        rows = self._pages.get(page)
        if rows is not None:
            self._pages.move_to_end(page)
        return rows

    def put(self, page: int, rows: list[TimelineRow]) -> None:
        self._pages[page] = rows
        self._pages.move_to_end(page)
        while len(self._pages) > self.capacity:
            self._pages.popitem(last=False)

    def clear(self) -> None:
        self._pages.clear()

    def __contains__(self, page: int) -> bool:
        return page in self._pages
