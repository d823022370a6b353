"""Undo a change set by recording a new one that reverts it, in one transaction: the history
stays append-only, and an undo can itself be undone.

Each record the change set touched is reverted as a whole: its snapshot now, with the changes
taken back newest first, is written back (db/restore.py). A change taken back must find the
value it left; where a later change replaced it the undo is refused, naming the field, unless
forced. Records are reverted newest first, so a deleted treaty is back before its links are."""

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
from db.models import Change
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

# The record a change belongs to: a party or clause belongs to its treaty.
KINDS = {"treaty": "treaty", "treaty_party": "treaty", "provision": "treaty",
         "event": "event", "source": "source"}  # fmt: skip


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
            for (kind, record), group in _groups(changes):
                try:
                    _undo_record(session, kind, record, group, force)
                except (UndoRefused, NotFound, DatabaseError) as error:
                    refusal = UndoConflict if isinstance(error, UndoConflict) else UndoRefused
                    reason = error.args[0] if error.args else error
                    raise refusal(f"cannot undo #{change_set_id}: {reason}") from None
            new_id = audit.change_set_id(session)
            recorded = session.exec(
                select(func.count()).select_from(Change).where(Change.change_set_id == new_id)
            ).one()
            session.commit()
            return UndoResult(undone, new_id, recorded)
        except SQLAlchemyError as error:
            session.rollback()
            raise DatabaseError(explain(error)) from error
