"""The records the domain logic, the screens and the exports work on: plain, immutable values.

compare(), history() and the renderers take these, never live rows, so they run after the
database is closed, in any thread, and in tests without a database. Nothing here imports the
database layer: the detail screen shows a record read with SQLAlchemy Core alone
(timeline/record_reads.py); timeline/records.py reads them through the models."""

from __future__ import annotations

from dataclasses import dataclass, field

from timeline.dates import PartialDate
from timeline.states import StateRef


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
