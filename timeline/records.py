"""Records (timeline/record_types.py) read through the models: treaties, their events, the
treaties of given states, for the CLI, the edit, compare and history screens and undo."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlmodel import Session, col, select

from db.models import Event, Treaty, TreatyParty
from timeline import record_reads
from timeline.dates import partial as partial  # re-exported: callers read dates with it

# The records themselves live in timeline/record_types.py (no database layer there, for the
# detail screen); re-exported for the many callers that import them from here.
from timeline.record_types import CitationRecord as CitationRecord
from timeline.record_types import EventRecord as EventRecord
from timeline.record_types import PartyRecord as PartyRecord
from timeline.record_types import ProvisionRecord as ProvisionRecord
from timeline.record_types import TreatyRecord as TreatyRecord

# States live in timeline/states.py (no ORM there, for the timeline's party filter); they are
# re-exported for the many callers that import them from here.
from timeline.states import StateIndex as StateIndex
from timeline.states import StateRef as StateRef
from timeline.states import continuity_map as continuity_map

# -- loading -------------------------------------------------------------------------------------
# The reads are timeline/record_reads.py's, on the session's connection. The session is flushed
# first: a read through the models would have flushed it (autoflush), and callers read back
# what they have just written.


def to_records(
    session: Session, treaties: Sequence[Treaty], states: StateIndex | None = None
) -> list[TreatyRecord]:
    """Snapshots of `treaties`, with parties, provisions, citations and lineage."""
    session.flush()
    return record_reads.to_records(session, treaties, states)


def load_treaty(session: Session, slug: str) -> TreatyRecord:
    return load_treaties(session, [slug])[0]


def load_treaties(session: Session, slugs: Sequence[str]) -> list[TreatyRecord]:
    """Records for `slugs`, in the order given; NotFound names every unknown slug."""
    session.flush()
    return record_reads.read_treaties(session, slugs)


def treaties_of_states(session: Session, state_ids: Iterable[int]) -> list[TreatyRecord]:
    """Every treaty to which any of `state_ids` is a party, as records."""
    ids = list(state_ids)
    treaty_ids = select(TreatyParty.treaty_id).where(col(TreatyParty.state_id).in_(ids))
    rows = session.exec(
        select(Treaty).where(col(Treaty.id).in_(treaty_ids)).order_by(col(Treaty.id))
    ).all()
    return to_records(session, rows)


def events_of(session: Session, states: StateIndex, rows: Sequence[Event]) -> list[EventRecord]:
    session.flush()
    members = {e.id: [s.id for s in e.states] for e in rows}
    return record_reads.event_records(session, states, rows, members)  # type: ignore[arg-type]
