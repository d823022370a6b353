"""A treaty's history of changes, newest first, with undo of the change set chosen."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from timeline.change_log import ChangeSetRecord
from timeline.tui.markup import literal
from timeline.tui.widgets.bars import KeyBar

LIMIT = 200  # change sets read; older ones are for `treaty-timeline log SLUG --limit N`
SHOWN_CHANGES = 8
INDENT = "   "


def prompt(change_set: ChangeSetRecord) -> Text:
    text = Text(change_set.header(), style="bold")
    for change in change_set.changes[:SHOWN_CHANGES]:
        text.append(f"\n{INDENT}{change.text()}", style="")
    hidden = len(change_set.changes) - SHOWN_CHANGES
    if hidden > 0:
        text.append(f"\n{INDENT}… and {hidden} more", style="dim")
    return text


class ChangeLogScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    ChangeLogScreen { align: center middle; }
    ChangeLogScreen > Vertical {
        width: 92%; height: 85%; background: $panel; border: thick $primary; padding: 0 1;
    }
    ChangeLogScreen #log-title { text-style: bold; height: auto; }
    ChangeLogScreen OptionList { height: 1fr; }
    ChangeLogScreen #log-status { height: auto; color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape,l", "dismiss", "Close", id="log-close"),
        Binding("u", "undo", "Undo this change",
                tooltip="Undo the selected change set, as a new change (asks first)",
                id="log-undo"),
    ]  # fmt: skip

    def __init__(self, slug: str) -> None:
        super().__init__()
        self.slug = slug
        self.change_sets: dict[int, ChangeSetRecord] = {}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"History of changes: {literal(self.slug)}", id="log-title")
            yield OptionList(id="change-sets")
            yield Static("Loading…", id="log-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="change-log")
    def load(self) -> None:
        from sqlmodel import Session

        from timeline.change_log import load_log

        try:
            with Session(self.app.engine) as session:  # type: ignore[attr-defined]
                found = load_log(session, self.slug, limit=LIMIT)
        except Exception as error:
            self.app.call_from_thread(self._status, f"Could not read the history: {literal(error)}")
            return
        self.app.call_from_thread(self._show, found)

    def _status(self, text: str) -> None:
        self.query_one("#log-status", Static).update(text)

    def _show(self, found: list[ChangeSetRecord]) -> None:
        self.change_sets = {c.id: c for c in found}
        options = self.query_one(OptionList)
        options.clear_options()
        # None between options draws a divider line; it is not an option itself.
        options.add_options(
            [item for c in found for item in (Option(prompt(c), id=str(c.id)), None)]
        )
        if found:
            options.highlighted = 0
            self._status(f"{len(found)} change sets, newest first; u undoes the one selected.")
        else:
            self._status(f"No changes recorded for {literal(self.slug)}.")
        options.focus()

    def selected(self) -> ChangeSetRecord | None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return None
        option = options.get_option_at_index(options.highlighted)
        return self.change_sets.get(int(option.id or 0))

    def action_undo(self) -> None:
        from timeline.tui.screens.confirm import ConfirmDialog

        chosen = self.selected()
        if chosen is None:
            self.notify("No change is selected.", severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_undo(chosen.id, force=False)

        self.app.push_screen(
            ConfirmDialog(
                f"Undo #{chosen.id} ({literal(chosen.description)}, by {literal(chosen.made_by)},"
                f" {chosen.when})?\nA new change reverts it; that one can be undone in turn.",
                yes="Undo",
            ),
            answered,
        )

    @work(thread=True, group="write")
    def run_undo(self, change_set_id: int, force: bool) -> None:
        from timeline.undo import UndoConflict, undo

        try:
            result = undo(self.app.engine, change_set_id, force=force)  # type: ignore[attr-defined]
        except UndoConflict as error:
            self.app.call_from_thread(self._offer_force, change_set_id, str(error))
            return
        except Exception as error:
            message = literal(error.args[0] if error.args else error)
            self.app.call_from_thread(self.notify, f"Not undone: {message}", severity="error")
            return
        self.app.call_from_thread(
            self.notify, f"Undone #{change_set_id} as #{result.change_set}.", title="Undone"
        )
        self.app.call_from_thread(self.load)

    def _offer_force(self, change_set_id: int, message: str) -> None:
        from timeline.tui.screens.confirm import ConfirmDialog

        message = literal(message)  # it quotes the values in conflict

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_undo(change_set_id, force=True)

        self.app.push_screen(
            ConfirmDialog(
                f"{message[0].upper()}{message[1:]}.\nUndo anyway, overwriting that later change?",
                yes="Undo anyway",
                no="Leave it",
            ),
            answered,
        )
