"""The party filter finds states as the database holds them now, though the list of states is
kept between keystrokes (StateIndex.kept)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, update

from db.errors import NotFound
from db.tables import state
from timeline.browse import apply_filter
from timeline.database import open_database
from timeline.states import StateIndex
from timeline.timeline_rows import BrowseFilter


def _rename_dprk(engine: Engine, iso3: str) -> None:
    with engine.begin() as connection:
        connection.execute(update(state).where(state.c.iso3 == "PRK").values(iso3=iso3))


def test_a_state_renamed_by_another_program_is_found_by_its_new_code(
    seeded_engine: Engine, seeded_db: str
) -> None:
    assert apply_filter(seeded_engine, BrowseFilter(party="PRK")).count > 0
    other = open_database(seeded_db).engine  # another program, with connections of its own
    try:
        _rename_dprk(other, "XKP")
    finally:
        other.dispose()
    found = apply_filter(seeded_engine, BrowseFilter(party="XKP"))
    assert found.count > 0 and "North Korea" in found.description
    with pytest.raises(NotFound):
        apply_filter(seeded_engine, BrowseFilter(party="PRK"))


def test_a_state_renamed_through_the_same_connection_is_found_by_its_new_code(
    seeded_engine: Engine,
) -> None:
    with seeded_engine.connect() as connection:
        before = StateIndex.kept(connection)
        connection.execute(update(state).where(state.c.iso3 == "PRK").values(iso3="XKP"))
        after = StateIndex.kept(connection)
        connection.rollback()
    assert before.find("PRK").short_name == after.find("XKP").short_name
    with pytest.raises(NotFound):
        after.find("PRK")


def test_the_list_of_states_is_kept_while_nothing_changes(seeded_engine: Engine) -> None:
    with seeded_engine.connect() as connection:
        first = StateIndex.kept(connection)
        again = StateIndex.kept(connection)
    if seeded_engine.dialect.name == "sqlite":
        assert again is first
    else:  # nothing tells a PostgreSQL connection cheaply that states changed: read again
        assert again is not first
    assert again.by_id == first.by_id
