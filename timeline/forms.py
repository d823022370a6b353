"""Validation of treaty records as users give them: CLI options, a JSON file or the UI's form.

Every entry point hands over the same plain mapping of field -> typed value (text as typed,
numbers, booleans, lists for parties and provisions) and gets back either column values ready
to store or InvalidInput naming each field that is wrong and why. Edits are validated as the
whole record after the change, so rules across fields (end not before signature) always hold."""

from __future__ import annotations

import re
import reprlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from db import vocab
from db.changes import PROVISION_COLUMNS
from db.errors import NotFound
from timeline.dates import DateError, DateOrder, PartialDate, parse_optional_date
from timeline.records import StateIndex, TreatyRecord
from timeline.strength import StrengthError, parse_strength
from timeline.text_checks import SEARCH_MAX as SEARCH_MAX  # re-exported
from timeline.text_checks import search_problem as search_problem  # re-exported
from timeline.text_checks import text_problem

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 120

# The user-facing fields of a treaty, with the label a form shows.
LABELS: dict[str, str] = {
    "slug": "Slug",
    "title": "Title",
    "short_title": "Short title",
    "kind": "Kind",
    "signed": "Signed",
    "signed_uncertain": "Signature date uncertain",
    "signed_place": "Signed at",
    "in_force": "In force",
    "in_force_uncertain": "Entry into force uncertain",
    "ended": "Ended",
    "ended_uncertain": "End date uncertain",
    "end_reason": "How it ended",
    "term_months": "Term (months)",
    "indefinite": "Unlimited duration",
    "renewal": "Renewal",
    "renewal_months": "Renewal period (months)",
    "term_note": "Term and renewal note",
    "replaces": "Replaces (slug)",
    "strength": "Guarantee strength (0-5)",
    "strength_clause": "Strength rests on",
    "strength_note": "Strength note",
    "summary": "Summary",
    "notes": "Notes",
    "atop_id": "ATOP id",
    "cow_id": "COW id",
    "unts_number": "UNTS number",
    "wikidata_id": "Wikidata id",
    "parties": "Parties",
    "provisions": "Provisions",
}
DATE_FIELDS = ("signed", "in_force", "ended")
TEXT_LIMITS = {
    "title": 500,
    "short_title": 200,
    "signed_place": 200,
    "strength_clause": 100,
    "unts_number": 40,
    "wikidata_id": 20,
    "term_note": 5000,
    "strength_note": 5000,
    "summary": 20000,
    "notes": 20000,
}
BOOL_FIELDS = ("signed_uncertain", "in_force_uncertain", "ended_uncertain", "indefinite")
INT_FIELDS = ("term_months", "renewal_months", "atop_id", "cow_id")
CHOICES = {
    "kind": vocab.TREATY_KINDS,
    "end_reason": vocab.END_REASONS,
    "renewal": vocab.RENEWALS,
}
PROVISION_FIELDS = PROVISION_COLUMNS  # the form's clause fields are the table's columns
PARTY_FIELDS = ("state", "role", "signer", "signer_title", "ratified", "notes")

# Values are echoed in messages cut short, so that a huge value still gets a one-line message.
_ECHO = reprlib.Repr()
_ECHO.maxstring = _ECHO.maxother = 60
_shown = _ECHO.repr


