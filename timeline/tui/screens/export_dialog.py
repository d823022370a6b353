"""Export what the timeline shows: a format and a file name."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from timeline.tui.markup import literal

FORMATS = (
    ("JSON (complete, re-importable)", "json"),
    ("CSV (one row a treaty)", "csv"),
    ("Markdown (a readable document)", "markdown"),
    ("TimelineJS (a web timeline)", "timelinejs"),
)
SUFFIX = {"json": "json", "csv": "csv", "markdown": "md", "timelinejs": "timeline.json"}


class ExportDialog(ModalScreen[tuple[str, str] | None]):
    """Returns (format, path), or None when cancelled."""

    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    ExportDialog > Vertical {
        width: 80; height: auto; padding: 1 2; background: $panel; border: thick $primary;
    }
    ExportDialog Label { margin-top: 1; }
    ExportDialog Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    ExportDialog Button { margin-left: 2; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="export-cancel"),
        Binding("ctrl+s", "export", "Export", id="export-go"),
    ]

    def __init__(self, description: str, count: int) -> None:
        super().__init__()
        self.description, self.count = description, count

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]Export[/b] {self.count:,} treaties: {literal(self.description)}")
            yield Label("Format")
            yield Select(FORMATS, value="json", allow_blank=False, id="format")
            yield Label("File (in the current folder unless you give a path)")
            yield Input("treaties.json", id="path")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Export", id="export", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    @on(Select.Changed, "#format")
    def suggest_name(self, event: Select.Changed) -> None:
        path = self.query_one("#path", Input)
        stem = path.value.split(".", 1)[0] or "treaties"
        path.value = f"{stem}.{SUFFIX[str(event.value)]}"

    @on(Button.Pressed, "#export")
    @on(Input.Submitted, "#path")
    def action_export(self) -> None:
        path = self.query_one("#path", Input).value.strip()
        if path:
            self.dismiss((str(self.query_one("#format", Select).value), path))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
