"""Everything about one treaty, with its lineage navigable."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Static

from timeline.record_types import EventRecord, TreatyRecord
from timeline.tui.markup import literal
from timeline.tui.widgets.bars import KeyBar, TitleBar


def load_detail(engine, slug: str) -> tuple[TreatyRecord, list[EventRecord]]:  # type: ignore[no-untyped-def]
    """The treaty and its events, read with SQLAlchemy Core alone: opening a treaty loads
    neither the ORM nor the models."""
    from timeline.record_reads import read_detail

    with engine.connect() as connection:
        return read_detail(connection, slug)


class DetailScreen(Screen[None]):
    DEFAULT_CSS = """
    DetailScreen #lineage {
        height: auto;
        padding: 0 1;
        background: $panel;
    }
    DetailScreen #lineage .label {
        width: auto;
        padding: 1 1 0 0;
    }
    DetailScreen #lineage Button {
        margin-right: 1;
    }
    DetailScreen #detail-body {
        padding: 0 1;
    }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="back"),
        Binding("e", "edit", "Edit", tooltip="Edit this treaty", id="detail-edit"),
        Binding("n", "new_event", "New event", tooltip="Add a dated event to this treaty",
                id="detail-new-event"),
        Binding("m", "mark", "Mark", tooltip="Mark this treaty for a comparison",
                id="detail-mark"),
        Binding("h", "history", "History", tooltip="Strength history of its first two parties",
                id="detail-history"),
        Binding("d", "delete", "Delete", tooltip="Delete this treaty", id="detail-delete"),
        Binding("l", "change_log", "History of changes",
                tooltip="Who changed this treaty, what and when; undo a change",
                id="detail-change-log"),
    ]  # fmt: skip

    def __init__(self, slug: str) -> None:
        super().__init__()
        self.slug = slug
        self.record: TreatyRecord | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Horizontal(id="lineage")
        with VerticalScroll(id="detail-body"):
            yield Static("Loading…", id="detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        if self.record is not None:
            self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        try:
            record, events = load_detail(self.app.engine, self.slug)  # type: ignore[attr-defined]
        except LookupError:
            self.app.call_from_thread(self._gone)
            return
        except Exception as error:
            message = f"Could not read {literal(self.slug)}: {literal(error)}"
            self.app.call_from_thread(self.notify, message, severity="error")
            return
        self.app.call_from_thread(self._show, record, events)

    def _gone(self) -> None:
        self.notify(f"{literal(self.slug)} is no longer in the database.", severity="warning")
        self.app.pop_screen()

    def _show(self, record: TreatyRecord, events: list[EventRecord]) -> None:
        from timeline.render import treaty_panel

        self.record = record
        self.sub_title = record.name
        self.query_one("#detail", Static).update(treaty_panel(record, events))
        lineage = self.query_one("#lineage", Horizontal)
        lineage.remove_children()
        buttons = []
        if record.replaces:
            buttons.append(Button(f"◀ replaces {literal(record.replaces)}", name=record.replaces))
        buttons.extend(Button(f"replaced by {literal(s)} ▶", name=s) for s in record.replaced_by)
        if buttons:
            lineage.mount(Static("Lineage:", classes="label"), *buttons)
        lineage.display = bool(buttons)

    @on(Button.Pressed, "#lineage Button")
    def follow_lineage(self, event: Button.Pressed) -> None:
        if event.button.name:
            self.app.open_treaty(event.button.name)  # type: ignore[attr-defined]

    def action_edit(self) -> None:
        self.app.edit_treaty(self.slug)  # type: ignore[attr-defined]

    def action_new_event(self) -> None:
        self.app.add_event(self.slug)  # type: ignore[attr-defined]

    def action_mark(self) -> None:
        self.app.mark_for_comparison(self.slug, self.record.name if self.record else self.slug)  # type: ignore[attr-defined]

    def action_history(self) -> None:
        self.app.strength_history(self.slug)  # type: ignore[attr-defined]

    def action_change_log(self) -> None:
        from timeline.tui.screens.change_log import ChangeLogScreen

        self.app.push_screen(ChangeLogScreen(self.slug))

    def action_delete(self) -> None:
        name = self.record.name if self.record else self.slug
        self.app.delete_treaty(self.slug, name, then_back=True)  # type: ignore[attr-defined]
