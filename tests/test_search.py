"""The timeline's title search (a full-text index on either engine) and its paging by key."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from db import audit
from db.changes import create_treaty, delete_treaty, update_treaty
from db.models import State
from db.paging import TreatyFilter, key_of, page_select, rows_after, rows_before, treaty_rows
from db.plans import plan
from db.search import search_words, sqlite_match
from timeline.browse import fetch_page
from timeline.timeline_rows import PAGE_SIZE


def _slugs(engine: Engine, text: str) -> list[str]:
    with Session(engine) as session:
        return [r.slug for r in treaty_rows(session, TreatyFilter(text=text), 0, 50)]


def test_each_word_matches_the_start_of_a_word_in_any_case(seeded_engine: Engine) -> None:
    assert _slugs(seeded_engine, "DPR 1961") == ["ussr-dprk-1961", "prc-dprk-1961"]
    assert _slugs(seeded_engine, "assist") == [
        "sino-soviet-1950",
        "ussr-dprk-1961",
        "prc-dprk-1961",
    ]
    # Not the middle of a word: "ssistance" is no word's start.
    assert _slugs(seeded_engine, "ssistance") == []


def test_the_index_follows_adds_edits_and_deletes(seeded_engine: Engine) -> None:
    with Session(seeded_engine) as session:
        audit.begin(session, "test")
        create_treaty(session, {"slug": "zanzibar-pact", "title": "Zanzibar Pact of Concord"})
        session.commit()
    assert _slugs(seeded_engine, "concord zanz") == ["zanzibar-pact"]
    with Session(seeded_engine) as session:
        audit.begin(session, "test")
        update_treaty(session, "zanzibar-pact", {"title": "Pemba Accord"})
        session.commit()
    assert _slugs(seeded_engine, "concord") == []
    assert _slugs(seeded_engine, "pemba") == ["zanzibar-pact"]
    with Session(seeded_engine) as session:
        audit.begin(session, "test")
        delete_treaty(session, "zanzibar-pact")
        session.commit()
    assert _slugs(seeded_engine, "pemba") == []


@pytest.mark.parametrize(
    "typed",
    ['"', "*", "assist*", 'NEAR("a" "b")', "dprk OR ussr", "title:dprk", "-dprk", "^dprk",
     "'; DROP TABLE treaty; --", "%", "_", "\\", "dprk)", "(", "AND", "\x00"],
)  # fmt: skip
def test_search_syntax_typed_by_a_user_is_only_words(seeded_engine: Engine, typed: str) -> None:
    found = _slugs(seeded_engine, typed)
    words = search_words(typed)
    # Whatever is typed, the result is the treaties holding the words typed, and no error.
    if words:
        assert found == _slugs(seeded_engine, " ".join(words))
    if words == ["dprk"]:
        assert found == [slug for slug in _slugs(seeded_engine, "") if "dprk" in slug]
        assert len(found) == 4


def test_fts_queries_quote_every_word() -> None:
    assert search_words("Mutual-Assistance, 1961!") == ["mutual", "assistance", "1961"]
    assert sqlite_match(["mutual", "assist"]) == '"mutual"* "assist"*'


def test_pages_read_by_key_are_the_pages_read_by_position(seeded_engine: Engine) -> None:
    with Session(seeded_engine) as session:
        audit.begin(session, "test")
        for n in range(250):
            # Many share a day, and every 25th is undated: the order's ties and NULLs.
            signed = None if n % 25 == 0 else dt.date(1900 + n % 90, 1 + n % 9, 10 + n % 9)
            create_treaty(
                session,
                {"slug": f"t{n}", "title": f"Treaty {n}", "signed_on": signed,
                 "signed_precision": "day" if signed else None},
            )  # fmt: skip
        session.commit()
        everything = TreatyFilter()
        count = len(treaty_rows(session, everything, 0, 10_000))
        by_position = [
            treaty_rows(session, everything, start, PAGE_SIZE) for start in range(0, count, 100)
        ]
        # Counted from the far end, the same pages.
        assert [treaty_rows(session, everything, start, PAGE_SIZE, count)
                for start in range(0, count, 100)] == by_position  # fmt: skip
        # Seeking from the last row of the page before, or the first row of the page after.
        for page in range(1, len(by_position)):
            after = rows_after(session, everything, _key(by_position[page - 1][-1]), PAGE_SIZE)
            assert after == by_position[page]
            before = rows_before(session, everything, _key(by_position[page][0]), PAGE_SIZE)
            assert before == by_position[page - 1]
    pages = [fetch_page(seeded_engine, everything, p, count) for p in range(len(by_position))]
    following = [
        fetch_page(seeded_engine, everything, p, count, after=pages[p - 1][-1])
        for p in range(1, len(pages))
    ]
    assert following == pages[1:]


def _key(row):  # type: ignore[no-untyped-def]
    return key_of(row)


FILTERS = {
    "everything": TreatyFilter(),
    "in force on a day": TreatyFilter(
        active_from=dt.date(1970, 1, 1), active_to=dt.date(1970, 1, 1)
    ),
    "party": TreatyFilter(state_ids=(1, 2)),
    "strength": TreatyFilter(min_strength=3),
    "words": TreatyFilter(text="mutual assist"),
}


@pytest.mark.parametrize("name", FILTERS)
def test_a_page_is_read_in_time_order_from_the_index_without_sorting(
    seeded_engine: Engine, name: str
) -> None:
    with Session(seeded_engine) as session:
        if seeded_engine.dialect.name == "postgresql":
            # The seeded tables are tiny, so forbid what a big table would make too costly.
            session.connection().exec_driver_sql("SET enable_sort = off")
            session.connection().exec_driver_sql("SET enable_seqscan = off")
        steps = plan(session, page_select(session, FILTERS[name], 0, 100))
    text = "\n".join(steps)
    if seeded_engine.dialect.name == "sqlite":
        # Words are read off the full-text index, whose rowids are in timeline order.
        assert ("treaty_search" if name == "words" else "ix_treaty_timeline") in text
        assert "TEMP B-TREE" not in text
    else:
        assert "ix_treaty_timeline" in text
        assert not any(step.lstrip(" ->").startswith("Sort") for step in steps), text


def test_a_broad_filter_shows_its_rows_first_and_its_exact_count_after(
    seeded_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from timeline import browse
    from timeline.timeline_rows import BrowseFilter

    with Session(seeded_engine) as session:
        audit.begin(session, "test")
        for n in range(250):
            create_treaty(session, {"slug": f"pact-{n}", "title": f"Pact number {n}"})
        session.commit()
    monkeypatch.setattr(browse, "COUNT_AT_ONCE", 120)
    state = browse.apply_filter(seeded_engine, BrowseFilter(text="pact"))
    # A lower bound, with the first page already read.
    assert (state.count, state.exact, len(state.first_page)) == (121, False, PAGE_SIZE)
    assert browse.count_exactly(seeded_engine, state).count == 250
    # Every treaty is always counted exactly: it is cheap.
    everything = browse.apply_filter(seeded_engine, BrowseFilter())
    assert everything.exact and everything.count == 255


@pytest.mark.parametrize("name", FILTERS)
def test_every_way_of_counting_agrees_with_the_rows(seeded_engine: Engine, name: str) -> None:
    from db.paging import count_rows

    f = FILTERS[name]
    with Session(seeded_engine) as session:
        if name == "party":  # North Korea and the USSR, parties to the founding treaties
            ids = session.exec(select(State.id).where(col(State.iso3).in_(["PRK", "SUN"]))).all()
            f = TreatyFilter(state_ids=tuple(ids))
        rows = treaty_rows(session, f, 0, 10_000)
        assert rows or name == "strength"
        assert count_rows(session, f) == len(rows)
        assert count_rows(session, f, at_most=1) == min(1, len(rows))


def _ties_and_undated(session: Session) -> None:
    """Treaties sharing a day, undated ones, and titles the word filter finds."""
    audit.begin(session, "test")
    for n in range(120):
        signed = None if n % 20 == 0 else dt.date(1950 + n % 30, 1 + n % 3, 1)
        create_treaty(
            session,
            {"slug": f"p{n}", "title": f"Mutual Assistance Pact {n}", "signed_on": signed,
             "signed_precision": "day" if signed else None, "strength": n % 6},
        )  # fmt: skip
    session.commit()


@pytest.mark.parametrize("name", FILTERS)
def test_a_treaty_is_found_at_its_place_in_the_timeline(seeded_engine: Engine, name: str) -> None:
    """Where the cursor lands when the timeline comes back to a treaty (after a detail, an
    edit): its place in the filtered list, ties in a day and undated treaties included."""
    from db.paging import row_position

    with Session(seeded_engine) as session:
        _ties_and_undated(session)
        f = FILTERS[name]
        if name == "party":
            ids = session.exec(select(State.id).where(col(State.iso3).in_(["PRK", "SUN"]))).all()
            f = TreatyFilter(state_ids=tuple(ids))
        rows = treaty_rows(session, f, 0, 10_000)
        assert rows
        assert [row_position(session, f, row.slug) for row in rows] == list(range(len(rows)))
        assert row_position(session, f, "no-such-treaty") is None
