"""The three-way merge: a later import updates what the user left alone, reports what the user
changed, and takes the file's value only with overwrite. Run on small cuts of ATOP v4.01."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from tests.conftest import SHARED_DATA
from tests.db_dump import dump_database
from timeline.editing import edit_treaty
from timeline.io.atop import ALLIANCE_FILE, MEMBER_FILE, read_atop
from timeline.io.merge import Conflict, ImportReport, merge_fields, run_import
from timeline.records import load_treaty

ATOP = SHARED_DATA / "atop-v4.01"
# 1115: a begin day ATOP leaves blank; 3440: the founding 1961 treaty; 3625: USSR and Russia;
# 3455: members who joined later; 2145: the USSR and Turkey.
SOME = {1115, 3440, 3455, 3625, 2145}
Change = Callable[[str, dict[str, str]], None]


def atop_cut(folder: Path, ids: set[int] = SOME, change: Change | None = None) -> Path:
    """A folder with the ATOP files cut to these alliances, rows changed by `change`."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in (ALLIANCE_FILE, MEMBER_FILE):
        with (ATOP / name).open(encoding="utf-8", newline="") as source:
            reader = csv.DictReader(source)
            kept = [r for r in reader if int(r["atopid"]) in ids]
            fields = reader.fieldnames
        for row in kept:
            if change:
                change(name, row)
        with (folder / name).open("w", encoding="utf-8", newline="") as target:
            writer = csv.DictWriter(target, fieldnames=fields)  # type: ignore[arg-type]
            writer.writeheader()
            writer.writerows(kept)
    return folder


def import_atop(engine: Engine, folder: Path, **options: bool) -> ImportReport:
    with Session(engine) as session:
        batch = read_atop(folder, session)
    return run_import(engine, batch, **options)


def set_value(atop_id: int, column: str, value: str) -> Change:
    def change(name: str, row: dict[str, str]) -> None:
        if name == ALLIANCE_FILE and int(row["atopid"]) == atop_id:
            row[column] = value

    return change


# -- the rule, key by key ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "incoming", "base", "taken", "conflict"),
    [
        ("a", "a", {"k": "x"}, {}, False),  # as the file says: nothing to do
        ("a", "b", {"k": "a"}, {"k": "b"}, False),  # untouched since the last import: updated
        ("u", "b", {"k": "a"}, {}, True),  # changed by the user and by the file
        ("u", "a", {"k": "a"}, {}, True),  # changed by the user only: still reported
        ("u", None, {"k": None}, {}, False),  # the file says nothing about it
        (None, "b", None, {"k": "b"}, False),  # never imported and empty: filled
        ("u", "b", None, {}, True),  # never imported, both given and different
        ("u", None, None, {}, False),  # never imported, the file silent
    ],
)
def test_the_merge_rule(
    current: str | None,
    incoming: str | None,
    base: dict[str, str | None] | None,
    taken: dict[str, str],
    conflict: bool,
) -> None:
    merge = merge_fields("t", {"k": current}, {"k": incoming}, base)
    assert merge.taken == taken
    assert merge.conflicts == ([Conflict("t", "k", current, incoming)] if conflict else [])
    if conflict:
        forced = merge_fields("t", {"k": current}, {"k": incoming}, base, overwrite=True)
        assert forced.taken == {"k": incoming}


# -- on the database -----------------------------------------------------------------------------


def test_an_edit_survives_a_reimport_as_a_conflict_and_overwrite_takes_the_file(
    seeded_engine: Engine, tmp_path: Path
) -> None:
    folder = atop_cut(tmp_path / "atop")
    import_atop(seeded_engine, folder)
    edit_treaty(seeded_engine, "gbr-rus-1844-atop1115", {"strength": 1, "notes": "checked"})

    report = import_atop(seeded_engine, folder)
    assert Conflict("gbr-rus-1844-atop1115", "strength", 1, 2) in report.conflicts
    assert report.treaties.changed == 0
    with Session(seeded_engine) as session:
        assert load_treaty(session, "gbr-rus-1844-atop1115").strength == 1

    report = import_atop(seeded_engine, folder, overwrite=True)
    assert Conflict("gbr-rus-1844-atop1115", "strength", 1, 2) in report.conflicts
    with Session(seeded_engine) as session:
        t = load_treaty(session, "gbr-rus-1844-atop1115")
        # ATOP does not speak for notes: the user's stay even with overwrite.
        assert (t.strength, t.notes) == (2, "checked")
    # Back in agreement with the file, the treaty is no longer a conflict.
    report = import_atop(seeded_engine, folder)
    assert not [c for c in report.conflicts if c.record == "gbr-rus-1844-atop1115"]


