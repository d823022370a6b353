"""The filter bar's strength box: a digit, the list it opens, and clearing the filters."""

from __future__ import annotations

from textual.widgets import OptionList, Static

from tests.tui.conftest import SIZE, filtered, plain, settle
from timeline.tui.app import TreatyApp
from timeline.tui.screens.choices import ChoiceList
from timeline.tui.widgets.strength_picker import StrengthPicker
from timeline.tui.widgets.timeline_view import TimelineView

FOUNDING_STRENGTHS = [3, 4, 4, 2, 4]  # in timeline order


def strengths(app: TreatyApp) -> list[int | None]:
    view = app.timeline_screen.view
    return [view.row_at(i).strength for i in range(view.state.count)]  # type: ignore[union-attr]


async def test_a_digit_sets_the_minimum_and_zero_takes_it_off(app: TreatyApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert strengths(app) == FOUNDING_STRENGTHS
        app.screen.query_one(StrengthPicker).focus()
        await filtered(pilot, "4")
        assert strengths(app) == [4, 4, 4]
        assert "strength 4 or more" in plain(app.screen.query_one("#status", Static))
        assert "≥ 4 automatic defence" in app.screen.query_one(StrengthPicker).render().plain
        await filtered(pilot, "0")
        assert strengths(app) == FOUNDING_STRENGTHS


async def test_the_list_opens_on_the_current_choice_and_escape_keeps_it(app: TreatyApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        picker = app.screen.query_one(StrengthPicker)
        picker.focus()
        await filtered(pilot, "3")
        await pilot.press("enter")
        assert isinstance(app.screen, ChoiceList)
        options = app.screen.query_one(OptionList)
        assert options.highlighted == 3
        await pilot.press("escape")  # closed, nothing chosen
        assert not isinstance(app.screen, ChoiceList) and picker.value == "3"
        await pilot.press("enter", "down", "enter")
        await filtered(pilot)
        assert picker.value == "4" and strengths(app) == [4, 4, 4]


async def test_a_click_opens_the_list_and_a_click_beside_it_closes_it(app: TreatyApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.click(StrengthPicker)
        assert isinstance(app.screen, ChoiceList)
        await pilot.click(offset=(2, SIZE[1] - 3))  # on the timeline, away from the list
        assert not isinstance(app.screen, ChoiceList)
        assert app.screen.query_one(StrengthPicker).value == ""
        await pilot.click(StrengthPicker)
        await pilot.click(OptionList, offset=(4, 3))  # the third choice: at least 2
        await filtered(pilot)
        assert app.screen.query_one(StrengthPicker).value == "2"
        assert "strength 2 or more" in plain(app.screen.query_one("#status", Static))


async def test_clearing_the_filters_clears_the_strength(app: TreatyApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one(StrengthPicker).focus()
        await filtered(pilot, "5")
        assert strengths(app) == []
        await filtered(pilot, "ctrl+l")
        assert strengths(app) == FOUNDING_STRENGTHS
        assert isinstance(app.screen.focused, TimelineView)
