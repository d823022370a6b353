"""Add or edit a treaty: dates echoed back as understood while typing, the strength scale
beside its field, errors next to the field they concern, nothing saved until valid, and a
cancel that loses nothing that was there before."""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from db import vocab
from timeline.dates import DateError, parse_date
from timeline.strength import LEVELS
from timeline.tui.markup import literal
from timeline.tui.widgets.bars import KeyBar, TitleBar
from timeline.tui.widgets.note import Note

TEXT_FIELDS = (
    ("slug", "Slug (lower-case-with-hyphens, e.g. prc-dprk-1961)"),
    ("title", "Title"),
    ("short_title", "Short title"),
    ("signed_place", "Signed at"),
    ("replaces", "Replaces (slug of the earlier treaty)"),
    ("strength_clause", "Strength rests on (e.g. Art. 4)"),
    ("term_months", "Term in months (empty if unknown or unlimited)"),
    ("renewal_months", "Renewal period in months"),
    ("atop_id", "ATOP id"),
    ("cow_id", "COW id"),
    ("unts_number", "UNTS number"),
    ("wikidata_id", "Wikidata id"),
)
DATE_FIELDS = (("signed", "Signed"), ("in_force", "In force"), ("ended", "Ended"))
CHOICE_FIELDS = (
    ("kind", "Kind", vocab.TREATY_KINDS),
    ("end_reason", "How it ended", vocab.END_REASONS),
    ("renewal", "Renewal", vocab.RENEWALS),
)
CHECK_FIELDS = (
    ("signed_uncertain", "signature date uncertain"),
    ("in_force_uncertain", "entry into force uncertain"),
    ("ended_uncertain", "end date uncertain"),
    ("indefinite", "unlimited duration"),
)
AREA_FIELDS = (("summary", "Summary"), ("notes", "Notes"), ("strength_note", "Strength note"))
PARTIES_HINT = (
    "Parties: ISO or COW codes or names, ; between them, :role after a state (RUS; PRK:signatory)"
)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def parties_text(parties: list[dict[str, Any]]) -> str:
    return "; ".join(
        p["state"] + ("" if p.get("role") in (None, "party") else f":{p['role']}") for p in parties
    )


