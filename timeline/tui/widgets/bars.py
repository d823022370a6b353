"""The title line at the top of each screen and the key line at the bottom.

They show what Textual's Header and Footer show, each drawn by one widget. The Header is four
widgets and the Footer one widget per key, each styled by its own CSS rules, and rebuilt
whenever the focus moves. On the timeline's first frame those two cost about as much as the
rest of the screen."""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.style import Style
from textual.widget import Widget

ICON = "⭘"  # the command palette's, as in Textual's header
ICON_WIDTH = 8
RIGHT_SPACE = 10  # the room Textual's header keeps for its clock, so titles sit alike


class TitleBar(Widget):
    """The screen's title and the database's location; the icon opens the command palette."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    def on_mount(self) -> None:
        for owner in (self.app, self.screen):
            self.watch(owner, "title", self.refresh, init=False)
            self.watch(owner, "sub_title", self.refresh, init=False)

    def render(self) -> Content:
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        room = max(self.size.width - ICON_WIDTH - RIGHT_SPACE, 0)
        shown = app.format_title(title, sub_title).center(room, ellipsis=True)
        return Content.assemble(f" {ICON}".ljust(ICON_WIDTH), shown)

    def on_click(self, event: events.Click) -> None:
        if event.x < ICON_WIDTH:
            event.stop()
            self.app.action_command_palette()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self.tooltip = "Open the command palette" if event.x < ICON_WIDTH else None


class _Key(NamedTuple):
    key: str  # as bound, what a click presses
    shown: str  # as the app displays it
    description: str
    enabled: bool
    tooltip: str


class KeyBar(Widget, can_focus=False):
    """The keys the focused widget and its screen answer to; a click presses one."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .keybar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .keybar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """
    COMPONENT_CLASSES = {"keybar--key", "keybar--description"}

    def __init__(self, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        self._spans: list[tuple[int, int, _Key]] = []  # columns of each key, from the last render

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if screen is self.screen:
            self.refresh()

    def keys(self) -> tuple[list[_Key], list[_Key]]:
        """The keys to show, one for each action as in Textual's footer: those of the focused
        widget and the screen, then those that work everywhere (the app's and the command
        palette's), which are shown on the right so that a narrow terminal never hides them."""
        app = self.app
        active = self.screen.active_bindings

        def shown(binding: Binding, enabled: bool, tooltip: str) -> _Key:
            return _Key(binding.key, app.get_key_display(binding), binding.description, enabled,
                        tooltip or binding.tooltip)  # fmt: skip

        local: dict[str, _Key] = {}
        everywhere: dict[str, _Key] = {}
        for node, binding, enabled, tooltip in active.values():
            keys = everywhere if node is app else local
            if binding.show and binding.action not in keys:
                keys[binding.action] = shown(binding, enabled, tooltip)
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, tooltip = active[app.COMMAND_PALETTE_BINDING]
            everywhere[binding.action] = shown(binding, enabled, tooltip or binding.description)
        return list(local.values()), list(everywhere.values())

    def render(self) -> Content:
        local, everywhere = self.keys()
        right, right_spans = self._line(everywhere)
        if everywhere:
            right = Content.assemble(("▏", "dim"), right)
        room = max(self.size.width - right.cell_length, 0)
        # Keys that do not fit whole are left out (Help lists every key).
        left, left_spans = self._line(local)
        left_spans = [span for span in left_spans if span[1] <= room]
        left = left.truncate(left_spans[-1][1] if left_spans else 0)
        offset = room + (1 if everywhere else 0)
        self._spans = left_spans + [(a + offset, b + offset, key) for a, b, key in right_spans]
        return Content.assemble(left.pad_right(room - left.cell_length), right)

    def _line(self, keys: list[_Key]) -> tuple[Content, list[tuple[int, int, _Key]]]:
        """The keys as " key description " each, and the columns each takes."""
        key_style = self.get_visual_style("keybar--key", partial=True)
        description_style = self.get_visual_style("keybar--description", partial=True)
        dim = Style(dim=True)
        parts: list[tuple[str, Style]] = []
        spans = []
        column = 0
        for key in keys:
            shown = f" {key.shown} ", f"{key.description} "
            styles = (key_style, description_style)
            if not key.enabled:
                styles = (key_style + dim, description_style + dim)
            parts += zip(shown, styles, strict=True)
            width = sum(cell_len(text) for text in shown)
            spans.append((column, column + width, key))
            column += width
        return Content.assemble(*parts), spans

    def _key_at(self, x: int) -> _Key | None:
        return next((key for start, end, key in self._spans if start <= x < end), None)

    def on_click(self, event: events.Click) -> None:
        key = self._key_at(event.x)
        if key is None:
            return
        event.stop()
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self._key_at(event.x)
        self.tooltip = (key.tooltip or None) if key is not None else None
