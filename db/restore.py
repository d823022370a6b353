"""Writing a snapshot (db/snapshots.py) back: undo makes a record exactly what it was. Each
function records what it changes in the session's change set, as every write does; the bases
of an import's three-way merge (import_record), which are not part of the edit history, are
read and written back here too."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from db import audit, snapshots
from db.changes import EditConflict, delete_treaty
from db.errors import DatabaseError, NotFound
from db.models import (
    Citation,
    Event,
    ImportRecord,
    Provision,
    Source,
    State,
    Treaty,
    TreatyParty,
    utc_now,
)
from db.snapshots import DATES, Snapshot, date_columns

CitationTarget = tuple[str, int]  # (column of Citation, id)


def claim(session: Session, treaty_id: int) -> None:
    """Bump the treaty's version before reading it, so a save racing with the undo is refused
    (see db.changes.update_treaty) rather than overwritten."""
    version = session.exec(select(Treaty.version).where(Treaty.id == treaty_id)).one()
    claimed = session.execute(
        update(Treaty)
        .where(col(Treaty.id) == treaty_id, col(Treaty.version) == version)
        .values(version=version + 1, updated_at=utc_now())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise EditConflict("the treaty was changed by someone else meanwhile; try again")


def _plain(values: dict[str, Any], skip: tuple[str, ...] = ("sources",)) -> dict[str, Any]:
    """Snapshot fields as column values."""
    columns: dict[str, Any] = {}
    for name, value in values.items():
        if name in skip:
            continue
        if name in DATES:
            columns.update(date_columns(name, value))
        else:
            columns[name] = value
    return columns


def _treaty_ref(session: Session, slug: str | None, what: str) -> int | None:
    if not slug:
        return None
    found = snapshots.treaty_id(session, slug)
    if found is None:
        raise NotFound(f"{what} {slug!r}, which no longer exists")
    return found


def _state(session: Session, key: str) -> State:
    kind, _, code = key.partition(":")
    if kind == "cow":
        statement = select(State).where(State.cow_code == int(code)).order_by(col(State.iso3))
    elif kind == "state":
        statement = select(State).where(State.id == int(code))
    else:
        statement = select(State).where(State.iso3 == key)
    found = session.exec(statement).first()
    if found is None:
        raise NotFound(f"no state {key!r}")
    return found


def _cite(session: Session, target: CitationTarget, citations: list[dict[str, Any]]) -> None:
    column, target_id = target
    session.execute(delete(Citation).where(getattr(Citation, column) == target_id))
    for c in citations:
        source_id = session.exec(select(Source.id).where(Source.key == c["source"])).first()
        if source_id is None:
            raise NotFound(f"the source {c['source']!r} no longer exists")
        session.add(
            Citation(
                source_id=source_id,
                supports=",".join(c["supports"]),
                agrees=c["agrees"],
                claim=c["claim"],
                note=c["note"],
                **{column: target_id},
            )
        )


# -- treaties ------------------------------------------------------------------------------------


def put_treaty(session: Session, slug: str, target: Snapshot) -> None:
    """Make the treaty now called `slug` exactly `target`: overwrite it, create it, or delete
    it (target {})."""
    treaty_id = snapshots.treaty_id(session, slug)
    if not target:
        if treaty_id is not None:
            delete_treaty(session, slug)
        return
    with audit.tracking(session, "treaty", treaty_id) as tracked:
        fields = target[("treaty", None)]
        columns = _plain(fields, skip=("sources", "replaces"))
        columns["replaces_id"] = _treaty_ref(session, fields["replaces"], f"{slug} replaces")
        treaty = session.get(Treaty, treaty_id) if treaty_id is not None else Treaty(**columns)
        assert treaty is not None
        for name, value in columns.items():
            setattr(treaty, name, value)
        session.add(treaty)
        session.flush()
        assert treaty.id is not None
        tracked.ident = treaty.id
        before = tracked.before
        _put_parties(session, treaty.id, target)
        _put_provisions(session, treaty.id, target)
        if before.get(("treaty", None), {}).get("sources") != fields["sources"]:
            _cite(session, ("treaty_id", treaty.id), fields["sources"])
        session.flush()


def _put_parties(session: Session, treaty_id: int, target: Snapshot) -> None:
    rows = {
        (p.state_id, p.role): p
        for p in session.exec(select(TreatyParty).where(TreatyParty.treaty_id == treaty_id))
    }
    wanted: dict[tuple[int, str], dict[str, Any]] = {}
    for (table, part), values in target.items():
        if table == "treaty_party" and part:
            state_key, _, role = part.rpartition(":")
            wanted[(_state(session, state_key).id, role)] = values  # type: ignore[index]
    for key, row in rows.items():
        if key not in wanted:
            session.delete(row)
    session.flush()
    for key, values in wanted.items():
        row = rows.get(key) or TreatyParty(treaty_id=treaty_id, state_id=key[0], role=key[1])
        for name, value in _plain(values).items():
            setattr(row, name, value)
        session.add(row)
        session.flush()
        assert row.id is not None
        current = _sources(session, "party_id", row.id) if key in rows else []
        if current != values["sources"]:
            _cite(session, ("party_id", row.id), values["sources"])


def _put_provisions(session: Session, treaty_id: int, target: Snapshot) -> None:
    rows = {
        p.position: p
        for p in session.exec(select(Provision).where(Provision.treaty_id == treaty_id))
    }
    wanted = {
        int(part): values
        for (table, part), values in target.items()
        if table == "provision" and part is not None
    }
    for position, row in rows.items():
        if position not in wanted:
            session.delete(row)
    session.flush()
    for position, values in sorted(wanted.items()):
        row = rows.get(position) or Provision(treaty_id=treaty_id, position=position)
        for name, value in _plain(values).items():
            setattr(row, name, value)
        session.add(row)
        session.flush()
        assert row.id is not None
        current = [] if position not in rows else _sources(session, "provision_id", row.id)
        if current != values["sources"]:
            _cite(session, ("provision_id", row.id), values["sources"])


def _sources(session: Session, column: str, target_id: int) -> list[dict[str, Any]]:
    condition = getattr(snapshots.CITATION.c, column) == target_id
    return snapshots.citations(session, condition).get((column, target_id), [])


# -- events and sources --------------------------------------------------------------------------


def put_event(session: Session, key: str, target: Snapshot) -> None:
    """Make the event with this key exactly `target`: overwrite, create or ({}) delete it."""
    with audit.tracking(session, "event", key) as tracked:
        row = session.exec(select(Event).where(Event.key == key)).first()
        if not target:
            if row is not None:
                session.delete(row)
                session.flush()
            return
        values = target[("event", None)]
        row = row or Event(key=key, title=values["title"])
        columns = _plain(values, skip=("sources", "treaty", "states", "uncertain"))
        for name, value in columns.items():
            setattr(row, name, value)
        row.happened_uncertain = values["uncertain"]
        row.treaty_id = _treaty_ref(session, values["treaty"], f"event {key} belongs to")
        row.states = [_state(session, s) for s in values["states"]]
        session.add(row)
        session.flush()
        assert row.id is not None
        if tracked.before.get(("event", None), {}).get("sources") != values["sources"]:
            _cite(session, ("event_id", row.id), values["sources"])
        session.flush()


def put_source(session: Session, key: str, target: Snapshot) -> None:
    """Make the source with this key exactly `target`; one still cited is never deleted."""
    with audit.tracking(session, "source", key):
        row = session.exec(select(Source).where(Source.key == key)).first()
        if not target:
            if row is None:
                return
            cited = session.exec(
                select(func.count()).select_from(Citation).where(Citation.source_id == row.id)
            ).one()
            if cited:
                raise DatabaseError(f"the source {key} is still cited {cited} times; kept")
            session.delete(row)
            session.flush()
            return
        row = row or Source(key=key, title=target[("source", None)]["title"])
        for name, value in _plain(target[("source", None)]).items():
            setattr(row, name, value)
        session.add(row)
        session.flush()


# -- import bases --------------------------------------------------------------------------------


def import_bases(session: Session, treaty_ids: Iterable[int]) -> list[tuple[int, int, str]]:
    """(id, treaty id, values) of the import records of these treaties, by id."""
    ids = list(treaty_ids)
    if not ids:
        return []
    rows = session.execute(
        select(ImportRecord.id, ImportRecord.treaty_id, ImportRecord.values)
        .where(col(ImportRecord.treaty_id).in_(ids))
        .order_by(col(ImportRecord.id))
    ).all()
    return [(row[0], row[1], row[2]) for row in rows]  # type: ignore[misc]


def put_import_base(session: Session, record_id: int, values: str) -> None:
    """Write an import record's values (JSON text, as the import writes it) back."""
    session.execute(
        update(ImportRecord)
        .where(col(ImportRecord.id) == record_id)
        .values(values=values)
        .execution_options(synchronize_session=False)
    )
