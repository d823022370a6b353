"""Our own formats as imports, matched by slug: the JSON of fixtures/founding.json that
`export` writes ({"sources", "treaties", "events"}, with the export's "format", "exported" and
"selection" beside them) and the CSV of one row a treaty (a header of the field names of
timeline/forms.py LABELS without provisions; parties as "ISO3[:ROLE]; ..." with a COW code
number for a state without ISO code; booleans true/false; dates ISO cut to their precision).

Treaties go through timeline/io/merge.py; sources and events, which have no import snapshot,
are merged by key the way a treaty never imported before is: empty fields are filled, other
differences reported and kept unless overwritten. New events are written in batches, as new
treaties are (timeline/io/merge_bulk.py). Where in the file a record is (its line, its fields'
lines) is worked out only for a message."""

from __future__ import annotations

import bisect
import csv
import functools
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from db import audit, snapshots
from db.models import Citation, Event, Source, State, Treaty
from timeline.dates import DateError, PartialDate
from timeline.forms import LABELS, InvalidInput, validate_event
from timeline.io.gc_pause import gc_paused
from timeline.io.merge_batch import ImportBatch, ImportFailed, ImportReport, Incoming, Location
from timeline.io.merge_bulk import CHUNK, EVENT, TREATY, EventWriter, ids_by
from timeline.io.merge_quick import quick_event
from timeline.io.merge_values import (
    CachedStates,
    citation_dict,
    merge_fields,
    read_date,
    sorted_values,
    state_ref,
)
from timeline.records import StateIndex, partial

DATASET = "treaty-timeline"
FORMAT = "treaty-timeline/1"
TOP_KEYS = ("format", "exported", "selection", "sources", "treaties", "events")
SOURCE_TEXTS = {"title": 500, "url": 1000, "dataset": 300, "publisher": 300}
SOURCE_DATES = ("published", "accessed")
EVENT_FIELDS = ("on", "uncertain", "kind", "title", "description", "place", "treaty", "states")
CSV_COLUMNS = tuple(name for name in LABELS if name != "provisions")

