"""What a user sees when a SQLite file cannot be used as asked: locked by another program,
read-only, on a full disk, or not a database at all. Each is one line on stderr with exit
status 1, never a traceback, and the file is left exactly as it was."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.pool import Pool

import db.engine
from tests.conftest import REPO
from tests.db_dump import dump_database
from timeline.cli import main

pytestmark = pytest.mark.sqlite_only(reason="about SQLite files themselves")

ERROR = "treaty-timeline: error: "
LOCKED = "the database is locked by another program; try again in a moment"
READ_ONLY = (
    "the database is read-only (no write permission on the file or its folder): nothing was changed"
)
FULL = "the disk is full: nothing was changed; free some space and try again"
NOT_A_DATABASE = "the file is not a treaty-timeline database (not SQLite, or damaged)"
NOBODY = 65534
EDIT = ["edit", "ussr-dprk-1961", "--strength", "3"]

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Run:
    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def run_command(*argv: str, as_user: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    """The command as a user types it, in a process of its own (optionally as another user)."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [*(as_user or []), sys.executable, "-m", "timeline", *argv],
        capture_output=True, text=True, timeout=120, cwd="/", env=env,
    )  # fmt: skip


def refused(code: int, out: str, err: str, message: str) -> None:
    assert (code, out, err) == (1, "", f"{ERROR}{message}\n")


# -- locked --------------------------------------------------------------------------------------


@pytest.fixture
def short_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    # A lock held for the whole test: waiting the full busy timeout would only slow it down.
    monkeypatch.setattr(db.engine, "BUSY_TIMEOUT_MS", 200)


