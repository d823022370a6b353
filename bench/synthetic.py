"""Realistic synthetic treaty databases of any size, for benchmarks and scale tests.

    python -m bench.synthetic PATH --treaties 100000

Treaties get two to four parties from the real state list, dates of every precision, strength
levels in ATOP's proportions, clauses and events. The same seed gives the same database."""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlmodel import Session

from db.models import Event, EventState, Provision, State, Treaty, TreatyParty
from timeline.database import open_database

# ATOP v4.01's level counts (0 is absent there; a few friendship treaties added).
STRENGTH_WEIGHTS = {0: 40, 1: 223, 2: 233, 3: 124, 4: 81, 5: 84}
KINDS = {0: "friendship", 1: "non-aggression", 2: "consultation", 3: "alliance", 4: "alliance",
         5: "alliance"}  # fmt: skip
OBLIGATIONS = {0: "other", 1: "non-aggression", 2: "consultation", 3: "defence", 4: "defence",
               5: "defence"}  # fmt: skip
TITLES = (
    "Treaty of Friendship and Mutual Assistance",
    "Pact of Non-Aggression",
    "Agreement on Consultation",
    "Treaty of Alliance",
    "Treaty of Friendship, Co-operation and Mutual Assistance",
    "Agreement on Defence Co-operation",
    "Treaty of Neutrality",
    "Protocol on Strategic Partnership",
)
CLAUSES = (
    "Should either party suffer armed attack, the other shall immediately extend military "
    "and other assistance with all the means at its disposal.",
    "The parties shall consult each other without delay on any threat to the security of "
    "either of them.",
    "Each party undertakes to refrain from any act of aggression against the other.",
    "In the event of a threat, the parties shall take such action as each deems necessary.",
)
BATCH = 5000
LAST_DAY = dt.date(2025, 12, 31)


def _partial(rng: random.Random, day: dt.date) -> tuple[dt.date, str]:
    roll = rng.random()
    if roll < 0.8:
        return day, "day"
    if roll < 0.95:
        return day.replace(day=1), "month"
    return day.replace(month=1, day=1), "year"


@dataclass
class TreatyRows:
    """One synthetic treaty's rows, as its tables take them (ids included)."""

    treaty: dict[str, Any]
    parties: list[dict[str, Any]] = field(default_factory=list)
    provisions: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    event_states: list[dict[str, Any]] = field(default_factory=list)


def database_states(engine: Engine) -> tuple[list[tuple[int, str]], int]:
    """The states (id, short name) synthetic treaties draw from, and the next free treaty id."""
    with Session(engine) as session:
        states = [(s.id, s.short_name) for s in session.exec(select(State)).scalars()]
        next_id = (session.exec(select(Treaty.id).order_by(Treaty.id.desc())).scalars().first()
                   or 0) + 1  # fmt: skip
    return states, next_id


def treaty_rows(
    states: Sequence[tuple[int, str]], treaties: int, seed: int = 1961, first_id: int = 1
) -> Iterator[TreatyRows]:
    """`treaties` synthetic treaties with ids from `first_id`, written nowhere; the same
    arguments give the same rows."""
    rng = random.Random(seed)
    levels, weights = zip(*STRENGTH_WEIGHTS.items(), strict=True)
    start = dt.date(1815, 1, 1).toordinal()
    span = dt.date(2025, 12, 31).toordinal() - start
    event_id = 1_000_000
    for n in range(treaties):
        treaty_id = first_id + n
        strength = rng.choices(levels, weights)[0]
        signed_day = dt.date.fromordinal(start + rng.randrange(span))
        signed_on, signed_precision = _partial(rng, signed_day)
        members = rng.sample(states, rng.choice((2, 2, 2, 3, 4)))
        ended = None
        if rng.random() < 0.7:
            ended = signed_day + dt.timedelta(days=rng.randrange(365, 365 * 40))
            ended = ended if ended <= LAST_DAY else None
        in_force = signed_day + dt.timedelta(days=rng.randrange(0, 200))
        names = "-".join(m[1] for m in members[:2])
        rows = TreatyRows({
            "id": treaty_id,
            "slug": f"synthetic-{treaty_id}",
            "title": f"{rng.choice(TITLES)} between {' and '.join(m[1] for m in members)}",
            "short_title": f"{names} {signed_day.year} #{treaty_id}",
            "kind": KINDS[strength],
            "signed_on": signed_on, "signed_precision": signed_precision,
            "signed_uncertain": False, "in_force_uncertain": False, "ended_uncertain": False,
            "in_force_on": in_force if rng.random() < 0.6 else None,
            "ended_on": ended, "ended_precision": "day" if ended else None,
            "indefinite": ended is None, "strength": strength,
            "version": 1,
        })  # fmt: skip
        rows.treaty["in_force_precision"] = "day" if rows.treaty["in_force_on"] else None
        for state_id, _ in members:
            rows.parties.append({"treaty_id": treaty_id, "state_id": state_id, "role": "party"})
        rows.provisions.append({
            "treaty_id": treaty_id, "position": 1, "article": "1",
            "obligation": OBLIGATIONS[strength], "security": strength > 0,
            "text": rng.choice(CLAUSES), "text_status": "verbatim",
        })  # fmt: skip
        if rng.random() < 0.5:
            event_id += 1
            on = signed_day + dt.timedelta(days=rng.randrange(1, 3650))
            rows.events.append({
                "id": event_id, "key": f"synthetic-event-{event_id}", "happened_on": on,
                "happened_precision": "day", "happened_uncertain": False,
                "kind": rng.choice(("ratification", "renewal", "notice", "state-visit")),
                "title": f"Event of {names}", "treaty_id": treaty_id,
            })  # fmt: skip
            rows.event_states.append({"event_id": event_id, "state_id": members[0][0]})
        yield rows


def generate(path: Path, treaties: int, seed: int = 1961) -> Engine:
    """Create (or replace) a seeded database at `path` and add `treaties` synthetic treaties."""
    if path.exists():
        path.unlink()
    engine = open_database(path).engine
    states, next_id = database_states(engine)
    with engine.begin() as connection:
        batch_treaties, party_rows, provision_rows, event_rows, event_states = [], [], [], [], []
        for rows in treaty_rows(states, treaties, seed, next_id):
            batch_treaties.append(rows.treaty)
            party_rows.extend(rows.parties)
            provision_rows.extend(rows.provisions)
            event_rows.extend(rows.events)
            event_states.extend(rows.event_states)
            if len(batch_treaties) >= BATCH:
                _flush(connection, batch_treaties, party_rows, provision_rows, event_rows,
                       event_states)  # fmt: skip
        _flush(connection, batch_treaties, party_rows, provision_rows, event_rows, event_states)
    return engine


def _flush(connection, treaties, parties, provisions, events, event_states) -> None:  # type: ignore[no-untyped-def]
    for table, rows in (
        (Treaty.__table__, treaties),
        (TreatyParty.__table__, parties),
        (Provision.__table__, provisions),
        (Event.__table__, events),
        (EventState.__table__, event_states),
    ):
        if rows:
            connection.execute(insert(table), rows)
            rows.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--treaties", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1961)
    args = parser.parse_args()
    started = time.perf_counter()
    generate(args.path, args.treaties, args.seed).dispose()
    elapsed = time.perf_counter() - started
    print(f"{args.treaties:,} treaties written to {args.path} in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
