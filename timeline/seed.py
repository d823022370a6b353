"""Load the founding fixtures (states, sources, treaties, events) into a database.

Loading is idempotent: records are matched by their natural keys (ISO or COW code, source key,
treaty slug, event key) and only missing ones are added. A record already in the database is
left as it is, so seeding never overwrites a user's edits."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from db.models import (
    Citation,
    Event,
    Provision,
    Source,
    State,
    StateSuccession,
    Treaty,
    TreatyParty,
)
from timeline.dates import PartialDate
from timeline.fixture_files import fixture_path

STATES_FILE = "states.json"
FOUNDING_FILE = "founding.json"


class FixtureError(ValueError):
    """A fixture file that cannot be loaded; the message names the file and the record."""


@dataclass
class SeedReport:
    added: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return sum(self.added.values()) > 0

    def summary(self) -> str:
        if not self.changed:
            return "nothing to add: every fixture record is already there"
        return ", ".join(f"{n} {kind}" for kind, n in self.added.items() if n) + " added"


def date_fields(prefix: str, text: str | None) -> dict[str, Any]:
    """{"<prefix>_on": date, "<prefix>_precision": "day"} from ISO text cut to its precision."""
    if text is None:
        return {f"{prefix}_on": None, f"{prefix}_precision": None}
    partial = PartialDate.from_iso(text)
    return {f"{prefix}_on": partial.value, f"{prefix}_precision": partial.precision.value}


def read_fixture(name: str, directory: Path | None = None) -> dict[str, Any]:
    path = (directory / name) if directory else fixture_path(name)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise FixtureError(f"cannot read fixture {path}: {error}") from error


class _Loader:
    def __init__(self, session: Session, report: SeedReport) -> None:
        self.session = session
        self.report = report
        self.sources: dict[str, Source] = {}

    # -- lookups -------------------------------------------------------------------------------
    def state(self, ref: str) -> State:
        """A state by ISO alpha-3, or by "cow:NNN" for a state without one."""
        if ref.startswith("cow:"):
            statement = select(State).where(
                State.cow_code == int(ref[4:]),
                State.iso3.is_(None),  # type: ignore[union-attr]
            )
        else:
            statement = select(State).where(State.iso3 == ref)
        found = self.session.exec(statement).first()
        if found is None:
            raise FixtureError(f"unknown state {ref!r}")
        return found

    def source(self, key: str) -> Source:
        if key not in self.sources:
            found = self.session.exec(select(Source).where(Source.key == key)).first()
            if found is None:
                raise FixtureError(f"unknown source key {key!r}")
            self.sources[key] = found
        return self.sources[key]

    # -- loaders -------------------------------------------------------------------------------
    def load_sources(self, records: list[dict[str, Any]]) -> None:
        existing = set(self.session.exec(select(Source.key)).all())
        for record in records:
            if record["key"] in existing:
                continue
            self.session.add(
                Source(
                    key=record["key"],
                    title=record["title"],
                    url=record.get("url"),
                    dataset=record.get("dataset"),
                    publisher=record.get("publisher"),
                    **date_fields("published", record.get("published")),
                    **date_fields("accessed", record.get("accessed")),
                )
            )
            existing.add(record["key"])
            self.report.added["sources"] += 1
        self.session.flush()

    def cite(self, target: dict[str, int], citations: list[Any], default: str = "") -> None:
        """Attach citations, given as source keys or {"source", "supports", ...} objects."""
        for entry in citations:
            if isinstance(entry, str):
                entry = {"source": entry, "supports": [default] if default else []}
            self.session.add(
                Citation(
                    source_id=self.source(entry["source"]).id,
                    supports=",".join(entry.get("supports") or []),
                    agrees=entry.get("agrees", True),
                    claim=entry.get("claim"),
                    note=entry.get("note"),
                    **target,
                )
            )
            self.report.added["citations"] += 1

    def load_states(self, data: dict[str, Any]) -> None:
        self.load_sources(data.get("sources", []))
        by_iso = {s.iso3: s for s in self.session.exec(select(State)).all() if s.iso3}
        by_cow = {s.cow_code: s for s in self.session.exec(select(State)).all() if s.iso3 is None}
        for record in data["states"]:
            iso3 = record.get("iso3")
            if (iso3 and iso3 in by_iso) or (not iso3 and record.get("cow_code") in by_cow):
                continue
            state = State(
                name=record["name"],
                short_name=record["short_name"],
                iso3=iso3,
                iso2=record.get("iso2"),
                cow_code=record.get("cow_code"),
                cow_abbrev=record.get("cow_abbrev"),
                notes=record.get("notes"),
                **date_fields("began", record.get("began")),
                **date_fields("ended", record.get("ended")),
            )
            self.session.add(state)
            self.session.flush()
            self.cite({"state_id": state.id}, record.get("sources", []), "state")
            self.report.added["states"] += 1
        for record in data.get("successions", []):
            before, after = self.state(record["predecessor"]), self.state(record["successor"])
            exists = self.session.exec(
                select(StateSuccession).where(
                    StateSuccession.predecessor_id == before.id,
                    StateSuccession.successor_id == after.id,
                )
            ).first()
            if exists:
                continue
            self.session.add(
                StateSuccession(
                    predecessor_id=before.id,
                    successor_id=after.id,
                    kind=record["kind"],
                    note=record.get("note"),
                    **date_fields("effective", record.get("on")),
                )
            )
            self.cite({"state_id": after.id}, record.get("sources", []), "succession")
            self.report.added["successions"] += 1
        self.session.flush()

    def load_treaties(self, records: list[dict[str, Any]]) -> None:
        existing = set(self.session.exec(select(Treaty.slug)).all())
        added: dict[str, tuple[Treaty, str | None]] = {}
        for record in records:
            if record["slug"] in existing:
                continue
            treaty = Treaty(
                slug=record["slug"],
                title=record["title"],
                short_title=record.get("short_title"),
                kind=record.get("kind") or "other",
                signed_uncertain=bool(record.get("signed_uncertain")),
                signed_place=record.get("signed_place"),
                in_force_uncertain=bool(record.get("in_force_uncertain")),
                ended_uncertain=bool(record.get("ended_uncertain")),
                end_reason=record.get("end_reason"),
                term_months=record.get("term_months"),
                indefinite=bool(record.get("indefinite")),
                renewal=record.get("renewal"),
                renewal_months=record.get("renewal_months"),
                term_note=record.get("term_note"),
                strength=record.get("strength"),
                strength_clause=record.get("strength_clause"),
                strength_note=record.get("strength_note"),
                summary=record.get("summary"),
                notes=record.get("notes"),
                atop_id=record.get("atop_id"),
                cow_id=record.get("cow_id"),
                unts_number=record.get("unts_number"),
                wikidata_id=record.get("wikidata_id"),
                **date_fields("signed", record.get("signed")),
                **date_fields("in_force", record.get("in_force")),
                **date_fields("ended", record.get("ended")),
            )
            self.session.add(treaty)
            self.session.flush()
            self.cite({"treaty_id": treaty.id}, record.get("sources", []))
            for party in record.get("parties", []):
                link = TreatyParty(
                    treaty_id=treaty.id,
                    state_id=self.state(party["state"]).id,
                    role=party.get("role") or "party",
                    signer=party.get("signer"),
                    signer_title=party.get("signer_title"),
                    notes=party.get("notes"),
                    **date_fields("ratified", party.get("ratified")),
                )
                self.session.add(link)
                self.session.flush()
                self.cite({"party_id": link.id}, party.get("sources", []))
            for position, clause in enumerate(record.get("provisions", []), start=1):
                provision = Provision(
                    treaty_id=treaty.id,
                    position=position,
                    article=clause.get("article"),
                    obligation=clause.get("obligation") or "other",
                    security=bool(clause.get("security")),
                    conditions=clause.get("conditions"),
                    text=clause.get("text"),
                    text_status=clause.get("text_status"),
                    language=clause.get("language"),
                    translation_note=clause.get("translation_note"),
                )
                self.session.add(provision)
                self.session.flush()
                self.cite({"provision_id": provision.id}, clause.get("sources", []))
            added[treaty.slug] = (treaty, record.get("replaces"))
            self.report.added["treaties"] += 1
        for treaty, replaces in added.values():
            if replaces:
                target = self.session.exec(select(Treaty).where(Treaty.slug == replaces)).first()
                if target is None:
                    raise FixtureError(f"{treaty.slug} replaces unknown treaty {replaces!r}")
                treaty.replaces_id = target.id
        self.session.flush()

    def load_events(self, records: list[dict[str, Any]]) -> None:
        existing = set(self.session.exec(select(Event.key)).all())
        for record in records:
            if record["key"] in existing:
                continue
            treaty_id = None
            if record.get("treaty"):
                treaty = self.session.exec(
                    select(Treaty).where(Treaty.slug == record["treaty"])
                ).first()
                if treaty is None:
                    raise FixtureError(f"event {record['key']}: unknown treaty {record['treaty']}")
                treaty_id = treaty.id
            event = Event(
                key=record["key"],
                kind=record.get("kind") or "other",
                title=record["title"],
                description=record.get("description"),
                place=record.get("place"),
                treaty_id=treaty_id,
                happened_uncertain=bool(record.get("uncertain")),
                states=[self.state(ref) for ref in record.get("states", [])],
                **date_fields("happened", record["on"]),
            )
            self.session.add(event)
            self.session.flush()
            self.cite({"event_id": event.id}, record.get("sources", []))
            self.report.added["events"] += 1
        self.session.flush()


def seed(session: Session, directory: Path | None = None) -> SeedReport:
    """Add every fixture record missing from the database, in the caller's transaction."""
    report = SeedReport()
    loader = _Loader(session, report)
    states = read_fixture(STATES_FILE, directory)
    founding = read_fixture(FOUNDING_FILE, directory)
    try:
        loader.load_states(states)
        loader.load_sources(founding.get("sources", []))
        loader.load_treaties(founding.get("treaties", []))
        loader.load_events(founding.get("events", []))
    except KeyError as error:
        raise FixtureError(f"fixture record lacks the field {error}") from error
    return report
