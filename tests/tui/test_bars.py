"""The title line and the key line: what they show, and that a click on them does what it says."""

from __future__ import annotations

from textual.command import CommandPalette

from tests.tui.conftest import SIZE, settle
from timeline.tui.app import TreatyApp
from timeline.tui.screens.help import HelpScreen
from timeline.tui.widgets.bars import KeyBar, TitleBar


def key_line(app: TreatyApp) -> str:
    return app.screen.query_one(KeyBar).render().plain


def column_of(app: TreatyApp, description: str) -> int:
    bar = app.screen.query_one(KeyBar)
    bar.render()
    return next(start for start, _end, key in bar._spans if key.description == description)


async def test_the_keys_follow_the_focus(app: TreatyApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        line = key_line(app)
        assert "⏎ Open" in line and "space Mark" in line and "/ Search" in line
        await pilot.press("slash")  # into the search box: the timeline's own keys go
        await pilot.pause()
        line = key_line(app)
        assert "Open" not in line and "Mark" not in line
        assert "^q Quit" in line and "f1 Help" in line


async def test_keys_that_work_everywhere_stay_on_a_narrow_terminal(app: TreatyApp) -> None:
    async with app.run_test(size=(60, 24)) as pilot:
        await settle(pilot)
        line = key_line(app)
        assert len(line) == 60
        assert line.rstrip().endswith("^q Quit  f1 Help  ^p palette")
        assert "⏎ Open" in line  # the first of the timeline's keys still fit
        assert "Delete" not in line  # a key that does not fit whole is left out, not cut


async def test_a_click_on_a_key_presses_it(app: TreatyApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert await pilot.click(KeyBar, offset=(column_of(app, "Help") + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_the_title_names_the_database_and_its_icon_opens_the_palette(
    app: TreatyApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        title = app.screen.query_one(TitleBar).render().plain
        assert "treaty-timeline — " in title and app.location in title
        assert title.startswith(" ⭘")
        assert await pilot.click(TitleBar, offset=(1, 0))
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
