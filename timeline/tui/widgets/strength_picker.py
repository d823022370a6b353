"""The filter bar's strength box: any strength, or a minimum level of the scale.

It stands in for Textual's Select, which builds its option list and three more widgets with
the first frame: a third of the cost of the timeline screen's first frame. Here the list is
made when it is opened (timeline/tui/screens/choices.py); a digit picks a level directly."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

ANY = ""  # no minimum
CHOICES = (ANY, "1", "2", "3", "4", "5")  # 0 would only leave out the treaties not coded


def choice_label(value: str) -> str:
    if value == ANY:
        return "any strength"
    # The scale (its dataclass takes 1.5 ms to define) is read when a level is first shown,
    # not before the app's first frame.
    from timeline.strength import LEVELS

    level = LEVELS[int(value)]
    return f"≥ {level.value} {level.name}"


class StrengthPicker(Widget, can_focus=True):
    """A minimum strength: Enter, Space, Down or a click opens the list; 1 to 5 choose a level
    at once, 0 or Backspace any strength."""

    BINDINGS = [
        Binding("enter,space,down", "open", "Choose", show=False),
        *(Binding(value, f"choose('{value}')", show=False) for value in CHOICES[1:]),
        Binding("0,backspace,delete", "choose('')", show=False),
    ]

    DEFAULT_CSS = """
    StrengthPicker {
        height: 3;
        padding: 0 2;
        border: tall $border-blurred;
        background: $surface;
        color: $foreground;
        &:focus {
            border: tall $border;
            background-tint: $foreground 5%;
        }
    }
    """

    value: reactive[str] = reactive(ANY)

    class Changed(Message):
        def __init__(self, picker: StrengthPicker, value: str) -> None:
            self.picker = picker
            self.value = value
            super().__init__()

        @property
        def control(self) -> StrengthPicker:
            return self.picker

    def clear(self) -> None:
        self.value = ANY

    def watch_value(self, value: str) -> None:
        self.post_message(self.Changed(self, value))

    def render(self) -> Content:
        room = max(self.content_size.width - 2, 0)
        label = Content(choice_label(self.value)).truncate(room, ellipsis=True, pad=True)
        return Content.assemble(label, " ▼")

    def action_choose(self, value: str) -> None:
        self.value = value

    def action_open(self) -> None:
        from timeline.tui.screens.choices import ChoiceList

        choices = [(value, choice_label(value)) for value in CHOICES]
        self.app.push_screen(ChoiceList(choices, self.value, self.region), self._chosen)

    def _chosen(self, value: str | None) -> None:
        if value is not None:
            self.value = value

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.focus()
        self.action_open()