# Where a record of the file is, or its field of this name.
Locate = Callable[..., Location]


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ImportFailed(Location(str(path)), f"cannot read it: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise ImportFailed(Location(path.name), f"not UTF-8 text ({error.reason})") from None


def _state_text(ref: Any) -> Any:
    """A state as the fixtures ("cow:260") or the CSV ("260") name it, for StateIndex.find."""
    if isinstance(ref, int) and not isinstance(ref, bool):
        return str(ref)
    if isinstance(ref, str) and ref.strip().lower().startswith("cow:"):
        return ref.strip()[4:]
    return ref


def _party(entry: Any) -> Any:
    if (type(entry) is dict or isinstance(entry, Mapping)) and "state" in entry:
        state = _state_text(entry["state"])
        return entry if state is entry["state"] else {**entry, "state": state}
    if isinstance(entry, str) and entry.strip().lower().startswith("cow:"):
        return entry.strip()[4:]
    return entry


# -- JSON, with the line of every record and field -------------------------------------------

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")


def _skip(text: str, i: int) -> int:
    return _SPACE.match(text, i).end()  # type: ignore[union-attr]


def _members(text: str, i: int) -> dict[str, int]:
    """Where each member's value starts, in the (valid) JSON object at offset i."""
    found: dict[str, int] = {}
    i = _skip(text, i + 1)
    while text[i] != "}":
        key, i = _DECODER.raw_decode(text, i)
        i = _skip(text, _skip(text, i) + 1)
        found[key] = i
        _, i = _DECODER.raw_decode(text, i)
        i = _skip(text, i)
        if text[i] == ",":
            i = _skip(text, i + 1)
    return found


def _items(text: str, i: int) -> list[int]:
    """Where each element starts, in the (valid) JSON array at offset i."""
    found = []
    i = _skip(text, i + 1)
    while text[i] != "]":
        found.append(i)
        _, i = _DECODER.raw_decode(text, i)
        i = _skip(text, i)
        if text[i] == ",":
            i = _skip(text, i + 1)
    return found


class _Lines:
    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def __call__(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)


class _Places:
    """Where the document's members, records and their fields are, found on first need:
    finding them reads the whole text again, worth it only for a message."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        self._line: _Lines | None = None
        self._top: dict[str, int] | None = None
        self._records: dict[str, list[int]] = {}

    def _line_of(self, offset: int) -> int:
        if self._line is None:
            self._line = _Lines(self.text)
        return self._line(offset)

    def _member(self, key: str) -> int:
        if self._top is None:
            self._top = _members(self.text, _skip(self.text, 0))
        return self._top[key]

    def top(self, key: str) -> Location:
        """The line of a top-level member."""
        return Location(self.name, self._line_of(self._member(key)))

    def _offset(self, key: str, index: int) -> int:
        if key not in self._records:
            self._records[key] = _items(self.text, self._member(key))
        return self._records[key][index]

    def record(self, key: str, index: int) -> tuple[int, dict[str, int]]:
        """The line of element `index` of list `key`, and of each of its fields."""
        offset = self._offset(key, index)
        fields = {name: self._line_of(at) for name, at in _members(self.text, offset).items()}
        return self._line_of(offset), fields

    def at(self, key: str, index: int, name: str | None = None) -> Location:
        """Where element `index` of list `key` is, or its field `name` if it has one."""
        line, fields = self.record(key, index)
        return Location(self.name, fields.get(name, line) if name else line)

    def element(self, key: str, index: int) -> Location:
        return Location(self.name, self._line_of(self._offset(key, index)))


def _parse_json(path: Path) -> tuple[dict[str, Any], _Places]:
    """The document, checked for its shape, and where its parts are (for messages)."""
    text = _read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFailed(
            Location(path.name, error.lineno), f"not valid JSON: {error.msg}", str(error.colno)
        ) from None
    except RecursionError:
        raise ImportFailed(Location(path.name), "arrays or objects nested too deeply") from None
    except ValueError:  # int() refuses a number of thousands of digits
        raise ImportFailed(Location(path.name), "a number too long to read") from None
    if not isinstance(data, dict):
        raise ImportFailed(
            Location(path.name, 1),
            'expected a JSON object with "sources", "treaties" and "events"'
            f" (as export writes), not {type(data).__name__}",
        )
    places = _Places(path.name, text)
    for key in data:
        if key not in TOP_KEYS:
            raise ImportFailed(
                places.top(key), f"unknown key {key!r}; a file holds {', '.join(TOP_KEYS)}"
            )
    for key in ("sources", "treaties", "events"):
        value = data.get(key, [])
        if not isinstance(value, list):
            raise ImportFailed(places.top(key), f'"{key}" must be a list')
        for index, element in enumerate(value):
            if not isinstance(element, dict):
                raise ImportFailed(places.element(key, index), f"each of {key} must be an object")
    return data, places


def read_json(path: Path, session: Session) -> ImportBatch:
    with gc_paused():
        return _read_json(path)


def _read_json(path: Path) -> ImportBatch:
    data, places = _parse_json(path)
    if data.get("format") not in (None, FORMAT):
        raise ImportFailed(
            Location(path.name), f"format {data['format']!r} is not one this version reads"
        )
    treaties = []
    where = Location(path.name)  # each record's line is found only for a message (placer)
    for index, record in enumerate(data.get("treaties", [])):
        slug = record.get("slug")
        if not isinstance(slug, str) or not slug.strip():
            raise ImportFailed(places.at("treaties", index, "slug"), "no slug", "slug")
        raw = dict(record)
        if isinstance(raw.get("parties"), list):
            raw["parties"] = [_party(p) for p in raw["parties"]]
        placer = functools.partial(places.record, "treaties", index)
        treaties.append(Incoming(slug.strip(), raw, where, placer=placer))
    sources, events = data.get("sources", []), data.get("events", [])
    return ImportBatch(
        dataset=DATASET,
        label="JSON",
        treaties=treaties,
        before=lambda s, report, overwrite: _merge_sources(s, places, sources, report, overwrite),
        after=lambda s, report, overwrite: _merge_events(s, places, events, report, overwrite),
    )


# -- sources ---------------------------------------------------------------------------------


def _source_values(record: Mapping[str, Any], locate: Locate) -> dict[str, Any]:
    def failed(name: str, message: str) -> ImportFailed:
        return ImportFailed(locate(name), message, name)

    values: dict[str, Any] = {}
    for name, value in record.items():
        if name == "key":
            continue
        if name in SOURCE_TEXTS:
            if value is not None and not isinstance(value, str):
                raise failed(name, "must be text")
            text = (value or "").strip() or None
            if text and len(text) > SOURCE_TEXTS[name]:
                raise failed(name, f"too long (at most {SOURCE_TEXTS[name]} characters)")
            values[name] = text
        elif name in SOURCE_DATES:
            try:
                values[name] = PartialDate.from_iso(value).iso() if value else None
            except DateError as error:
                raise failed(name, str(error)) from None
        else:
            known = ", ".join(("key", *SOURCE_TEXTS, *SOURCE_DATES))
            raise failed(name, f"unknown field; a source has {known}")
    return values


def _date_columns(prefix: str, text: str | None) -> dict[str, Any]:
    when = PartialDate.from_iso(text) if text else None
    return {
        f"{prefix}_on": when.value if when else None,
        f"{prefix}_precision": when.precision.value if when else None,
    }


def _merge_sources(
    session: Session,
    places: _Places,
    records: list[dict[str, Any]],
    report: ImportReport,
    overwrite: bool,
) -> None:
    tally = report.tally("sources")
    stored = {row.key: row for row in session.exec(select(Source))}
    for index, record in enumerate(records):
        locate = functools.partial(places.at, "sources", index)
        key = record.get("key")
        if not isinstance(key, str) or not key.strip() or len(key) > 120:
            raise ImportFailed(locate(), "a source needs a key (at most 120 characters)", "key")
        incoming = _source_values(record, locate)
        row = stored.get(key)
        if row is None:
            if not incoming.get("title"):
                raise ImportFailed(locate(), "a source needs a title", "title")
            with audit.tracking(session, "source", key):
                stored[key] = Source(
                    key=key,
                    **{n: incoming.get(n) for n in SOURCE_TEXTS},
                    **{
                        c: v
                        for n in SOURCE_DATES
                        for c, v in _date_columns(n, incoming.get(n)).items()
                    },
                )
                session.add(stored[key])
            tally.added += 1
            continue
        current = {n: getattr(row, n) for n in SOURCE_TEXTS} | {
            n: _iso(row, n) for n in SOURCE_DATES
        }
        merge = merge_fields(f"source {key}", current, incoming, None, overwrite=overwrite)
        report.conflicts.extend(merge.conflicts)
        if not merge.taken:
            tally.unchanged += 1
            continue
        with audit.tracking(session, "source", key):
            for name, value in merge.taken.items():
                if name in SOURCE_DATES:
                    for column, v in _date_columns(name, value).items():
                        setattr(row, column, v)
                else:
                    setattr(row, name, value)
            session.add(row)
        tally.changed += 1
    session.flush()


def _iso(row: Any, name: str) -> str | None:
    when = partial(getattr(row, f"{name}_on"), getattr(row, f"{name}_precision"))
    return when.iso() if when else None


# -- events ----------------------------------------------------------------------------------


def _event_values(
    record: Mapping[str, Any],
    locate: Locate,
    states: StateIndex,
    treaty_exists: Callable[[str], bool],
) -> tuple[str, dict[str, Any]]:
    """The key, and the event's flat values (only the fields given)."""

    def failed(name: str, message: str) -> ImportFailed:
        return ImportFailed(locate(name), message, name)

    key = record.get("key")
    if not isinstance(key, str) or not key.strip():
        raise failed("key", "an event needs a key")
    form = {k: v for k, v in record.items() if k not in ("uncertain", "sources")}
    if isinstance(form.get("states"), list):
        form["states"] = [_state_text(s) for s in form["states"]]
    if "on" in form:
        form["on"] = read_date(form["on"])
    try:
        data = quick_event(form, states, treaty_exists=treaty_exists) or validate_event(
            form, states, treaty_exists=treaty_exists, key_taken=lambda _key: False
        )
    except InvalidInput as error:
        (name, message), *_ = error.errors.items()
        raise failed(name, message) from None
    uncertain = record.get("uncertain", False)
    if not isinstance(uncertain, bool):
        raise failed("uncertain", "must be true or false")
    if not isinstance(record.get("sources") or [], list):
        raise failed("sources", "must be a list")
    try:
        sources = sorted_values([citation_dict(c) for c in record.get("sources") or []])
    except ValueError as error:
        raise failed("sources", str(error)) from None
    full = {
        "on": data.happened.iso(),
        "uncertain": uncertain,
        "kind": data.values["kind"],
        "title": data.values["title"],
        "description": data.values["description"],
        "place": data.values["place"],
        "treaty": data.treaty,
        "states": sorted(state_ref(states[i]) for i in data.state_ids),
        "sources": sources,
    }
    return key.strip(), {k: v for k, v in full.items() if k in record}


def _stored_events(
    session: Session, states: StateIndex, keys: Iterable[str]
) -> dict[str, dict[str, Any]]:
    """The stored values of the events with these keys, as _event_values gives a file's: a
    few reads for each CHUNK of keys, not a few for each event."""
    wanted = list(keys)
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(wanted), CHUNK):
        events = session.exec(
            select(Event)
            .where(col(Event.key).in_(wanted[start : start + CHUNK]))
            .options(selectinload(Event.states))  # type: ignore[arg-type]
        ).all()
        treaty_ids = {e.treaty_id for e in events if e.treaty_id}
        slugs = dict(
            session.exec(select(Treaty.id, Treaty.slug).where(col(Treaty.id).in_(treaty_ids))).all()
        )
        cited: dict[int, list[dict[str, Any]]] = {}
        citations = session.execute(
            select(
                Citation.event_id,
                Source.key,
                Citation.supports,
                Citation.agrees,
                Citation.claim,
                Citation.note,
            )  # fmt: skip
            .join(Source, col(Source.id) == Citation.source_id)
            .where(col(Citation.event_id).in_([e.id for e in events]))
        )
        for row in citations.mappings():
            cited.setdefault(row["event_id"], []).append(snapshots.citation_values(row["key"], row))
        for event in events:
            found[event.key] = {
                "on": _iso(event, "happened"),
                "uncertain": event.happened_uncertain,
                "kind": event.kind,
                "title": event.title,
                "description": event.description,
                "place": event.place,
                "treaty": slugs.get(event.treaty_id) if event.treaty_id else None,
                "states": sorted(state_ref(states[s.id]) for s in event.states),  # type: ignore[index]
                "sources": sorted(
                    cited.get(event.id, []),  # type: ignore[arg-type]
                    key=lambda c: json.dumps(c, sort_keys=True),
                ),
            }
    return found


