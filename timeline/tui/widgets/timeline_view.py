"""The timeline: one line a treaty, with a bar over a shared year axis.

Virtual rendering (the Line API): the widget knows only how many rows the filter matches and
asks for pages of rows as they come into view, in a worker thread; pages either side of the
view are fetched ahead, and a small cache keeps recently seen pages."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import Worker, get_current_worker

from timeline.timeline_rows import ANCHORED, PAGE_SIZE, BrowseState, PageCache, TimelineRow
from timeline.tui.markup import literal

if TYPE_CHECKING:
    from timeline.dates import PartialDate

DATE_WIDTH = 11
KEPT_LINES = 1000  # rows' drawn lines kept for the next frames (several screens' worth)
NAME_WIDTH = 30
PARTIES_WIDTH = 22
# marker + date + strength + name + parties, with single spaces between
LEFT_WIDTH = 2 + DATE_WIDTH + 1 + 2 + NAME_WIDTH + 1 + PARTIES_WIDTH + 1


def short_date(value: PartialDate | None) -> str:
    if value is None:
        return "undated"
    if value.precision.value == "year":
        return f"{value.value.year}"
    if value.precision.value == "month":
        return value.value.strftime("%b %Y")
    return f"{value.value.day} {value.value.strftime('%b %Y')}"


def fit(text: str, width: int) -> str:
    """`text` in exactly `width` cells: cut with an ellipsis, or padded with spaces. A character
    of a wide script (Chinese, Japanese, Korean) takes two cells, so columns stay aligned."""
    if text.isascii():
        return f"{text:<{width}}" if len(text) <= width else text[: width - 1] + "…"
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


class Axis(NamedTuple):
    first: dt.date
    last: dt.date
    width: int

    def column(self, day: dt.date) -> int:
        span = max((self.last - self.first).days, 1)
        share = (day - self.first).days / span
        return max(0, min(self.width - 1, round(share * (self.width - 1))))

    def ticks(self) -> Text:
        """Year labels spaced along the axis."""
        line = [" "] * self.width
        years = self.last.year - self.first.year
        step = next(
            (s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200) if years / s <= self.width / 6), 500
        )
        year = (self.first.year // step + 1) * step
        while year <= self.last.year:
            col = self.column(dt.date(year, 1, 1))
            label = f"|{year}"
            if col + len(label) <= self.width and all(
                c == " " for c in line[col : col + len(label)]
            ):
                line[col : col + len(label)] = list(label)
            year += step
        return Text("".join(line))


class TimelineView(ScrollView, can_focus=True):
    """Treaties in time order with bars drawn on a year axis."""

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("enter", "open", "Open", tooltip="Open the treaty under the cursor", id="open"),
        Binding(
            "space",
            "mark",
            "Mark",
            tooltip="Mark or unmark the treaty for a comparison",
            id="mark",
        ),
    ]

    COMPONENT_CLASSES = {
        "timeline-view--cursor",
        "timeline-view--marked",
        "timeline-view--dim",
        "timeline-view--event",
        "timeline-view--s0",
        "timeline-view--s1",
        "timeline-view--s2",
        "timeline-view--s3",
        "timeline-view--s4",
        "timeline-view--s5",
        "timeline-view--uncoded",
    }

    DEFAULT_CSS = """
    TimelineView { background: $surface; overflow-x: hidden; }
    TimelineView > .timeline-view--cursor { background: $accent 40%; }
    TimelineView:focus > .timeline-view--cursor { background: $accent 70%; }
    TimelineView > .timeline-view--marked { color: $warning; text-style: bold; }
    TimelineView > .timeline-view--dim { color: $text-muted; }
    TimelineView > .timeline-view--event { color: $text; text-style: bold; }
    TimelineView > .timeline-view--s0 { color: $text-muted; }
    TimelineView > .timeline-view--s1 { color: $secondary; }
    TimelineView > .timeline-view--s2 { color: $primary; }
    TimelineView > .timeline-view--s3 { color: $warning; }
    TimelineView > .timeline-view--s4 { color: $error; }
    TimelineView > .timeline-view--s5 { color: $error; text-style: bold reverse; }
    TimelineView > .timeline-view--uncoded { color: $text-disabled; }
    """

    cursor: reactive[int] = reactive(0)

    class Highlighted(Message):
        def __init__(self, row: TimelineRow | None) -> None:
            self.row = row
            super().__init__()

    class Counted(Message):
        """Every row of a broad filter is counted now (the count shown was a lower bound)."""

    class AxisChanged(Message):
        """The lines are drawn in another width (the scrollbar came or went): so is the axis."""

    class Opened(Message):
        def __init__(self, slug: str) -> None:
            self.slug = slug
            super().__init__()

    def __init__(self, engine, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        self.engine = engine
        self.state: BrowseState | None = None
        self.cache = PageCache(capacity=12)
        self.pending: dict[int, Worker[None]] = {}  # pages being read, and their reads
        # Keys of rows spread through a long timeline (timeline.browse.anchors), read in the
        # background once it is counted: a jump far down then seeks instead of counting.
        self.row_anchors: list = []  # type: ignore[type-arg]
        self.generation = 0
        # What _fill last asked for: the view's place, and _changes to the pages read and
        # being read then.
        self._changes = 0
        self._filled: tuple[int, ...] = ()
        self.marked: dict[str, str] = {}  # slug -> name, in marking order
        self.today = dt.date.today()
        self._styles: dict[str, Style] = {}
        self._unders: dict[str, Style] = {}
        self._strips: dict[tuple[int, bool], Strip] = {}  # rows' lines, drawn (render_line)
        self._loading: dict[bool, Strip] = {}  # a line whose row is being read; on the cursor?
        self._axis: Axis | None = None
        self._lines_width = 0  # the width the kept lines were drawn in

    # -- data ----------------------------------------------------------------------------------
    def show(self, state: BrowseState, keep_slug: str | None = None) -> None:
        """Show the rows of a newly applied filter."""
        self.generation += 1
        self.state = state
        self.cache.clear()
        self._stop_reads(self.pending.keys())
        self.row_anchors = []
        self._forget_lines()  # the axis is the new rows' own
        self.virtual_size = Size(0, state.count)  # lines fit the width: no sideways scrolling
        self.cursor = 0
        self.scroll_to(y=0, animate=False)
        if state.first_page:
            self.cache.put(0, list(state.first_page))
        # Ask for the pages on screen now rather than on the next paint.
        self._fill()
        self.refresh()
        self._announce()
        if not state.exact:
            self._count(self.generation, state)
        else:
            self._read_anchors_if_long(state)

    def _read_anchors_if_long(self, state: BrowseState) -> None:
        if self.engine is not None and state.filter is not None and state.count >= ANCHORED:
            self._read_anchors(self.generation, state)

    # Each worker names itself: by default Textual spells out every argument's repr, a page of
    # rows and the anchors included, on the UI thread (3 ms a read).
    @work(thread=True, group="timeline-anchors", exclusive=True, description="anchors")
    def _read_anchors(self, generation: int, state: BrowseState) -> None:
        from timeline.browse import anchors

        worker = get_current_worker()

        def stop() -> bool:
            # Pages being read come first: the walk waits while any is (a few ms each), so it
            # does not take the processor from rows a user is waiting for.
            while self.pending and not worker.is_cancelled:
                time.sleep(0.005)
            return worker.is_cancelled

        try:
            found = anchors(self.engine, state.filter, stop)
        except Exception:  # pages are still read by position
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._anchors_read, generation, found)

    def _anchors_read(self, generation: int, found: list) -> None:  # type: ignore[type-arg]
        if generation == self.generation:
            self.row_anchors = found

    @work(thread=True, group="timeline-count", description="count")
    def _count(self, generation: int, state: BrowseState) -> None:
        from timeline.browse import count_exactly

        try:
            counted = count_exactly(self.engine, state)
        except Exception:  # the lower bound stays; paging still works within it
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._counted, generation, counted)

    def _counted(self, generation: int, state: BrowseState) -> None:
        if generation != self.generation:
            return
        self.state = state
        self._forget_lines()
        self.virtual_size = Size(0, state.count)  # lines fit the width: no sideways scrolling
        self.refresh()
        self.post_message(self.Counted())
        self._read_anchors_if_long(state)

    def reload(self) -> None:
        """Drop cached pages after a change in the database."""
        self.generation += 1
        self.cache.clear()
        self._stop_reads(self.pending.keys())
        self.row_anchors = []  # rows may have moved; pages are read by position until a new filter
        self._forget_lines()
        self.refresh()

    def row_at(self, index: int) -> TimelineRow | None:
        page = self.cache.get(index // PAGE_SIZE)
        if page is None:
            return None
        offset = index % PAGE_SIZE
        return page[offset] if offset < len(page) else None

    @property
    def current(self) -> TimelineRow | None:
        return self.row_at(self.cursor)

    def _visible_pages(self) -> range:
        top = round(self.scroll_offset.y)
        count = self.state.count if self.state else 0
        bottom = min(top + max(self.size.height, 1), count) - 1
        return range(top // PAGE_SIZE, bottom // PAGE_SIZE + 1) if bottom >= top else range(0)

    def _fill(self) -> None:
        """Ask for the pages on screen that are neither read nor being read, in one read; once
        every page on screen is in, for a page either side, ahead of the scrolling. Pages off
        screen wait, so they never compete with the ones a user is waiting for; reads of
        pages the view has left (a jump) are stopped, or never start."""
        state = self.state
        if state is None or state.filter is None or self.engine is None:
            return  # the first page, shown before the database is open: nothing more to read
        # Called for every line drawn: once a frame is enough unless something changed.
        asked = (round(self.scroll_offset.y), self.size.height, self.generation, state.count,
                 self._changes)  # fmt: skip
        if asked == self._filled:
            return
        shown = self._visible_pages()
        near = range(shown.start - 1, shown.stop + 1)
        self._stop_reads(p for p, read in self.pending.items() if not self._near(read, near))
        wanted = [p for p in shown if p not in self.cache and p not in self.pending]
        if wanted:
            self._read(wanted[0], wanted[-1] - wanted[0] + 1)
        elif any(p not in self.cache for p in shown):
            pass  # being read: the pages either side wait for them
        else:
            for page in (shown.stop, shown.start - 1):
                if 0 <= page and page * PAGE_SIZE < state.count:
                    if page not in self.cache and page not in self.pending:
                        self._read(page, 1)
        self._filled = (*asked[:-1], self._changes)

    def _near(self, read: Worker[None], near: range) -> bool:
        return any(p in near for p, other in self.pending.items() if other is read)

    def _stop_reads(self, pages: Iterable[int]) -> None:
        """Stop the reads of `pages`: one not started yet never starts, and the rows of one
        under way are dropped."""
        for page in list(pages):
            read = self.pending.pop(page, None)
            if read is not None:
                read.cancel()
                self._changes += 1

    def _read(self, first: int, pages: int) -> None:
        """Read `pages` pages from `first`, seeking from a neighbour's key when one is in."""
        assert self.state is not None
        previous, following = self.cache.get(first - 1), self.cache.get(first + pages)
        # A neighbouring page already read gives the key to seek from (keyset paging), so
        # scrolling never makes the database count its way through the rows before.
        after = previous[-1] if previous and len(previous) == PAGE_SIZE else None
        before = following[0] if following and after is None else None
        worker = self._load(
            first, pages, self.generation, self.state, after, before, self.row_anchors
        )
        self.pending.update(dict.fromkeys(range(first, first + pages), worker))
        self._changes += 1

    @work(thread=True, group="timeline-pages", description="pages")
    def _load(
        self,
        first: int,
        pages: int,
        generation: int,
        state: BrowseState,
        after: TimelineRow | None,
        before: TimelineRow | None,
        anchors: list,  # type: ignore[type-arg]
    ) -> None:
        from timeline.browse import fetch_page

        read = get_current_worker()
        try:
            # A lower-bound count must not be used to count a page from the end.
            count = state.count if state.exact else None
            rows = fetch_page(
                self.engine, state.filter, first, count, after, before, anchors, pages
            )
        except Exception as error:  # reported in the app, never a crash
            self.app.call_from_thread(self._not_loaded, first, pages, generation, error, read)
            return
        if not read.is_cancelled:
            self.app.call_from_thread(self._loaded, first, pages, generation, rows, read)

    def _loaded(
        self, first: int, pages: int, generation: int, rows: list[TimelineRow], read: Worker[None]
    ) -> None:
        for page in range(first, first + pages):
            if self.pending.get(page) is read:
                del self.pending[page]
        self._changes += 1
        if generation != self.generation or read.is_cancelled:
            return
        for page in range(first, first + pages):
            start = (page - first) * PAGE_SIZE
            self.cache.put(page, rows[start : start + PAGE_SIZE])
        self.refresh()
        self._fill()  # the pages either side, now that these are in
        if first <= self.cursor // PAGE_SIZE < first + pages:
            self._announce()

    def _not_loaded(
        self, first: int, pages: int, generation: int, error: Exception, read: Worker[None]
    ) -> None:
        for page in range(first, first + pages):
            if self.pending.get(page) is read:
                del self.pending[page]
        self._changes += 1
        if generation == self.generation and not read.is_cancelled:
            self.app.notify(f"Could not read treaties: {literal(error)}", severity="error")

    def _announce(self) -> None:
        self.post_message(self.Highlighted(self.current))

    # -- drawing -------------------------------------------------------------------------------
    def axis(self) -> Axis | None:
        if self.state is None:
            return None
        width = max(self.line_width - LEFT_WIDTH - 1, 10)
        return Axis(self.state.first, self.state.last, width)

    @property
    def line_width(self) -> int:
        """The width a line is drawn in: the widget's, less the scrollbar a long timeline has
        (a line as wide as the widget hid its last cells under it)."""
        return self.scrollable_content_region.width

    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_offset.y) + y
        width = self.line_width
        if width != self._lines_width:  # the scrollbar came or went: the axis is another
            self._forget_lines()
            self._lines_width = width
            self.post_message(self.AxisChanged())
        if self.state is None or index >= self.state.count:
            return Strip.blank(width)
        self._fill()
        row = self.row_at(index)
        cursor = index == self.cursor
        if row is None:  # its page is being read
            loading = self._loading.get(cursor)
            if loading is None:
                under = self._under(cursor)
                text = [Segment("  loading…", under + self._style("dim"))]
                loading = self._loading[cursor] = Strip(text).crop_extend(0, width, under)
            return loading
        if cursor:  # its colours depend on the focus: drawn each time, one line a frame
            return self._row_strip(row, width, cursor=True)
        # A row's line is kept until the rows, the axis, the size or the styles change:
        # moving the cursor redraws every line, and all but two are the same.
        key = (row.id, row.slug in self.marked)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._strips[key] = self._row_strip(row, width, cursor=False)
            if len(self._strips) > KEPT_LINES:
                del self._strips[next(iter(self._strips))]  # the oldest
        return strip

    def _forget_lines(self) -> None:
        self._strips.clear()
        self._loading.clear()
        self._axis = None

    def _under(self, cursor: bool) -> Style:
        """What lies under a line's own styles: the widget's colours, and the cursor's."""
        key = "cursor" if cursor else ""
        found = self._unders.get(key)
        if found is None:
            found = self.rich_style
            if cursor:
                found = found + self.get_component_rich_style("timeline-view--cursor")
            self._unders[key] = found
        return found

    def _style(self, name: str) -> Style:
        """A component's text style without its background, so the row's background shows;
        kept until the styles change (a line asks for several, a page for hundreds)."""
        found = self._styles.get(name)
        if found is None:
            style = self.get_component_rich_style(f"timeline-view--{name}")
            found = Style(color=style.color, bold=style.bold, italic=style.italic,
                          reverse=style.reverse, dim=style.dim)  # fmt: skip
            self._styles[name] = found
        return found

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # Also called while the widget is made, before __init__ has set these.
        getattr(self, "_styles", {}).clear()
        getattr(self, "_unders", {}).clear()
        getattr(self, "_strips", {}).clear()
        getattr(self, "_loading", {}).clear()

    def _strength_style(self, strength: int | None) -> Style:
        return self._style("uncoded" if strength is None else f"s{strength}")

    def _row_strip(self, row: TimelineRow, width: int, cursor: bool) -> Strip:
        """A row's line as segments: its date, strength, name and parties, then its bar."""
        under = self._under(cursor)
        marked = row.slug in self.marked
        strength = "-" if row.strength is None else row.strength
        name_style = under + self._style("marked") if marked else under
        parties = fit(", ".join(row.parties), PARTIES_WIDTH)
        name = fit(row.name, NAME_WIDTH)
        segments = [
            Segment("● " if marked else "  ", under + self._style("marked")),
            Segment(f"{short_date(row.starts):<{DATE_WIDTH}} ", under),
            Segment(f"{strength:>1} ", under + self._strength_style(row.strength)),
            Segment(name + " ", name_style),
            Segment(parties + " ", under + self._style("dim")),
            *self._bar(row, under),
        ]
        # Every segment is as many cells as characters, the name and parties fitted to theirs:
        # the line's width is known without measuring it, as Strip would, segment by segment.
        length = LEFT_WIDTH + self._axis.width  # type: ignore[union-attr]
        if length < width:
            segments.append(Segment(" " * (width - length), under))
        strip = Strip(segments, max(length, width))
        return strip.crop_extend(0, width, under) if length > width else strip

    def _bar(self, row: TimelineRow, under: Style) -> list[Segment]:
        axis = self._axis
        if axis is None:
            axis = self._axis = self.axis()
        assert axis is not None
        cells = [" "] * axis.width
        styles: list[Style | None] = [None] * axis.width
        start = row.starts
        if start is not None:
            end = row.ended.last_day if row.ended else self.today
            a, b = axis.column(start.first_day), axis.column(max(end, start.first_day))
            style = self._strength_style(row.strength)
            for col in range(a, b + 1):
                cells[col] = "━"
                styles[col] = style
            label = "?" if row.strength is None else str(row.strength)
            cells[a] = label
            if not row.ended:
                cells[b] = "▶" if b > a else cells[b]
        label_col = axis.column(start.first_day) if start is not None else -1
        for mark in row.events:
            col = axis.column(mark.on.first_day)
            if col != label_col:  # the strength label stays readable
                cells[col] = "◆"
                styles[col] = self._style("event")
        # One segment a run of cells in the same style, not one a cell: a row has ~100 cells
        # and a screen 40 rows, redrawn on every page.
        bar = []
        run = 0
        for col in range(1, axis.width + 1):
            if col == axis.width or styles[col] is not styles[run]:
                style = styles[run]
                bar.append(Segment("".join(cells[run:col]), under + style if style else under))
                run = col
        return bar

    # -- moving --------------------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh()
        self.scroll_to_cursor()
        self._announce()

    def scroll_to_cursor(self) -> None:
        top = round(self.scroll_offset.y)
        height = self.size.height
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False)

    def _clamp(self, index: int) -> int:
        count = self.state.count if self.state else 0
        return max(0, min(index, count - 1)) if count else 0

    def action_cursor(self, delta: int) -> None:
        self.cursor = self._clamp(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self.cursor = self._clamp(self.cursor + direction * max(self.size.height - 1, 1))

    def action_jump(self, index: int) -> None:
        count = self.state.count if self.state else 0
        self.cursor = self._clamp(count - 1 if index < 0 else index)

    def action_open(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Opened(row.slug))

    def action_mark(self) -> None:
        row = self.current
        if row is None:
            return
        if row.slug in self.marked:
            del self.marked[row.slug]
        else:
            self.marked[row.slug] = row.name
        self.refresh()
        self._announce()

    def on_click(self, event: events.Click) -> None:
        index = round(self.scroll_offset.y) + event.y
        if self.state and index < self.state.count:
            if index == self.cursor and event.chain >= 2:
                self.action_open()
            self.cursor = index

    def on_resize(self, event: events.Resize) -> None:
        if self.state is not None:
            self.virtual_size = Size(0, self.state.count)
        self._forget_lines()
        self.refresh()
