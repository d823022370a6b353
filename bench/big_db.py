"""Generated treaty databases of any size, built fast and kept between runs.

    python -m bench.big_db 1000000 [--seed 1961] [--rebuild]

The file is made by the program itself (`open_database`: the schema at its head, seeded with
the founding records), then filled with bench/synthetic.py's treaties by plain sqlite3
`executemany`, with the secondary indexes and the title search index dropped during the load
and made again afterwards from their own definitions; the result holds the same rows as
`bench.synthetic.generate` writes, several times faster (a million treaties in about two and a
half minutes of processor time). Databases are cached under CACHE_DIR as N.db and reused while
the schema (the head revision, the migration scripts and the search index's definition) and the
seed are the same."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import sqlite3
import time
from collections.abc import Iterator
from operator import itemgetter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CACHE_DIR = Path("/tmp/treaty-timeline-bench")
TABLES = ("treaty", "treaty_party", "provision", "event", "event_state")
BATCH = 20_000
CACHE_KIB = -200_000  # SQLite's page cache while building: 200 MB (negative: in KiB)
# Every generated row gets the same creation time, so the same seed gives the same file.
CREATED = "2026-01-01 00:00:00.000000"


def schema_key() -> str:
    """The schema head and a digest of the migration scripts and the search index's DDL: a
    cached database is stale as soon as any of them changes."""
    from db.schema import SCHEMA_HEAD

    digest = hashlib.sha256()
    sources = sorted((REPO / "db" / "migrations" / "versions").glob("*.py"))
    for source in [*sources, REPO / "db" / "search.py"]:
        digest.update(source.read_bytes())
    return f"{SCHEMA_HEAD}-{digest.hexdigest()[:16]}"


def _stamp(path: Path) -> Path:
    return path.with_suffix(".json")


def _cached(path: Path, treaties: int, seed: int) -> bool:
    try:
        stamp = json.loads(_stamp(path).read_text())
    except (OSError, ValueError):
        return False
    wanted = {"treaties": treaties, "seed": seed, "schema": schema_key()}
    return path.exists() and all(stamp.get(k) == v for k, v in wanted.items())


def database(treaties: int, seed: int = 1961, rebuild: bool = False) -> Path:
    """The path of a database with `treaties` generated treaties, built if not cached."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    path = CACHE_DIR / f"{treaties}.db" if seed == 1961 else CACHE_DIR / f"{treaties}-{seed}.db"
    # One builder at a time per file: a second benchmark waits and then reuses the result.
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if rebuild or not _cached(path, treaties, seed):
            started = time.perf_counter()
            # The key of the sources the build reads, taken before it: one edited during a
            # build of several minutes must not stamp the file as made from the new sources.
            stamp = {"treaties": treaties, "seed": seed, "schema": schema_key()}
            build(path, treaties, seed)
            _stamp(path).write_text(json.dumps(stamp))
            print(f"built {path} ({treaties:,} treaties) in {time.perf_counter() - started:.0f} s")
    return path


def warm_file_cache(path: Path) -> None:
    """Read the file once, so every figure is taken with it in the system's file cache (as
    after any earlier use) rather than depending on what a previous run left there."""
    with open(path, "rb") as handle:
        while handle.read(1 << 22):
            pass


def build(path: Path, treaties: int, seed: int) -> None:
    """Write the database to a scratch file beside `path` and move it into place when done."""
    scratch = path.with_suffix(".building")
    for leftover in (scratch, Path(f"{scratch}-journal"), Path(f"{scratch}-wal")):
        leftover.unlink(missing_ok=True)
    states, first_id = _create(scratch)
    with _bulk_connection(scratch) as connection:
        indexes = _drop_indexes(connection)
        _load(connection, states, treaties, seed, first_id)
        for statement in indexes:
            connection.execute(statement)
    _index_titles(scratch)
    # The old file's log, if any, belongs to it and not to the new one.
    for stale in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    scratch.replace(path)


def _create(path: Path) -> tuple[list[tuple[int, str]], int]:
    """A new seeded database made by the program; the states and the next treaty id."""
    from bench.synthetic import database_states
    from db.search import drop_search_index
    from timeline.database import open_database

    engine = open_database(path).engine
    try:
        states, first_id = database_states(engine)
        # Filling the title index row by row through its triggers is the slow part of a load;
        # it is built in one pass at the end instead.
        with engine.begin() as connection:
            drop_search_index(connection)
    finally:
        engine.dispose()
    return states, first_id


def _index_titles(path: Path) -> None:
    from db.engine import make_engine
    from db.search import create_search_index

    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as connection:
            # The index is written in one pass; a large cache spares it re-reading its pages.
            connection.exec_driver_sql(f"PRAGMA cache_size = {CACHE_KIB}")
            create_search_index(connection)
    finally:
        engine.dispose()


@contextlib.contextmanager
def _bulk_connection(path: Path) -> Iterator[sqlite3.Connection]:
    # A scratch file: no journal and no syncing, since a failed build is thrown away.
    connection = sqlite3.connect(path, isolation_level=None)
    # Dates as SQLAlchemy writes them to SQLite (booleans are already 0 and 1 there).
    sqlite3.register_adapter(dt.date, dt.date.isoformat)
    try:
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute(f"PRAGMA cache_size = {CACHE_KIB}")
        connection.execute("BEGIN")
        yield connection
        connection.execute("COMMIT")
    finally:
        connection.close()


def _drop_indexes(connection: sqlite3.Connection) -> list[str]:
    """Drop the loaded tables' secondary indexes; the statements that make them again."""
    marks = ",".join("?" * len(TABLES))
    found = connection.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        f" AND tbl_name IN ({marks})",
        TABLES,
    ).fetchall()
    for name, _ in found:
        connection.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in found]


def _load(
    connection: sqlite3.Connection,
    states: list[tuple[int, str]],
    treaties: int,
    seed: int,
    first_id: int,
) -> None:
    from bench.synthetic import treaty_rows

    batches: dict[str, list[dict[str, Any]]] = {table: [] for table in TABLES}
    for rows in treaty_rows(states, treaties, seed, first_id):
        rows.treaty.update(created_at=CREATED, updated_at=CREATED)
        batches["treaty"].append(rows.treaty)
        batches["treaty_party"].extend(rows.parties)
        batches["provision"].extend(rows.provisions)
        batches["event"].extend(rows.events)
        batches["event_state"].extend(rows.event_states)
        if len(batches["treaty"]) >= BATCH:
            _flush(connection, batches)
    _flush(connection, batches)


def _flush(connection: sqlite3.Connection, batches: dict[str, list[dict[str, Any]]]) -> None:
    for table in TABLES:  # parents before children
        rows = batches[table]
        if not rows:
            continue
        columns = list(rows[0])
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" * len(columns))
        values = itemgetter(*columns)
        connection.executemany(
            f'INSERT INTO "{table}" ({names}) VALUES ({marks})', map(values, rows)
        )
        rows.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("treaties", type=int)
    parser.add_argument("--seed", type=int, default=1961)
    parser.add_argument("--rebuild", action="store_true", help="build again even if cached")
    args = parser.parse_args()
    print(database(args.treaties, args.seed, args.rebuild))


if __name__ == "__main__":
    main()
