"""Screen figures of the terminal UI on a large generated database.

    python -m bench.tui_browse [--treaties 100000] [--db PATH] [--json]

Runs the app headless at 140x40 (as the tests do, through Textual's Pilot) and times what a
user waits for once the timeline is up and has counted its rows: a page down, jumps to the end
and to other positions, each filter, and opening a treaty. A move is timed from the key's
action until every visible line is rendered with its rows (pages read in the worker included);
moves come no faster than a held key repeats (KEY_REPEAT), as a user's would.
A filter is timed from the moment it runs (the app runs it FILTER_DELAY after the last
keystroke, so typing does not query on every letter) until the view shows the new rows,
rendered; a broad filter shows a lower bound of its count first, and the time until the exact
count is given apart. The search is typed one letter at a time, each letter waiting out that
pause, so every prefix is a query of its own. Peak memory is the resident high-water mark of
this process, the app plus the small harness: once after the timeline's figures (paging,
jumps and filters), and again after three treaties were opened. A database file is read once
first, so figures are taken with it in the system's file cache."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App
from textual.widgets import Input, Static
from textual.worker import WorkerCancelled

from timeline.tui.app import TreatyApp
from timeline.tui.screens.timeline import TimelineScreen
from timeline.tui.widgets.strength_picker import StrengthPicker
from timeline.tui.widgets.timeline_view import TimelineView

SIZE = (140, 40)
SEARCH_WORD = "Neutrality"  # a title word of one synthetic treaty in eight
PARTY = "PRK"  # follows succession: no lineage to merge, a few thousand treaties a million
IN_FORCE_ON = "1961-07-06"
STRENGTH = 4
JUMPS = (0.5, 0.25, 0.75, 0.1, 0.9)  # share of the rows: positions far from any page read
# The quickest a user presses: a held key repeats 30 times a second at a keyboard's fast
# settings (X11 and macOS defaults are slower). Moves made back to back, with no time between,
# would ask for rows faster than any user can.
KEY_REPEAT = 1 / 30

Figures = dict[str, Any]


async def _until(done: Callable[[], bool], timeout: float = 120.0) -> None:
    started = time.perf_counter()
    while not done():
        if time.perf_counter() - started > timeout:
            raise TimeoutError("the screen did not update")
        await asyncio.sleep(0.0005)


async def workers_done(app: App) -> None:  # type: ignore[type-arg]
    """Wait for every worker; one stopped meanwhile (a page the view has left) is not waited
    for again: Textual's wait_for_complete() raises for it. The tests wait with it too."""
    while True:
        try:
            await app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            await asyncio.sleep(0)  # its task's end takes it out of the list


def _exact(view: TimelineView) -> bool:
    """The view knows how many rows its filter matches (not only a lower bound)."""
    return view.state is not None and getattr(view.state, "exact", True)


def _database_open(view: TimelineView) -> bool:
    """The view reads through the database layer, its first page read before it replaced."""
    return view.engine is not None and view.state is not None and view.state.filter is not None


def _rows_shown(view: TimelineView) -> bool:
    """Every line of the view that should hold a row holds one."""
    state = view.state
    if state is None:
        return False
    top = round(view.scroll_offset.y)
    wanted = min(view.size.height, max(state.count - top, 0))
    return all(view.row_at(top + y) is not None for y in range(wanted))


def _paint(view: TimelineView) -> None:
    """Render every visible line, as the compositor does for a frame."""
    for y in range(view.size.height):
        view.render_line(y)


class Keys:
    """Moves made as a user's keys make them: at most one every `repeat` seconds, as a held key
    repeats, the event loop running between two (reads a move asks for, pages ahead, start
    there)."""

    def __init__(self, repeat: float = KEY_REPEAT) -> None:
        self.repeat = repeat
        self.last = 0.0

    async def timed(self, view: TimelineView, move: Callable[[], None]) -> float:
        """A cursor move until its rows are painted: the key's action, any page read, the
        lines."""
        await asyncio.sleep(max(self.last + self.repeat - time.perf_counter(), 0))
        before = self.last = time.perf_counter()
        move()
        if not _rows_shown(view):
            _paint(view)  # a frame with rows missing asks for their pages, then shows them
            await _until(lambda: _rows_shown(view))
        _paint(view)
        return time.perf_counter() - before


