"""Anchors (db/paging.py): the key of every n-th row of a long timeline, so that a page far
down is read from the nearest one before it instead of counting from the first row. A page
read from an anchor is the page at that position, under every kind of filter."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from bench.synthetic import generate
from db import paging
from timeline.browse import anchors as browse_anchors
from timeline.browse import apply_filter, count_exactly, fetch_page
from timeline.database import open_database
from timeline.timeline_rows import PAGE_SIZE, BrowseFilter

EVERY = 70  # not a multiple of a page, so anchors fall inside pages


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    path = Path(tmp_path_factory.mktemp("anchors")) / "many.db"
    generate(path, treaties=1500).dispose()
    engine = open_database(path).engine
    with engine.begin() as connection:  # some undated treaties: they come first
        connection.execute(text("UPDATE treaty SET signed_on = NULL, signed_precision = NULL"
                                " WHERE id % 97 = 0"))  # fmt: skip
    yield engine
    engine.dispose()


FILTERS = {  # and the rows between anchors
    "every treaty": (BrowseFilter(), EVERY),
    "strength 3 or more": (BrowseFilter(min_strength="3"), EVERY),
    "in force in the 1960s": (BrowseFilter(period="1960..1969"), EVERY),
    "party USA": (BrowseFilter(party="USA"), 3),  # a party has few of 1,500 treaties
    # Words alone (SQLite): anchors and skips read from the search index alone.
    "words": (BrowseFilter(text="treaty"), EVERY),
}


@pytest.mark.parametrize("name", FILTERS)
def test_pages_read_from_anchors_are_the_pages_at_their_positions(engine, name: str) -> None:  # type: ignore[no-untyped-def]
    wanted, every = FILTERS[name]
    state = count_exactly(engine, apply_filter(engine, wanted))
    assert state.count > 3 * every, "the filter keeps too few treaties for this test"
    with engine.connect() as connection:
        found = paging.anchors(connection, state.filter, every)
        # Each anchor is the key of the row at its position; undated rows get none.
        for position, key in found:
            (row,) = paging.treaty_rows(connection, state.filter, position, 1)
            assert paging.key_of(row) == key and key.signed_on is not None
    assert len(found) >= state.count // every - 2
    every_row = [r.slug for r in fetch_page(engine, state.filter, 0, pages=state.count)]
    assert len(every_row) == state.count
    for page in range((state.count + PAGE_SIZE - 1) // PAGE_SIZE):
        by_anchor = fetch_page(engine, state.filter, page, state.count, anchors=found)
        by_position = fetch_page(engine, state.filter, page, state.count)
        from_start = fetch_page(engine, state.filter, page)  # no count: never from the end
        expected = every_row[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        assert [r.slug for r in by_anchor] == expected, page
        assert [r.slug for r in by_position] == expected, page
        assert [r.slug for r in from_start] == expected, page


def test_words_with_another_filter_get_no_anchors_and_their_pages_are_read_by_position(
    engine,  # type: ignore[no-untyped-def]
) -> None:
    # Each step would join every match it skips to its treaty.
    state = count_exactly(
        engine, apply_filter(engine, BrowseFilter(text="treaty", min_strength="2"))
    )
    assert state.count > 3 * PAGE_SIZE and browse_anchors(engine, state.filter) == []
    every_row = [r.slug for r in fetch_page(engine, state.filter, 0, pages=state.count)]
    for page in range((state.count + PAGE_SIZE - 1) // PAGE_SIZE):
        rows = fetch_page(engine, state.filter, page, state.count)
        assert [r.slug for r in rows] == every_row[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]


def test_stopping_keeps_the_anchors_found_so_far(engine) -> None:  # type: ignore[no-untyped-def]
    state = apply_filter(engine, BrowseFilter())
    asked = []

    def stop() -> bool:
        asked.append(True)
        return len(asked) > 3

    with engine.connect() as connection:
        found = paging.anchors(connection, state.filter, EVERY, stop)
    assert 1 <= len(found) <= 3