def _merge_events(
    session: Session,
    places: _Places,
    records: list[dict[str, Any]],
    report: ImportReport,
    overwrite: bool,
) -> None:
    tally = report.tally("events")
    states = CachedStates(session)
    source_ids = dict(session.exec(select(Source.key, Source.id)).all())
    # What the file's events name, read at once rather than event by event.
    treaty_ids = ids_by(session, [TREATY.c.slug], TREATY.c.slug, _texts(records, "treaty"))
    stored = set(ids_by(session, [EVENT.c.key], EVENT.c.key, _texts(records, "key")))
    # The events the file gives that are stored already, read at once (a key is taken out
    # once merged: a key the file gives again is read again).
    before = _stored_events(session, states, stored)
    new_events = EventWriter(session, states, source_ids, treaty_ids)
    try:
        for index, record in enumerate(records):
            locate = functools.partial(places.at, "events", index)
            key, incoming = _event_values(record, locate, states, treaty_ids.__contains__)
            for c in incoming.get("sources") or []:
                if c["source"] not in source_ids:
                    raise ImportFailed(
                        locate("sources"),
                        f'unknown source key {c["source"]!r}: list it under "sources"',
                        "sources",
                    )
            if key not in stored:
                new_events.add(key, incoming)
                stored.add(key)
                tally.added += 1
                continue
            current = before.pop(key, None)  # as stored before the import, if still so
            if current is None:
                # The file's own event (a key it gives twice): written first, then read.
                new_events.flush()
                current = _stored_events(session, states, [key])[key]
            merge = merge_fields(f"event {key}", current, incoming, None, overwrite=overwrite)
            report.conflicts.extend(merge.conflicts)
            if not merge.taken:
                tally.unchanged += 1
                continue
            # The new events before it first: the history keeps the order of the file.
            new_events.flush()
            event = session.exec(select(Event).where(Event.key == key)).one()
            tally.changed += 1
            with audit.tracking(session, "event", key):
                _write_event(session, event, merge.taken, states, source_ids)
        new_events.flush()
    finally:
        # A batch still being written fails first if it fails: it comes earlier in the file.
        new_events.close()
    session.flush()


