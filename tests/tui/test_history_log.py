"""A treaty's history of changes in the app: read it, undo a change, and be asked before
overwriting a later one."""

from __future__ import annotations

import pytest
from sqlmodel import Session
from textual.widgets import OptionList

from db.audit import USER_ENV_VAR
from db.engine import database_url, make_engine
from tests.tui.conftest import SIZE, settle
from timeline.editing import edit_treaty
from timeline.records import load_treaty
from timeline.tui.app import TreatyApp
from timeline.tui.screens.change_log import ChangeLogScreen
from timeline.tui.screens.confirm import ConfirmDialog
from timeline.tui.screens.detail import DetailScreen


@pytest.fixture(autouse=True)
def historian(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(USER_ENV_VAR, "Ada Historian")


def edit(db: str, slug: str, changes: dict[str, object]) -> None:
    engine = make_engine(database_url(db))
    edit_treaty(engine, slug, changes)
    engine.dispose()


def strength(db: str, slug: str) -> int | None:
    engine = make_engine(database_url(db))
    with Session(engine) as session:
        found = load_treaty(session, slug).strength
    engine.dispose()
    return found


def shown(app: TreatyApp) -> list[str]:
    """The change sets listed, as the user reads them."""
    options = app.screen.query_one(OptionList)
    return [options.get_option_at_index(i).prompt.plain for i in range(options.option_count)]  # type: ignore[union-attr]


async def open_history(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("down", "down", "enter")  # prc-dprk-1961
    await settle(pilot)
    assert isinstance(pilot.app.screen, DetailScreen)
    await pilot.press("l")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ChangeLogScreen)


async def test_undo_an_edit_from_the_treatys_history(app: TreatyApp, seeded_db: str) -> None:
    edit(seeded_db, "prc-dprk-1961", {"strength": 3})
    async with app.run_test(size=SIZE) as pilot:
        await open_history(pilot)
        (entry,) = shown(app)
        assert "#1" in entry and "Ada Historian  edit prc-dprk-1961" in entry
        assert "prc-dprk-1961: strength 4 -> 3" in entry
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "Undo #1 (edit prc-dprk-1961, by Ada Historian" in str(app.screen.question)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ChangeLogScreen)
        newest, undone = shown(app)
        assert "undo #1" in newest and "strength 3 -> 4" in newest
        assert "(undone by #2)" in undone
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
    assert strength(seeded_db, "prc-dprk-1961") == 4


async def test_an_undo_over_a_later_change_asks_before_overwriting_it(
    app: TreatyApp, seeded_db: str
) -> None:
    edit(seeded_db, "prc-dprk-1961", {"strength": 3})
    edit(seeded_db, "prc-dprk-1961", {"strength": 2})
    async with app.run_test(size=SIZE) as pilot:
        await open_history(pilot)
        await pilot.press("down", "u", "y")  # the older change: 4 -> 3
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "strength is now 2, not 3" in str(app.screen.question)
        await pilot.press("n")  # leave it
        await settle(pilot)
        assert isinstance(app.screen, ChangeLogScreen) and len(shown(app)) == 2
        assert strength(seeded_db, "prc-dprk-1961") == 2
        await pilot.press("u", "y")
        await settle(pilot)
        await pilot.press("y")  # undo anyway
        await settle(pilot)
        assert "undo #1" in shown(app)[0]
    assert strength(seeded_db, "prc-dprk-1961") == 4