def test_an_updated_file_updates_what_the_user_left_alone(
    seeded_engine: Engine, tmp_path: Path
) -> None:
    import_atop(seeded_engine, atop_cut(tmp_path / "v1"))
    edit_treaty(seeded_engine, "sun-tur-1925-atop2145", {"term_months": 24})

    def update(name: str, row: dict[str, str]) -> None:
        set_value(1115, "endyr", "1847")(name, row)
        set_value(2145, "length", "48")(name, row)

    report = import_atop(seeded_engine, atop_cut(tmp_path / "v2", change=update))
    assert report.summary().startswith("5 treaties: 0 added, 2 changed, 3 left alone")
    assert Conflict("sun-tur-1925-atop2145", "term_months", 24, 48) in report.conflicts
    # 2145 changed only in its ATOP citation, which now gives the new length.
    assert report.changed == ["gbr-rus-1844-atop1115", "sun-tur-1925-atop2145"]
    with Session(seeded_engine) as session:
        changed = load_treaty(session, "gbr-rus-1844-atop1115")
        assert changed.ended.iso() == "1847-06-29"  # type: ignore[union-attr]
        assert changed.version == 2
        # The members still leave in 1846, now before the alliance ends.
        assert {p.left.iso() for p in changed.parties} == {"1846-06-29"}  # type: ignore[union-attr]
        kept = load_treaty(session, "sun-tur-1925-atop2145")
        assert kept.term_months == 24
        assert "length=48" in (kept.citations[0].note or "")


def test_a_treaty_never_imported_gains_only_its_empty_fields(
    seeded_engine: Engine, tmp_path: Path
) -> None:
    with Session(seeded_engine) as session:
        before = load_treaty(session, "ussr-dprk-1961")
    report = import_atop(seeded_engine, atop_cut(tmp_path / "atop", {3440}))
    assert [(c.record, c.field) for c in report.conflicts] == [("ussr-dprk-1961", "provisions")]
    assert report.treaties.unchanged == 1
    with Session(seeded_engine) as session:
        after = load_treaty(session, "ussr-dprk-1961")
    assert after == before  # ATOP's values agree, or the fixture has its own


def test_zero_months_and_days_are_a_coarser_precision(
    seeded_engine: Engine, tmp_path: Path
) -> None:
    def zeros(name: str, row: dict[str, str]) -> None:
        if name == ALLIANCE_FILE and row["atopid"] == "2145":
            row["begday"] = "0"
            row["endmo"], row["endday"] = "0", "0"
        if name == MEMBER_FILE and row["atopid"] == "2145":
            row["dayent"] = "0"

    import_atop(seeded_engine, atop_cut(tmp_path / "atop", {2145}, zeros))
    with Session(seeded_engine) as session:
        t = load_treaty(session, "sun-tur-1925-atop2145")
    assert t.signed.described() == "December 1925 (month)"  # type: ignore[union-attr]
    assert t.ended.described() == "1945 (year)"  # type: ignore[union-attr]
    assert all(p.joined is None for p in t.parties)  # the same month as the treaty's own


def test_a_dry_run_reports_and_writes_nothing(seeded_engine: Engine, tmp_path: Path) -> None:
    before = dump_database(seeded_engine)
    report = import_atop(seeded_engine, atop_cut(tmp_path / "atop"), dry_run=True)
    assert report.treaties.added == 4 and report.dry_run
    assert "dry run" in report.summary()
    assert dump_database(seeded_engine) == before
