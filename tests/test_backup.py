"""backup writes a consistent snapshot while the database is in use."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from timeline.cli import main


def count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_backup_while_another_writer_holds_a_transaction(
    capsys: pytest.CaptureFixture[str], seeded_path: Path, tmp_path: Path
) -> None:
    writer = sqlite3.connect(seeded_path, isolation_level=None)
    writer.execute("BEGIN")
    writer.execute("UPDATE treaty SET title = 'half-way' WHERE slug = 'ussr-dprk-1961'")
    try:
        target = tmp_path / "snapshot.db"
        code = main(["backup", str(target), "--db", str(seeded_path)])
        out, err = capsys.readouterr()
        assert code == 0, err
        assert "written to" in out
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    # The snapshot holds the committed state only, and is a database the app opens.
    with sqlite3.connect(target) as copy:
        title = copy.execute("SELECT title FROM treaty WHERE slug = 'ussr-dprk-1961'").fetchone()
    assert title[0] != "half-way"
    assert count(target, "treaty") == count(seeded_path, "treaty") == 5
    assert main(["show", "ussr-dprk-1961", "--db", str(target)]) == 0


def test_a_backup_is_one_self_contained_file_with_the_latest_commits(
    seeded_path: Path, tmp_path: Path
) -> None:
    # A change committed by a program still running sits in the database's WAL file.
    other = sqlite3.connect(seeded_path)
    other.execute("UPDATE treaty SET title = 'Renamed' WHERE slug = 'ussr-dprk-1961'")
    other.commit()
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    try:
        assert Path(f"{seeded_path}-wal").stat().st_size > 0
        assert main(["backup", str(shelf / "snapshot.db"), "--db", str(seeded_path)]) == 0
    finally:
        other.close()
    assert [p.name for p in shelf.iterdir()] == ["snapshot.db"]
    # SQLite's rollback-journal mode: the file alone is the database, wherever it is copied.
    assert (shelf / "snapshot.db").read_bytes()[18:20] == b"\x01\x01"
    moved = tmp_path / "moved.db"
    shutil.copy(shelf / "snapshot.db", moved)
    with closing(sqlite3.connect(f"{moved.as_uri()}?mode=ro", uri=True)) as copy:
        title = copy.execute("SELECT title FROM treaty WHERE slug = 'ussr-dprk-1961'").fetchone()
    assert title[0] == "Renamed"


@pytest.mark.parametrize("where", ["missing/folder/x.db", "."])
def test_backup_to_a_bad_place_is_one_line(
    capsys: pytest.CaptureFixture[str], seeded_path: Path, tmp_path: Path, where: str
) -> None:
    code = main(["backup", str(tmp_path / where), "--db", str(seeded_path)])
    _, err = capsys.readouterr()
    assert code == 1 and err.startswith("treaty-timeline: error:") and err.count("\n") == 1
    assert not list(tmp_path.rglob(".backup-*"))


def test_backup_onto_the_database_itself_is_refused(
    capsys: pytest.CaptureFixture[str], seeded_path: Path
) -> None:
    before = count(seeded_path, "treaty")
    assert main(["backup", str(seeded_path), "--db", str(seeded_path)]) == 1
    assert "cannot overwrite the database itself" in capsys.readouterr().err
    assert count(seeded_path, "treaty") == before