class InvalidInput(ValueError):
    """One message per field; str() joins them in one line for the CLI."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        labels = LABELS | EVENT_LABELS
        super().__init__("; ".join(f"{labels.get(k, k)}: {v}" for k, v in self.errors.items()))


@dataclass
class TreatyInput:
    """Validated values: treaty columns, and the parties and provisions to store."""

    values: dict[str, Any]
    replaces: str | None
    parties: list[dict[str, Any]] = field(default_factory=list)
    provisions: list[dict[str, Any]] = field(default_factory=list)
    # PartialDates of the record, for messages and echoing back what was understood.
    dates: dict[str, PartialDate | None] = field(default_factory=dict)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _text(value: Any, limit: int) -> str | None:
    if _blank(value):
        return None
    text = str(value).strip()
    if len(text) > limit:
        raise ValueError(f"too long ({len(text)} characters; at most {limit})")
    problem = text_problem(text)
    if problem:
        raise ValueError(problem)
    return text


def _slug_ref(value: Any) -> str | None:
    """The slug of another treaty, as text."""
    if _blank(value):
        return None
    if not isinstance(value, str):
        raise ValueError(f"{_shown(value)} is not a slug, e.g. ussr-dprk-1961")
    return _text(value, SLUG_MAX)


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if _blank(value):
        return False
    lowered = str(value).strip().lower()
    if lowered in ("1", "true", "yes", "y", "on"):
        return True
    if lowered in ("0", "false", "no", "n", "off"):
        return False
    raise ValueError(f"{_shown(value)} is not yes or no")


def _int(value: Any, *, minimum: int = 1) -> int | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError("a whole number is needed")
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        raise ValueError(f"{_shown(value)} is not a whole number") from None
    if number < minimum:
        raise ValueError(f"must be at least {minimum}")
    if number > 2**31 - 1:
        raise ValueError("number too large")
    return number


def _choice(value: Any, allowed: tuple[str, ...]) -> str | None:
    if _blank(value):
        return None
    cleaned = str(value).strip().lower().replace("_", "-").replace(" ", "-")
    if cleaned not in allowed:
        raise ValueError(f"{_shown(value)} is not one of: {', '.join(allowed)}")
    return cleaned


def _date(value: Any, order: DateOrder) -> PartialDate | None:
    if isinstance(value, PartialDate):
        return value
    return parse_optional_date(None if value is None else str(value), order)


def _collect(errors: dict[str, str], key: str, parse: Callable[[], Any]) -> Any:
    try:
        return parse()
    except (ValueError, DateError, StrengthError, NotFound) as error:
        errors[key] = str(error.args[0] if error.args else error)
        return None


def _party(entry: Any, states: StateIndex, order: DateOrder) -> dict[str, Any]:
    if isinstance(entry, str):
        # "PRK" or "PRK:signatory"
        state_text, _, role = entry.partition(":")
        entry = {"state": state_text, "role": role or "party"}
    if not isinstance(entry, Mapping):
        raise ValueError(f"{_shown(entry)} is not a state or a party object")
    unknown = set(entry) - set(PARTY_FIELDS) - {"sources"}
    if unknown:
        raise ValueError(f"unknown party field {sorted(unknown)[0]!r}")
    if _blank(entry.get("state")):
        raise ValueError("a party needs a state")
    state = states.find(str(entry["state"]))
    ratified = _date(entry.get("ratified"), order)
    return {
        "state_id": state.id,
        "state_label": state.label,
        "role": _choice(entry.get("role"), vocab.PARTY_ROLES) or "party",
        "signer": _text(entry.get("signer"), 200),
        "signer_title": _text(entry.get("signer_title"), 300),
        "ratified_on": ratified.value if ratified else None,
        "ratified_precision": ratified.precision.value if ratified else None,
        "notes": _text(entry.get("notes"), 5000),
    }


def _provision(entry: Any) -> dict[str, Any]:
    if isinstance(entry, str):
        # "ARTICLE:KIND:TEXT", e.g. "4:defence:In the event that ..."
        parts = entry.split(":", 2)
        if len(parts) < 2:
            raise ValueError(f"{_shown(entry)}: write a clause as ARTICLE:KIND[:TEXT]")
        entry = {"article": parts[0], "obligation": parts[1], "text": parts[2:] and parts[2]}
    if not isinstance(entry, Mapping):
        raise ValueError(f"{_shown(entry)} is not a provision object")
    unknown = set(entry) - set(PROVISION_FIELDS) - {"sources"}
    if unknown:
        raise ValueError(f"unknown provision field {sorted(unknown)[0]!r}")
    obligation = _choice(entry.get("obligation"), vocab.OBLIGATIONS) or "other"
    security = entry.get("security")
    return {
        "article": _text(entry.get("article"), 40),
        "obligation": obligation,
        # Unless said otherwise, a clause with an obligation other than "other" is a security one.
        "security": obligation != "other" if _blank(security) else _bool(security),
        "conditions": _text(entry.get("conditions"), 5000),
        "text": _text(entry.get("text"), 50000),
        "text_status": _choice(entry.get("text_status"), vocab.TEXT_STATUSES),
        "language": _text(entry.get("language"), 20),
        "translation_note": _text(entry.get("translation_note"), 5000),
    }


def _list(value: Any, name: str) -> list[Any]:
    if _blank(value):
        return []
    if isinstance(value, (str, Mapping)):
        return [value]
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"{name} must be a list")
    return list(value)


def validate_treaty(
    raw: Mapping[str, Any],
    states: StateIndex,
    *,
    slug_taken: Callable[[str], bool],
    treaty_exists: Callable[[str], bool],
    order: DateOrder | str = DateOrder.STRICT,
    current_slug: str | None = None,
) -> TreatyInput:
    """Check a whole treaty record. `current_slug` is the record's slug before an edit."""
    order = DateOrder(order)
    errors: dict[str, str] = {}
    unknown = [k for k in raw if k not in LABELS and k != "sources"]
    for key in unknown:
        errors[key] = "unknown field; known fields: " + ", ".join(LABELS)

    values: dict[str, Any] = {}
    slug = _collect(errors, "slug", lambda: _text(raw.get("slug"), SLUG_MAX))
    if slug is None and "slug" not in errors:
        errors["slug"] = "a slug is needed, e.g. ussr-dprk-1961"
    elif slug is not None and not SLUG_PATTERN.match(slug):
        errors["slug"] = f"{slug!r}: use lower-case letters, digits and single hyphens"
    elif slug is not None and slug != current_slug and slug_taken(slug):
        errors["slug"] = f"{slug!r} is already used by another treaty"
    values["slug"] = slug

    for name, limit in TEXT_LIMITS.items():
        values[name] = _collect(errors, name, lambda n=name, lim=limit: _text(raw.get(n), lim))
    if values.get("title") is None and "title" not in errors:
        errors["title"] = "a title is needed"
    for name in BOOL_FIELDS:
        values[name] = _collect(errors, name, lambda n=name: _bool(raw.get(n)))
    for name in INT_FIELDS:
        values[name] = _collect(errors, name, lambda n=name: _int(raw.get(n)))
    for name, allowed in CHOICES.items():
        values[name] = _collect(errors, name, lambda n=name, a=allowed: _choice(raw.get(n), a))
    values["kind"] = values["kind"] or "other"
    strength = raw.get("strength")
    values["strength"] = _collect(
        errors, "strength", lambda: None if _blank(strength) else parse_strength(strength)
    )

    dates: dict[str, PartialDate | None] = {}
    for name in DATE_FIELDS:
        dates[name] = _collect(errors, name, lambda n=name: _date(raw.get(n), order))
        found = dates[name]
        values[f"{name}_on"] = found.value if found else None
        values[f"{name}_precision"] = found.precision.value if found else None
    _check_date_order(dates, errors)

    replaces = _collect(errors, "replaces", lambda: _slug_ref(raw.get("replaces")))
    if replaces is not None:
        if replaces in (slug, current_slug):
            errors["replaces"] = "a treaty cannot replace itself"
        elif not treaty_exists(replaces):
            errors["replaces"] = f"no treaty with the slug {replaces!r}"

    parties: list[dict[str, Any]] = []
    for index, entry in enumerate(
        _collect(errors, "parties", lambda: _list(raw.get("parties"), "parties")) or []
    ):
        try:
            parties.append(_party(entry, states, order))
        except (ValueError, DateError, NotFound) as error:
            errors["parties"] = f"party {index + 1}: {error.args[0] if error.args else error}"
            break
    seen = [(p["state_id"], p["role"]) for p in parties]
    if "parties" not in errors and len(seen) != len(set(seen)):
        errors["parties"] = "the same state is listed twice in the same role"
    if (
        "parties" not in errors
        and len({p["state_id"] for p in parties if p["role"] == "party"}) < 2
    ):
        errors["parties"] = "a treaty needs at least two parties (e.g. RUS and PRK)"

    provisions: list[dict[str, Any]] = []
    entries = _collect(errors, "provisions", lambda: _list(raw.get("provisions"), "provisions"))
    for index, entry in enumerate(entries or []):
        try:
            provisions.append(_provision(entry))
        except ValueError as error:
            errors["provisions"] = f"provision {index + 1}: {error.args[0]}"
            break

    if errors:
        raise InvalidInput(errors)
    return TreatyInput(values, replaces, parties, provisions, dates)


