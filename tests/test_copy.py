"""`copy` moves a whole database to another engine and back without losing a thing: a SQLite
file into the test engine's database (PostgreSQL when TREATY_TIMELINE_TEST_PG is set) and back
into a new SQLite file gives the original, row for row."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from db.engine import database_url, make_engine
from db.models import Treaty
from tests.db_dump import dump_database, nothing_created
from timeline.cli import main
from timeline.editing import add_treaty


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def original(sqlite_template: Path, tmp_path: Path) -> str:
    """A SQLite file with the founding records and the awkward cases: a treaty that replaces
    one added after it, text beyond ASCII, flags set, and an event without states."""
    path = tmp_path / "original.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(database_url(path))
    add_treaty(
        engine,
        {
            "slug": "traite-1999",
            "title": "Traité d'amitié — 友好条約",
            "signed": "July 1999",
            "signed_uncertain": True,
            "indefinite": True,
            "parties": ["FRA", "JPN"],
            "strength": 1,
        },
    )
    with Session(engine) as session:
        newest = session.exec(select(Treaty).where(Treaty.slug == "traite-1999")).one()
        oldest = session.exec(select(Treaty).where(Treaty.slug == "sino-soviet-1950")).one()
        oldest.replaces_id = newest.id
        session.commit()
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO event (key, happened_on, happened_precision, happened_uncertain,"
                " kind, title) VALUES ('quiet-1999', '1999-01-01', 'year', TRUE, 'other', 'x')"
            )
        )
    engine.dispose()
    return str(path)


def test_sqlite_to_the_test_engine_and_back_is_the_original(
    capsys: pytest.CaptureFixture[str], original: str, new_db: str, tmp_path: Path
) -> None:
    before = dump_database(original)
    code, out, err = run(capsys, "copy", "--db", original, "--to", new_db)
    assert code == 0, err
    counts = dict(line.split() for line in out.splitlines()[1:-1])
    assert counts["treaty"] == "6" and "row counts checked" in out
    assert dump_database(new_db) == before

    back = str(tmp_path / "back" / "treaties.db")
    code, out, err = run(capsys, "copy", "--db", new_db, "--to", back)
    assert code == 0, err
    assert dump_database(back) == before
    # Every table came along, the schema's version included.
    assert set(before) >= {"alembic_version", "treaty", "citation", "event_state"}


def test_the_copy_takes_new_records_after_the_copied_ids(
    capsys: pytest.CaptureFixture[str], original: str, new_db: str
) -> None:
    assert run(capsys, "copy", "--db", original, "--to", new_db)[0] == 0
    code, _, err = run(
        capsys, "add", "--db", new_db, "--slug", "after-2001", "--title", "After",
        "--signed", "2001", "--party", "USA", "--party", "CAN",
    )  # fmt: skip
    assert code == 0, err
    engine = make_engine(database_url(new_db))
    with Session(engine) as session:
        ids = session.exec(select(Treaty.id).order_by(Treaty.id)).all()
    engine.dispose()
    assert len(ids) == 7 and ids[-1] > ids[-2]


def test_a_target_holding_treaties_is_refused_unless_replace(
    capsys: pytest.CaptureFixture[str], original: str, seeded_db: str
) -> None:
    held = dump_database(seeded_db)
    code, out, err = run(capsys, "copy", "--db", original, "--to", seeded_db)
    assert (code, out) == (1, "")
    assert "already holds 5 treaties" in err and "--replace" in err and err.count("\n") == 1
    assert dump_database(seeded_db) == held

    code, out, err = run(capsys, "copy", "--db", original, "--to", seeded_db, "--replace")
    assert code == 0, err
    assert "replacing its 5 treaties" in out
    assert dump_database(seeded_db) == dump_database(original)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("postgres://somewhere/treaties", "cannot open postgres:// databases"),
        ("not a url://", "cannot read the database URL"),
        ("postgresql+psycopg://me:secret@/treaties?host=/nonexistent", "cannot reach"),
    ],
)
def test_a_bad_target_gets_one_line(
    capsys: pytest.CaptureFixture[str], original: str, target: str, message: str
) -> None:
    before = dump_database(original)
    code, out, err = run(capsys, "copy", "--db", original, "--to", target)
    assert (code, out) == (1, "")
    assert err.startswith("treaty-timeline: error: ") and err.count("\n") == 1, err
    assert message in err and "secret" not in err and "Traceback" not in err
    assert dump_database(original) == before


def test_a_missing_source_gets_one_line_and_nothing_is_made(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, new_db: str
) -> None:
    missing = str(tmp_path / "missing.db")
    code, _, err = run(capsys, "copy", "--db", missing, "--to", new_db)
    assert code == 1 and "no database at" in err and err.count("\n") == 1
    assert nothing_created(missing) and nothing_created(new_db)


def test_the_same_database_is_refused(capsys: pytest.CaptureFixture[str], seeded_db: str) -> None:
    code, _, err = run(capsys, "copy", "--db", seeded_db, "--to", seeded_db, "--replace")
    assert code == 1 and "the same database" in err


@pytest.mark.postgres_only
def test_a_row_the_server_refuses_stops_the_copy_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], original: str, new_db: str
) -> None:
    # SQLite keeps a title longer than its column's 500 characters; PostgreSQL does not.
    engine = make_engine(database_url(original))
    with engine.begin() as connection:
        connection.execute(text("UPDATE treaty SET title = :t WHERE id = 1"), {"t": "x" * 600})
    engine.dispose()
    code, out, err = run(capsys, "copy", "--db", original, "--to", new_db)
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and "copy stopped at the table treaty" in err
    assert "too long" in err
    rows = dump_database(new_db)
    assert rows["alembic_version"] and not any(rows[t] for t in ("state", "treaty", "source"))


@pytest.mark.sqlite_only(reason="about SQLite's write lock on the target file")
def test_a_copy_waits_for_another_program_writing_to_the_target(
    capsys: pytest.CaptureFixture[str], original: str, sqlite_template: Path, tmp_path: Path
) -> None:
    target = tmp_path / "target.db"
    shutil.copy(sqlite_template, target)
    writing = threading.Event()

    def another_program() -> None:
        connection = sqlite3.connect(target, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("UPDATE state SET name = name WHERE id = 1")
        writing.set()
        time.sleep(0.5)
        connection.execute("COMMIT")
        connection.close()

    thread = threading.Thread(target=another_program)
    thread.start()
    assert writing.wait(5)
    code, out, err = run(capsys, "copy", "--db", original, "--to", str(target), "--replace")
    thread.join()
    assert code == 0, err
    assert dump_database(str(target)) == dump_database(original)
