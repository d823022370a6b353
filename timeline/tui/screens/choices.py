"""A list of choices dropped down below the box that opened it (the filter bar's strength):
Enter or a click chooses, Escape or a click elsewhere leaves the choice as it was."""

from __future__ import annotations

from rich.cells import cell_len
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Region
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class ChoiceList(ModalScreen[str | None]):
    """Dismissed with the value chosen, or None."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Close", id="choices-close")]

    DEFAULT_CSS = """
    ChoiceList {
        background: transparent;
    }
    ChoiceList > OptionList {
        height: auto;
        border: tall $border;
        background: $surface;
    }
    """

    def __init__(self, choices: list[tuple[str, str]], current: str, below: Region) -> None:
        super().__init__()
        self.choices = choices  # (value, label)
        self.current = current
        self.below = below  # the box the list drops from, on the screen

    def compose(self) -> ComposeResult:
        yield OptionList(*(Option(label) for _, label in self.choices))

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.styles.offset = (self.below.x, self.below.bottom - 1)
        # As wide as the box, or as its longest choice with the list's border and padding.
        longest = max(cell_len(label) for _, label in self.choices)
        options.styles.width = max(self.below.width, longest + 4)
        values = [value for value, _ in self.choices]
        options.highlighted = values.index(self.current) if self.current in values else 0
        options.focus()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[event.option_index][0])

    def on_click(self, event: events.Click) -> None:
        if event.widget is self:  # outside the list
            self.dismiss(None)