class FilterClock:
    """Stamps the moment the screen's filter runs, so a filter is timed from there."""

    def __init__(self, app: TreatyApp, screen: TimelineScreen) -> None:
        self.app = app
        self.ran_at = 0.0
        self.runs = 0
        self.counted: list[float] = []  # seconds from each filter run to its exact count
        original = screen.refilter

        def stamped(keep: str | None = None) -> None:
            self.ran_at = time.perf_counter()
            self.runs += 1
            original(keep)

        screen.refilter = stamped  # type: ignore[method-assign]

    async def after(self, change: Callable[[], None], view: TimelineView) -> float:
        """Make a change in the filter bar; seconds from the filter run to its rows painted.
        A large result is first shown with a lower bound of its count; the exact count, read
        in the background, is timed apart (`counted`)."""
        await workers_done(self.app)  # nothing left over from the last change
        runs, before = self.runs, view.state.filter if view.state else None

        def shown() -> bool:
            state = view.state
            return self.runs > runs and state is not None and state.filter != before

        change()
        await _until(lambda: shown() and _rows_shown(view))
        _paint(view)
        elapsed = time.perf_counter() - self.ran_at
        await _until(lambda: _exact(view))
        self.counted.append(time.perf_counter() - self.ran_at)
        return elapsed


async def _filters(app: TreatyApp, view: TimelineView, clock: FilterClock) -> Figures:
    """Each filter set and then cleared: its times to rows shown and to the exact count; and
    jumps through the search's rows, once its exact count is in."""
    screen = app.screen
    figures: Figures = {}

    def set_input(widget_id: str, value: str) -> Callable[[], None]:
        return lambda: setattr(screen.query_one(widget_id, Input), "value", value)

    async def measured(name: str, changes: list[Callable[[], None]]) -> None:
        figures[name] = [await clock.after(change, view) for change in changes]
        figures[name + "_counted"] = clock.counted[-len(changes) :]
        figures[name + "_rows"] = view.state.count  # type: ignore[union-attr]

    strength = screen.query_one("#strength", StrengthPicker)
    typing = [set_input("#search", SEARCH_WORD[:end]) for end in range(1, len(SEARCH_WORD) + 1)]
    for name, changes, clear in (
        ("search_keystrokes", typing, set_input("#search", "")),
        ("party", [set_input("#party", PARTY)], set_input("#party", "")),
        ("in_force", [set_input("#period", IN_FORCE_ON)], set_input("#period", "")),
        ("strength", [lambda: setattr(strength, "value", str(STRENGTH))], strength.clear),
    ):
        await measured(name, changes)
        if name == "search_keystrokes":
            count = view.state.count  # type: ignore[union-attr]
            keys = Keys()
            figures["search_jumps"] = [
                await keys.timed(view, lambda s=share, n=count: view.action_jump(int(n * s)))
                for share in JUMPS
            ]
        await clock.after(clear, view)
    return figures


def _detail_shown(app: TreatyApp) -> bool:
    # Imported here, as the app does when a treaty is opened: the browse figures before it
    # are taken without the detail screen's modules.
    from timeline.tui.screens.detail import DetailScreen

    if not isinstance(app.screen, DetailScreen):
        return False
    found = app.screen.query("#detail")
    return bool(found) and "Loading" not in str(found.first(Static).content)