def _texts(records: list[dict[str, Any]], name: str) -> list[str]:
    """The text each record gives for `name`, as validation reads it (stripped)."""
    return [r[name].strip() for r in records if isinstance(r.get(name), str)]


def _write_event(
    session: Session,
    event: Event,
    values: Mapping[str, Any],
    states: StateIndex,
    source_ids: Mapping[str, int],
) -> None:
    for name, value in values.items():
        if name == "on":
            when = PartialDate.from_iso(value)
            event.happened_on, event.happened_precision = when.value, when.precision.value
        elif name == "uncertain":
            event.happened_uncertain = bool(value)
        elif name == "treaty":
            event.treaty_id = (
                session.exec(select(Treaty.id).where(Treaty.slug == value)).first()
                if value
                else None
            )
        elif name == "states":
            ids = [states.find(ref).id for ref in value or []]
            event.states = [session.get(State, i) for i in ids]  # type: ignore[misc]
        elif name in ("kind", "title", "description", "place"):
            setattr(event, name, value if name != "kind" else value or "other")
    session.add(event)
    session.flush()
    if "sources" in values:
        session.exec(delete(Citation).where(col(Citation.event_id) == event.id))
        for c in values["sources"] or []:
            session.add(
                Citation(
                    source_id=source_ids[c["source"]],
                    event_id=event.id,
                    supports=",".join(c["supports"]),
                    agrees=c["agrees"],
                    claim=c["claim"],
                    note=c["note"],
                )
            )


