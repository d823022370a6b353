"""The filter bar's boxes: the period box's dates, and the party box, which finds states as the
database holds them now though the list of states is kept between keystrokes
(StateIndex.kept)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, update

from db.errors import NotFound
from db.tables import state
from timeline.browse import apply_filter, period_ends
from timeline.database import open_database
from timeline.states import StateIndex
from timeline.timeline_rows import BrowseFilter


@pytest.mark.parametrize(
    ("typed", "first", "last"),
    [
        ("1961", dt.date(1961, 1, 1), dt.date(1961, 12, 31)),
        ("6 July 1961", dt.date(1961, 7, 6), dt.date(1961, 7, 6)),
        ("1961-07-06", dt.date(1961, 7, 6), dt.date(1961, 7, 6)),  # its hyphens join, not part
        ("1950..1990", dt.date(1950, 1, 1), dt.date(1990, 12, 31)),
        (" 1950 .. July 1990 ", dt.date(1950, 1, 1), dt.date(1990, 7, 31)),
        ("1950 to 1990", dt.date(1950, 1, 1), dt.date(1990, 12, 31)),
        ("1950 TO 1990", dt.date(1950, 1, 1), dt.date(1990, 12, 31)),
        ("1950 \u2013 1990", dt.date(1950, 1, 1), dt.date(1990, 12, 31)),
        ("1950 - 1990", dt.date(1950, 1, 1), dt.date(1990, 12, 31)),
        ("1950..", dt.date(1950, 1, 1), None),
        ("..1990", None, dt.date(1990, 12, 31)),
        ("", None, None),
    ],
)
def test_the_period_box_reads_one_date_or_two(
    typed: str, first: dt.date | None, last: dt.date | None
) -> None:
    start, end = period_ends(typed)
    assert (start.first_day if start else None, end.last_day if end else None) == (first, last)


def test_a_period_filter_shows_the_treaties_in_force_then(seeded_engine: Engine) -> None:
    on_the_day = apply_filter(seeded_engine, BrowseFilter(period="1961-07-06"))
    assert on_the_day.description == "in force on 6 July 1961"
    assert [row.slug for row in on_the_day.first_page if "prk" in row.slug] == ["ussr-dprk-1961"]
    span = apply_filter(seeded_engine, BrowseFilter(period="1990 to 2010", party="PRK"))
    assert span.description == "party North Korea, in force 1990 to 2010"
    # The 1961 pacts were still in force in 1990; the 2024 treaty was not yet signed in 2010.
    assert [row.slug for row in span.first_page] == [
        "ussr-dprk-1961",
        "prc-dprk-1961",
        "russia-dprk-2000",
    ]


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
