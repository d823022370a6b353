"""Plain, immutable snapshots of database records for the domain logic and the screens.

compare(), history() and the renderers work on these, never on live ORM rows, so they can run
after the session is closed, in any thread, and in tests without a database."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import or_
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from db.errors import NotFound
from db.models import (
    Citation,
    Event,
    Provision,
    Source,
    Treaty,
    TreatyParty,
)
from timeline.dates import PartialDate, partial

# States live in timeline/states.py (no ORM there, for the timeline's party filter); they are
# re-exported for the many callers that import them from here.
from timeline.states import StateIndex as StateIndex
from timeline.states import StateRef as StateRef
from timeline.states import continuity_map as continuity_map


@dataclass(frozen=True)
class CitationRecord:
    source_key: str
    title: str
    url: str | None
    dataset: str | None
    supports: tuple[str, ...]
    agrees: bool = True
    claim: str | None = None
    note: str | None = None
    accessed: PartialDate | None = None


@dataclass(frozen=True)
class PartyRecord:
    state: StateRef
    role: str = "party"
    signer: str | None = None
    signer_title: str | None = None
    ratified: PartialDate | None = None
    joined: PartialDate | None = None
    left: PartialDate | None = None
    notes: str | None = None
    citations: tuple[CitationRecord, ...] = ()


@dataclass(frozen=True)
class ProvisionRecord:
    position: int
    article: str | None
    obligation: str
    security: bool = False
    conditions: str | None = None
    text: str | None = None
    text_status: str | None = None
    language: str | None = None
    translation_note: str | None = None
    citations: tuple[CitationRecord, ...] = ()

    @property
    def label(self) -> str:
        return f"Art. {self.article}" if self.article else f"clause {self.position}"

    def fields(self) -> dict[str, object]:
        """The clause's user-facing fields, as forms, exports and JSON output name them."""
        return {
            "article": self.article,
            "obligation": self.obligation,
            "security": self.security,
            "conditions": self.conditions,
            "text": self.text,
            "text_status": self.text_status,
            "language": self.language,
            "translation_note": self.translation_note,
        }


@dataclass(frozen=True)
class TreatyRecord:
    id: int
    slug: str
    title: str
    short_title: str | None = None
    kind: str = "other"
    signed: PartialDate | None = None
    signed_uncertain: bool = False
    signed_place: str | None = None
    in_force: PartialDate | None = None
    in_force_uncertain: bool = False
    ended: PartialDate | None = None
    ended_uncertain: bool = False
    end_reason: str | None = None
    term_months: int | None = None
    indefinite: bool = False
    renewal: str | None = None
    renewal_months: int | None = None
    term_note: str | None = None
    replaces: str | None = None  # slug
    replaced_by: tuple[str, ...] = ()  # slugs
    strength: int | None = None
    strength_clause: str | None = None
    strength_note: str | None = None
    summary: str | None = None
    notes: str | None = None
    atop_id: int | None = None
    cow_id: int | None = None
    unts_number: str | None = None
    wikidata_id: str | None = None
    version: int = 1
    parties: tuple[PartyRecord, ...] = ()
    provisions: tuple[ProvisionRecord, ...] = ()
    citations: tuple[CitationRecord, ...] = ()

    @property
    def name(self) -> str:
        return self.short_title or self.title

    @property
    def starts(self) -> PartialDate | None:
        """When the commitment began: entry into force, or signature where that is unknown."""
        return self.in_force or self.signed

    @property
    def security_provisions(self) -> tuple[ProvisionRecord, ...]:
        return tuple(p for p in self.provisions if p.security)


@dataclass(frozen=True)
class EventRecord:
    key: str
    happened: PartialDate
    kind: str
    title: str
    description: str | None = None
    place: str | None = None
    treaty_slug: str | None = None
    states: tuple[StateRef, ...] = ()
    citations: tuple[CitationRecord, ...] = field(default=())


# -- loading -------------------------------------------------------------------------------------


def _citation(c: Citation) -> CitationRecord:
    source: Source | None = c.source
    assert source is not None
    return CitationRecord(
        source_key=source.key,
        title=source.title,
        url=source.url,
        dataset=source.dataset,
        supports=tuple(s for s in c.supports.split(",") if s),
        agrees=c.agrees,
        claim=c.claim,
        note=c.note,
        accessed=partial(source.accessed_on, source.accessed_precision),
    )


