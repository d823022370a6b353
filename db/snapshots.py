"""Records as plain JSON-ready values, for the edit history and undo.

A snapshot maps (table, part) to that part's fields: part None is the record itself, a party
is "ISO3:role" and a clause its position ("3"). An absent record is {}. Dates are ISO text cut
to their precision, links are slugs and keys, citations are lists under "sources". Reads are
Core queries, so they see what was just flushed, including the database's ON DELETE rules."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from typing import Any, NamedTuple

import orjson
from sqlalchemy import or_, select
from sqlmodel import Session

from db.models import Citation, Event, EventState, Provision, Source, State, Treaty, TreatyParty

Snapshot = dict[tuple[str, str | None], dict[str, Any]]

TREATY = Treaty.__table__
PARTY = TreatyParty.__table__
PROVISION = Provision.__table__
EVENT = Event.__table__
EVENT_STATE = EventState.__table__
SOURCE = Source.__table__
CITATION = Citation.__table__
STATE = State.__table__

TREATY_FIELDS = (
    "slug", "title", "short_title", "kind", "signed", "signed_uncertain", "signed_place",
    "in_force", "in_force_uncertain", "ended", "ended_uncertain", "end_reason", "term_months",
    "indefinite", "renewal", "renewal_months", "term_note", "replaces", "strength",
    "strength_clause", "strength_note", "summary", "notes", "atop_id", "cow_id", "unts_number",
    "wikidata_id", "sources",
)  # fmt: skip
PARTY_FIELDS = ("signer", "signer_title", "ratified", "joined", "left", "notes", "sources")
PROVISION_FIELDS = (
    "article", "obligation", "security", "conditions", "text", "text_status", "language",
    "translation_note", "sources",
)  # fmt: skip
EVENT_FIELDS = ("on", "uncertain", "kind", "title", "description", "place", "treaty", "states",
                "sources")  # fmt: skip
SOURCE_FIELDS = ("title", "url", "dataset", "publisher", "published", "accessed")
# field -> the column prefix of its date pair, where the name differs
DATE_COLUMNS = {"on": "happened"}
DATES = ("signed", "in_force", "ended", "ratified", "joined", "left", "on", "published", "accessed")
# Fields that are not plain columns of the same name.
DERIVED = ("replaces", "sources", "treaty", "states", "uncertain")

_CUT = {"day": 10, "month": 7, "year": 4}
_PRECISION = {length: precision for precision, length in _CUT.items()}
_ORDER = ("treaty", "treaty_party", "provision", "event", "source")


# -- values --------------------------------------------------------------------------------------


def encode(value: Any) -> str:
    """JSON text of a value as the history stores it (one spelling, so it can be compared):
    orjson's, compact. Texts written before it have the json module's spaces after "," and
    ":"; nothing compares an object or list as text (a string is spelled the same by both)."""
    return orjson.dumps(value).decode()


def iso(on: dt.date | None, precision: str | None) -> str | None:
    if on is None or precision is None:
        return None
    return on.isoformat()[: _CUT[precision]]


def from_iso(text: str | None) -> tuple[dt.date | None, str | None]:
    """ "1961-07" -> (1961-07-01, "month"): the stored pair of a date."""
    if not text:
        return None, None
    return dt.date.fromisoformat(text + "-01-01"[len(text) - 4 :]), _PRECISION[len(text)]


def date_columns(name: str, text: str | None) -> dict[str, Any]:
    on_column, precision_column = _date_pair(name)
    on, precision = from_iso(text)
    return {on_column: on, precision_column: precision}


@functools.cache
def _date_pair(name: str) -> tuple[str, str]:
    """The columns of a date field: its day and its precision."""
    prefix = DATE_COLUMNS.get(name, name)
    return f"{prefix}_on", f"{prefix}_precision"


def state_key(iso3: str | None, cow_code: int | None, state_id: int) -> str:
    """A state as the history names it: ISO alpha-3, else its COW code."""
    if iso3:
        return iso3
    return f"cow:{cow_code}" if cow_code is not None else f"state:{state_id}"


@functools.cache
def _plan(names: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...] | None], ...]:
    """Each field of `names`: a column (None), a date with its (date, precision) columns, or
    a derived field (()); worked out once, as an import makes thousands of snapshots."""
    plan: list[tuple[str, tuple[str, ...] | None]] = []
    for name in names:
        if name in DATES:
            plan.append((name, _date_pair(name)))
        else:
            plan.append((name, () if name in DERIVED else None))
    return tuple(plan)


def _columns(row: Mapping[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """The fields of `names` in their order, the derived ones None for the caller to set."""
    values: dict[str, Any] = {}
    for name, date in _plan(names):
        if date is None:
            values[name] = row[name]
        elif not date:
            values[name] = None
        else:  # iso(), inline: a snapshot has several dates, and an import makes thousands
            on, precision = row[date[0]], row[date[1]]
            values[name] = (
                None if on is None or precision is None else on.isoformat()[: _CUT[precision]]
            )
    return values


def citation_values(source: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """A citation row (its supports as stored, comma-separated) as the history names it."""
    return {
        "source": source,
        "supports": [s for s in row["supports"].split(",") if s],
        "agrees": row["agrees"],
        "claim": row["claim"],
        "note": row["note"],
    }


def citations(session: Session, *conditions: Any) -> dict[tuple[str, int], list[dict[str, Any]]]:
    """Citations matching any condition, by (target column, target id), in the order they
    were written (a restore writes them back in that order)."""
    rows = session.execute(
        select(CITATION, SOURCE.c.key.label("source_key"))
        .join(SOURCE, SOURCE.c.id == CITATION.c.source_id)
        .where(or_(*conditions))
        .order_by(CITATION.c.id)
    ).mappings()
    found: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for c in rows:
        target = next(t for t in ("treaty_id", "party_id", "provision_id", "event_id") if c[t])
        found.setdefault((target, c[target]), []).append(citation_values(c["source_key"], c))
    return found


# -- parts of a snapshot: from rows read, or from rows about to be written (an import's) ---------


def treaty_part(
    row: Mapping[str, Any], replaces: str | None, sources: list[dict[str, Any]]
) -> dict[str, Any]:
    """The treaty's own fields; `replaces` is the slug it links to."""
    fields = _columns(row, TREATY_FIELDS)
    fields["replaces"] = replaces
    fields["sources"] = sources
    return fields


