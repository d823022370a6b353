"""A dated event on the timeline (a ratification, a renewal, a veto, a visit), optionally tied
to a treaty."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from db.vocab import EVENT_KINDS
from timeline.dates import DateError, parse_date
from timeline.tui.markup import literal
from timeline.tui.widgets.note import Note


class EventForm(ModalScreen[str | None]):
    DEFAULT_CSS = """
    EventForm { align: center middle; }
    EventForm > Vertical {
        width: 90; height: auto; max-height: 95%; padding: 1 2;
        background: $panel; border: thick $primary;
    }
    EventForm Label { margin-top: 1; }
    EventForm .echo { color: $text-muted; height: auto; }
    EventForm .error { color: $error; height: auto; }
    EventForm TextArea { height: 5; }
    EventForm Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    EventForm Button { margin-left: 2; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="event-save"),
        Binding("escape", "cancel", "Cancel", id="event-cancel"),
    ]

    def __init__(self, treaty: str | None = None) -> None:
        super().__init__()
        self.treaty = treaty

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("[b]New event[/b]")
            yield Label("Date (as you would write it: 2021, July 2021, 11 July 2021)")
            yield Input(id="on")
            yield Note(id="on-echo", classes="echo")
            yield Label("Kind")
            yield Select([(k, k) for k in EVENT_KINDS], value="other", allow_blank=False,
                         id="kind")  # fmt: skip
            yield Label("Title")
            yield Input(id="title")
            yield Note(id="title-error", classes="error")
            yield Label("Treaty (slug, optional)")
            yield Input(self.treaty or "", id="treaty")
            yield Note(id="treaty-error", classes="error")
            yield Label("States (ISO or COW codes or names, separated by ;)")
            yield Input(id="states")
            yield Note(id="states-error", classes="error")
            yield Label("Description")
            yield TextArea(id="description")
            yield Note(id="form-error", classes="error")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#on", Input).focus()

    @on(Input.Changed, "#on")
    def echo_date(self, event: Input.Changed) -> None:
        echo = self.query_one("#on-echo", Note)
        if not event.value.strip():
            echo.update("")
            return
        try:
            echo.update(f"→ {literal(parse_date(event.value).described())}")
            echo.set_classes("echo")
        except DateError as error:
            echo.update(literal(error))  # it quotes what was typed
            echo.set_classes("error")

    def raw(self) -> dict:
        return {
            "on": self.query_one("#on", Input).value,
            "kind": self.query_one("#kind", Select).value,
            "title": self.query_one("#title", Input).value,
            "treaty": self.query_one("#treaty", Input).value.strip() or None,
            "states": self.query_one("#states", Input).value,
            "description": self.query_one("#description", TextArea).text,
        }

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.save(self.raw())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @work(thread=True, exclusive=True, group="write")
    def save(self, raw: dict) -> None:
        from timeline.editing import add_event
        from timeline.forms import InvalidInput

        try:
            stored = add_event(self.app.engine, raw)  # type: ignore[attr-defined]
        except InvalidInput as error:
            self.app.call_from_thread(self.show_errors, error.errors)
            return
        except Exception as error:
            self.app.call_from_thread(self.show_errors, {"form": f"Not saved: {error}"})
            return
        self.app.call_from_thread(self._saved, stored.values["title"], stored.happened.display())

    def show_errors(self, errors: dict[str, str]) -> None:
        errors = {name: literal(message) for name, message in errors.items()}  # they quote input
        for name in ("title", "treaty", "states", "form"):
            self.query_one(f"#{name}-error", Note).update(errors.get(name, ""))
        if "on" in errors:
            echo = self.query_one("#on-echo", Note)
            echo.update(errors["on"])
            echo.set_classes("error")
        if "kind" in errors or "description" in errors:
            self.query_one("#form-error", Note).update(
                errors.get("kind", "") + errors.get("description", "")
            )

    def _saved(self, title: str, when: str) -> None:
        self.notify(f"Event added: {literal(title)} ({when}).")
        self.dismiss(title)
