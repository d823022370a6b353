"""validate_treaty's and validate_event's common case, fast, for imports of thousands of
records.

A record as our exports and the data-set readers give it (text, whole numbers, booleans, dates
already read into PartialDates, parties and clauses as objects, every value valid) is checked
here by the same rules and gives the same TreatyInput, in a fraction of the time. Anything
else (text where a number belongs, "Yes" for a boolean, a clause as "ARTICLE:KIND:TEXT") and
anything wrong gives None, and validate_treaty (validate_event) checks the record: what it
accepts and every message it gives stay its own. tests/test_import_bulk.py checks that both
agree."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from db import vocab
from db.errors import NotFound
from timeline.dates import PartialDate
from timeline.forms import (
    BOOL_FIELDS,
    CHOICES,
    DATE_FIELDS,
    EVENT_LABELS,
    INT_FIELDS,
    LABELS,
    PARTY_FIELDS,
    PROVISION_FIELDS,
    SLUG_MAX,
    SLUG_PATTERN,
    TEXT_LIMITS,
    EventInput,
    TreatyInput,
    text_problem,
)
from timeline.records import StateIndex


class _Refer(Exception):
    """The record is for validate_treaty to check."""


_KNOWN = frozenset(LABELS) | {"sources"}
_PARTY_KEYS = frozenset(PARTY_FIELDS) | {"sources"}
_PROVISION_KEYS = frozenset(PROVISION_FIELDS) | {"sources"}
_EVENT_KNOWN = frozenset(EVENT_LABELS)
_INT_MAX = 2**31 - 1
_TEXT_LIMITS = tuple(TEXT_LIMITS.items())
_CHOICES = tuple(CHOICES.items())
_DATE_COLUMNS = tuple((name, f"{name}_on", f"{name}_precision") for name in DATE_FIELDS)


def quick_treaty(
    raw: Mapping[str, Any],
    states: StateIndex,
    *,
    slug_taken: Callable[[str], bool],
    treaty_exists: Callable[[str], bool],
    current_slug: str | None = None,
) -> TreatyInput | None:
    """The TreatyInput validate_treaty gives `raw` (strict date order), or None where it must
    check the record itself."""
    try:
        return _treaty(raw, states, slug_taken, treaty_exists, current_slug)
    except _Refer:
        return None


def _treaty(
    raw: Mapping[str, Any],
    states: StateIndex,
    slug_taken: Callable[[str], bool],
    treaty_exists: Callable[[str], bool],
    current_slug: str | None,
) -> TreatyInput:
    if not _KNOWN.issuperset(raw):
        raise _Refer
    slug = _text(raw.get("slug"), SLUG_MAX)
    if slug is None or not SLUG_PATTERN.match(slug):
        raise _Refer
    if slug != current_slug and slug_taken(slug):
        raise _Refer
    # Most fields of a file's record are empty: None is passed over before any check.
    get = raw.get
    values: dict[str, Any] = {"slug": slug}
    for name, limit in _TEXT_LIMITS:
        value = get(name)
        values[name] = None if value is None else _text(value, limit)
    if values["title"] is None:
        raise _Refer
    for name in BOOL_FIELDS:
        value = get(name)
        values[name] = False if value is None else _bool(value)
    for name in INT_FIELDS:
        value = get(name)
        values[name] = None if value is None else _int(value)
    for name, allowed in _CHOICES:
        value = get(name)
        values[name] = None if value is None else _choice(value, allowed)
    values["kind"] = values["kind"] or "other"
    strength = get("strength")
    if strength is not None and (type(strength) is not int or not 0 <= strength <= 5):
        raise _Refer
    values["strength"] = strength
    dates: dict[str, PartialDate | None] = {}
    for name, on, precision in _DATE_COLUMNS:
        found = dates[name] = _date(get(name))
        values[on] = found.value if found else None
        values[precision] = found.precision.value if found else None
    _check_date_order(dates)
    replaces = _slug_ref(raw.get("replaces"))
    if replaces is not None and (replaces in (slug, current_slug) or not treaty_exists(replaces)):
        raise _Refer
    parties = [_party(entry, states) for entry in _entries(raw.get("parties"))]
    seen = {(p["state_id"], p["role"]) for p in parties}
    if len(seen) != len(parties) or len({s for s, role in seen if role == "party"}) < 2:
        raise _Refer
    provisions = [_provision(entry) for entry in _entries(raw.get("provisions"))]
    return TreatyInput(values, replaces, parties, provisions, dates)


def _slug_ref(value: Any) -> str | None:
    if value is None:
        return None
    if type(value) is not str:
        raise _Refer
    return _text(value, SLUG_MAX)


def _text(value: Any, limit: int) -> str | None:
    if value is None:
        return None
    if type(value) is not str:
        raise _Refer
    text = value.strip()
    if not text:
        return None
    if len(text) > limit or text_problem(text):
        raise _Refer
    return text


def _bool(value: Any) -> bool:
    if value is None:
        return False
    if type(value) is not bool:
        raise _Refer
    return value


def _int(value: Any) -> int | None:
    if value is None:
        return None
    if type(value) is not int or not 1 <= value <= _INT_MAX:
        raise _Refer
    return value


def _choice(value: Any, allowed: tuple[str, ...]) -> str | None:
    if value is None:
        return None
    if value not in allowed:  # as validate_treaty would write it, or for it to read
        raise _Refer
    return value  # type: ignore[no-any-return]


def _date(value: Any) -> PartialDate | None:
    if value is None or type(value) is PartialDate:
        return value
    raise _Refer


def _check_date_order(dates: Mapping[str, PartialDate | None]) -> None:
    signed, in_force, ended = dates["signed"], dates["in_force"], dates["ended"]
    if signed and in_force and in_force.last_day < signed.first_day:
        raise _Refer
    if signed and ended and ended.last_day < signed.first_day:
        raise _Refer
    if in_force and ended and ended.last_day < in_force.first_day:
        raise _Refer


def _entries(value: Any) -> list[Any]:
    if value is None:
        return []
    if type(value) is not list:
        raise _Refer
    return value


def _party(entry: Any, states: StateIndex) -> dict[str, Any]:
    if type(entry) is str:
        state_text, _, role = entry.partition(":")
        entry = {"state": state_text, "role": role or "party"}
    elif type(entry) is not dict or not _PARTY_KEYS.issuperset(entry):
        raise _Refer
    state_text = entry.get("state")
    if type(state_text) is not str or not state_text.strip():
        raise _Refer
    try:
        state = states.find(state_text)
    except NotFound:
        raise _Refer from None
    get = entry.get
    ratified = _date(get("ratified"))
    signer, title, notes = get("signer"), get("signer_title"), get("notes")
    return {
        "state_id": state.id,
        "state_label": state.label,
        "role": _choice(get("role"), vocab.PARTY_ROLES) or "party",
        "signer": None if signer is None else _text(signer, 200),
        "signer_title": None if title is None else _text(title, 300),
        "ratified_on": ratified.value if ratified else None,
        "ratified_precision": ratified.precision.value if ratified else None,
        "notes": None if notes is None else _text(notes, 5000),
    }


def _provision(entry: Any) -> dict[str, Any]:
    if type(entry) is not dict or not _PROVISION_KEYS.issuperset(entry):
        raise _Refer
    get = entry.get
    obligation = _choice(get("obligation"), vocab.OBLIGATIONS) or "other"
    security = get("security")
    conditions, language, note = get("conditions"), get("language"), get("translation_note")
    return {
        "article": _text(get("article"), 40),
        "obligation": obligation,
        # Unless said otherwise, a clause with an obligation other than "other" is a security one.
        "security": obligation != "other" if security is None else _bool(security),
        "conditions": None if conditions is None else _text(conditions, 5000),
        "text": _text(get("text"), 50000),
        "text_status": _choice(get("text_status"), vocab.TEXT_STATUSES),
        "language": None if language is None else _text(language, 20),
        "translation_note": None if note is None else _text(note, 5000),
    }


def quick_event(
    raw: Mapping[str, Any], states: StateIndex, *, treaty_exists: Callable[[str], bool]
) -> EventInput | None:
    """The EventInput validate_event gives `raw` (with its key, and no key taken), or None
    where it must check the record itself."""
    try:
        return _event(raw, states, treaty_exists)
    except _Refer:
        return None


def _event(
    raw: Mapping[str, Any], states: StateIndex, treaty_exists: Callable[[str], bool]
) -> EventInput:
    if not _EVENT_KNOWN.issuperset(raw):
        raise _Refer
    happened, title = _date(raw.get("on")), _text(raw.get("title"), 300)
    key = _text(raw.get("key"), 120)
    if happened is None or title is None or key is None:
        raise _Refer
    treaty = _slug_ref(raw.get("treaty"))
    if treaty and not treaty_exists(treaty):
        raise _Refer
    state_ids = []
    for ref in _entries(raw.get("states")):
        if type(ref) is not str:
            raise _Refer
        try:
            state_ids.append(states.find(ref).id)
        except NotFound:
            raise _Refer from None
    values = {
        "key": key,
        "happened_on": happened.value,
        "happened_precision": happened.precision.value,
        "kind": _choice(raw.get("kind"), vocab.EVENT_KINDS) or "other",
        "title": title,
        "description": _text(raw.get("description"), 20000),
        "place": _text(raw.get("place"), 200),
    }
    return EventInput(values, treaty, list(dict.fromkeys(state_ids)), happened)