def _check_date_order(dates: Mapping[str, PartialDate | None], errors: dict[str, str]) -> None:
    """A later event may not lie wholly before an earlier one; periods may share their span."""
    signed, in_force, ended = dates.get("signed"), dates.get("in_force"), dates.get("ended")
    if signed and in_force and in_force.last_day < signed.first_day and "in_force" not in errors:
        errors["in_force"] = f"{in_force.display()} is before the signature ({signed.display()})"
    if signed and ended and ended.last_day < signed.first_day and "ended" not in errors:
        errors["ended"] = f"{ended.display()} is before the signature ({signed.display()})"
    elif in_force and ended and ended.last_day < in_force.first_day and "ended" not in errors:
        errors["ended"] = f"{ended.display()} is before the entry into force ({in_force.display()})"


def editable_values(record: TreatyRecord) -> dict[str, Any]:
    """The record as the raw mapping validate_treaty takes: what an edit starts from."""

    def iso(value: PartialDate | None) -> str | None:
        return value.iso() if value else None

    return {
        "slug": record.slug,
        "title": record.title,
        "short_title": record.short_title,
        "kind": record.kind,
        "signed": iso(record.signed),
        "signed_uncertain": record.signed_uncertain,
        "signed_place": record.signed_place,
        "in_force": iso(record.in_force),
        "in_force_uncertain": record.in_force_uncertain,
        "ended": iso(record.ended),
        "ended_uncertain": record.ended_uncertain,
        "end_reason": record.end_reason,
        "term_months": record.term_months,
        "indefinite": record.indefinite,
        "renewal": record.renewal,
        "renewal_months": record.renewal_months,
        "term_note": record.term_note,
        "replaces": record.replaces,
        "strength": record.strength,
        "strength_clause": record.strength_clause,
        "strength_note": record.strength_note,
        "summary": record.summary,
        "notes": record.notes,
        "atop_id": record.atop_id,
        "cow_id": record.cow_id,
        "unts_number": record.unts_number,
        "wikidata_id": record.wikidata_id,
        "parties": [
            {
                "state": p.state.iso3
                or (f"{p.state.cow_code}" if p.state.cow_code else p.state.name),
                "role": p.role,
                "signer": p.signer,
                "signer_title": p.signer_title,
                "ratified": iso(p.ratified),
                "notes": p.notes,
            }
            for p in record.parties
        ],
        "provisions": [p.fields() for p in record.provisions],
    }


