"""Screen figures of the terminal UI on a large generated database.

    python -m bench.tui_browse [--treaties 100000] [--db PATH]

Runs the app headless (as the tests do) and times what a user waits for: the first rows after
start, a page down, a jump to the end, the search, party and period filters, and opening a
treaty. Each figure runs from the action (the key's handler, or the filter after the typing
pause of FILTER_DELAY) until every visible line is rendered with its rows."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import resource
import statistics
import time
from pathlib import Path

from textual.widgets import Static

from bench.synthetic import generate
from timeline.tui.app import TreatyApp
from timeline.tui.screens.detail import DetailScreen
from timeline.tui.widgets.timeline_view import TimelineView

SIZE = (140, 40)


async def _until(done, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    while not done():
        if time.perf_counter() - started > timeout:
            raise TimeoutError("the screen did not update")
        await asyncio.sleep(0.0005)


def _rows_shown(app: TreatyApp) -> bool:
    views = app.screen.query(TimelineView)
    if not views:
        return False
    view = views.first()
    return view.state is not None and view.row_at(round(view.scroll_offset.y)) is not None


def _detail_shown(app: TreatyApp) -> bool:
    if not isinstance(app.screen, DetailScreen):
        return False
    found = app.screen.query("#detail")
    return bool(found) and "Loading" not in str(found.first(Static).content)


def _paint(view: TimelineView) -> None:
    """Render every visible line, as the compositor would for a frame."""
    for y in range(view.size.height):
        view.render_line(y)


async def _timed_move(view: TimelineView, move) -> float:  # type: ignore[no-untyped-def]
    """A cursor move until its rows are painted: the key's action, any page fetch, the lines."""
    before = time.perf_counter()
    move()
    _paint(view)
    await _until(lambda: all(view.row_at(round(view.scroll_offset.y) + y) is not None
                             for y in range(min(view.size.height, view.state.count))))  # fmt: skip
    _paint(view)
    return time.perf_counter() - before


async def measure(db: Path, pages: int) -> dict[str, list[float]]:
    figures: dict[str, list[float]] = {}
    started = time.perf_counter()
    app = TreatyApp(str(db), today=dt.date(2026, 1, 1))
    async with app.run_test(size=SIZE) as pilot:
        await _until(lambda: _rows_shown(app))
        figures["start to first rows on screen (test harness)"] = [time.perf_counter() - started]
        screen = app.screen
        view = screen.query_one(TimelineView)
        figures["treaties in the database"] = [view.state.count]  # type: ignore[union-attr]

        figures["page down"] = [
            await _timed_move(view, lambda: view.action_page(1)) for _ in range(pages)
        ]
        figures["jump to the last row"] = [await _timed_move(view, lambda: view.action_jump(-1))]
        figures["jump to the first row"] = [await _timed_move(view, lambda: view.action_jump(0))]

        for label, field, text in (
            ("search filter 'Alliance'", "#search", "Alliance"),
            ("party filter 'PRK'", "#party", "PRK"),
            ("period filter: in force from 1961", "#from", "1961"),
        ):
            screen.query_one(field).value = text  # type: ignore[attr-defined]
            await pilot.pause(0.2)  # let the typing pause pass; the query is what is timed
            await app.workers.wait_for_complete()
            before_state = view.state
            before = time.perf_counter()
            screen.refilter()  # type: ignore[attr-defined]
            await _until(lambda s=before_state: view.state is not s and _rows_shown(app))
            _paint(view)
            figures[label] = [time.perf_counter() - before]
            figures[label + ": rows"] = [view.state.count]  # type: ignore[union-attr]
            screen.query_one(field).value = ""  # type: ignore[attr-defined]
        await pilot.pause(0.2)
        await app.workers.wait_for_complete()

        times = []
        for index in (0, 5000, 50000, 99000):
            view.cursor = min(index, view.state.count - 1)  # type: ignore[union-attr]
            await _until(lambda: view.current is not None)
            before = time.perf_counter()
            app.open_treaty(view.current.slug)  # type: ignore[union-attr]
            await _until(lambda: _detail_shown(app))
            times.append(time.perf_counter() - before)
            app.pop_screen()
            await pilot.pause()
        figures["open a treaty's detail"] = times
    figures["peak memory (MB, resident)"] = [
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--treaties", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="an existing database instead of a generated one")
    parser.add_argument("--pages", type=int, default=30)
    args = parser.parse_args()
    db = args.db
    if db is None:
        db = Path(f"/tmp/treaty-timeline-bench-{args.treaties}.db")
        if not db.exists():
            started = time.perf_counter()
            generate(db, args.treaties).dispose()
            print(f"generated {db} in {time.perf_counter() - started:.1f} s")
    figures = asyncio.run(measure(db, args.pages))
    width = max(len(k) for k in figures)
    print(f"{'figure':<{width}}  {'median':>10}  {'max':>10}")
    for name, values in figures.items():
        if name.endswith("rows") or "treaties in" in name or "memory" in name:
            print(f"{name:<{width}}  {statistics.median(values):>10,.0f}")
        else:
            median, worst = statistics.median(values) * 1000, max(values) * 1000
            print(f"{name:<{width}}  {median:>8.1f}ms  {worst:>8.1f}ms")


if __name__ == "__main__":
    main()
