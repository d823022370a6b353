"""The fast write paths of a bulk import store what the plain ones did: rows handed straight to
the driver (timeline/io/driver_insert.py) as insert() stores them, the history of records
created whole (audit.change_rows) as the general diff records it, and the collector pause
(timeline/io/gc_pause.py) leaves the collector as it found it."""

from __future__ import annotations

import datetime as dt
import gc
import types
from typing import Any

import pytest
from sqlalchemy import Engine, String, Table, cast, insert, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from db import audit, snapshots
from db.models import Treaty, utc_now
from timeline.io import driver_insert
from timeline.io.driver_insert import insert_dicts, insert_tuples
from timeline.io.gc_pause import gc_paused

TREATY: Table = Treaty.__table__  # type: ignore[assignment]
COLUMNS = ("slug", "title", "short_title", "kind", "signed_on", "signed_precision",
           "signed_uncertain", "in_force_uncertain", "ended_uncertain", "indefinite", "summary",
           "strength", "version", "created_at", "updated_at")  # fmt: skip


NOW = utc_now()


def treaty_rows(prefix: str, count: int, now: dt.datetime = NOW) -> list[dict[str, Any]]:
    """Rows with dates, flags, a timestamp, a column empty in every row (summary) and one empty
    in some (short_title, signed_on and its precision)."""
    return [
        {
            "slug": f"{prefix}-{n}",
            "title": f"Pact {n}",
            "short_title": f"P{n}" if n % 3 else None,
            "kind": "alliance",
            "signed_on": dt.date(1900 + n % 100, 1 + n % 12, 1) if n % 4 else None,
            "signed_precision": "month" if n % 4 else None,
            "signed_uncertain": n % 2 == 0,
            "in_force_uncertain": False,
            "ended_uncertain": True,
            "indefinite": n % 5 == 0,
            "summary": None,
            "strength": n % 6,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for n in range(count)
    ]


def stored(session: Session, prefix: str) -> list[tuple[Any, ...]]:
    """The rows written, by id, as the models read them and as the database holds them (as
    text), the slug's prefix left out."""
    columns = [TREATY.c[name] for name in COLUMNS]
    rows = session.execute(
        select(*columns, *(cast(c, String) for c in columns))
        .where(TREATY.c.slug.startswith(f"{prefix}-"))
        .order_by(TREATY.c.id)
    )
    skip = len(COLUMNS)
    return [(row[0].removeprefix(f"{prefix}-"), *row[1:skip], *row[skip + 1 :]) for row in rows]


@pytest.mark.parametrize("count", [1, 2, 250])
def test_rows_handed_to_the_driver_are_stored_as_insert_stores_them(
    seeded_engine: Engine, count: int
) -> None:
    with Session(seeded_engine) as session:
        session.execute(insert(TREATY), treaty_rows("core", count))
        insert_dicts(session, TREATY, treaty_rows("driver", count))
        expected = stored(session, "core")
        assert len(expected) == count
        # Stored in their order (ids follow it), with the same values and types.
        assert stored(session, "driver") == expected
        session.rollback()


def test_rows_as_tuples_and_statements_of_many_rows(
    seeded_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Statements of three rows on SQLite: a file of seven is written as 3 + 3 + 1.
    monkeypatch.setattr(driver_insert, "ROWS_PER_STATEMENT", 3)
    rows = treaty_rows("tuples", 7)
    with Session(seeded_engine) as session:
        insert_tuples(session, TREATY, COLUMNS, [tuple(r[c] for c in COLUMNS) for r in rows])
        session.execute(insert(TREATY), treaty_rows("core", 7))
        assert stored(session, "tuples") == stored(session, "core")
        session.rollback()


@pytest.mark.sqlite_only("SQLite's limit on the values bound in one statement")
@pytest.mark.parametrize(("version", "limit"), [((3, 40, 1), 32_766), ((3, 31, 1), 999)])
def test_statements_keep_under_the_sqlite_librarys_limit_of_bound_values(
    seeded_engine: Engine, monkeypatch: pytest.MonkeyPatch, version: tuple[int, ...], limit: int
) -> None:
    # 1,200 rows of up to 15 values: 500-row statements of up to 7,500 values under SQLite
    # 3.32 and later; before it, 999 values, so 66 rows (of all 15 columns) at most.
    rows = [tuple(r[c] for c in COLUMNS) for r in treaty_rows("limit", 1200)]
    dialect = seeded_engine.dialect
    monkeypatch.setattr(dialect, "dbapi", types.SimpleNamespace(sqlite_version_info=version))
    statements = driver_insert.prepared(dialect, TREATY, COLUMNS, rows)
    monkeypatch.undo()
    per_row = len(COLUMNS)  # no column is empty in every row of these but summary
    written = 0
    for sql, params in statements:
        assert isinstance(sql, str)
        for values in params:
            assert sql.count("?") == len(values) <= limit
            written += len(values) // (per_row - 1)
    assert written == 1200
    assert max(len(v) // (per_row - 1) for _, p in statements for v in p) == min(
        driver_insert.ROWS_PER_STATEMENT, limit // (per_row - 1)
    )
    with Session(seeded_engine) as session:
        driver_insert.run(session.connection(), statements)
        session.execute(insert(TREATY), treaty_rows("core", 1200))
        assert stored(session, "limit") == stored(session, "core")
        session.rollback()


def test_a_refused_row_fails_the_statement_as_insert_would(seeded_engine: Engine) -> None:
    rows = treaty_rows("twice", 3)
    rows[2]["slug"] = rows[0]["slug"]
    with Session(seeded_engine) as session:
        with pytest.raises(IntegrityError):
            insert_dicts(session, TREATY, rows)
        session.rollback()
        assert stored(session, "twice") == []


def test_nothing_to_write_writes_nothing(seeded_engine: Engine) -> None:
    with Session(seeded_engine) as session:
        insert_dicts(session, TREATY, [])
        insert_tuples(session, TREATY, COLUMNS, [])
        assert stored(session, "core") == []


# -- the history of records created whole --------------------------------------------------------


def test_the_rows_of_a_record_created_whole_are_those_of_the_general_diff(
    seeded_engine: Engine,
) -> None:
    after: snapshots.Snapshot = {
        ("provision", "10"): {"article": "10", "sources": []},
        ("treaty_party", "USA:party"): {"signer": "A", "sources": []},
        ("provision", "2"): {"article": "2", "sources": []},
        ("treaty", None): {"slug": "whole-1999", "title": "Whole"},
        ("treaty_party", "FRA:guarantor"): {"signer": None, "sources": []},
    }
    event: snapshots.Snapshot = {("event", None): {"on": "1999", "treaty": "whole-1999"}}
    with Session(seeded_engine) as session:
        audit.begin(session, "test")
        rows = audit.change_rows(
            session,
            [("treaty", 1, {}, after), ("event", "e-1", {}, event), ("source", "s", {}, {})],
        )
        change_set = audit.change_set_id(session)
        session.rollback()
    expected = [
        (
            change_set,
            d.table,
            "whole-1999",
            d.part,
            "whole-1999",
            "create",
            None,
            None,
            snapshots.encode(d.new),
        )  # fmt: skip
        for d in snapshots.diff({}, after)
    ]
    expected += [
        (
            change_set,
            "event",
            "e-1",
            None,
            "whole-1999",
            "create",
            None,
            None,
            snapshots.encode(event[("event", None)]),
        )  # fmt: skip
    ]
    assert rows == expected
    assert [r[3] for r in rows[:5]] == [None, "FRA:guarantor", "USA:party", "2", "10"]


# -- the collector -------------------------------------------------------------------------------


def test_the_collector_is_paused_and_then_as_it_was() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), gc_paused():
        raise ValueError("an import that fails")
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # off before: left off
    finally:
        gc.enable()
