"""The treaty-timeline terminal app: opens on the timeline, the database opened in a worker so
the first frame never waits for it."""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path

from textual import work
from textual.app import App
from textual.binding import Binding

from timeline.tui.commands import TreatyCommands
from timeline.tui.markup import literal
from timeline.tui.screens.timeline import TimelineScreen


class TreatyApp(App[None]):
    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "treaty-timeline"
    COMMANDS = App.COMMANDS | {TreatyCommands}
    BINDINGS = [
        Binding("f1,question_mark", "help", "Help", tooltip="Every key, and the strength scale",
                id="help"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
    ]  # fmt: skip

    def __init__(
        self, db: str | None = None, today: dt.date | None = None, freeze_startup: bool = False
    ) -> None:
        super().__init__()
        self.db_target = db
        self.freeze_startup = freeze_startup
        # Fixed in tests so that "in force for ..." and the axis do not change with the day.
        self.today = today or dt.date.today()
        self.engine = None
        self.location = ""

    def get_default_screen(self) -> TimelineScreen:
        # The timeline is the app's first screen itself, not pushed over Textual's blank one:
        # that one's composition, layout and frame came before the timeline's (10-30 ms).
        return TimelineScreen()

    def on_mount(self) -> None:
        # Importing the database layer takes longer than Textual itself, and a thread doing it
        # holds the interpreter while the first frame is composed: start it once that is shown.
        self.call_after_refresh(self.open_database)

    @work(thread=True, exclusive=True, group="open")
    def open_database(self) -> None:
        from timeline.first_page import peek

        # Treaties on screen before the database layer is imported (a file already at this
        # program's schema, read with the standard library); the full open replaces them.
        first = peek(self.db_target, self.today)
        if first is not None:
            self.call_from_thread(self.timeline_screen.show_first_page, first)

        from db.engine import limit_page_cache
        from db.errors import DatabaseError
        from timeline.database import open_database

        try:
            database = open_database(self.db_target)
            limit_page_cache(database.engine)
        except DatabaseError as error:
            self.call_from_thread(self._cannot_open, str(error))
            return
        except Exception as error:
            self.call_from_thread(self._cannot_open, f"{type(error).__name__}: {error}")
            return
        self.call_from_thread(self._opened, database)

    def _cannot_open(self, message: str) -> None:
        message = literal(message)  # it may quote the path given
        status = self.timeline_screen.query_one("#status")
        status.update(f"[b]Cannot open the database:[/b] {message}")  # type: ignore[attr-defined]
        status.add_class("error")
        self.notify(message, title="Cannot open the database", severity="error", timeout=30)

    def _opened(self, database) -> None:  # type: ignore[no-untyped-def]
        self.engine = database.engine
        self.location = database.location
        self.sub_title = database.location
        if database.seeded is not None:
            self.notify("New database, seeded with the founding treaties.", title="Welcome")
        self.timeline_screen.database_ready()
        if self.freeze_startup:
            # What is alive now (modules, Textual, SQLAlchemy: some 70,000 objects) lives as
            # long as the program: out of the collector's sight, its full collections, which
            # stopped the whole app for 25-70 ms several times a session, take 7-19 ms. Off
            # in tests: one process runs hundreds of apps, and each would stay frozen.
            gc.freeze()

    @property
    def timeline_screen(self) -> TimelineScreen:
        return next(s for s in self.screen_stack if isinstance(s, TimelineScreen))

    # -- navigation, shared by every screen and the command palette --------------------------------
    def _database_is_open(self) -> bool:
        if self.engine is None:
            self.notify("The database is not open yet.", severity="warning")
        return self.engine is not None

    def open_treaty(self, slug: str) -> None:
        from timeline.tui.screens.detail import DetailScreen

        if self._database_is_open():
            self.push_screen(DetailScreen(slug))

    def compare(self, slugs: list[str]) -> None:
        from timeline.tui.screens.compare import CompareScreen

        if self._database_is_open():
            self.push_screen(CompareScreen(slugs))

    def compare_marked(self) -> None:
        self.timeline_screen.action_compare()

    def mark_for_comparison(self, slug: str, name: str) -> None:
        view = self.timeline_screen.view
        view.marked[slug] = name
        view.refresh()
        marked = f"{literal(name)} marked; {len(view.marked)} marked for comparison."
        self.notify(marked, title="Compare")

    def strength_history(self, slug: str | None = None) -> None:
        from timeline.tui.screens.history import HistoryScreen

        if self._database_is_open():
            self.push_screen(HistoryScreen(slug))

    def edit_treaty(self, slug: str | None) -> None:
        from timeline.tui.screens.edit import EditScreen

        if self._database_is_open():
            self.push_screen(EditScreen(slug))

    def add_event(self, slug: str | None = None) -> None:
        from timeline.tui.screens.event_form import EventForm

        if self._database_is_open():
            self.push_screen(EventForm(slug))

    def delete_treaty(self, slug: str, name: str, then_back: bool = False) -> None:
        from timeline.tui.screens.confirm import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(slug, name, then_back)

        self.push_screen(
            ConfirmDialog(f"Delete {literal(name)} ({literal(slug)}) with its parties, clauses"
                          " and sources?", yes="Delete"),
            answered,
        )  # fmt: skip

    @work(thread=True, group="write")
    def _delete(self, slug: str, name: str, then_back: bool) -> None:
        from timeline.editing import remove_treaty

        try:
            remove_treaty(self.engine, slug)
        except Exception as error:
            self.call_from_thread(self.notify, f"Not deleted: {literal(error)}", severity="error")
            return
        self.call_from_thread(self._deleted, slug, name, then_back)

    def _deleted(self, slug: str, name: str, then_back: bool) -> None:
        self.notify(f"Deleted {literal(name)}.")
        self.timeline_screen.view.marked.pop(slug, None)
        if then_back:
            self.pop_screen()
        else:
            self.timeline_screen.on_screen_resume()

    def action_help(self) -> None:
        from timeline.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))


def run(db: str | None = None) -> None:
    TreatyApp(db, freeze_startup=True).run()
