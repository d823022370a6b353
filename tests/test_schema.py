"""What the database itself refuses, whatever program writes to it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from db.models import Citation, Provision, Source, State, Treaty, TreatyParty


def _state(session: Session, iso3: str = "AAA") -> State:
    state = State(name=f"State {iso3}", short_name=iso3, iso3=iso3)
    session.add(state)
    session.flush()
    return state


def _treaty(**fields) -> Treaty:  # type: ignore[no-untyped-def]
    values = {"slug": "a-treaty", "title": "A treaty", "kind": "alliance"}
    values.update(fields)
    return Treaty(**values)


def _refused(engine: Engine, *records) -> None:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        with pytest.raises(IntegrityError):
            for record in records:
                session.add(record)
                session.flush()
        session.rollback()


@pytest.mark.sqlite_only(reason="SQLite's foreign_keys pragma; a server always enforces them")
def test_foreign_keys_are_switched_on_for_sqlite(empty_engine: Engine) -> None:
    with empty_engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_foreign_keys_are_enforced(empty_engine: Engine) -> None:
    _refused(empty_engine, _treaty(), TreatyParty(treaty_id=1, state_id=999))


@pytest.mark.parametrize("strength", [-1, 6, 9])
def test_strength_outside_zero_to_five_is_refused(empty_engine: Engine, strength: int) -> None:
    _refused(empty_engine, _treaty(strength=strength))


def test_strength_bounds_are_accepted(empty_engine: Engine) -> None:
    with Session(empty_engine) as session:
        session.add(_treaty(slug="weak", strength=0))
        session.add(_treaty(slug="strong", strength=5))
        session.commit()
        assert sorted(session.exec(select(Treaty.strength)).all()) == [0, 5]


def test_end_before_signature_is_refused(empty_engine: Engine) -> None:
    _refused(
        empty_engine,
        _treaty(
            signed_on=dt.date(1961, 7, 6),
            signed_precision="day",
            ended_on=dt.date(1960, 1, 1),
            ended_precision="day",
        ),
    )


def test_year_precise_end_in_the_year_of_signature_is_allowed(empty_engine: Engine) -> None:
    # "ended 1996" may be after a signature of 6 July 1996: the year holds both.
    with Session(empty_engine) as session:
        session.add(
            _treaty(
                signed_on=dt.date(1996, 7, 6),
                signed_precision="day",
                ended_on=dt.date(1996, 1, 1),
                ended_precision="year",
            )
        )
        session.commit()


def test_slugs_are_unique(empty_engine: Engine) -> None:
    _refused(empty_engine, _treaty(), _treaty(title="Another"))


@pytest.mark.parametrize(
    "fields",
    [
        {"signed_on": dt.date(1961, 7, 1)},  # a date without its precision
        {"signed_precision": "month"},  # a precision without a date
        {"signed_on": dt.date(1961, 7, 1), "signed_precision": "week"},
        {"kind": "empire"},
        {"end_reason": "forgotten"},
        {"term_months": 0},
        {"slug": ""},
    ],
)
def test_malformed_treaty_fields_are_refused(empty_engine: Engine, fields: dict) -> None:
    _refused(empty_engine, _treaty(**fields))


def test_deleting_a_treaty_removes_its_parties_provisions_and_citations(
    empty_engine: Engine,
) -> None:
    with Session(empty_engine) as session:
        state = _state(session)
        source = Source(key="s", title="A source")
        treaty = _treaty()
        session.add_all([source, treaty])
        session.flush()
        party = TreatyParty(treaty_id=treaty.id, state_id=state.id)
        provision = Provision(treaty_id=treaty.id, article="1", obligation="defence")
        session.add_all([party, provision])
        session.flush()
        session.add(Citation(source_id=source.id, treaty_id=treaty.id, supports="signed"))
        session.add(Citation(source_id=source.id, provision_id=provision.id, supports="text"))
        session.commit()
        session.delete(treaty)
        session.commit()
    with empty_engine.connect() as connection:
        for table in ("treaty_party", "provision", "citation"):
            assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0
        # The state and the source are not the treaty's to delete.
        assert connection.execute(text("SELECT count(*) FROM state")).scalar() == 1
        assert connection.execute(text("SELECT count(*) FROM source")).scalar() == 1


def test_a_state_that_is_a_party_cannot_be_deleted(empty_engine: Engine) -> None:
    with Session(empty_engine) as session:
        state = _state(session)
        treaty = _treaty()
        session.add(treaty)
        session.flush()
        session.add(TreatyParty(treaty_id=treaty.id, state_id=state.id))
        session.commit()
    with empty_engine.connect() as connection:
        with pytest.raises(IntegrityError):
            connection.execute(text("DELETE FROM state"))


def test_a_citation_supports_exactly_one_record(empty_engine: Engine) -> None:
    with Session(empty_engine) as session:
        state = _state(session)
        source = Source(key="s", title="A source")
        treaty = _treaty()
        session.add_all([source, treaty])
        session.commit()
        source_id, treaty_id, state_id = source.id, treaty.id, state.id
    _refused(empty_engine, Citation(source_id=source_id))
    _refused(empty_engine, Citation(source_id=source_id, treaty_id=treaty_id, state_id=state_id))
