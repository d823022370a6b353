"""Moving through the first page shown before the database is open is not lost when it opens."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.tui.conftest import SIZE, settle
from timeline.browse import apply_filter
from timeline.first_page import peek
from timeline.timeline_rows import BrowseFilter
from timeline.tui.app import TreatyApp

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
