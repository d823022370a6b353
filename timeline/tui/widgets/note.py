"""A line of feedback under a field that takes no room while it has nothing to say."""

from __future__ import annotations

from textual.visual import VisualType
from textual.widgets import Static


class Note(Static):
    DEFAULT_CSS = "Note { height: auto; }"

    def __init__(self, text: str = "", **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(text, **kwargs)
        self.display = bool(text)

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        super().update(content, layout=layout)
        self.display = bool(content)
