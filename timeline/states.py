"""States as plain values, with the state each continues as (the USSR as the Russian
Federation), and finding one by what a user types.

Read with SQLAlchemy Core alone (db/tables.py), from a connection or an ORM session, so the
timeline's party filter needs neither the ORM nor the models."""

from __future__ import annotations

import reprlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection, select

from db.errors import NotFound
from db.tables import state, state_succession
from timeline.dates import PartialDate, partial

if TYPE_CHECKING:
    from db.paging import Reader


@dataclass(frozen=True)
class StateRef:
    id: int
    name: str
    short_name: str
    iso3: str | None
    cow_code: int | None
    # The state this one continues as (the USSR -> the Russian Federation); itself otherwise.
    continuity_id: int
    continuity_name: str
    iso2: str | None = None
    began: PartialDate | None = None
    ended: PartialDate | None = None

    @property
    def label(self) -> str:
        return f"{self.short_name} ({self.iso3})" if self.iso3 else self.short_name

    def same_continuing_state(self, other: StateRef) -> bool:
        return self.continuity_id == other.continuity_id


def continuity_map(reader: Reader) -> dict[int, int]:
    """state id -> id of the state it continues as, following chains of continuations."""
    s = state_succession.c
    successor = dict(
        reader.execute(
            select(s.predecessor_id, s.successor_id).where(s.kind == "continuation")
        ).all()
    )

    def final(state_id: int) -> int:
        seen = {state_id}
        while state_id in successor and successor[state_id] not in seen:
            state_id = successor[state_id]
            seen.add(state_id)
        return state_id

    return {before: final(before) for before in successor}


# A name echoed in a message is cut short, so that a huge one still gets a one-line message.
_ECHO = reprlib.Repr()
_ECHO.maxstring = 60


# What tells a SQLite connection that its database changed: other connections' commits, and its
# own writes.
_VERSION = "SELECT (SELECT data_version FROM pragma_data_version), total_changes()"
_KEPT = "treaty-timeline state index"


class StateIndex:
    """All states as StateRefs, with their continuity resolved; built once per unit of work."""

    def __init__(self, reader: Reader) -> None:
        c = state.c
        columns = (c.id, c.name, c.short_name, c.iso3, c.cow_code, c.iso2, c.began_on,
                   c.began_precision, c.ended_on, c.ended_precision)  # fmt: skip
        states = reader.execute(select(*columns).order_by(c.id)).all()
        continues_as = continuity_map(reader)
        names = {row[0]: row[2] for row in states}
        self.by_id: dict[int, StateRef] = {}
        # By position: a row's attributes by name cost more than the rest of the index (the
        # party filter builds it on every change).
        for (id_, name, short_name, iso3, cow_code, iso2, began_on, began_precision, ended_on,
             ended_precision) in states:  # fmt: skip
            target = continues_as.get(id_, id_)
            self.by_id[id_] = StateRef(
                id=id_,
                name=name,
                short_name=short_name,
                iso3=iso3,
                cow_code=cow_code,
                continuity_id=target,
                continuity_name=names[target],
                iso2=iso2,
                began=partial(began_on, began_precision),
                ended=partial(ended_on, ended_precision),
            )

    @classmethod
    def kept(cls, reader: Reader) -> StateIndex:
        """The index, built once for a SQLite connection and kept with it until the database
        changes: the party filter asks for it on every keystroke. SQLite's data_version moves
        when another connection commits, total_changes() when this one writes; anything else
        (a session, PostgreSQL) builds it afresh. Callers only read it."""
        if not isinstance(reader, Connection) or reader.dialect.name != "sqlite":
            return cls(reader)
        version = tuple(reader.exec_driver_sql(_VERSION).one())
        kept = reader.info.get(_KEPT)
        if kept is not None and kept[0] == version:
            return kept[1]  # type: ignore[no-any-return]
        index = cls(reader)
        reader.info[_KEPT] = (version, index)
        return index

    def __getitem__(self, state_id: int) -> StateRef:
        return self.by_id[state_id]

    def lineage(self, ref: StateRef) -> list[StateRef]:
        """Every state that is the same continuing state as `ref` (the USSR and Russia)."""
        return [s for s in self.by_id.values() if s.continuity_id == ref.continuity_id]

    def find(self, text: str) -> StateRef:
        """A state by ISO alpha-3 or alpha-2, COW code or abbreviation, or (part of) a name."""
        matches = self.search(text)
        if not matches:
            raise NotFound(
                f"no state matches {_ECHO.repr(text)}; give an ISO code (PRK), a COW code (731)"
                " or a name"
            )
        lineages = {m.continuity_id for m in matches}
        if len(lineages) > 1:
            shown = ", ".join(sorted(m.label for m in matches)[:8])
            raise NotFound(f"{_ECHO.repr(text)} matches several states ({shown}); be more precise")
        # One continuing state: prefer the one that continues (Russia for COW 365).
        return next((m for m in matches if m.id == m.continuity_id), matches[0])

    def search(self, text: str) -> list[StateRef]:
        needle = text.strip()
        if not needle:
            return []
        states = list(self.by_id.values())
        if needle.isdigit():
            # COW codes are at most three digits; "²" is a digit int() cannot read.
            code = int(needle) if needle.isascii() and len(needle) <= 9 else None
            return [s for s in states if s.cow_code is not None and s.cow_code == code]
        upper = needle.upper()
        exact = [s for s in states if upper in (s.iso3, s.iso2)]
        if exact:
            return exact
        lowered = needle.lower()
        named = [s for s in states if lowered in (s.name.lower(), s.short_name.lower())]
        if named:
            return named
        return [s for s in states if lowered in s.name.lower() or lowered in s.short_name.lower()]
