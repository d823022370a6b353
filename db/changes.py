"""Writes. Each function works inside the caller's session and transaction; the caller commits.
Each records what it changed in the change set the caller began (db/audit.py).

Values arrive validated (timeline/forms.py); the database's own constraints are the last line."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from db import audit
from db.errors import DatabaseError, NotFound
from db.models import Event, Provision, Treaty, TreatyParty, utc_now

PARTY_COLUMNS = (
    "role",
    "signer",
    "signer_title",
    "ratified_on",
    "ratified_precision",
    "notes",
)
PROVISION_COLUMNS = (
    "article",
    "obligation",
    "security",
    "conditions",
    "text",
    "text_status",
    "language",
    "translation_note",
)


class EditConflict(DatabaseError):
    """The record changed since the user loaded it; their save would overwrite that change."""


def treaty_id_by_slug(session: Session, slug: str) -> int:
    found = session.exec(select(Treaty.id).where(Treaty.slug == slug)).first()
    if found is None:
        raise NotFound(f"no treaty with the slug {slug!r}")
    return found


def slug_exists(session: Session, slug: str) -> bool:
    return session.exec(select(Treaty.id).where(Treaty.slug == slug)).first() is not None


def create_treaty(
    session: Session,
    values: dict[str, Any],
    *,
    replaces: str | None = None,
    parties: Sequence[dict[str, Any]] = (),
    provisions: Sequence[dict[str, Any]] = (),
) -> Treaty:
    with audit.tracking(session, "treaty", None) as tracked:
        treaty = Treaty(**values)
        if replaces:
            treaty.replaces_id = treaty_id_by_slug(session, replaces)
        session.add(treaty)
        session.flush()
        tracked.ident = treaty.id
        _set_parties(session, treaty, parties)
        _set_provisions(session, treaty, provisions)
    return treaty


def update_treaty(
    session: Session,
    slug: str,
    values: dict[str, Any],
    *,
    replaces: str | None = None,
    parties: Sequence[dict[str, Any]] | None = None,
    provisions: Sequence[dict[str, Any]] | None = None,
    expected_version: int | None = None,
) -> Treaty:
    """Change a treaty. With expected_version, refuse if someone saved in between."""
    treaty = session.exec(select(Treaty).where(Treaty.slug == slug)).first()
    if treaty is None:
        raise NotFound(f"no treaty with the slug {slug!r}")
    base = treaty.version if expected_version is None else expected_version
    # The version is claimed by a conditional UPDATE, the first write of the transaction: of
    # two saves racing from the same version, the database lets exactly one through.
    claimed = session.execute(
        update(Treaty)
        .where(col(Treaty.id) == treaty.id, col(Treaty.version) == base)
        .values(version=base + 1, updated_at=utc_now())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(treaty)
        raise EditConflict(
            f"{slug} was changed by someone else since you opened it"
            f" (version {base} -> {treaty.version}); reload it and apply your change again"
        )
    session.refresh(treaty)
    with audit.tracking(session, "treaty", treaty.id):
        for name, value in values.items():
            setattr(treaty, name, value)
        treaty.replaces_id = treaty_id_by_slug(session, replaces) if replaces else None
        session.add(treaty)
        session.flush()
        if parties is not None:
            _set_parties(session, treaty, parties)
        if provisions is not None:
            _set_provisions(session, treaty, provisions)
    return treaty


def delete_treaty(session: Session, slug: str) -> None:
    """Delete a treaty with its parties, provisions and citations (events are kept, untied)."""
    treaty = session.exec(select(Treaty).where(Treaty.slug == slug)).first()
    if treaty is None:
        raise NotFound(f"no treaty with the slug {slug!r}")
    events = session.exec(select(Event.key).where(Event.treaty_id == treaty.id)).all()
    successors = session.exec(select(Treaty.id).where(Treaty.replaces_id == treaty.id)).all()
    with ExitStack() as stack:
        # The treaty's own tracking is outermost, so its deletion is recorded after the links
        # the database cuts: undo then restores the treaty before linking to it again.
        stack.enter_context(audit.tracking(session, "treaty", treaty.id))
        for key in events:
            stack.enter_context(audit.tracking(session, "event", key))
        for successor in successors:
            stack.enter_context(audit.tracking(session, "treaty", successor))
        session.delete(treaty)
        session.flush()


def _set_parties(session: Session, treaty: Treaty, parties: Sequence[dict[str, Any]]) -> None:
    """Make the treaty's parties these; rows kept for the same state and role keep their
    citations."""
    existing = {
        (p.state_id, p.role): p
        for p in session.exec(select(TreatyParty).where(TreatyParty.treaty_id == treaty.id))
    }
    wanted = {(p["state_id"], p["role"]): p for p in parties}
    for key, row in existing.items():
        if key not in wanted:
            session.delete(row)
    session.flush()
    for key, data in wanted.items():
        row = existing.get(key) or TreatyParty(treaty_id=treaty.id, state_id=key[0])
        for name in PARTY_COLUMNS:
            setattr(row, name, data.get(name))
        session.add(row)
    session.flush()


def _set_provisions(session: Session, treaty: Treaty, provisions: Sequence[dict[str, Any]]) -> None:
    """Make the treaty's provisions these, in this order. A clause keeps its row (and its
    citations) when its article is unchanged, else the row at the same position is reused."""
    existing = list(
        session.exec(
            select(Provision)
            .where(Provision.treaty_id == treaty.id)
            .order_by(col(Provision.position))
        )
    )
    by_article = {p.article: p for p in existing if p.article}
    unused = list(existing)
    chosen: list[Provision | None] = []
    for data in provisions:
        row = by_article.get(data.get("article")) if data.get("article") else None
        if row is not None and row in unused:
            unused.remove(row)
        else:
            row = None
        chosen.append(row)
    for index, row in enumerate(chosen):
        if row is None and unused:
            chosen[index] = unused.pop(0)
    for row in unused:
        session.delete(row)
    # Park kept rows on free positions first, so reordering never collides on (treaty, position).
    for row in chosen:
        if row is not None:
            row.position = -row.id  # type: ignore[operator]
            session.add(row)
    session.flush()
    for position, (row, data) in enumerate(zip(chosen, provisions, strict=True), start=1):
        row = row or Provision(treaty_id=treaty.id)
        row.position = position
        for name in PROVISION_COLUMNS:
            setattr(row, name, data.get(name))
        session.add(row)
    session.flush()


def create_event(
    session: Session, values: dict[str, Any], *, treaty_slug: str | None, state_ids: Sequence[int]
) -> Event:
    from db.models import State

    with audit.tracking(session, "event", values["key"]):
        event = Event(**values)
        if treaty_slug:
            event.treaty_id = treaty_id_by_slug(session, treaty_slug)
        event.states = [session.get(State, state_id) for state_id in state_ids]  # type: ignore[misc]
        session.add(event)
        session.flush()
    return event


def event_key_exists(session: Session, key: str) -> bool:
    return session.exec(select(Event.id).where(Event.key == key)).first() is not None
