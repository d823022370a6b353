"""A consistent snapshot of a SQLite database while it is in use, with SQLite's backup API.

The copy is read in one read transaction: in WAL mode that sees the database as of one moment
while writers keep working (copied in steps instead, every write between two steps would
restart it). On PostgreSQL the server's own pg_dump does this."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from sqlalchemy import Engine

from db.engine import is_sqlite
from db.errors import DatabaseError

# The files SQLite may keep beside a database while it is open.
SIDE_FILES = ("-wal", "-shm", "-journal")


def backup(engine: Engine, target: Path) -> int:
    """Write a snapshot of the database to `target`; returns its size in bytes."""
    if not is_sqlite(engine):
        raise DatabaseError(
            "backup copies SQLite files; for PostgreSQL use pg_dump"
            " (e.g. pg_dump -Fc -f treaties.dump DATABASE)"
        )
    target = target.expanduser().resolve()
    if target.is_dir():
        raise DatabaseError(f"{target} is a folder; give the backup file's name")
    if not target.parent.is_dir():
        raise DatabaseError(f"the folder {target.parent} does not exist")
    source_path = engine.url.database
    if source_path and Path(source_path).resolve() == target:
        raise DatabaseError("the backup cannot overwrite the database itself")
    # Written beside the target under a temporary name, then renamed: a failed backup never
    # leaves a half-written file where a good one was expected.
    handle, scratch = tempfile.mkstemp(prefix=".backup-", suffix=".db", dir=target.parent)
    os.close(handle)
    raw = engine.raw_connection()
    try:
        copy = sqlite3.connect(scratch)
        try:
            raw.driver_connection.backup(copy)  # type: ignore[union-attr]
            # The source's WAL mode comes with its pages; the snapshot goes back to a single
            # self-contained file that opens anywhere, read-only media included.
            copy.execute("PRAGMA journal_mode = DELETE")
            problems = copy.execute("PRAGMA integrity_check").fetchone()[0]
            if problems != "ok":
                raise DatabaseError(f"the copy failed its integrity check: {problems}")
        finally:
            copy.close()
        os.replace(scratch, target)
    except sqlite3.Error as error:
        raise DatabaseError(f"backup failed: {error}") from error
    except OSError as error:
        raise DatabaseError(f"cannot write {target}: {error.strerror}") from error
    finally:
        raw.close()
        for path in (scratch, *(scratch + suffix for suffix in SIDE_FILES)):
            if os.path.exists(path):
                os.unlink(path)
    return target.stat().st_size