def party_part(
    row: Mapping[str, Any], state: str, sources: list[dict[str, Any]]
) -> tuple[tuple[str, str], dict[str, Any]]:
    """A party's key and fields; `state` as state_key() names it."""
    values = _columns(row, PARTY_FIELDS)
    values["sources"] = sources
    return ("treaty_party", f"{state}:{row['role']}"), values


def provision_part(
    row: Mapping[str, Any], sources: list[dict[str, Any]]
) -> tuple[tuple[str, str], dict[str, Any]]:
    values = _columns(row, PROVISION_FIELDS)
    values["sources"] = sources
    return ("provision", str(row["position"])), values


def event_part(
    row: Mapping[str, Any], treaty: str | None, states: list[str], sources: list[dict[str, Any]]
) -> dict[str, Any]:
    """The event's fields; `treaty` is its treaty's slug, `states` as state_key() names them."""
    values = _columns(row, EVENT_FIELDS)
    values["uncertain"] = row["happened_uncertain"]
    values["treaty"] = treaty
    values["states"] = sorted(states)
    values["sources"] = sources
    return values


# -- snapshots -----------------------------------------------------------------------------------


def treaty_id(session: Session, slug: str) -> int | None:
    return session.execute(select(TREATY.c.id).where(TREATY.c.slug == slug)).scalar()