# -- CSV -------------------------------------------------------------------------------------


def _column_names() -> dict[str, str]:
    """Header text (a field name or its form label, any case) -> field."""
    names = {}
    for name in CSV_COLUMNS:
        names[name.lower()] = name
        names[LABELS[name].lower()] = name
    return names


def read_csv(path: Path, session: Session) -> ImportBatch:
    text = _read_text(path)
    name = path.name
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    known = _column_names()
    try:
        header = next(reader, None)
        if not header:
            raise ImportFailed(Location(name, 1), "empty file: no header row")
        fields: list[str] = []
        for index, heading in enumerate(header, start=1):
            field = known.get(heading.strip().lower())
            if field is None:
                hint = (
                    "provisions are not in the CSV format; import them as JSON"
                    if heading.strip().lower() in ("provisions", LABELS["provisions"].lower())
                    else "known columns: " + ", ".join(CSV_COLUMNS)
                )
                raise ImportFailed(
                    Location(name, 1), f"unknown column {heading!r}; {hint}", str(index)
                )
            if field in fields:
                raise ImportFailed(Location(name, 1), f"{heading!r} appears twice", heading)
            fields.append(field)
        if "slug" not in fields:
            raise ImportFailed(Location(name, 1), "no slug column: it names each treaty")
        columns = {f: h.strip() for f, h in zip(fields, header, strict=True)}
        treaties = []
        while True:
            line = reader.line_num + 1
            cells = next(reader, None)
            if cells is None:
                break
            if not any(c.strip() for c in cells):
                continue
            where = Location(name, line)
            if len(cells) != len(fields):
                raise ImportFailed(
                    where,
                    f"{len(cells)} fields where the header names {len(fields)}"
                    " (is the file cut short?)",
                )
            raw: dict[str, Any] = {
                f: (c.strip() or None) for f, c in zip(fields, cells, strict=True)
            }
            if not raw["slug"]:
                raise ImportFailed(where, "no slug", columns["slug"])
            if "parties" in raw:
                raw["parties"] = [
                    _party(p.strip()) for p in (raw["parties"] or "").split(";") if p.strip()
                ]
            treaties.append(Incoming(str(raw["slug"]), raw, where, columns=columns))
    except csv.Error as error:
        raise ImportFailed(Location(name, reader.line_num), f"broken CSV: {error}") from None
    return ImportBatch(dataset=DATASET, label="CSV", treaties=treaties)
