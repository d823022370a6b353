"""Undo a change set by recording a new one that reverts it, in one transaction: the history
stays append-only, and an undo can itself be undone.

Each record the change set touched is reverted as a whole: its snapshot now, with the changes
taken back newest first, is written back (db/restore.py). A change taken back must find the
value it left; where a later change replaced it the undo is refused, naming the field, unless
forced. Records are reverted newest first, so a deleted treaty is back before its links are.

Undoing an import (or redoing one, by undoing its undo) also moves the import's bases of the
three-way merge (import_record) with the values it takes back: a key of a base whose value the
undo changes takes the value the undo leaves. The next import of the file then finds the
database as its base says and writes the file's values again, rather than reporting them as
the user's edits; undoing the undo moves the bases back the same way. A treaty the import
created goes with its bases."""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, func, select

from db import audit, restore, snapshots
from db.engine import writer
from db.errors import DatabaseError, NotFound
from db.models import Change, ChangeSet, Treaty
from db.schema import explain
from db.snapshots import Snapshot
from timeline.change_log import (
    ChangeRecord,
    ChangeSetRecord,
    latest_id,
    load_change_set,
    shown,
    undone_by,
)
from timeline.io.merge import DATASET_CITATION, import_text, record_values, same
from timeline.records import to_records

# The record a change belongs to: a party or clause belongs to its treaty.
KINDS = {"treaty": "treaty", "treaty_party": "treaty", "provision": "treaty",
         "event": "event", "source": "source"}  # fmt: skip
# How an import's change set is described ("import ATOP v4.01 from atop-alliance-level.csv").
IMPORT_DESCRIPTION = "import "
# Treaties read at a time for their import values (as the import itself reads them).
RECORD_CHUNK = 50


class UndoRefused(ValueError):
    """The change set cannot be undone; str() says why, in one line."""


class UndoConflict(UndoRefused):
    """A later change replaced a value the undo would take back; forcing overwrites it."""


@dataclass(frozen=True)
class UndoResult:
    undone: ChangeSetRecord
    change_set: int | None  # the new change set; None when nothing was left to change
    changes: int


def _where(change: Change, table: str | None = None, part: str | None = None) -> str:
    table, part = (table, part) if table else (change.table_name, change.part)
    return ChangeRecord(table, change.record, part, change.action, None, None, None).where


def _first_difference(where: str, now: dict[str, Any] | None, then: dict[str, Any]) -> None:
    if now is None:
        raise UndoConflict(f"{where} is no longer there")
    for name, value in then.items():
        if now.get(name) != value:
            raise UndoConflict(f"{where}: {name} is now {shown(now.get(name))}, not {shown(value)}")


def revert(current: Snapshot, changes: Sequence[Change], force: bool = False) -> Snapshot:
    """The record as it was before `changes` (one record's, oldest first), from `current`."""
    deleted = next((c for c in changes if c.action == "delete" and c.part is None), None)
    if deleted is not None and (deleted.table_name, None) in current:
        # Never forced: restoring it would overwrite another record of the same key.
        raise UndoRefused(f"{_where(deleted)} exists again; rename or delete it first")
    working = copy.deepcopy(current)
    for change in reversed(changes):
        key, where = (change.table_name, change.part), _where(change)
        if change.action == "create":
            if not force:
                _first_difference(where, working.get(key), json.loads(change.new_value or "{}"))
            working.pop(key, None)
        elif change.action == "delete":
            if key in working and not force:
                raise UndoConflict(f"{where} was added again since")
            working[key] = json.loads(change.old_value or "{}")
        else:
            values, name = working.get(key), str(change.field)
            if values is None:
                if force:
                    continue
                raise UndoConflict(f"{where} is no longer there")
            new = json.loads(change.new_value or "null")
            if values.get(name) != new and not force:
                raise UndoConflict(
                    f"{where}: {name} is now {shown(values.get(name))}, not {shown(new)}"
                )
            values[name] = json.loads(change.old_value or "null")
    if working and not any(part is None for _, part in working):
        # The record goes, but a party or clause added to it since would stay behind.
        if not force:
            (table, part), _ = next(iter(working.items()))
            raise UndoConflict(f"{_where(changes[0], table, part)} was added since")
        working = {}
    return working


def _groups(changes: Sequence[Change]) -> list[tuple[tuple[str, str], list[Change]]]:
    """Changes by record, the record changed last first."""
    groups: dict[tuple[str, str], list[Change]] = {}
    last: dict[tuple[str, str], int] = {}
    for index, change in enumerate(changes):
        key = (KINDS[change.table_name], change.record)
        groups.setdefault(key, []).append(change)
        last[key] = index
    return sorted(groups.items(), key=lambda item: last[item[0]], reverse=True)


