"""Adding, editing and cancelling through the forms, and events: what the database holds after."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlmodel import Session, select
from textual.widgets import Select

from db.engine import database_url, make_engine
from db.models import Event, Treaty
from tests.db_dump import dump_database
from tests.tui.conftest import SIZE, settle
from timeline.records import load_treaty
from timeline.tui.app import TreatyApp
from timeline.tui.screens.confirm import ConfirmDialog
from timeline.tui.screens.detail import DetailScreen
from timeline.tui.screens.edit import EditScreen
from timeline.tui.screens.event_form import EventForm
from timeline.tui.screens.timeline import TimelineScreen
from timeline.tui.widgets.note import Note


def stored(target: str | Path, slug: str):  # type: ignore[no-untyped-def]
    engine = make_engine(database_url(target))
    try:
        with Session(engine) as session:
            return load_treaty(session, slug)
    finally:
        engine.dispose()


async def type_into(pilot, selector: str, text: str) -> None:  # type: ignore[no-untyped-def]
    widget = pilot.app.screen.query_one(selector)
    widget.focus()
    widget.value = ""
    await pilot.press(*text)


async def test_add_a_treaty_with_two_parties_and_a_clause(app: TreatyApp, seeded_db: str) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, EditScreen)
        await type_into(pilot, "#slug", "fra-deu-1963")
        await type_into(pilot, "#title", "Elysee Treaty")
        await type_into(pilot, "#signed", "January 1963")
        assert "January 1963 (month)" in str(app.screen.query_one("#signed-echo", Note).content)
        await type_into(pilot, "#parties", "FRA; Germany")
        await pilot.pause()
        assert "France" in str(app.screen.query_one("#parties-echo", Note).content)
        app.screen.query_one("#strength", Select).value = "2"
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press(*"4")
        app.screen.query_one(".obligation", Select).value = "consultation"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen) and app.screen.slug == "fra-deu-1963"
    record = stored(seeded_db, "fra-deu-1963")
    assert (record.signed.iso(), record.signed.precision.value) == ("1963-01", "month")
    assert [p.state.iso3 for p in record.parties] == ["FRA", "DEU"]
    assert record.strength == 2
    assert [(p.article, p.obligation) for p in record.provisions] == [("4", "consultation")]


async def test_an_invalid_form_shows_errors_beside_fields_and_saves_nothing(
    app: TreatyApp, seeded_db: str
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await type_into(pilot, "#slug", "bad-pact")
        await type_into(pilot, "#signed", "06/07/1961")
        await type_into(pilot, "#parties", "Narnia")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EditScreen)  # the form is kept
        assert "ambiguous" in str(app.screen.query_one("#signed-error", Note).content)
        assert "a title is needed" in str(app.screen.query_one("#title-error", Note).content)
        assert "Narnia" in str(app.screen.query_one("#parties-error", Note).content)
    engine = make_engine(database_url(seeded_db))
    with Session(engine) as session:
        assert session.exec(select(Treaty).where(Treaty.slug == "bad-pact")).first() is None
    engine.dispose()


async def test_edit_a_date_keeps_everything_else(app: TreatyApp, seeded_db: str) -> None:
    before = stored(seeded_db, "prc-dprk-1961")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "e")  # prc-dprk-1961
        await settle(pilot)
        assert isinstance(app.screen, EditScreen) and app.screen.slug == "prc-dprk-1961"
        await type_into(pilot, "#in_force", "September 1961")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
    after = stored(seeded_db, "prc-dprk-1961")
    assert (after.in_force.iso(), after.in_force.precision.value) == ("1961-09", "month")
    assert after.version == before.version + 1
    # Parties keep their signers, clauses their sources: nothing else moved.
    assert after.parties == before.parties
    assert after.provisions == before.provisions
    assert (after.signed, after.strength, after.title) == (before.signed, before.strength,
                                                          before.title)  # fmt: skip


async def test_cancel_an_edit_loses_nothing(app: TreatyApp, seeded_db: str) -> None:
    before = dump_database(seeded_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "e")
        await settle(pilot)
        await type_into(pilot, "#title", "Something else")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert isinstance(app.screen, EditScreen)
        assert app.screen.query_one("#title").value == "Something else"  # type: ignore[attr-defined]
        await pilot.press("escape", "y")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
    assert dump_database(seeded_db) == before


async def test_add_the_2021_renewal_as_an_event(app: TreatyApp, seeded_db: str) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # prc-dprk-1961
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, EventForm)
        await type_into(pilot, "#on", "2021")
        app.screen.query_one("#kind", Select).value = "renewal"
        await type_into(pilot, "#title", "PRC-DPRK treaty renewed for another 20 years")
        await type_into(pilot, "#states", "CHN; PRK")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
    engine = make_engine(database_url(seeded_db))
    with Session(engine) as session:
        event = session.exec(select(Event).where(Event.kind == "renewal")).one()
        treaty = session.exec(select(Treaty).where(Treaty.slug == "prc-dprk-1961")).one()
        assert (event.happened_precision, event.happened_on.year) == ("year", 2021)
        assert event.treaty_id == treaty.id
        assert {s.iso3 for s in event.states} == {"CHN", "PRK"}
    engine.dispose()


@pytest.mark.sqlite_only(reason="another program holds SQLite's file lock")
async def test_a_locked_database_keeps_the_form(app: TreatyApp, seeded_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await type_into(pilot, "#slug", "locked-pact")
        await type_into(pilot, "#title", "Locked Pact")
        await type_into(pilot, "#parties", "FRA; DEU")
        blocker = sqlite3.connect(seeded_path, timeout=0)
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            await pilot.press("ctrl+s")
            await settle(pilot, rounds=3)
            assert isinstance(app.screen, EditScreen)
            message = str(app.screen.query_one("#form-error", Note).content)
            assert "locked" in message
            assert app.screen.query_one("#title").value == "Locked Pact"  # type: ignore[attr-defined]
        finally:
            blocker.rollback()
            blocker.close()
        await pilot.press("ctrl+s")  # and once the lock is gone, the same form saves
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)


async def test_a_save_over_someone_elses_change_is_refused_and_offers_reload(
    app: TreatyApp, seeded_db: str
) -> None:
    import subprocess
    import sys

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "e")  # prc-dprk-1961
        await settle(pilot)
        # Meanwhile another person, in another process, changes the strength.
        other = subprocess.run(
            [sys.executable, "-m", "timeline", "edit", "prc-dprk-1961", "--strength", "3",
             "--db", seeded_db],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert other.returncode == 0, other.stderr
        await type_into(pilot, "#title", "My new title")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        question = str(app.screen.question)
        assert "changed by someone else" in question and "Guarantee strength" in question
        await pilot.press("y")  # reload
        await settle(pilot)
        assert isinstance(app.screen, EditScreen)
        assert app.screen.query_one("#strength", Select).value == "3"
        assert app.screen.query_one("#title").value != "My new title"  # type: ignore[attr-defined]
        await type_into(pilot, "#title", "My new title")
        await pilot.press("ctrl+s")
        await settle(pilot)
    record = stored(seeded_db, "prc-dprk-1961")
    # Both changes are there: nothing was overwritten silently.
    assert (record.title, record.strength) == ("My new title", 3)