async def measure(db: Path | str, pages: int = 30) -> Figures:
    """Every figure, in seconds (lists where a figure is repeated), counts and megabytes."""
    figures: Figures = {}
    started = time.perf_counter()
    app = TreatyApp(str(db), today=dt.date(2026, 1, 1), freeze_startup=True)  # as run() does
    async with app.run_test(size=SIZE) as pilot:
        await _until(lambda: bool(app.screen.query(TimelineView)))
        view = app.screen.query_one(TimelineView)
        await _until(lambda: _rows_shown(view))
        figures["first_rows_headless"] = time.perf_counter() - started
        # Moves are timed over every row: wait for the count read after the first page, and
        # for the database itself (the first page can come before it, read without it).
        await _until(lambda: _exact(view) and _database_open(view))
        figures["exact_count_headless"] = time.perf_counter() - started
        state = view.state
        assert state is not None
        count = state.count
        figures["treaties"] = count
        keys = Keys()
        figures["page_down"] = [
            await keys.timed(view, lambda: view.action_page(1)) for _ in range(pages)
        ]
        figures["jump_end"] = [await keys.timed(view, lambda: view.action_jump(-1))]
        figures["jump_start"] = [await keys.timed(view, lambda: view.action_jump(0))]
        figures["jumps"] = [
            [share, await keys.timed(view, lambda s=share: view.action_jump(int(count * s)))]
            for share in JUMPS
        ]
        # The same page downs with no time between them, from a place not read yet: faster
        # than keys repeat, so the rows read ahead of the scrolling may not be in yet.
        await keys.timed(view, lambda: view.action_jump(count // 3))
        await _until(lambda: _rows_shown(view))
        await asyncio.sleep(KEY_REPEAT)
        at_once = Keys(repeat=0)
        figures["page_down_back_to_back"] = [
            await at_once.timed(view, lambda: view.action_page(1)) for _ in range(pages)
        ]
        await keys.timed(view, lambda: view.action_jump(0))
        clock = FilterClock(app, app.screen)  # type: ignore[arg-type]
        figures.update(await _filters(app, view, clock))
        figures["browse_rss_mb"] = _peak_rss_mb()

        opened = []
        for share in (0.0, 0.5, 1.0):
            view.cursor = min(int(count * share), count - 1)
            await _until(lambda: view.current is not None)
            before = time.perf_counter()
            app.open_treaty(view.current.slug)  # type: ignore[union-attr]
            await _until(lambda: _detail_shown(app))
            opened.append(time.perf_counter() - before)
            app.pop_screen()
            await pilot.pause()
        figures["open_detail"] = opened
    figures["peak_rss_mb"] = _peak_rss_mb()
    return figures


def _peak_rss_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM (from /proc) where there is one:
    getrusage's ru_maxrss carries over the parent's peak across fork and exec, so a run
    started by bench.scale after it built a million-treaty database reported its 400 MB."""
    from bench.cold_start import peak_rss_mb

    found = peak_rss_mb(os.getpid())
    return found if found is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:8.1f} ms  {max(values) * 1000:8.1f} ms"


def print_table(figures: Figures) -> None:
    rows = [
        ("first rows on screen (headless, from app start)", [figures["first_rows_headless"]]),
        ("exact count of all rows (from app start)", [figures["exact_count_headless"]]),
        ("page down", figures["page_down"]),
        ("page down, keys back to back", figures["page_down_back_to_back"]),
        ("jump to the last row", figures["jump_end"]),
        ("jump to the first row", figures["jump_start"]),
        *((f"jump to {share:.0%} of the rows", [t]) for share, t in figures["jumps"]),
        (f"search '{SEARCH_WORD}', each keystroke", figures["search_keystrokes"]),
        (f"search '{SEARCH_WORD}', jumps to 10%..90% of its rows", figures["search_jumps"]),
        (f"party filter '{PARTY}'", figures["party"]),
        (f"in force on {IN_FORCE_ON}", figures["in_force"]),
        (f"strength {STRENGTH} or more", figures["strength"]),
        *(
            (f"{name}: exact count", figures[key + "_counted"])
            for name, key in (
                ("search keystrokes", "search_keystrokes"),
                ("party", "party"),
                ("in force", "in_force"),
                ("strength", "strength"),
            )
        ),
        ("open a treaty's detail", figures["open_detail"]),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"{figures['treaties']:,} treaties")
    print(f"{'figure':<{width}}  {'median':>11}  {'max':>11}")
    for name, values in rows:
        print(f"{name:<{width}}  {_ms(values)}")
    peaks = (("browsing the timeline", "browse_rss_mb"), ("details opened", "peak_rss_mb"))
    for name, key in peaks:
        print(f"{'peak memory, ' + name:<{width}}  {figures[key]:8.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--treaties", type=int, default=100_000, help="size of the generated db")
    parser.add_argument("--db", help="an existing database (a file or a URL), not a generated one")
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    from bench.big_db import database, warm_file_cache

    db: Path | str = args.db or database(args.treaties)
    if "://" not in str(db):
        db = Path(db)
        warm_file_cache(db)
    figures = asyncio.run(measure(db, args.pages))
    if args.json:
        print(json.dumps(figures))
    else:
        print_table(figures)


if __name__ == "__main__":
    main()