def treaty(session: Session, treaty_id: int | None) -> Snapshot:
    """The treaty with its parties, clauses and citations; {} when there is none."""
    if treaty_id is None:
        return {}
    row = session.execute(select(TREATY).where(TREATY.c.id == treaty_id)).mappings().first()
    if row is None:
        return {}
    parties = (
        session.execute(
            select(PARTY, STATE.c.iso3, STATE.c.cow_code)
            .join(STATE, STATE.c.id == PARTY.c.state_id)
            .where(PARTY.c.treaty_id == treaty_id)
            .order_by(PARTY.c.id)
        )
        .mappings()
        .all()
    )
    clauses = (
        session.execute(
            select(PROVISION)
            .where(PROVISION.c.treaty_id == treaty_id)
            .order_by(PROVISION.c.position)
        )
        .mappings()
        .all()
    )
    cited = citations(
        session,
        CITATION.c.treaty_id == treaty_id,
        CITATION.c.party_id.in_([p["id"] for p in parties]),
        CITATION.c.provision_id.in_([p["id"] for p in clauses]),
    )
    replaces = (
        session.execute(select(TREATY.c.slug).where(TREATY.c.id == row["replaces_id"])).scalar()
        if row["replaces_id"]
        else None
    )
    snapshot: Snapshot = {
        ("treaty", None): treaty_part(row, replaces, cited.get(("treaty_id", treaty_id), []))
    }
    for p in parties:
        state = state_key(p["iso3"], p["cow_code"], p["state_id"])
        key, values = party_part(p, state, cited.get(("party_id", p["id"]), []))
        snapshot[key] = values
    for c in clauses:
        key, values = provision_part(c, cited.get(("provision_id", c["id"]), []))
        snapshot[key] = values
    return snapshot


def event(session: Session, key: str) -> Snapshot:
    row = session.execute(select(EVENT).where(EVENT.c.key == key)).mappings().first()
    if row is None:
        return {}
    treaty = (
        session.execute(select(TREATY.c.slug).where(TREATY.c.id == row["treaty_id"])).scalar()
        if row["treaty_id"]
        else None
    )
    states = session.execute(
        select(STATE.c.id, STATE.c.iso3, STATE.c.cow_code)
        .join(EVENT_STATE, EVENT_STATE.c.state_id == STATE.c.id)
        .where(EVENT_STATE.c.event_id == row["id"])
    ).all()
    keys = [state_key(s.iso3, s.cow_code, s.id) for s in states]
    sources = citations(session, CITATION.c.event_id == row["id"]).get(("event_id", row["id"]), [])
    return {("event", None): event_part(row, treaty, keys, sources)}


def source(session: Session, key: str) -> Snapshot:
    row = session.execute(select(SOURCE).where(SOURCE.c.key == key)).mappings().first()
    return {} if row is None else {("source", None): _columns(row, SOURCE_FIELDS)}


# -- differences ---------------------------------------------------------------------------------


class Difference(NamedTuple):
    table: str
    part: str | None
    action: str  # create, update, delete
    field: str | None = None
    old: Any = None
    new: Any = None


def _order(key: tuple[str, str | None]) -> tuple[int, int, int, str]:
    table, part = key
    position = int(part) if part and part.isdigit() else 0
    return (_ORDER.index(table), part is not None, position, part or "")


def parts_in_order(snapshot: Snapshot) -> list[tuple[str, str | None]]:
    """The snapshot's parts in the order diff() reports them."""
    return sorted(snapshot, key=_order)


def diff(before: Snapshot, after: Snapshot) -> list[Difference]:
    """What changed: a part created or deleted whole, else each field that differs."""
    found: list[Difference] = []
    for key in sorted(before.keys() | after.keys(), key=_order):
        table, part = key
        old, new = before.get(key), after.get(key)
        if old is None:
            found.append(Difference(table, part, "create", new=new))
        elif new is None:
            found.append(Difference(table, part, "delete", old=old))
        else:
            found.extend(
                Difference(table, part, "update", name, old.get(name), value)
                for name, value in new.items()
                if old.get(name) != value
            )
    return found
