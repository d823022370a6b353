"""The edit history: every save is a change set (who, when, what) of changes, one per field.

A unit of work calls begin() with its description; each write function then wraps its writes
in tracking() for every record it touches, which compares the record's snapshot before and
after and records the differences. A write outside a change set is a programming error, so no
write path can skip the history. The change set row is made on the first change, so a save
that changes nothing leaves no trace. A write of thousands of new records (an import) builds
their snapshots from the rows it writes (db/snapshots.py's parts) and records the same
changes with record_many(), or takes them as rows from change_rows() to insert itself."""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session

from db import snapshots
from db.models import Change, ChangeSet

USER_ENV_VAR = "TREATY_TIMELINE_USER"
_KEY = "treaty_timeline.change_set"
TRACKED_KINDS = ("treaty", "event", "source")
CHANGE = Change.__table__


def current_user() -> str:
    """The configured name, else the login name; never fails."""
    name = os.environ.get(USER_ENV_VAR, "").strip()
    if name:
        return name[:200]
    try:
        return getpass.getuser()[:200] or "unknown"
    except Exception:  # no login name in a container or service: not worth failing a save
        return "unknown"


@dataclass
class Tracked:
    kind: str  # treaty (by id), event or source (by key)
    ident: int | str | None  # None for a treaty about to be created: set it once it exists
    before: snapshots.Snapshot


@dataclass
class _Pending:
    description: str
    made_by: str
    undoes: int | None
    row: ChangeSet | None = None
    open: list[Tracked] = field(default_factory=list)


def begin(session: Session, description: str, *, undoes: int | None = None) -> None:
    """Start the change set the session's next writes belong to (one per transaction)."""
    session.info[_KEY] = _Pending(description[:500], current_user(), undoes)


def change_set_id(session: Session) -> int | None:
    """The id of the session's change set, once something was recorded in it."""
    pending: _Pending | None = session.info.get(_KEY)
    return pending.row.id if pending is not None and pending.row is not None else None


def _pending(session: Session) -> _Pending:
    pending: _Pending | None = session.info.get(_KEY)
    if pending is None:
        raise RuntimeError("a write outside a change set: call db.audit.begin() first")
    return pending


def snapshot(session: Session, kind: str, ident: int | str | None) -> snapshots.Snapshot:
    if kind == "treaty":
        return snapshots.treaty(session, ident)  # type: ignore[arg-type]
    if kind == "event":
        return snapshots.event(session, str(ident))
    return snapshots.source(session, str(ident))


@contextmanager
def tracking(session: Session, kind: str, ident: int | str | None) -> Iterator[Tracked]:
    """Record what the enclosed writes change in one record. Nested tracking of the same
    record (or of a treaty being created) is left to the outermost."""
    assert kind in TRACKED_KINDS
    pending = _pending(session)
    for outer in pending.open:
        if outer.kind == kind and (outer.ident == ident or outer.ident is None):
            yield outer
            return
    session.flush()
    tracked = Tracked(kind, ident, snapshot(session, kind, ident) if ident is not None else {})
    pending.open.append(tracked)
    try:
        yield tracked
    finally:
        pending.open.remove(tracked)
    session.flush()
    record(session, kind, tracked.ident, tracked.before, snapshot(session, kind, tracked.ident))


def record(
    session: Session,
    kind: str,
    ident: int | str | None,
    before: snapshots.Snapshot,
    after: snapshots.Snapshot,
) -> None:
    """Record the differences between two snapshots of one record."""
    record_many(session, [(kind, ident, before, after)])


Recorded = tuple[str, int | str | None, snapshots.Snapshot, snapshots.Snapshot]
# The columns of change_rows()'s rows, in their order.
CHANGE_COLUMNS = ("change_set_id", "table_name", "record", "part", "treaty", "action", "field",
                  "old_value", "new_value")  # fmt: skip


def record_many(session: Session, records: Iterable[Recorded]) -> None:
    """Record the differences of many records, (kind, ident, before, after) each, in their
    order: one INSERT of many rows, for a write of thousands of records (an import)."""
    rows = change_rows(session, records)
    if rows:
        session.execute(
            insert(CHANGE), [dict(zip(CHANGE_COLUMNS, row, strict=True)) for row in rows]
        )


def change_rows(
    session: Session | None, records: Iterable[Recorded], change_set: int | None = None
) -> list[tuple[Any, ...]]:
    """The change rows (CHANGE_COLUMNS) record_many() inserts, for a caller that inserts them
    itself; the session's change set is made on the first difference, unless its id is given
    (open_change_set()'s, for a caller that must leave the session alone meanwhile)."""
    encode = snapshots.encode
    rows: list[tuple[Any, ...]] = []
    for kind, ident, before, after in records:
        differences: list[snapshots.Difference] | None = None  # None: created whole
        if before:
            differences = snapshots.diff(before, after)
            if not differences:
                continue
        elif not after:
            continue
        if change_set is None:
            assert session is not None, "change_rows needs a session or a change set"
            change_set = open_change_set(session)
        old, new = before.get((kind, None), {}), after.get((kind, None), {})
        if kind == "treaty":
            key = str((new or old)["slug"])
            treaty: str | None = key
        else:
            key = str(ident)
            # An event unlinked from a treaty still belongs to that treaty's history.
            treaty = (new.get("treaty") or old.get("treaty")) if kind == "event" else None
        if differences is None:
            # Every part whole, in diff()'s order, without comparing it with nothing.
            for table, part in snapshots.parts_in_order(after):
                text = encode(after[table, part])
                rows.append((change_set, table, key, part, treaty, "create", None, None, text))
            continue
        for d in differences:
            was = None if d.action == "create" else encode(d.old)
            now = None if d.action == "delete" else encode(d.new)
            rows.append((change_set, d.table, key, d.part, treaty, d.action, d.field, was, now))
    return rows


def open_change_set(session: Session) -> int:
    """The id of the session's change set, made now if nothing was recorded in it yet."""
    pending = _pending(session)
    if pending.row is None:
        pending.row = ChangeSet(
            made_by=pending.made_by,
            description=pending.description,
            undoes_id=pending.undoes,
        )
        session.add(pending.row)
        session.flush()
    assert pending.row.id is not None
    return pending.row.id
