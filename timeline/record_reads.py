"""Treaties and events read as records (timeline/record_types.py) with SQLAlchemy Core alone.

The detail screen reads here on a plain connection, so showing a treaty loads neither the ORM
nor the models (about 20 MB); timeline/records.py reads the same records through a session,
with the models' rows, by the same functions. A reader is a Connection or a Session."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select

from db.errors import NotFound
from db.tables import citation, event, event_state, provision, source, treaty, treaty_party
from timeline.dates import partial
from timeline.record_types import (
    CitationRecord,
    EventRecord,
    PartyRecord,
    ProvisionRecord,
    TreatyRecord,
)
from timeline.states import StateIndex

if TYPE_CHECKING:
    from db.paging import Reader

_CITED = (
    citation.c.supports, citation.c.agrees, citation.c.claim, citation.c.note, source.c.key,
    source.c.title, source.c.url, source.c.dataset, source.c.accessed_on,
    source.c.accessed_precision,
)  # fmt: skip


def citations_of(
    reader: Reader, target: str, ids: Iterable[int]
) -> dict[int, list[CitationRecord]]:
    """The citations of each of `ids`, in the order they were made; `target` is the citation
    column that names them (treaty_id, party_id, provision_id, event_id)."""
    ids = list(ids)
    found: dict[int, list[CitationRecord]] = {i: [] for i in ids}
    if not ids:
        return found
    column = citation.c[target]
    rows = reader.execute(
        select(column, *_CITED)
        .join(source, source.c.id == citation.c.source_id)
        .where(column.in_(ids))
        .order_by(citation.c.id)
    )
    for row in rows:
        found[row[0]].append(
            CitationRecord(
                source_key=row.key,
                title=row.title,
                url=row.url,
                dataset=row.dataset,
                supports=tuple(s for s in row.supports.split(",") if s),
                agrees=row.agrees,
                claim=row.claim,
                note=row.note,
                accessed=partial(row.accessed_on, row.accessed_precision),
            )
        )
    return found


def read_treaties(
    reader: Reader, slugs: Sequence[str], states: StateIndex | None = None
) -> list[TreatyRecord]:
    """Records for `slugs`, in the order given; NotFound names every unknown slug."""
    rows = {t.slug: t for t in reader.execute(select(treaty).where(treaty.c.slug.in_(slugs)))}
    missing = [s for s in slugs if s not in rows]
    if missing:
        raise NotFound(
            "no treaty with the slug "
            + ", ".join(repr(s) for s in missing)
            + "; `treaty-timeline list` shows the slugs"
        )
    return to_records(reader, [rows[s] for s in slugs], states)


def to_records(
    reader: Reader, treaties: Sequence[Any], states: StateIndex | None = None
) -> list[TreatyRecord]:
    """Records of `treaties` (rows with the treaty table's columns as attributes: Core rows
    or the models' objects), with parties, clauses, citations and lineage."""
    states = states or StateIndex(reader)
    ids = [t.id for t in treaties]
    parties = reader.execute(
        select(treaty_party).where(treaty_party.c.treaty_id.in_(ids)).order_by(treaty_party.c.id)
    ).all()
    clauses = reader.execute(
        select(provision)
        .where(provision.c.treaty_id.in_(ids))
        .order_by(provision.c.treaty_id, provision.c.position)
    ).all()
    treaty_cited = citations_of(reader, "treaty_id", ids)
    party_cited = citations_of(reader, "party_id", [p.id for p in parties])
    clause_cited = citations_of(reader, "provision_id", [p.id for p in clauses])
    replaced = [t.replaces_id for t in treaties if t.replaces_id]
    slugs = dict(
        reader.execute(
            select(treaty.c.id, treaty.c.slug).where(
                or_(treaty.c.id.in_(replaced), treaty.c.replaces_id.in_(ids))
            )
        ).all()
    )
    successors = reader.execute(
        select(treaty.c.replaces_id, treaty.c.slug)
        .where(treaty.c.replaces_id.in_(ids))
        .order_by(treaty.c.id)
    ).all()
    parties_of: dict[int, list[Any]] = {}
    for p in parties:
        parties_of.setdefault(p.treaty_id, []).append(p)
    clauses_of: dict[int, list[Any]] = {}
    for p in clauses:
        clauses_of.setdefault(p.treaty_id, []).append(p)
    successors_of: dict[int, list[str]] = {}
    for replaced_id, slug in successors:
        successors_of.setdefault(replaced_id, []).append(slug)
    return [
        _record(
            t,
            parties_of,
            clauses_of,
            slugs,
            successors_of,
            states,
            (treaty_cited, party_cited, clause_cited),
        )
        for t in treaties
    ]


def _record(  # type: ignore[no-untyped-def]
    t,
    parties_of: Mapping[int, list[Any]],
    clauses_of: Mapping[int, list[Any]],
    slugs: Mapping[int, str],
    successors_of: Mapping[int, list[str]],
    states: StateIndex,
    cited: tuple[dict[int, list[CitationRecord]], ...],
) -> TreatyRecord:
    treaty_cited, party_cited, clause_cited = cited
    return TreatyRecord(
        id=t.id,
        slug=t.slug,
        title=t.title,
        short_title=t.short_title,
        kind=t.kind,
        signed=partial(t.signed_on, t.signed_precision),
        signed_uncertain=t.signed_uncertain,
        signed_place=t.signed_place,
        in_force=partial(t.in_force_on, t.in_force_precision),
        in_force_uncertain=t.in_force_uncertain,
        ended=partial(t.ended_on, t.ended_precision),
        ended_uncertain=t.ended_uncertain,
        end_reason=t.end_reason,
        term_months=t.term_months,
        indefinite=t.indefinite,
        renewal=t.renewal,
        renewal_months=t.renewal_months,
        term_note=t.term_note,
        replaces=slugs.get(t.replaces_id) if t.replaces_id else None,
        replaced_by=tuple(successors_of.get(t.id, [])),
        strength=t.strength,
        strength_clause=t.strength_clause,
        strength_note=t.strength_note,
        summary=t.summary,
        notes=t.notes,
        atop_id=t.atop_id,
        cow_id=t.cow_id,
        unts_number=t.unts_number,
        wikidata_id=t.wikidata_id,
        version=t.version,
        parties=tuple(
            PartyRecord(
                state=states[p.state_id],
                role=p.role,
                signer=p.signer,
                signer_title=p.signer_title,
                ratified=partial(p.ratified_on, p.ratified_precision),
                joined=partial(p.joined_on, p.joined_precision),
                left=partial(p.left_on, p.left_precision),
                notes=p.notes,
                citations=tuple(party_cited[p.id]),
            )
            for p in parties_of.get(t.id, [])
        ),
        provisions=tuple(
            ProvisionRecord(
                position=p.position,
                article=p.article,
                obligation=p.obligation,
                security=p.security,
                conditions=p.conditions,
                text=p.text,
                text_status=p.text_status,
                language=p.language,
                translation_note=p.translation_note,
                citations=tuple(clause_cited[p.id]),
            )
            for p in clauses_of.get(t.id, [])
        ),
        citations=tuple(treaty_cited.get(t.id, [])),
    )


def event_records(
    reader: Reader, states: StateIndex, rows: Sequence[Any], members: Mapping[int, Iterable[int]]
) -> list[EventRecord]:
    """Records of event rows (Core rows or the models' objects); `members` gives each event's
    state ids."""
    ids = [e.id for e in rows]
    cited = citations_of(reader, "event_id", ids)
    treaty_ids = {e.treaty_id for e in rows if e.treaty_id is not None}
    slugs = dict(
        reader.execute(select(treaty.c.id, treaty.c.slug).where(treaty.c.id.in_(treaty_ids))).all()
    )
    return [
        EventRecord(
            key=e.key,
            happened=partial(e.happened_on, e.happened_precision),  # type: ignore[arg-type]
            kind=e.kind,
            title=e.title,
            description=e.description,
            place=e.place,
            treaty_slug=slugs.get(e.treaty_id) if e.treaty_id else None,
            states=tuple(states[i] for i in sorted(members.get(e.id, ()))),
            citations=tuple(cited.get(e.id, [])),
        )
        for e in rows
    ]


def treaty_events(reader: Reader, states: StateIndex, treaty_id: int) -> list[EventRecord]:
    """The events tied to a treaty, in date order (then by key)."""
    rows = reader.execute(
        select(event)
        .where(event.c.treaty_id == treaty_id)
        .order_by(event.c.happened_on, event.c.key)
    ).all()
    members: dict[int, list[int]] = {}
    if rows:
        links = reader.execute(
            select(event_state.c.event_id, event_state.c.state_id).where(
                event_state.c.event_id.in_([e.id for e in rows])
            )
        )
        for event_id, state_id in links:
            members.setdefault(event_id, []).append(state_id)
    return event_records(reader, states, rows, members)


def read_detail(reader: Reader, slug: str) -> tuple[TreatyRecord, list[EventRecord]]:
    """What the detail screen shows: the treaty and its events."""
    states = StateIndex.kept(reader)
    record = read_treaties(reader, [slug], states)[0]
    return record, treaty_events(reader, states, record.id)
