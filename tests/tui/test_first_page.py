"""Moving through the first page shown before the database is open is not lost when it opens."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest

import timeline.database
from tests.tui.conftest import SIZE, settle
from timeline.browse import apply_filter
from timeline.first_page import peek
from timeline.timeline_rows import BrowseFilter
from timeline.tui.app import TreatyApp
from timeline.tui.widgets.timeline_view import TimelineView

pytestmark = pytest.mark.sqlite_only(reason="the first page is read from the SQLite file")


async def test_a_move_made_before_the_database_opens_is_kept(seeded_path: Path) -> None:
    app = TreatyApp(str(seeded_path), today=dt.date(2026, 11, 27))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.timeline_screen
        first = peek(str(seeded_path), app.today)
        assert first is not None and first.filter is None
        # As at start: the early page on screen, the user presses End, then the database opens.
        screen.view.show(first)
        await pilot.press("end")
        assert screen.view.cursor == first.count - 1
        screen._filtered(apply_filter(app.engine, BrowseFilter(), app.today), None)
        await settle(pilot)
        assert screen.view.cursor == first.count - 1
        assert screen.view.current is not None
        assert screen.view.current.slug == first.first_page[-1].slug


async def test_end_pressed_as_soon_as_the_early_rows_show_reaches_the_timeline(
    seeded_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real start order: the early page shows while the database layer is still opening
    (held here until the key is pressed); End then goes to the timeline, not to a filter box."""
    release = threading.Event()
    real_open = timeline.database.open_database

    def slow_open(target):  # type: ignore[no-untyped-def]
        release.wait(10)
        return real_open(target)

    monkeypatch.setattr(timeline.database, "open_database", slow_open)
    app = TreatyApp(str(seeded_path), today=dt.date(2026, 11, 27))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.timeline_screen
        for _ in range(100):
            await pilot.pause(0.02)
            if screen.view.state is not None:
                break
        assert screen.view.state is not None and screen.view.state.filter is None
        assert app.engine is None  # still opening
        await pilot.pause()
        assert isinstance(screen.focused, TimelineView)
        await pilot.press("end")
        release.set()
        await settle(pilot)
        assert app.engine is not None
        count = screen.view.state.count
        assert screen.view.cursor == count - 1
        assert screen.view.current is not None
        last = apply_filter(app.engine, BrowseFilter(), app.today)
        assert screen.view.current.slug != last.first_page[0].slug
