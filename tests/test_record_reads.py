"""A treaty's detail is read with SQLAlchemy Core alone (timeline/record_reads.py): the record
holds what the models hold, and opening a treaty imports neither the ORM nor the models."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from db.models import Citation, Event, Provision, Treaty, TreatyParty
from tests.test_browse_path import _in_orm_packages
from timeline.dates import partial
from timeline.record_reads import read_detail


def _cited(session: Session, **target: int) -> list[tuple[Any, ...]]:
    rows = session.exec(
        select(Citation)
        .where(*(getattr(Citation, name) == value for name, value in target.items()))
        .order_by(col(Citation.id))
    )
    return [(c.source.key, c.supports, c.agrees, c.claim, c.note) for c in rows]  # type: ignore[union-attr]


def _record_cited(citations: Any) -> list[tuple[Any, ...]]:
    return [(c.source_key, ",".join(c.supports), c.agrees, c.claim, c.note) for c in citations]


def test_every_detail_holds_what_the_models_hold(seeded_engine: Engine) -> None:
    with Session(seeded_engine) as session, seeded_engine.connect() as connection:
        treaties = session.exec(select(Treaty).order_by(col(Treaty.id))).all()
        assert len(treaties) == 5
        for t in treaties:
            record, events = read_detail(connection, t.slug)
            assert (record.id, record.title, record.kind, record.strength, record.version) == (
                t.id, t.title, t.kind, t.strength, t.version
            )  # fmt: skip
            assert record.signed == partial(t.signed_on, t.signed_precision)
            assert record.in_force == partial(t.in_force_on, t.in_force_precision)
            assert (record.indefinite, record.signed_uncertain) == (
                t.indefinite,
                t.signed_uncertain,
            )
            assert type(record.indefinite) is bool
            replaced = session.get(Treaty, t.replaces_id) if t.replaces_id else None
            assert record.replaces == (replaced.slug if replaced else None)
            parties = session.exec(
                select(TreatyParty).where(TreatyParty.treaty_id == t.id).order_by(TreatyParty.id)
            ).all()
            assert [(p.state.id, p.role, p.signer) for p in record.parties] == [
                (p.state_id, p.role, p.signer) for p in parties
            ]
            assert [_record_cited(p.citations) for p in record.parties] == [
                _cited(session, party_id=p.id)
                for p in parties  # type: ignore[arg-type]
            ]
            clauses = session.exec(
                select(Provision).where(Provision.treaty_id == t.id).order_by(Provision.position)
            ).all()
            assert [(c.article, c.obligation, c.security, c.text) for c in record.provisions] == [
                (c.article, c.obligation, c.security, c.text) for c in clauses
            ]
            assert _record_cited(record.citations) == _cited(session, treaty_id=t.id)  # type: ignore[arg-type]
            stored = session.exec(
                select(Event)
                .where(Event.treaty_id == t.id)
                .order_by(col(Event.happened_on), col(Event.key))
            ).all()
            assert [(e.key, e.title, sorted(s.id for s in e.states)) for e in stored] == [
                (e.key, e.title, [s.id for s in e.states]) for e in events
            ]
            assert all(e.treaty_slug == t.slug for e in events)
    # The founding data cites its sources on treaties, parties and clauses, and has events.
    with seeded_engine.connect() as connection:
        record, events = read_detail(connection, "ussr-dprk-1961")
    assert record.citations and events


OPEN_DETAIL = """
import json, sys
from timeline.database import open_database
from timeline.tui.screens.detail import load_detail
from timeline.render import treaty_panel

engine = open_database(sys.argv[1]).engine
record, events = load_detail(engine, "russia-dprk-2000")
treaty_panel(record, events)
print(json.dumps({
    "title": record.title, "parties": len(record.parties), "modules": sorted(sys.modules)
}))
"""


def test_opening_a_treaty_imports_no_orm(seeded_db: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", OPEN_DETAIL, seeded_db], capture_output=True, text=True, check=True
    )
    found = json.loads(done.stdout)
    assert found["parties"] == 2 and "Friendship" in found["title"]
    assert [m for m in found["modules"] if _in_orm_packages(m)] == []
