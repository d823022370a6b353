"""The home screen: the filter bar, the year axis and the timeline of treaties."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from timeline.timeline_rows import BrowseFilter
from timeline.tui.markup import literal
from timeline.tui.widgets.bars import KeyBar, TitleBar
from timeline.tui.widgets.strength_picker import StrengthPicker
from timeline.tui.widgets.timeline_view import LEFT_WIDTH, TimelineView, short_date

FILTER_DELAY = 0.12  # seconds of quiet typing before the filter runs


class TimelineScreen(Screen[None]):
    BINDINGS = [
        Binding("slash", "focus('search')", "Search", tooltip="Filter by words in the title",
                id="focus-search"),
        Binding("p", "focus('party')", "Party", tooltip="Filter by a party state",
                id="focus-party"),
        Binding("ctrl+l", "clear_filters", "Clear filters", id="clear-filters"),
        Binding("c", "compare", "Compare", tooltip="Compare the marked treaties side by side",
                id="compare"),
        Binding("h", "history", "History", tooltip="Strength history of two states",
                id="history"),
        Binding("a", "add", "Add", tooltip="Add a new treaty", id="add-treaty"),
        Binding("e", "edit", "Edit", tooltip="Edit the treaty under the cursor", id="edit-treaty"),
        Binding("d", "delete", "Delete", tooltip="Delete the treaty under the cursor",
                id="delete-treaty"),
        Binding("x", "export", "Export", tooltip="Export the treaties shown to a file",
                id="export-selection"),
        Binding("escape", "focus_timeline", "Timeline", show=False),
    ]  # fmt: skip

    _focus_pending = False  # the timeline is to take the focus when its first rows are up

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="filters"):
            yield Input(placeholder="party: PRK, Russia, 731", id="party")
            yield Input(placeholder="in force: 1950..1990", id="period")
            yield StrengthPicker(id="strength")
            yield Input(placeholder="search titles  (/)", id="search")
        yield Static("Opening the database…", id="status")
        yield Static("", id="axis")
        yield TimelineView(None, id="timeline")
        yield Static("", id="preview")
        yield KeyBar()

    @property
    def view(self) -> TimelineView:
        return self.query_one(TimelineView)

    def database_ready(self) -> None:
        self.view.engine = self.app.engine  # type: ignore[attr-defined]
        self.view.today = self.app.today  # type: ignore[attr-defined]
        # The timeline takes the focus once its first rows are up, not now: moving the focus
        # redraws the footer's keys, work that would compete with reading those rows.
        self._focus_pending = True
        self.refilter()

    def _focus_timeline_once(self) -> None:
        if not self._focus_pending:
            return
        self._focus_pending = False
        focused = self.focused
        # A filter the user has started typing in before the database opened keeps the focus.
        if not (isinstance(focused, Input) and focused.value):
            self.call_after_refresh(self.view.focus)

    # -- filtering -----------------------------------------------------------------------------
    def current_filter(self) -> BrowseFilter:
        return BrowseFilter(
            party=self.query_one("#party", Input).value,
            period=self.query_one("#period", Input).value,
            min_strength=self.query_one("#strength", StrengthPicker).value,
            text=self.query_one("#search", Input).value,
        )

    @on(Input.Changed, "#filters Input")
    @on(StrengthPicker.Changed, "#strength")
    def filter_changed(self) -> None:
        if getattr(self, "_filter_timer", None):
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_DELAY, self.refilter)

    @on(Input.Submitted, "#filters Input")
    def filter_submitted(self) -> None:
        # Enter in a filter box goes to the rows it keeps, as Escape does.
        self.view.focus()

    def refilter(self, keep: str | None = None) -> None:
        if getattr(self.app, "engine", None) is None:
            return
        self._apply(self.current_filter(), keep)

    @work(thread=True, exclusive=True, group="filter")
    def _apply(self, wanted: BrowseFilter, keep: str | None) -> None:
        # The database layer is imported here, in the worker, so the first frame never waits.
        from timeline.browse import apply_filter, position_of

        try:
            state = apply_filter(self.app.engine, wanted, self.app.today)  # type: ignore[attr-defined]
            position = position_of(self.app.engine, state.filter, keep) if keep else None  # type: ignore[attr-defined]
        except (ValueError, LookupError) as error:
            message = error.args[0] if error.args else str(error)
            self.app.call_from_thread(self._filter_refused, str(message))
            return
        except Exception as error:
            self.app.call_from_thread(self._filter_refused, f"database error: {error}")
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._filtered, state, position)

    def show_first_page(self, state) -> None:  # type: ignore[no-untyped-def]
        """Every treaty's first page, read before the database is open (timeline.first_page)."""
        if self.view.state is None:
            # Its rows are up, so the timeline takes the focus now: keys pressed from here on
            # (End, Page Down) move through them rather than through the first filter box.
            self._focus_pending = True
            self._filtered(state, None)

    def _filter_refused(self, message: str) -> None:
        status = self.query_one("#status", Static)
        status.update(
            Content.assemble(("Filter not applied:", "bold"), f" {message}"), layout=False
        )
        status.add_class("error")
        self._focus_timeline_once()

    def _filtered(self, state, position: int | None) -> None:  # type: ignore[no-untyped-def]
        self.query_one("#status", Static).remove_class("error")
        shown = self.view.state
        if position is None and shown is not None and shown.filter is None:
            # The first page read before the database opened (it has no filter): keep where
            # the user has moved meanwhile, End included.
            position = min(self.view.cursor, max(state.count - 1, 0))
        self.view.show(state)
        if position is not None:
            self.view.cursor = position
        self._update_status()
        self._update_axis()
        self._focus_timeline_once()

    def on_timeline_view_counted(self, _event: TimelineView.Counted) -> None:
        self._update_status()

    def _update_status(self) -> None:
        state = self.view.state
        if state is None:
            return
        marked = len(self.view.marked)
        # A broad filter's count is a lower bound until the view has counted every row.
        counted = f"{state.count:,}" if state.exact else f"more than {state.count - 1:,}"
        noun = "treaty" if state.count == 1 and state.exact else "treaties"
        text = f"{counted} {noun} · {state.description}"
        if marked:
            text += f" · {marked} marked for comparison (c compares)"
        # A line of fixed height (app.tcss): no layout of the screen for a new text.
        self.query_one("#status", Static).update(Content(text), layout=False)

    def _update_axis(self) -> None:
        axis = self.view.axis()
        if axis is not None:
            line = Text(" " * LEFT_WIDTH, no_wrap=True, overflow="crop") + axis.ticks()
            line.no_wrap = True
            self.query_one("#axis", Static).update(line, layout=False)

    def on_resize(self) -> None:
        self.call_after_refresh(self._update_axis)

    def on_timeline_view_axis_changed(self, _event: TimelineView.AxisChanged) -> None:
        self._update_axis()

    @on(TimelineView.Highlighted)
    def show_preview(self, message: TimelineView.Highlighted) -> None:
        from timeline.strength import label

        row = message.row
        self._update_status()
        preview = self.query_one("#preview", Static)
        if row is None:
            preview.update("", layout=False)
            return
        ended = f"ended {short_date(row.ended)}" if row.ended else "not ended"
        # Plain text, not markup: a bracket in a name is shown as it is.
        preview.update(
            Content.assemble(
                (row.name, "bold"),
                f"  signed {short_date(row.signed)} · "
                f"in force {short_date(row.in_force) if row.in_force else 'unknown'} · {ended} · "
                f"strength {label(row.strength)} · {', '.join(row.parties)}   ",
                (row.slug, "dim"),
            ),
            layout=False,  # two lines whatever it holds (app.tcss)
        )

    # -- actions -------------------------------------------------------------------------------
    def action_focus(self, widget_id: str) -> None:
        self.query_one(f"#{widget_id}").focus()

    def action_focus_timeline(self) -> None:
        self.view.focus()

    def action_clear_filters(self) -> None:
        for input_id in ("party", "period", "search"):
            self.query_one(f"#{input_id}", Input).value = ""
        self.query_one("#strength", StrengthPicker).clear()
        self.view.focus()

    @on(TimelineView.Opened)
    def open_treaty(self, message: TimelineView.Opened) -> None:
        self.app.open_treaty(message.slug)  # type: ignore[attr-defined]

    def action_compare(self) -> None:
        slugs = list(self.view.marked)
        if len(slugs) < 2:
            self.notify("Mark two or more treaties with Space, then press c.", title="Compare")
            return
        self.app.compare(slugs)  # type: ignore[attr-defined]

    def action_history(self) -> None:
        row = self.view.current
        self.app.strength_history(row.slug if row else None)  # type: ignore[attr-defined]

    def action_add(self) -> None:
        self.app.edit_treaty(None)  # type: ignore[attr-defined]

    def action_edit(self) -> None:
        row = self.view.current
        if row is not None:
            self.app.edit_treaty(row.slug)  # type: ignore[attr-defined]

    def action_delete(self) -> None:
        row = self.view.current
        if row is not None:
            self.app.delete_treaty(row.slug, row.name)  # type: ignore[attr-defined]

    def action_export(self) -> None:
        from timeline.tui.screens.export_dialog import ExportDialog

        state = self.view.state
        if state is None:
            return

        def chosen(answer: tuple[str, str] | None) -> None:
            if answer:
                self._export(state, *answer)

        self.app.push_screen(ExportDialog(state.description, state.count), chosen)

    @work(thread=True, group="export")
    def _export(self, state, form: str, path: str) -> None:  # type: ignore[no-untyped-def]
        from timeline.browse import export_selection

        try:
            everything = self.current_filter().empty
            treaties, events = export_selection(self.app.engine, state, form, path, everything)  # type: ignore[attr-defined]
        except Exception as error:
            message = literal(error.args[0] if error.args else error)
            self.app.call_from_thread(self.notify, f"Not exported: {message}", severity="error")
            return
        written = f"{treaties} treaties and {events} events written to {literal(path)} ({form})"
        self.app.call_from_thread(self.notify, written, title="Exported")

    def on_screen_resume(self) -> None:
        # Back from a detail or a form: the database may have changed.
        if getattr(self.app, "engine", None) is not None and self.view.state is not None:
            row = self.view.current
            self.refilter(keep=row.slug if row else None)
