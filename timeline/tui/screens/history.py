"""The guarantee strength between two states over time, drawn as a timeline."""

from __future__ import annotations

import datetime as dt

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Input, Static

from timeline.tui.markup import literal
from timeline.tui.widgets.bars import KeyBar, TitleBar


def parties_of(engine, slug: str) -> list[str]:  # type: ignore[no-untyped-def]
    from sqlmodel import Session

    from timeline.records import load_treaty

    with Session(engine) as session:
        record = load_treaty(session, slug)
    return [p.state.iso3 or p.state.short_name for p in record.parties if p.role == "party"]


def load(engine, a: str, b: str, today: dt.date):  # type: ignore[no-untyped-def]
    from sqlmodel import Session

    from timeline.history import load_history

    with Session(engine) as session:
        return load_history(session, a, b, today=today)


class HistoryScreen(Screen[None]):
    DEFAULT_CSS = """
    HistoryScreen #history-states {
        height: 3;
        background: $panel;
    }
    HistoryScreen #history-states Input {
        width: 1fr;
    }
    HistoryScreen #history-body {
        padding: 0 1;
    }
    """
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="back")]

    def __init__(self, slug: str | None = None) -> None:
        super().__init__()
        self.slug = slug

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="history-states"):
            yield Input(placeholder="first state: RUS, USSR, 365", id="state-a")
            yield Input(placeholder="second state: PRK, North Korea", id="state-b")
            yield Button("Show", id="show-history", variant="primary")
        with VerticalScroll(id="history-body"):
            yield Static("Name two states (ISO or COW code, or name) and press Enter.",
                         id="history")  # fmt: skip
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "strength history"
        self.query_one("#state-a", Input).focus()
        if self.slug:
            self.prefill()

    @work(thread=True)
    def prefill(self) -> None:
        try:
            states = parties_of(self.app.engine, self.slug)  # type: ignore[attr-defined, arg-type]
        except Exception:
            return
        if len(states) >= 2:
            self.app.call_from_thread(self._prefilled, states[0], states[1])

    def _prefilled(self, a: str, b: str) -> None:
        self.query_one("#state-a", Input).value = a
        self.query_one("#state-b", Input).value = b
        self.show_history()

    @on(Input.Submitted)
    @on(Button.Pressed, "#show-history")
    def show_history(self) -> None:
        a = self.query_one("#state-a", Input).value.strip()
        b = self.query_one("#state-b", Input).value.strip()
        if not a or not b:
            self.query_one("#history", Static).update("Name both states.")
            return
        self.compute(a, b)

    @work(thread=True, exclusive=True)
    def compute(self, a: str, b: str) -> None:
        try:
            result = load(self.app.engine, a, b, self.app.today)  # type: ignore[attr-defined]
        except (LookupError, ValueError) as error:
            message = error.args[0] if error.args else str(error)
            self.app.call_from_thread(self._message, f"[b]Cannot draw it:[/b] {literal(message)}")
            return
        except Exception as error:
            self.app.call_from_thread(self._message, f"[b]Database error:[/b] {literal(error)}")
            return
        self.app.call_from_thread(self._show, result)

    def _message(self, text: str) -> None:
        self.query_one("#history", Static).update(text)

    def _show(self, result) -> None:  # type: ignore[no-untyped-def]
        from timeline.render import history_view

        width = max(self.size.width - 110, 30)
        view = history_view(result, width=width, today=self.app.today)  # type: ignore[attr-defined]
        self.query_one("#history", Static).update(view)
