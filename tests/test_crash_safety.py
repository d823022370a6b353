"""An import killed with SIGKILL halfway leaves the database exactly as it was."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA

ATOP = SHARED_DATA / "atop-v4.01"


def dump(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as connection:
        tables = [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]  # fmt: skip
        return {t: connection.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}


@pytest.mark.skipif(not ATOP.is_dir(), reason="the ATOP data set is not beside the checkout")
@pytest.mark.parametrize("after", [0.0, 1.0])
def test_import_killed_halfway_changes_nothing(seeded_path: Path, after: float) -> None:
    before = dump(seeded_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "timeline", "import", str(ATOP), "--db", str(seeded_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    # Wait until the import is writing (its transaction has a journal), then a little more.
    journals = [Path(f"{seeded_path}-journal"), Path(f"{seeded_path}-wal")]
    deadline = time.monotonic() + 60
    while not any(j.exists() and j.stat().st_size > 0 for j in journals):
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        assert time.monotonic() < deadline, "the import never started writing"
        time.sleep(0.005)
    time.sleep(after)
    assert process.poll() is None, "the import finished before it could be interrupted"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    with sqlite3.connect(seeded_path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert dump(seeded_path) == before
    # And the same import then runs to the end.
    done = subprocess.run(
        [sys.executable, "-m", "timeline", "import", str(ATOP), "--db", str(seeded_path)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(seeded_path) as connection:
        assert connection.execute("SELECT count(*) FROM treaty").fetchone()[0] == 746
