"""Every binding of the screen underneath and of the app, and the strength scale."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from timeline.strength import LEVELS


def bindings_table(screen: Screen) -> Table:
    table = Table(title="Keys", title_justify="left", expand=True)
    table.add_column("key", no_wrap=True, style="bold")
    table.add_column("does")
    table.add_column("where", style="dim", no_wrap=True)
    seen: set[tuple[str, str]] = set()
    focused = list(screen.focused.ancestors_with_self) if screen.focused else []
    for node in [*focused, screen, screen.app]:
        for binding in getattr(node, "BINDINGS", []):
            if not isinstance(binding, Binding) or binding.system:
                continue
            key = binding.key_display or ", ".join(
                screen.app.get_key_display(Binding(k.strip(), "")) for k in binding.key.split(",")
            )
            description = binding.tooltip or binding.description or binding.action
            if (key, description) in seen:
                continue
            seen.add((key, description))
            table.add_row(key, description, type(node).__name__)
    table.add_row("ctrl+p", "Command palette: every action, and jump to any treaty by name", "App")
    return table


def strength_table() -> Table:
    table = Table(title="Guarantee strength", title_justify="left", expand=True)
    table.add_column("level", no_wrap=True, style="bold")
    table.add_column("name", no_wrap=True)
    table.add_column("meaning")
    table.add_column("COW", no_wrap=True)
    for level in LEVELS:
        table.add_row(str(level.value), level.name, level.meaning, level.cow)
    return table


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; height: 90%; background: $panel; border: thick $primary; padding: 0 1;
    }
    """
    BINDINGS = [Binding("escape,f1,question_mark,q", "dismiss", "Close", id="help-close")]

    def __init__(self, below: Screen) -> None:
        super().__init__()
        self.below = below

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("treaty-timeline help  (Escape closes)", style="bold"))
            yield Static(bindings_table(self.below))
            yield Static(strength_table())
            yield Static(
                "Dates are typed as people write them: 1961, July 1961, 6 July 1961, 1961-07-06,"
                " June 19, 2024. Numeric dates such as 06/07/1961 are refused as ambiguous."
            )