@pytest.fixture
def writing(seeded_path: Path) -> Iterator[sqlite3.Connection]:
    """Another program in the middle of a write: it holds SQLite's write lock."""
    other = sqlite3.connect(seeded_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE treaty SET title = 'half-way' WHERE slug = 'prc-dprk-1961'")
    yield other
    other.rollback()
    other.close()


def test_an_edit_while_another_program_writes_is_refused_as_locked(
    cli: Run, seeded_path: Path, writing: sqlite3.Connection, short_wait: None
) -> None:
    before = dump_database(seeded_path)  # read while the other program writes: WAL
    refused(*cli(*EDIT, "--db", str(seeded_path)), LOCKED)
    writing.rollback()
    assert dump_database(seeded_path) == before
    code, _, err = cli(*EDIT, "--db", str(seeded_path))  # the same edit, once the lock is gone
    assert code == 0, err


def test_browsing_goes_on_while_another_program_writes(
    cli: Run, seeded_path: Path, writing: sqlite3.Connection, short_wait: None
) -> None:
    # WAL: readers see the last committed state and never wait for the writer.
    code, out, err = cli("show", "prc-dprk-1961", "--db", str(seeded_path))
    assert code == 0, err
    assert "half-way" not in out and "Mutual Assistance" in out


def test_opening_a_file_another_program_holds_exclusively_is_refused_as_locked(
    cli: Run, seeded_path: Path, short_wait: None
) -> None:
    before = seeded_path.read_bytes()
    other = sqlite3.connect(seeded_path, isolation_level=None)
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        refused(*cli("list", "--db", str(seeded_path)), LOCKED)
    finally:
        other.rollback()
        other.close()
    assert seeded_path.read_bytes() == before


def test_a_new_database_is_not_seeded_under_another_writers_lock(
    cli: Run, empty_db: str, short_wait: None
) -> None:
    before = dump_database(empty_db)
    other = sqlite3.connect(empty_db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        refused(*cli("list", "--db", empty_db), LOCKED)
    finally:
        other.rollback()
        other.close()
    assert dump_database(empty_db) == before


# -- read-only -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def other_user() -> list[str]:
    """A prefix that runs a command as a user without write permission on root's files, or []
    when the tests already run as such a user; skips when neither is possible."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root, and setpriv is not there to run as another user")
    prefix = [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    probe = run_command("where", "--db", "/nonexistent/x.db", as_user=prefix)
    if probe.returncode != 0:
        pytest.skip(f"the user nobody cannot run the program: {probe.stderr.strip()}")
    return prefix


@pytest.fixture
def shelf() -> Iterator[Path]:
    """A folder others may enter and read; the tests' own folder is private to their user."""
    folder = Path(tempfile.mkdtemp(prefix="treaty-shelf-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


def _place(seeded_path: Path, shelf: Path, how: str) -> Path:
    path = shelf / "books" / "treaties.db"
    path.parent.mkdir()
    if how == "rollback file":  # e.g. a backup: a single file in SQLite's older journal mode
        with closing(sqlite3.connect(seeded_path)) as source:
            with closing(sqlite3.connect(path)) as copy:
                source.backup(copy)
                copy.execute("PRAGMA journal_mode = DELETE")
    else:
        shutil.copy(seeded_path, path)
    path.chmod(0o444)
    path.parent.chmod(0o777 if how == "WAL file, writable folder" else 0o555)
    return path


@pytest.mark.parametrize(
    "how", ["WAL file, read-only folder", "rollback file", "WAL file, writable folder"]
)
def test_a_read_only_file_can_be_browsed_and_a_change_is_refused(
    seeded_path: Path, shelf: Path, other_user: list[str], how: str
) -> None:
    path = _place(seeded_path, shelf, how)
    before = path.read_bytes()
    shown = run_command("list", "--db", str(path), as_user=other_user)
    assert shown.returncode == 0, shown.stderr
    assert "ussr-dprk-1961" in shown.stdout
    for change in (
        EDIT,
        ["add", "--slug=new-pact-1999", "--title=New Pact", "--party=USA", "--party=CAN"],
    ):
        attempt = run_command(*change, "--db", str(path), as_user=other_user)
        refused(attempt.returncode, attempt.stdout, attempt.stderr, READ_ONLY)
    assert path.read_bytes() == before


# -- a full disk ---------------------------------------------------------------------------------


@contextlib.contextmanager
def _full_disk(path: Path) -> Iterator[None]:
    """Every connection made meanwhile may not grow the file: SQLite answers as on a full disk.
    The file is compacted first, so that there is no free page inside it to fill instead."""
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("VACUUM")

    def no_room(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(Pool, "connect", no_room)
    try:
        yield
    finally:
        event.remove(Pool, "connect", no_room)


def test_an_add_on_a_full_disk_is_one_line_and_changes_nothing(cli: Run, seeded_path: Path) -> None:
    before = dump_database(seeded_path)
    with _full_disk(seeded_path):
        result = cli(
            "add", "--slug", "long-pact-1999", "--title", "Long Pact", "--signed", "1999",
            "--party", "USA", "--party", "CAN", "--summary", "A long summary. " * 1000,
            "--db", str(seeded_path),
        )  # fmt: skip
    refused(*result, FULL)
    assert dump_database(seeded_path) == before


def test_an_import_on_a_full_disk_is_one_line_and_changes_nothing(
    cli: Run, seeded_path: Path, tmp_path: Path
) -> None:
    rows = [f"pact-{n},Pact number {n},{1900 + n % 100},USA; CAN,{'Notes. ' * 500}" for n in
            range(200)]  # fmt: skip
    source = tmp_path / "pacts.csv"
    source.write_text("slug,title,signed,parties,notes\n" + "\n".join(rows) + "\n")
    before = dump_database(seeded_path)
    with _full_disk(seeded_path):
        result = cli("import", str(source), "--db", str(seeded_path))
    refused(*result, FULL)
    assert dump_database(seeded_path) == before


# -- not a database ------------------------------------------------------------------------------


NOT_DATABASES: dict[str, Callable[[bytes], bytes]] = {
    "random bytes": lambda _: os.urandom(64 * 1024),
    "a text file": lambda _: b"Dear editor,\nplease find my notes below.\n" * 200,
    "a database cut after its header": lambda database: database[:100],
    "a database cut after its first page": lambda database: database[:4096],
    "half a database": lambda database: database[: len(database) // 2],
}


@pytest.mark.parametrize("kind", list(NOT_DATABASES))
def test_a_file_that_is_not_a_database_is_one_line_and_left_alone(
    cli: Run, seeded_path: Path, tmp_path: Path, kind: str
) -> None:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    path = folder / "treaties.db"
    path.write_bytes(NOT_DATABASES[kind](seeded_path.read_bytes()))
    before = path.read_bytes()
    shown = run_command("list", "--db", str(path))
    refused(shown.returncode, shown.stdout, shown.stderr, NOT_A_DATABASE)
    assert [p.name for p in folder.iterdir()] == ["treaties.db"]  # nothing left beside it
    refused(*cli(*EDIT, "--db", str(path)), NOT_A_DATABASE)
    assert path.read_bytes() == before


def test_another_programs_database_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "customers.db"
    with closing(sqlite3.connect(path)) as other:
        other.execute("CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT)")
        other.commit()
    before = path.read_bytes()
    shown = run_command("list", "--db", str(path))
    refused(
        shown.returncode, shown.stdout, shown.stderr,
        "this database holds tables but was not created by treaty-timeline; choose another"
        " file with --db",
    )  # fmt: skip
    assert path.read_bytes() == before  # its journal mode too: WAL is for our databases
