"""Reads. Each takes a Session the caller opened for one unit of work."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from db.errors import NotFound
from db.models import Citation, Event, Provision, Source, State, Treaty, TreatyParty

COUNTED = {
    "treaties": Treaty,
    "states": State,
    "parties": TreatyParty,
    "provisions": Provision,
    "events": Event,
    "sources": Source,
    "citations": Citation,
}


def row_counts(session: Session) -> dict[str, int]:
    return {
        name: session.exec(select(func.count()).select_from(table)).one()
        for name, table in COUNTED.items()
    }


def _with_parties():  # type: ignore[no-untyped-def]
    return selectinload(Treaty.parties).selectinload(TreatyParty.state)  # type: ignore[arg-type]


def treaties_by_date(session: Session, limit: int | None = None) -> list[Treaty]:
    """Treaties in order of signature (undated last), with their parties and states loaded."""
    statement = (
        select(Treaty)
        .options(_with_parties())
        .order_by(Treaty.signed_on.is_(None), Treaty.signed_on, Treaty.slug)  # type: ignore[union-attr]
        .limit(limit)
    )
    return list(session.exec(statement).all())


def treaty_by_slug(session: Session, slug: str) -> Treaty:
    treaty = session.exec(
        select(Treaty).where(Treaty.slug == slug).options(_with_parties())
    ).first()
    if treaty is None:
        raise NotFound(f"no treaty with the slug {slug!r}")
    return treaty
