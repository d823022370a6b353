"""Compare the founding pair and draw the Russia/USSR-DPRK strength history, by keys."""

from __future__ import annotations

from textual.widgets import Input, Static

from tests.tui.conftest import SIZE, plain, settle
from timeline.tui.app import TreatyApp
from timeline.tui.screens.compare import CompareScreen
from timeline.tui.screens.history import HistoryScreen


async def test_compare_1961_and_2024_side_by_side(app: TreatyApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "space", "end", "space", "c")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        text = " ".join(plain(app.screen.query_one("#comparison", Static)).split())
        assert "USSR-DPRK Treaty of 1961" in text and "Russia-DPRK Treaty of 2024" in text
        assert "restores the automatic defence" in text and "4 -> 2 -> 4" in text
        await pilot.press("m")
        assert app.clipboard.startswith("# Comparison")
        assert "~~" in app.clipboard and "**" in app.clipboard


async def test_compare_needs_two_marked(app: TreatyApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "c")
        await pilot.pause()
        assert not isinstance(app.screen, CompareScreen)


async def test_history_of_russia_and_the_dprk(app: TreatyApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        app.screen.query_one("#state-a", Input).value = "USSR"
        app.screen.query_one("#state-b", Input).value = "North Korea"
        app.screen.query_one("#state-b", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        text = plain(app.screen.query_one("#history", Static))
        assert "4 -> gap -> 2 -> 4" in text
        assert "6 July 1961 (signed)" in text and "4 December 2024 (in force)" in text


async def test_history_from_a_treaty_prefills_its_parties(app: TreatyApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("end", "h")  # russia-dprk-2024
        await settle(pilot)
        assert app.screen.query_one("#state-a", Input).value == "RUS"
        assert "4 -> gap -> 2 -> 4" in plain(app.screen.query_one("#history", Static))
