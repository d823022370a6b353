"""An import or a copy killed with SIGKILL halfway leaves the database exactly as it was, on
either engine: what it had written was never committed."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench.synthetic import generate
from db.engine import database_url, make_engine
from tests.conftest import SHARED_DATA
from tests.db_dump import dump_database

ATOP = SHARED_DATA / "atop-v4.01"
# Big enough that a copy runs for seconds and writes megabytes before it commits.
SOURCE_TREATIES = 15_000
EXPORTED_TREATIES = 4_000
FOUNDING_TREATIES = 5
MB = 1024 * 1024


@contextmanager
def storage_size(target: str) -> Iterator[Callable[[], int]]:
    """A gauge of the bytes a database takes on disk, uncommitted writes included: a SQLite
    file with its write-ahead log, or a server database's files."""
    url = database_url(target)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        files = [Path(parsed.database or ""), Path(f"{parsed.database}-wal")]
        yield lambda: sum(f.stat().st_size for f in files if f.exists())
        return
    engine = make_engine(url)
    with engine.connect() as connection:
        query = text("SELECT pg_database_size(current_database())")
        yield lambda: connection.execute(query).scalar_one()
    engine.dispose()


def start(*argv: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "timeline", *argv],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def wait_while_running(process: subprocess.Popen[str], until: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 120
    while not until():
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        assert time.monotonic() < deadline, "the command never got that far"
        time.sleep(0.01)


def kill_while_writing(process: subprocess.Popen[str], target: str, grown: int) -> None:
    """SIGKILL the process once the target has grown by `grown` bytes: it is writing, and
    has not committed (a commit comes at the very end)."""
    with storage_size(target) as size:
        initial = size()
        wait_while_running(process, lambda: size() >= initial + grown)
    assert process.poll() is None, "the command finished before it could be interrupted"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


@contextmanager
def schema_committed(target: str) -> Iterator[Callable[[], bool]]:
    """A check that the target holds a committed schema. It only reads: a missing SQLite file
    is not made."""
    url = database_url(target)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")

        def in_file() -> bool:
            if not path.exists():
                return False
            with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as reading:
                try:
                    found = reading.execute(
                        "SELECT count(*) FROM sqlite_master WHERE name = 'alembic_version'"
                    ).fetchone()
                except sqlite3.Error:  # caught while the file is being made: not yet
                    return False
                return found[0] == 1

        yield in_file
        return
    engine = make_engine(url)
    with engine.connect() as connection:
        query = text("SELECT to_regclass('alembic_version') IS NOT NULL")
        yield lambda: connection.execute(query).scalar_one()
    engine.dispose()


def intact(target: str) -> None:
    """A SQLite file passes SQLite's own check (a server keeps its files itself)."""
    url = make_url(database_url(target))
    if url.get_backend_name() == "sqlite":
        with closing(sqlite3.connect(url.database or "")) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def finish(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "timeline", *argv], capture_output=True, text=True, timeout=600
    )


# -- data big enough to kill a command halfway -----------------------------------------------


@pytest.fixture(scope="module")
def big_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with thousands of generated treaties, whatever engine the tests run on."""
    path = tmp_path_factory.mktemp("big") / "source.db"
    generate(path, treaties=SOURCE_TREATIES).dispose()
    return path


@pytest.fixture(scope="module")
def big_export(big_source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Our JSON with thousands of treaties new to the founding records: an import of seconds."""
    path = tmp_path_factory.mktemp("export") / "treaties.json"
    argv = ["export", "--format", "json", "--limit", str(EXPORTED_TREATIES), "-o", str(path)]
    done = finish(*argv, "--db", str(big_source))
    assert done.returncode == 0, done.stderr
    return path


# -- import --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "grown"),
    [
        pytest.param("ATOP v4.01", 64 * 1024, id="ATOP, as it starts writing"),
        pytest.param("generated", 4 * MB, id="generated treaties, well into writing"),
    ],
)
def test_import_killed_halfway_changes_nothing(
    request: pytest.FixtureRequest, seeded_db: str, data: str, grown: int
) -> None:
    if data == "generated":
        source = request.getfixturevalue("big_export")
        treaties = FOUNDING_TREATIES + EXPORTED_TREATIES
    elif ATOP.is_dir():
        source, treaties = ATOP, 746
    else:
        pytest.skip("the ATOP data set is not beside the checkout")
    before = dump_database(seeded_db)
    process = start("import", str(source), "--db", seeded_db)
    kill_while_writing(process, seeded_db, grown=grown)
    intact(seeded_db)
    assert dump_database(seeded_db) == before
    # And the same import then runs to the end.
    done = finish("import", str(source), "--db", seeded_db)
    assert done.returncode == 0, done.stderr
    assert len(dump_database(seeded_db)["treaty"]) == treaties


# -- copy ----------------------------------------------------------------------------------------


def test_copy_into_a_new_database_killed_halfway_leaves_it_without_records(
    big_source: Path, new_db: str, empty_db: str
) -> None:
    source_before = dump_database(big_source)
    process = start("copy", "--db", str(big_source), "--to", new_db)
    # The schema comes first, in a transaction of its own; then the rows, in one transaction.
    with schema_committed(new_db) as committed:
        wait_while_running(process, committed)
    kill_while_writing(process, new_db, grown=2 * MB)
    intact(new_db)
    # What copy promises: the target's records are as they were, none; its schema stays.
    assert dump_database(new_db) == dump_database(empty_db)
    assert dump_database(big_source) == source_before
    # The same copy then runs to the end: a target without treaties needs no --replace.
    done = finish("copy", "--db", str(big_source), "--to", new_db)
    assert done.returncode == 0, done.stderr
    assert len(dump_database(new_db)["treaty"]) == len(source_before["treaty"])


def test_copy_replacing_a_database_killed_halfway_leaves_it_as_it_was(
    big_source: Path, seeded_db: str
) -> None:
    before, source_before = dump_database(seeded_db), dump_database(big_source)
    # --replace empties the target first: in the same transaction as the copy.
    process = start("copy", "--db", str(big_source), "--to", seeded_db, "--replace")
    kill_while_writing(process, seeded_db, grown=2 * MB)
    intact(seeded_db)
    assert dump_database(seeded_db) == before
    assert dump_database(big_source) == source_before
