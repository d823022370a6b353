"""The complete export: the JSON of fixtures/founding.json, so that a file written here loads
back (seed, import) into the same records.

Records carry most of it; the few facts they leave out (a source's publisher and publication
date, whether an event's date is uncertain) are read from the session."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlmodel import Session, col, select

from db.models import Event, Source
from timeline.dates import PartialDate
from timeline.forms import editable_values
from timeline.records import CitationRecord, EventRecord, StateRef, TreatyRecord, partial

FORMAT = "treaty-timeline/1"


def _iso(value: PartialDate | None) -> str | None:
    return value.iso() if value else None


def state_ref(state: StateRef) -> str:
    """A state as the fixture files name it: ISO alpha-3, else "cow:NNN"."""
    if state.iso3:
        return state.iso3
    if state.cow_code is not None:
        return f"cow:{state.cow_code}"
    return state.name


def citation_object(c: CitationRecord) -> dict[str, Any]:
    return {
        "source": c.source_key,
        "supports": list(c.supports),
        "agrees": c.agrees,
        "claim": c.claim,
        "note": c.note,
    }


def treaty_object(t: TreatyRecord) -> dict[str, Any]:
    values = editable_values(t)
    for entry, party in zip(values["parties"], t.parties, strict=True):
        entry["state"] = state_ref(party.state)
        # A member's own entry and exit (ATOP member level) are not in the fixtures; kept
        # when known so that nothing is lost.
        if party.joined:
            entry["joined"] = party.joined.iso()
        if party.left:
            entry["left"] = party.left.iso()
        entry["sources"] = [citation_object(c) for c in party.citations]
    for entry, provision in zip(values["provisions"], t.provisions, strict=True):
        entry["sources"] = [citation_object(c) for c in provision.citations]
    values["sources"] = [citation_object(c) for c in t.citations]
    return values


def event_object(e: EventRecord, uncertain: bool = False) -> dict[str, Any]:
    return {
        "key": e.key,
        "on": e.happened.iso(),
        "uncertain": uncertain,
        "kind": e.kind,
        "title": e.title,
        "description": e.description,
        "place": e.place,
        "treaty": e.treaty_slug,
        "states": [state_ref(s) for s in e.states],
        "sources": [citation_object(c) for c in e.citations],
    }


def _cited_keys(treaties: Sequence[TreatyRecord], events: Sequence[EventRecord]) -> set[str]:
    citations: list[CitationRecord] = []
    for t in treaties:
        citations.extend(t.citations)
        for party in t.parties:
            citations.extend(party.citations)
        for provision in t.provisions:
            citations.extend(provision.citations)
    for e in events:
        citations.extend(e.citations)
    return {c.source_key for c in citations}


def source_objects(session: Session, keys: Iterable[str]) -> list[dict[str, Any]]:
    """The source records with these keys, in the order they were entered."""
    rows = session.exec(
        select(Source).where(col(Source.key).in_(list(keys))).order_by(col(Source.id))
    ).all()
    return [
        {
            "key": s.key,
            "title": s.title,
            "url": s.url,
            "dataset": s.dataset,
            "publisher": s.publisher,
            "published": _iso(partial(s.published_on, s.published_precision)),
            "accessed": _iso(partial(s.accessed_on, s.accessed_precision)),
        }
        for s in rows
    ]


def _uncertain_events(session: Session, events: Sequence[EventRecord]) -> set[str]:
    keys = [e.key for e in events]
    rows = session.exec(
        select(Event.key).where(col(Event.key).in_(keys), col(Event.happened_uncertain))
    ).all()
    return set(rows)


def document(
    session: Session,
    treaties: Sequence[TreatyRecord],
    events: Sequence[EventRecord],
    *,
    selection: Sequence[str] = (),
    exported: dt.date | None = None,
) -> dict[str, Any]:
    """The export as a JSON-ready dict; `selection` describes the filters, if any."""
    uncertain = _uncertain_events(session, events)
    return {
        "format": FORMAT,
        "exported": (exported or dt.date.today()).isoformat(),
        "selection": list(selection),
        "sources": source_objects(session, _cited_keys(treaties, events)),
        "treaties": [treaty_object(t) for t in treaties],
        "events": [event_object(e, e.key in uncertain) for e in events],
    }


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
