"""The first page read with the standard library before the database layer is imported."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from db.engine import database_url, make_engine
from db.paging import TreatyFilter
from timeline.browse import apply_filter, fetch_page
from timeline.first_page import peek
from timeline.timeline_rows import BrowseFilter

TODAY = dt.date(2026, 11, 27)
pytestmark = pytest.mark.sqlite_only(reason="reads the SQLite file itself")


def test_the_first_page_is_the_one_the_database_layer_reads(seeded_path: Path) -> None:
    first = peek(str(seeded_path), TODAY)
    engine = make_engine(database_url(seeded_path))
    state = apply_filter(engine, BrowseFilter(), TODAY)
    assert first is not None
    assert list(first.first_page) == fetch_page(engine, TreatyFilter(), 0)
    assert (first.count, first.first, first.last) == (state.count, state.first, state.last)
    engine.dispose()


def test_anything_unusual_is_left_to_the_database_layer(seeded_path: Path, tmp_path: Path) -> None:
    assert peek(str(tmp_path / "missing.db"), TODAY) is None
    assert peek("postgresql+psycopg://someone@somewhere/treaties", TODAY) is None
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 100)
    assert peek(str(junk), TODAY) is None
    with sqlite3.connect(seeded_path) as connection:  # a schema this program would upgrade
        connection.execute("UPDATE alembic_version SET version_num = '0004'")
    assert peek(str(seeded_path), TODAY) is None