def _citations(session: Session, column, ids: Iterable[int]) -> dict[int, list[CitationRecord]]:  # type: ignore[no-untyped-def]
    ids = list(ids)
    found: dict[int, list[CitationRecord]] = {i: [] for i in ids}
    if not ids:
        return found
    rows = session.exec(
        select(Citation)
        .where(column.in_(ids))
        .options(selectinload(Citation.source))  # type: ignore[arg-type]
        .order_by(col(Citation.id))
    ).all()
    for row in rows:
        found[getattr(row, column.key)].append(_citation(row))
    return found


def to_records(
    session: Session, treaties: Sequence[Treaty], states: StateIndex | None = None
) -> list[TreatyRecord]:
    """Snapshots of `treaties`, with parties, provisions, citations and lineage."""
    states = states or StateIndex(session)
    ids = [t.id for t in treaties]
    parties = session.exec(
        select(TreatyParty).where(col(TreatyParty.treaty_id).in_(ids)).order_by(TreatyParty.id)
    ).all()
    provisions = session.exec(
        select(Provision)
        .where(col(Provision.treaty_id).in_(ids))
        .order_by(Provision.treaty_id, Provision.position)
    ).all()
    treaty_citations = _citations(session, Citation.treaty_id, ids)
    party_citations = _citations(session, Citation.party_id, [p.id for p in parties])
    provision_citations = _citations(session, Citation.provision_id, [p.id for p in provisions])
    slugs = dict(
        session.exec(
            select(Treaty.id, Treaty.slug).where(
                or_(
                    col(Treaty.id).in_([t.replaces_id for t in treaties if t.replaces_id]),
                    col(Treaty.replaces_id).in_(ids),
                )
            )
        ).all()
    )
    successors = session.exec(
        select(Treaty.replaces_id, Treaty.slug)
        .where(col(Treaty.replaces_id).in_(ids))
        .order_by(col(Treaty.id))
    ).all()
    parties_of: dict[int, list[TreatyParty]] = {}
    for p in parties:
        parties_of.setdefault(p.treaty_id, []).append(p)
    provisions_of: dict[int, list[Provision]] = {}
    for p in provisions:
        provisions_of.setdefault(p.treaty_id, []).append(p)
    successors_of: dict[int, list[str]] = {}
    for replaced_id, slug in successors:
        successors_of.setdefault(replaced_id, []).append(slug)
    records = []
    for t in treaties:
        records.append(
            TreatyRecord(
                id=t.id,  # type: ignore[arg-type]
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
                replaced_by=tuple(successors_of.get(t.id, [])),  # type: ignore[arg-type]
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
                        citations=tuple(party_citations[p.id]),  # type: ignore[index]
                    )
                    for p in parties_of.get(t.id, [])  # type: ignore[arg-type]
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
                        citations=tuple(provision_citations[p.id]),  # type: ignore[index]
                    )
                    for p in provisions_of.get(t.id, [])  # type: ignore[arg-type]
                ),
                citations=tuple(treaty_citations.get(t.id, [])),  # type: ignore[arg-type]
            )
        )
    return records


def load_treaty(session: Session, slug: str) -> TreatyRecord:
    return load_treaties(session, [slug])[0]


def load_treaties(session: Session, slugs: Sequence[str]) -> list[TreatyRecord]:
    """Records for `slugs`, in the order given; NotFound names every unknown slug."""
    rows = {t.slug: t for t in session.exec(select(Treaty).where(col(Treaty.slug).in_(slugs)))}
    missing = [s for s in slugs if s not in rows]
    if missing:
        raise NotFound(
            "no treaty with the slug "
            + ", ".join(repr(s) for s in missing)
            + "; `treaty-timeline list` shows the slugs"
        )
    return to_records(session, [rows[s] for s in slugs])


def treaties_of_states(session: Session, state_ids: Iterable[int]) -> list[TreatyRecord]:
    """Every treaty to which any of `state_ids` is a party, as records."""
    ids = list(state_ids)
    treaty_ids = select(TreatyParty.treaty_id).where(col(TreatyParty.state_id).in_(ids))
    rows = session.exec(
        select(Treaty).where(col(Treaty.id).in_(treaty_ids)).order_by(col(Treaty.id))
    ).all()
    return to_records(session, rows)


def events_of(session: Session, states: StateIndex, rows: Sequence[Event]) -> list[EventRecord]:
    ids = [e.id for e in rows]
    cited = _citations(session, Citation.event_id, ids)
    treaty_ids = {e.treaty_id for e in rows if e.treaty_id is not None}
    slugs = dict(
        session.exec(select(Treaty.id, Treaty.slug).where(col(Treaty.id).in_(treaty_ids))).all()
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
            states=tuple(states[i] for i in sorted(s.id for s in e.states)),  # type: ignore[index]
            citations=tuple(cited.get(e.id, [])),  # type: ignore[arg-type]
        )
        for e in rows
    ]