class ProvisionEditor(Vertical):
    """One clause: article, obligation, text. Fields the form does not show are kept."""

    DEFAULT_CSS = """
    ProvisionEditor {
        height: auto; border: round $panel-lighten-2; padding: 0 1; margin-bottom: 1;
    }
    ProvisionEditor Horizontal { height: auto; }
    ProvisionEditor .article { width: 16; }
    ProvisionEditor Select { width: 28; }
    ProvisionEditor TextArea { height: 5; }
    """

    def __init__(self, data: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.data = dict(data or {})

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Input(_text(self.data.get("article")), placeholder="article", classes="article")
            yield Select(
                [(o, o) for o in vocab.OBLIGATIONS],
                allow_blank=False,
                value=self.data.get("obligation") or "other",
                classes="obligation",
            )
            yield Checkbox("security clause", bool(self.data.get("security")), classes="security")
            yield Button("Remove", classes="remove-provision", variant="warning")
        yield TextArea(_text(self.data.get("text")), classes="provision-text")

    def value(self) -> dict[str, Any]:
        data = dict(self.data)
        if not self.query(".article"):  # not composed yet: nothing typed into it either
            return data
        data["article"] = self.query_one(".article", Input).value.strip() or None
        data["obligation"] = self.query_one(".obligation", Select).value
        data["security"] = self.query_one(".security", Checkbox).value
        data["text"] = self.query_one(".provision-text", TextArea).text.strip() or None
        return data

    @on(Button.Pressed, ".remove-provision")
    def remove_me(self, event: Button.Pressed) -> None:
        event.stop()
        self.remove()


class EditScreen(Screen[None]):
    DEFAULT_CSS = """
    EditScreen #form {
        padding: 0 2;
    }
    EditScreen #form .field-label {
        margin-top: 1;
        color: $text-muted;
    }
    EditScreen #form .section {
        margin-top: 1;
        text-style: bold;
    }
    EditScreen #form .echo {
        color: $success;
        height: auto;
    }
    EditScreen #form .error {
        height: auto;
    }
    EditScreen #form TextArea {
        height: 5;
    }
    EditScreen #strength-row {
        height: auto;
    }
    EditScreen #strength-field {
        width: 40;
        height: auto;
    }
    EditScreen #strength-scale {
        width: 1fr;
        padding: 1 2;
        color: $text-muted;
    }
    EditScreen #form-buttons {
        height: auto;
        margin: 1 0 2 0;
    }
    EditScreen #form-buttons Button, EditScreen #add-provision {
        margin-right: 2;
    }
    EditScreen #form-error {
        height: auto;
    }
    /* The form stays compact: one line an input, labels above in the muted colour. */
    EditScreen #form Input {
        border: none;
        height: 1;
        padding: 0 1;
        background: $boost;
    }
    EditScreen #form Input:focus {
        background: $accent 30%;
    }
    EditScreen #form Select {
        width: 60;
    }
    EditScreen #form Checkbox {
        border: none;
        padding: 0;
        height: 1;
        background: transparent;
    }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", tooltip="Check and save the treaty", id="form-save"),
        Binding("escape", "cancel", "Cancel", tooltip="Leave without saving", id="form-cancel"),
        Binding("ctrl+n", "add_provision", "Add clause", id="form-add-clause"),
    ]

    def __init__(self, slug: str | None) -> None:
        super().__init__()
        self.slug = slug
        self.original: dict[str, Any] | None = None
        self.version: int | None = None
        self.states = None  # StateIndex, loaded in a worker
        self.loaded_form: dict[str, Any] | None = None

    # -- layout --------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="form"):
            yield Note(id="form-error", classes="error")
            yield from self._inputs(TEXT_FIELDS[:3])
            yield from self._choice("kind", "Kind", vocab.TREATY_KINDS, blank=False)
            for name, label in DATE_FIELDS:
                hint = f"{label} (1961, July 1961, 6 July 1961, 1961-07-06)"
                yield from self._field(name, hint, Input(id=name), echo=True)
                yield Checkbox(dict(CHECK_FIELDS)[f"{name}_uncertain"], id=f"{name}_uncertain")
            yield from self._inputs(TEXT_FIELDS[3:4])
            yield from self._choice("end_reason", "How it ended", vocab.END_REASONS)
            yield from self._field("parties", PARTIES_HINT, Input(id="parties"), echo=True)
            with Horizontal(id="strength-row"):
                with Vertical(id="strength-field"):
                    options = [(f"{lv.value} {lv.name}", str(lv.value)) for lv in LEVELS]
                    yield from self._field("strength", "Guarantee strength",
                                           Select(options, id="strength"))  # fmt: skip
                yield Static(self._scale(None), id="strength-scale")
            yield from self._inputs(TEXT_FIELDS[5:6])
            yield Checkbox("unlimited duration", id="indefinite")
            yield from self._inputs(TEXT_FIELDS[6:8])
            yield from self._choice("renewal", "Renewal", vocab.RENEWALS)
            yield from self._field("term_note", "Term note", Input(id="term_note"))
            yield from self._inputs(TEXT_FIELDS[4:5])
            for name, label in AREA_FIELDS:
                yield from self._field(name, label, TextArea(id=name))
            yield from self._inputs(TEXT_FIELDS[8:])
            yield Label("Clauses", classes="section")
            yield Vertical(id="provisions")
            yield Note(id="provisions-error", classes="error")
            yield Button("Add clause (ctrl+n)", id="add-provision")
            with Horizontal(id="form-buttons"):
                yield Button("Cancel (Esc)", id="cancel")
                yield Button("Save (ctrl+s)", id="save", variant="primary")
        yield KeyBar()

    def _inputs(self, fields: tuple[tuple[str, str], ...]):  # type: ignore[no-untyped-def]
        for name, label in fields:
            yield from self._field(name, label, Input(id=name))

    def _choice(self, name: str, label: str, choices: tuple[str, ...], blank: bool = True):  # type: ignore[no-untyped-def]
        options = [(c, c) for c in choices]
        select = (
            Select(options, id=name)
            if blank
            else Select(options, value=choices[-1], allow_blank=False, id=name)
        )
        yield from self._field(name, label, select)

    def _field(self, name: str, label: str, widget, echo: bool = False):  # type: ignore[no-untyped-def]
        yield Label(label, classes="field-label")
        yield widget
        if echo:
            yield Note(id=f"{name}-echo", classes="echo")
        yield Note(id=f"{name}-error", classes="error")

    @staticmethod
    def _scale(value: str | None) -> str:
        lines = []
        for lv in LEVELS:
            mark = "▶" if value is not None and str(lv.value) == value else " "
            lines.append(f"{mark} [b]{lv.value} {lv.name}[/b]: {lv.meaning}")
        return "\n".join(lines)

    # -- loading -------------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.sub_title = f"edit {self.slug}" if self.slug else "new treaty"
        self.query_one("#slug", Input).focus()
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        from sqlmodel import Session

        from timeline.forms import editable_values
        from timeline.records import StateIndex, load_treaty

        try:
            with Session(self.app.engine) as session:  # type: ignore[attr-defined]
                states = StateIndex(session)
                record = load_treaty(session, self.slug) if self.slug else None
        except Exception as error:
            self.app.call_from_thread(self.notify, f"Cannot open the form: {literal(error)}",
                                      severity="error")  # fmt: skip
            return
        values = editable_values(record) if record else None
        version = record.version if record else None
        self.app.call_from_thread(self._loaded, states, values, version)

    def _loaded(self, states, values: dict[str, Any] | None, version: int | None) -> None:  # type: ignore[no-untyped-def]
        self.states = states
        self.original, self.version = values, version
        if values is not None:
            self.fill(values)
        self.call_after_refresh(self._remember_loaded)

    def _remember_loaded(self) -> None:
        self.loaded_form = self.raw()

    def fill(self, values: dict[str, Any]) -> None:
        for name, _ in (*TEXT_FIELDS, ("term_note", "")):
            self.query_one(f"#{name}", Input).value = _text(values.get(name))
        for name, _ in DATE_FIELDS:
            self.query_one(f"#{name}", Input).value = _text(values.get(name))
        for name, _, _ in CHOICE_FIELDS:
            select = self.query_one(f"#{name}", Select)
            if values.get(name):
                select.value = values[name]
            elif name != "kind":  # kind is never blank
                select.clear()
        strength = values.get("strength")
        select = self.query_one("#strength", Select)
        if strength is None:
            select.clear()
        else:
            select.value = str(strength)
        for name, _ in CHECK_FIELDS:
            self.query_one(f"#{name}", Checkbox).value = bool(values.get(name))
        for name, _ in AREA_FIELDS:
            self.query_one(f"#{name}", TextArea).text = _text(values.get(name))
        self.query_one("#parties", Input).value = parties_text(values.get("parties") or [])
        container = self.query_one("#provisions", Vertical)
        container.remove_children()
        container.mount_all([ProvisionEditor(p) for p in values.get("provisions") or []])

    # -- live feedback -------------------------------------------------------------------------
    @on(Input.Changed, "#signed, #in_force, #ended")
    def echo_date(self, event: Input.Changed) -> None:
        echo = self.query_one(f"#{event.input.id}-echo", Note)
        if not event.value.strip():
            echo.update("unknown")
            echo.set_classes("echo")
            return
        try:
            echo.update(f"→ {literal(parse_date(event.value).described())}")
            echo.set_classes("echo")
        except DateError as error:
            echo.update(literal(error))  # it quotes what was typed
            echo.set_classes("error")

    @on(Input.Changed, "#parties")
    def echo_parties(self, event: Input.Changed) -> None:
        echo = self.query_one("#parties-echo", Note)
        if self.states is None:
            return
        shown, problems = [], []
        for ref in [r.strip() for r in event.value.split(";") if r.strip()]:
            state_text, _, role = ref.partition(":")
            try:
                state = self.states.find(state_text)
                shown.append(state.name + (f" ({role})" if role else ""))
            except LookupError as error:
                problems.append(str(error.args[0]))
        echo.update(literal("→ " + "; ".join(shown) if not problems else "; ".join(problems)))
        echo.set_classes("error" if problems else "echo")

    @on(Select.Changed, "#strength")
    def explain_strength(self, event: Select.Changed) -> None:
        value = None if event.value is Select.NULL else str(event.value)
        self.query_one("#strength-scale", Static).update(self._scale(value))

    # -- reading the form ----------------------------------------------------------------------
    def _party_entries(self) -> list[Any]:
        """Typed parties, keeping signers and ratifications of those already there."""
        kept = {}
        for p in (self.original or {}).get("parties") or []:
            kept[(p["state"].upper(), p.get("role") or "party")] = p
        entries: list[Any] = []
        for ref in [r.strip() for r in self.query_one("#parties", Input).value.split(";")]:
            if not ref:
                continue
            state_text, _, role = ref.partition(":")
            role = role.strip() or "party"
            entries.append(kept.get((state_text.strip().upper(), role), ref))
        return entries

    def raw(self) -> dict[str, Any]:
        raw: dict[str, Any] = {}
        for name, _ in (*TEXT_FIELDS, *DATE_FIELDS, ("term_note", "")):
            raw[name] = self.query_one(f"#{name}", Input).value
        for name, _, _ in CHOICE_FIELDS:
            value = self.query_one(f"#{name}", Select).value
            raw[name] = None if value is Select.NULL else value
        strength = self.query_one("#strength", Select).value
        raw["strength"] = None if strength is Select.NULL else strength
        for name, _ in CHECK_FIELDS:
            raw[name] = self.query_one(f"#{name}", Checkbox).value
        for name, _ in AREA_FIELDS:
            raw[name] = self.query_one(f"#{name}", TextArea).text
        raw["parties"] = self._party_entries()
        raw["provisions"] = [p.value() for p in self.query(ProvisionEditor)]
        return raw

    @property
    def dirty(self) -> bool:
        return self.loaded_form is not None and self.raw() != self.loaded_form

    # -- actions -------------------------------------------------------------------------------
    @on(Button.Pressed, "#add-provision")
    async def action_add_provision(self) -> None:
        editor = ProvisionEditor({"obligation": "defence", "security": True})
        # Focus the new clause's article once its fields exist: awaiting the mount waits for
        # them, where the next refresh may come first on a busy machine.
        await self.query_one("#provisions", Vertical).mount(editor)
        editor.query_one(".article", Input).focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        raw = self.raw()
        if self.slug and self.loaded_form is not None:
            # Parties and clauses are rewritten only when changed, so their sources stay.
            for name in ("parties", "provisions"):
                if raw[name] == self.loaded_form[name]:
                    del raw[name]
        self.save(raw)

    @work(thread=True, exclusive=True, group="write")
    def save(self, raw: dict[str, Any]) -> None:
        from db.changes import EditConflict
        from db.errors import DatabaseError
        from timeline.editing import add_treaty, edit_treaty
        from timeline.forms import InvalidInput

        try:
            if self.slug:
                record = edit_treaty(self.app.engine, self.slug, raw,  # type: ignore[attr-defined]
                                     expected_version=self.version)  # fmt: skip
            else:
                record = add_treaty(self.app.engine, raw)  # type: ignore[attr-defined]
        except InvalidInput as error:
            self.app.call_from_thread(self.show_errors, error.errors)
            return
        except EditConflict:
            self._conflict()
            return
        except (DatabaseError, LookupError) as error:
            message = error.args[0] if error.args else str(error)
            self.app.call_from_thread(self.show_errors, {"form": f"Not saved: {message}"})
            return
        except Exception as error:
            self.app.call_from_thread(self.show_errors, {"form": f"Not saved: {error}"})
            return
        self.app.call_from_thread(self._saved, record.slug, record.name)

    def _conflict(self) -> None:
        """Someone saved this treaty since the form was opened: say what they changed (in the
        worker that found it) and offer to reload; the user's form stays until they choose."""
        from sqlmodel import Session

        from timeline.forms import LABELS, editable_values
        from timeline.records import load_treaty

        try:
            with Session(self.app.engine) as session:  # type: ignore[attr-defined]
                record = load_treaty(session, self.slug)  # type: ignore[arg-type]
        except Exception as error:
            self.app.call_from_thread(self.show_errors, {"form": f"Not saved: {error}"})
            return
        current = editable_values(record)
        changed = [LABELS.get(k, k) for k, v in current.items()
                   if (self.original or {}).get(k) != v]  # fmt: skip
        self.app.call_from_thread(self._offer_reload, current, record.version, changed)

    def _offer_reload(self, current: dict[str, Any], version: int, changed: list[str]) -> None:
        from timeline.tui.screens.confirm import ConfirmDialog

        what = ", ".join(changed) or "nothing you can see"
        self.show_errors({"form": f"Not saved: someone else saved this treaty ({what})."})

        def answered(reload: bool | None) -> None:
            if reload:
                self.original, self.version = current, version
                self.fill(current)
                self.call_after_refresh(self._remember_loaded)
                self.notify("Reloaded: apply your change again and save.", title="Reloaded")

        self.app.push_screen(
            ConfirmDialog(
                f"{literal(self.slug)} was changed by someone else since you opened it: {what}.\n"
                "Reload it (your unsaved edits here are dropped), or keep your form?",
                yes="Reload",
                no="Keep my form",
            ),
            answered,
        )

    def show_errors(self, errors: dict[str, str]) -> None:
        errors = {name: literal(message) for name, message in errors.items()}  # they quote input
        for widget in self.query(".error"):
            if isinstance(widget, Note):
                widget.update("")
        first = None
        for name, message in errors.items():
            target = self.query(f"#{name}-error")
            if target:
                target.first(Note).update(message)
                first = first or name
            else:
                self.query_one("#form-error", Note).update(f"{name}: {message}")
        summary = (
            f"Not saved: {len(errors)} field(s) to correct." if len(errors) > 1 or first else ""
        )
        if "form" in errors:
            summary = errors["form"]
        self.query_one("#form-error", Note).update(summary)
        self.notify(summary or "Not saved.", severity="error")
        if first and first not in ("form",):
            widget = self.query(f"#{first}")
            if widget:
                widget.first().focus()
                self.query_one("#form", VerticalScroll).scroll_to_widget(widget.first())

    def _saved(self, slug: str, name: str) -> None:
        self.notify(f"Saved {literal(name)}.", title="Saved")
        self.loaded_form = None
        self.app.pop_screen()
        if self.slug is None:
            self.app.open_treaty(slug)  # type: ignore[attr-defined]

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        from timeline.tui.screens.confirm import ConfirmDialog

        if not self.dirty:
            self.app.pop_screen()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.app.pop_screen()

        self.app.push_screen(
            ConfirmDialog("Discard your changes? Nothing has been saved.", yes="Discard",
                          no="Keep editing"),
            answered,
        )  # fmt: skip
