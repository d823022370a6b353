"""The edit history as plain records, newest first: for `log`, `undo` and the terminal app.

A treaty's history follows its renames: the changes recorded under a slug it had before a
rename belong to it too."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, col, func, select

from db.errors import NotFound
from db.models import Change, ChangeSet
from db.snapshots import encode

SHORT = 40  # characters of a value shown in a line of the log


def shown(value: Any, width: int = SHORT) -> str:
    """A value as the log prints it: JSON, cut to `width`; "empty" for nothing."""
    if value is None or value == "" or value == []:
        return "empty"
    text = json.dumps(value, ensure_ascii=False)  # spaced, for reading
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass(frozen=True)
class ChangeRecord:
    table: str
    record: str
    part: str | None
    action: str  # create, update, delete
    field: str | None
    old: Any
    new: Any

    @property
    def where(self) -> str:
        """What was changed: "ussr-dprk-1961 party SUN:party", "event 1995-notice", ..."""
        if self.table == "treaty_party":
            return f"{self.record} party {self.part}"
        if self.table == "provision":
            return f"{self.record} provision {self.part}"
        if self.table in ("event", "source"):
            return f"{self.table} {self.record}"
        return self.record

    def text(self) -> str:
        if self.action == "update":
            return f"{self.where}: {self.field} {shown(self.old)} -> {shown(self.new)}"
        values = self.new if self.action == "create" else self.old
        if self.part is None:  # a whole record: its title says which
            brief = shown(values.get("title"), 2 * SHORT)
        else:
            given = [f"{k} {shown(v, 24)}" for k, v in values.items()
                     if k != "sources" and shown(v) != "empty"]  # fmt: skip
            brief = ", ".join(given) or "empty"
            brief = brief if len(brief) <= 2 * SHORT else brief[: 2 * SHORT - 1] + "…"
        verb = "added" if self.action == "create" else "deleted"
        return f"{self.where}: {verb}" + (f" ({brief})" if brief != "empty" else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "record": self.record,
            "part": self.part,
            "action": self.action,
            "field": self.field,
            "old": self.old,
            "new": self.new,
        }


@dataclass(frozen=True)
class ChangeSetRecord:
    id: int
    made_at: dt.datetime  # UTC
    made_by: str
    description: str
    undoes: int | None
    undone_by: int | None
    changes: tuple[ChangeRecord, ...]

    @property
    def when(self) -> str:
        return self.made_at.strftime("%Y-%m-%d %H:%M UTC")

    def header(self) -> str:
        text = f"#{self.id}  {self.when}  {self.made_by}  {self.description}"
        return text + (f"  (undone by #{self.undone_by})" if self.undone_by else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.made_at.isoformat(),
            "by": self.made_by,
            "description": self.description,
            "undoes": self.undoes,
            "undone_by": self.undone_by,
            "changes": [c.to_dict() for c in self.changes],
        }


def _decoded(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def treaty_filter(session: Session, slug: str) -> ColumnElement[bool]:
    """The changes of the treaty called `slug`, under every slug it had (renames followed
    back in time: a slug counts only before the change that renamed it)."""
    names: list[tuple[str, int | None]] = [(slug, None)]
    for name, before in names:  # grows while it is walked
        renames = select(Change.id, Change.old_value).where(
            Change.table_name == "treaty",
            col(Change.part).is_(None),
            Change.field == "slug",
            Change.new_value == encode(name),
        )
        if before is not None:
            renames = renames.where(col(Change.id) < before)
        for change_id, old in session.exec(renames):
            names.append((json.loads(old), change_id))  # type: ignore[arg-type]
    return or_(
        *(
            and_(col(Change.treaty) == name, col(Change.id) < before)
            if before is not None
            else col(Change.treaty) == name
            for name, before in names
        )
    )


def load_log(
    session: Session, slug: str | None = None, limit: int | None = 20
) -> list[ChangeSetRecord]:
    """The newest `limit` change sets (of one treaty: only its changes in them)."""
    condition = treaty_filter(session, slug) if slug else None
    if condition is None:
        ids_query = select(ChangeSet.id).order_by(col(ChangeSet.id).desc())
    else:
        ids_query = (
            select(Change.change_set_id)
            .where(condition)
            .group_by(col(Change.change_set_id))
            .order_by(col(Change.change_set_id).desc())
        )
    if limit is not None:
        ids_query = ids_query.limit(limit)
    ids = [i for i in session.exec(ids_query) if i is not None]
    return _records(session, ids, condition)


def count_change_sets(session: Session, slug: str | None = None) -> int:
    if slug is None:
        return session.exec(select(func.count()).select_from(ChangeSet)).one()
    return session.exec(
        select(func.count(func.distinct(Change.change_set_id))).where(treaty_filter(session, slug))
    ).one()


def load_change_set(session: Session, change_set_id: int) -> ChangeSetRecord:
    found = _records(session, [change_set_id], None)
    if not found:
        raise NotFound(f"no change set #{change_set_id}; `treaty-timeline log` lists them")
    return found[0]


def latest_id(session: Session) -> int | None:
    return session.exec(select(func.max(ChangeSet.id))).one()


def undone_by(session: Session, change_set_id: int) -> int | None:
    """The undo that reverted this change set and still stands (was not undone itself)."""
    undos = session.exec(
        select(ChangeSet.id)
        .where(ChangeSet.undoes_id == change_set_id)
        .order_by(col(ChangeSet.id).desc())
    ).all()
    return next((u for u in undos if u is not None and undone_by(session, u) is None), None)


def _records(
    session: Session, ids: Sequence[int], condition: ColumnElement[bool] | None
) -> list[ChangeSetRecord]:
    if not ids:
        return []
    sets = session.exec(select(ChangeSet).where(col(ChangeSet.id).in_(ids))).all()
    rows = select(Change).where(col(Change.change_set_id).in_(ids)).order_by(col(Change.id))
    if condition is not None:
        rows = rows.where(condition)
    changes: dict[int, list[ChangeRecord]] = {}
    for c in session.exec(rows):
        changes.setdefault(c.change_set_id, []).append(
            ChangeRecord(
                c.table_name,
                c.record,
                c.part,
                c.action,
                c.field,
                _decoded(c.old_value),
                _decoded(c.new_value),
            )
        )
    undos = dict(
        session.exec(
            select(ChangeSet.undoes_id, func.max(ChangeSet.id))
            .where(col(ChangeSet.undoes_id).in_(ids))
            .group_by(col(ChangeSet.undoes_id))
        ).all()
    )
    return [
        ChangeSetRecord(
            id=s.id,  # type: ignore[arg-type]
            made_at=_utc(s.made_at),
            made_by=s.made_by,
            description=s.description,
            undoes=s.undoes_id,
            undone_by=undos.get(s.id),
            changes=tuple(changes.get(s.id, [])),  # type: ignore[arg-type]
        )
        for s in sorted(sets, key=lambda s: -(s.id or 0))
    ]