def _undo_record(
    session: Session, kind: str, record: str, changes: list[Change], force: bool
) -> None:
    if kind == "treaty":
        treaty_id = snapshots.treaty_id(session, record)
        if treaty_id is not None:
            restore.claim(session, treaty_id)
        target = revert(snapshots.treaty(session, treaty_id), changes, force)
        slug = target.get(("treaty", None), {}).get("slug", record)
        if slug != record and snapshots.treaty_id(session, slug) is not None:
            raise UndoRefused(f"{record} cannot take back the slug {slug}: another treaty has it")
        restore.put_treaty(session, record, target)
    elif kind == "event":
        restore.put_event(session, record, revert(snapshots.event(session, record), changes, force))
    else:
        restore.put_source(
            session, record, revert(snapshots.source(session, record), changes, force)
        )


# -- the bases of imports ------------------------------------------------------------------------


def _of_an_import(session: Session, change_set_id: int) -> bool:
    """Whether the change set is an import, or an undo of one, or an undo of that undo, ..."""
    seen: set[int] = set()
    current: int | None = change_set_id
    while current is not None and current not in seen:
        seen.add(current)
        row = session.get(ChangeSet, current)
        if row is None:
            return False
        if row.undoes_id is None:
            return row.description.startswith(IMPORT_DESCRIPTION)
        current = row.undoes_id
    return False


def _kept_treaties(session: Session, changes: Sequence[Change]) -> list[int]:
    """The treaties the undo changes and keeps: not those it deletes (the change set created
    them), whose bases go with them."""
    created = {c.record for c in changes if c.table_name == "treaty" and c.action == "create"}
    slugs = {c.record for c in changes if KINDS[c.table_name] == "treaty"} - created
    ids = (snapshots.treaty_id(session, slug) for slug in sorted(slugs))
    return [i for i in ids if i is not None]


class _ImportBases:
    """The import records of the treaties an undo of an import changes, with each treaty's
    values as the import compares them, read before the undo."""

    def __init__(self, session: Session, treaty_ids: Sequence[int]) -> None:
        self.bases = {
            record_id: (treaty_id, json.loads(values))
            for record_id, treaty_id, values in restore.import_bases(session, treaty_ids)
        }
        self.before = self._values(session)

    def _values(self, session: Session) -> dict[int, dict[str, Any]]:
        """Per import record, its treaty's values now, with the data set's own citation."""
        ids = sorted({treaty_id for treaty_id, _ in self.bases.values()})
        records = {}
        # A session of its own in the undo's transaction: the rows it loads stay out of the
        # undo's session, which goes on reading what the database holds.
        with Session(bind=session.connection()) as reader:
            for start in range(0, len(ids), RECORD_CHUNK):
                chunk = ids[start : start + RECORD_CHUNK]
                rows = reader.exec(select(Treaty).where(col(Treaty.id).in_(chunk))).all()
                records.update((r.id, r) for r in to_records(reader, rows))
        values = {}
        for record_id, (treaty_id, base) in self.bases.items():
            sources = [
                k.removeprefix(DATASET_CITATION) for k in base if k.startswith(DATASET_CITATION)
            ]
            values[record_id] = record_values(records[treaty_id], sources)
        return values

    def follow(self, session: Session) -> None:
        """Move each base with the values the undo changed."""
        session.flush()
        after = self._values(session)
        for record_id, (_, base) in self.bases.items():
            then, now = self.before[record_id], after[record_id]
            moved = {
                key: now.get(key) for key in base if not same(key, then.get(key), now.get(key))
            }
            if moved:
                text = import_text({**base, **moved})
                restore.put_import_base(session, record_id, text)


# -- undo ----------------------------------------------------------------------------------------


def undo(engine: Engine, change_set_id: int | None = None, *, force: bool = False) -> UndoResult:
    """Revert change set `change_set_id` (default: the newest) as a new change set."""
    with Session(writer(engine)) as session:
        try:
            if change_set_id is None:
                change_set_id = latest_id(session)
                if change_set_id is None:
                    raise UndoRefused("nothing to undo: no changes are recorded yet")
            undone = load_change_set(session, change_set_id)
            standing = undone_by(session, change_set_id)
            if standing is not None:
                raise UndoRefused(
                    f"#{change_set_id} was already undone by #{standing}"
                    f" (undo #{standing} to bring it back)"
                )
            audit.begin(session, f"undo #{change_set_id}", undoes=change_set_id)
            changes = session.exec(
                select(Change).where(Change.change_set_id == change_set_id).order_by(col(Change.id))
            ).all()
            bases = None
            if _of_an_import(session, change_set_id):
                bases = _ImportBases(session, _kept_treaties(session, changes))
            for (kind, record), group in _groups(changes):
                try:
                    _undo_record(session, kind, record, group, force)
                except (UndoRefused, NotFound, DatabaseError) as error:
                    refusal = UndoConflict if isinstance(error, UndoConflict) else UndoRefused
                    reason = error.args[0] if error.args else error
                    raise refusal(f"cannot undo #{change_set_id}: {reason}") from None
            if bases is not None:
                bases.follow(session)
            new_id = audit.change_set_id(session)
            recorded = session.exec(
                select(func.count()).select_from(Change).where(Change.change_set_id == new_id)
            ).one()
            session.commit()
            return UndoResult(undone, new_id, recorded)
        except SQLAlchemyError as error:
            session.rollback()
            raise DatabaseError(explain(error)) from error
