"""Names, titles and typed text that look like markup are shown as they are, never read as
styles: "[Draft]" stays, and a stray "[/b]" neither vanishes nor stops the app."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session
from textual.widgets import Button, Input, Static

import timeline.database
from db.audit import USER_ENV_VAR
from db.errors import DatabaseError
from db.models import State
from db.tables import treaty
from tests.tui.conftest import SIZE, TODAY, filtered, plain, settle
from timeline.editing import add_event, add_treaty, edit_treaty
from timeline.tui.app import TreatyApp
from timeline.tui.screens.change_log import ChangeLogScreen
from timeline.tui.screens.compare import CompareScreen
from timeline.tui.screens.confirm import ConfirmDialog
from timeline.tui.screens.detail import DetailScreen
from timeline.tui.screens.edit import EditScreen
from timeline.tui.screens.event_form import EventForm
from timeline.tui.screens.export_dialog import ExportDialog
from timeline.tui.screens.history import HistoryScreen

SLUG = "draft-pact-1990"
TITLE = "[Draft] Pact of [/b] mutual [red]aid"
STATE = "Free State of [Bracketia] [/i]"
PLACE = "[Geneva] [@click=app.quit]"
NOTES = "See [note 1] and [/u]."
EVENT = "[Draft] summit [/b] held"
WHO = "[editor] [/b]"
TYPED = "[x] [/b]"  # what a user might type into a field
FOLDER = "[out] [red]"  # with no "/", which would make it two folders


def one_line(text: str) -> str:
    return " ".join(text.split())


def shown(app: TreatyApp, selector: str) -> str:
    return one_line(plain(app.screen.query_one(selector, Static)))


def run(app: TreatyApp, size: tuple[int, int] = SIZE):  # type: ignore[no-untyped-def]
    # Notifications are shown, so that one that does not render fails the test.
    return app.run_test(size=size, notifications=True)


def toasts(app: TreatyApp) -> str:
    """The notifications on screen, as the user reads them."""
    return one_line(" ".join(str(toast.render()) for toast in app.screen.query("Toast")))


@pytest.fixture
def hostile_db(seeded_db: str, seeded_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> str:
    with Session(seeded_engine) as session:
        session.add(State(name=STATE, short_name=STATE, iso3="XBK"))
        session.commit()
    monkeypatch.setenv(USER_ENV_VAR, WHO)
    add_treaty(seeded_engine, {"slug": SLUG, "title": TITLE, "signed": "1990-05-01",
                               "signed_place": PLACE, "notes": NOTES, "strength": 2,
                               "parties": ["USA", "XBK"]})  # fmt: skip
    add_event(seeded_engine, {"on": "1991", "kind": "other", "title": EVENT, "treaty": SLUG,
                              "states": "USA; XBK", "description": ""})  # fmt: skip
    return seeded_db


@pytest.fixture
def app(hostile_db: str) -> TreatyApp:
    return TreatyApp(hostile_db, today=TODAY)


async def open_detail(pilot, slug: str = SLUG) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    pilot.app.open_treaty(slug)
    await settle(pilot)
    assert isinstance(pilot.app.screen, DetailScreen)


async def type_into(pilot, selector: str, text: str) -> None:  # type: ignore[no-untyped-def]
    widget = pilot.app.screen.query_one(selector, Input)
    widget.focus()
    widget.value = ""
    await pilot.press(*text)
    await pilot.pause()


async def test_the_detail_shows_every_text_as_stored(app: TreatyApp) -> None:
    async with run(app) as pilot:
        await open_detail(pilot)
        text = shown(app, "#detail")
        for stored in (TITLE, STATE, PLACE, NOTES, EVENT):
            assert stored in text


async def test_a_slug_stored_outside_the_forms_rules_is_shown_as_stored(
    app: TreatyApp, seeded_engine: Engine
) -> None:
    # The database does not check a slug's form: another program may have stored any.
    add_treaty(seeded_engine, {"slug": "pact-1995", "title": "Later pact", "signed": "1995",
                               "replaces": SLUG, "parties": ["USA", "XBK"]})  # fmt: skip
    with seeded_engine.begin() as connection:
        connection.execute(update(treaty).where(treaty.c.slug == SLUG).values(slug=TYPED))
    async with run(app) as pilot:
        await open_detail(pilot, "pact-1995")
        assert [str(b.label) for b in app.screen.query(Button)] == [f"◀ replaces {TYPED}"]
        app.open_treaty(f"{TYPED} 2")
        await settle(pilot)
        assert f"{TYPED} 2 is no longer in the database." in toasts(app)


async def test_marking_notifies_with_the_name_and_compare_shows_it(app: TreatyApp) -> None:
    async with run(app) as pilot:
        await open_detail(pilot)
        await pilot.press("m")
        await pilot.pause()
        assert f"{TITLE} marked; 1 marked" in toasts(app)
        await pilot.press("escape")
        app.mark_for_comparison("russia-dprk-2000", "Russia-DPRK Treaty of 2000")
        app.compare_marked()
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        assert TITLE in shown(app, "#comparison")


async def test_a_comparison_saved_in_a_folder_with_brackets_names_it(
    app: TreatyApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / FOLDER
    folder.mkdir()
    monkeypatch.chdir(folder)
    async with run(app, size=(400, 40)) as pilot:  # the path on one line of its notification
        await settle(pilot)
        app.compare([SLUG, "russia-dprk-2000"])
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert f"Saved {folder / 'compare-'}" in toasts(app)


async def test_the_history_names_the_treaty_and_quotes_a_state_not_found(app: TreatyApp) -> None:
    async with run(app) as pilot:
        await open_detail(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert TITLE in shown(app, "#history")
        await type_into(pilot, "#state-b", TYPED)
        await pilot.press("enter")
        await settle(pilot)
        assert f"Cannot draw it: no state matches '{TYPED}'" in shown(app, "#history")


async def test_delete_asks_and_notifies_with_the_name(app: TreatyApp) -> None:
    async with run(app) as pilot:
        await open_detail(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert f"Delete {TITLE} ({SLUG})" in shown(app, "#question")
        await pilot.press("y")
        await settle(pilot)
        assert f"Deleted {TITLE}." in toasts(app)


async def test_the_edit_form_echoes_and_quotes_what_was_typed(app: TreatyApp) -> None:
    async with run(app) as pilot:
        await open_detail(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, EditScreen)
        await type_into(pilot, "#parties", "XBK")
        assert f"→ {STATE}" in shown(app, "#parties-echo")
        await type_into(pilot, "#parties", f"XBK; {TYPED}")
        assert f"no state matches '{TYPED}'" in shown(app, "#parties-echo")
        await type_into(pilot, "#signed", TYPED)
        assert TYPED in shown(app, "#signed-echo")
        await type_into(pilot, "#slug", TYPED)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EditScreen)
        assert f"'{TYPED}'" in shown(app, "#slug-error")


async def test_saving_an_edit_notifies_with_the_name(app: TreatyApp) -> None:
    async with run(app) as pilot:
        await open_detail(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert f"Saved {TITLE}." in toasts(app)


async def test_the_event_form_quotes_what_was_typed_and_notifies_the_title(
    app: TreatyApp,
) -> None:
    async with run(app) as pilot:
        await open_detail(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, EventForm)
        await type_into(pilot, "#on", TYPED)
        assert TYPED in shown(app, "#on-echo")
        await type_into(pilot, "#on", "1992")
        await type_into(pilot, "#title", EVENT)
        await type_into(pilot, "#states", TYPED)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert f"'{TYPED}'" in shown(app, "#states-error")
        await type_into(pilot, "#states", "XBK")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert f"Event added: {EVENT} (1992)." in toasts(app)


async def test_undo_names_who_changed_it_and_quotes_a_conflict(
    app: TreatyApp, seeded_engine: Engine
) -> None:
    edit_treaty(seeded_engine, SLUG, {"title": f"{TITLE} 2"})
    edit_treaty(seeded_engine, SLUG, {"title": f"{TITLE} 3"})
    async with run(app) as pilot:
        await open_detail(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, ChangeLogScreen)
        await pilot.press("down", "u")  # the change set before the last
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert f"by {WHO}," in shown(app, "#question")
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert f'title is now "{TITLE} 3", not "{TITLE} 2"' in shown(app, "#question")


async def test_the_export_dialog_repeats_the_search(app: TreatyApp) -> None:
    async with run(app) as pilot:
        await settle(pilot)
        await filtered(pilot, "slash", *"[Draft] Pact of [/b]")
        await pilot.press("escape", "x")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert "[Draft] Pact of [/b]" in one_line(plain(app.screen.query_one(Static)))


async def test_an_error_that_quotes_the_database_path_shows_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(target: str) -> None:
        raise DatabaseError(f"cannot open {target}")

    monkeypatch.setattr(timeline.database, "open_database", refuse)
    path = str(tmp_path / f"{FOLDER}.db")
    app = TreatyApp(path, today=TODAY)
    async with run(app) as pilot:
        await settle(pilot)
        assert f"Cannot open the database: cannot open {path}" in shown(app, "#status")
        assert f"cannot open {path}" in toasts(app)


async def test_the_new_treaty_form_echoes_a_role_as_typed(app: TreatyApp) -> None:
    async with run(app) as pilot:
        await settle(pilot)
        app.edit_treaty(None)
        await settle(pilot)
        await type_into(pilot, "#parties", f"XBK:{TYPED}")
        assert f"→ {STATE} ({TYPED})" in shown(app, "#parties-echo")


async def test_the_command_palette_finds_the_treaty_by_its_title(app: TreatyApp) -> None:
    from textual.command import CommandPalette

    async with run(app) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"Draft")
        await pilot.pause(0.5)
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        options = app.screen.query_one("CommandList").options  # type: ignore[attr-defined]
        hits = " ".join(str(option.prompt) for option in options)
        assert f"Open: {TITLE}" in one_line(hits)