EVENT_LABELS: dict[str, str] = {
    "on": "Date",
    "kind": "Kind",
    "title": "Title",
    "description": "Description",
    "place": "Place",
    "treaty": "Treaty (slug)",
    "states": "States",
    "key": "Key",
}


@dataclass
class EventInput:
    values: dict[str, Any]
    treaty: str | None
    state_ids: list[int]
    happened: PartialDate


def event_key(title: str, happened: PartialDate) -> str:
    """A readable, stable key from the title and date: "2021-renewal-of-the-treaty"."""
    words = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:80].strip("-")
    return f"{happened.iso()}-{words or 'event'}"


def validate_event(
    raw: Mapping[str, Any],
    states: StateIndex,
    *,
    treaty_exists: Callable[[str], bool],
    key_taken: Callable[[str], bool],
    order: DateOrder | str = DateOrder.STRICT,
) -> EventInput:
    order = DateOrder(order)
    errors: dict[str, str] = {}
    for key in raw:
        if key not in EVENT_LABELS:
            errors[key] = "unknown field; known fields: " + ", ".join(EVENT_LABELS)
    happened = _collect(errors, "on", lambda: _date(raw.get("on"), order))
    if happened is None and "on" not in errors:
        errors["on"] = "an event needs a date, e.g. 11 July 2021 or 2021"
    title = _collect(errors, "title", lambda: _text(raw.get("title"), 300))
    if title is None and "title" not in errors:
        errors["title"] = "a title is needed"
    kind = _collect(errors, "kind", lambda: _choice(raw.get("kind"), vocab.EVENT_KINDS))
    description = _collect(errors, "description", lambda: _text(raw.get("description"), 20000))
    place = _collect(errors, "place", lambda: _text(raw.get("place"), 200))
    treaty = _collect(errors, "treaty", lambda: _slug_ref(raw.get("treaty")))
    if treaty and not treaty_exists(treaty):
        errors["treaty"] = f"no treaty with the slug {treaty!r}"
    state_ids: list[int] = []
    refs = raw.get("states") or []
    if isinstance(refs, str):
        refs = [r for r in re.split(r"[;,]", refs) if r.strip()]
    if not isinstance(refs, (list, tuple)):
        errors["states"] = "give the states as a list, e.g. RUS, PRK"
        refs = []
    for ref in refs:
        try:
            state_ids.append(states.find(str(ref)).id)
        except NotFound as error:
            errors["states"] = str(error.args[0])
            break
    key = _collect(errors, "key", lambda: _text(raw.get("key"), 120))
    if errors:
        raise InvalidInput(errors)
    assert happened is not None and title is not None
    key = key or event_key(title, happened)
    if key_taken(key):
        raise InvalidInput({"title": f"an event {key!r} already exists on that date"})
    values = {
        "key": key,
        "happened_on": happened.value,
        "happened_precision": happened.precision.value,
        "kind": kind or "other",
        "title": title,
        "description": description,
        "place": place,
    }
    return EventInput(values, treaty, list(dict.fromkeys(state_ids)), happened)
