"""Treaties side by side: fields, strength bars, aligned clauses with word differences, and
the verdict; copy or save it as Markdown."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from timeline.tui.markup import literal
from timeline.tui.widgets.bars import KeyBar, TitleBar


def load_comparison(engine, slugs: list[str], today: dt.date):  # type: ignore[no-untyped-def]
    from sqlmodel import Session

    from timeline.compare import compare
    from timeline.records import StateIndex, load_treaties, treaties_of_states

    with Session(engine) as session:
        records = load_treaties(session, slugs)
        shared = set.intersection(*({p.state.continuity_id for p in r.parties} for r in records))
        lineage = [s.id for s in StateIndex(session).by_id.values() if s.continuity_id in shared]
        context = treaties_of_states(session, lineage) if lineage else []
    return compare(records, context=context, today=today)


class CompareScreen(Screen[None]):
    DEFAULT_CSS = """
    CompareScreen #compare-body {
        padding: 0 1;
    }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="back"),
        Binding("m", "copy_markdown", "Copy Markdown",
                tooltip="Copy the comparison to the clipboard as Markdown", id="copy-markdown"),
        Binding("s", "save_markdown", "Save Markdown",
                tooltip="Write the comparison as a Markdown file in the current folder",
                id="save-markdown"),
    ]  # fmt: skip

    def __init__(self, slugs: list[str]) -> None:
        super().__init__()
        self.slugs = slugs
        self.result = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="compare-body"):
            yield Static("Comparing…", id="comparison")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "compare " + " · ".join(self.slugs)
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        try:
            result = load_comparison(self.app.engine, self.slugs, self.app.today)  # type: ignore[attr-defined]
        except Exception as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        self.app.call_from_thread(self._show, result)

    def _failed(self, message: str) -> None:
        message = literal(message)
        self.query_one("#comparison", Static).update(f"[b]Cannot compare:[/b] {message}")
        self.notify(message, severity="error")

    def _show(self, result) -> None:  # type: ignore[no-untyped-def]
        from timeline.render import comparison_view

        self.result = result
        self.query_one("#comparison", Static).update(comparison_view(result))
        self.query_one("#compare-body").focus()

    def action_copy_markdown(self) -> None:
        if self.result is None:
            return
        self.app.copy_to_clipboard(self.result.to_markdown())
        self.notify("The comparison is on the clipboard as Markdown.", title="Copied")

    def action_save_markdown(self) -> None:
        if self.result is None:
            return
        path = Path.cwd() / ("compare-" + "-vs-".join(self.slugs) + ".md")
        try:
            path.write_text(self.result.to_markdown(), encoding="utf-8")
        except OSError as error:
            self.notify(f"Not saved: {literal(error.strerror)}", severity="error")
            return
        self.notify(f"Saved {literal(path)}", title="Markdown")
