"""Bulk import figures: synthetic treaties as one of our own JSON files (what
`treaty-timeline export --format json` writes), imported through the real import into a fresh
seeded database, against raw `sqlite3.executemany` of the same rows into another.

    python -m bench.import_bulk [--treaties 20000] [--seed 1961] [--runs 3] [--profile 30]

Treaties have two to four parties, one or two clauses and up to two events (bench/synthetic.py,
with a second clause and event added here). The import is timed from reading the file to its
commit, in this process, with its validation, merge, import snapshots and edit history; the raw
figure is plain INSERTs of the same treaty, party, clause, event and event-state rows, prepared
beforehand, in one transaction. Rows are those rows, the same count for both. Each side runs
three times, alternating, and its fastest run counts: on a busy machine one run of either
side can take half as long again."""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import json
import pstats
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sqlmodel import Session  # noqa: E402

from bench.synthetic import CLAUSES, TreatyRows, database_states, treaty_rows  # noqa: E402
from timeline.database import open_database  # noqa: E402
from timeline.dates import PartialDate  # noqa: E402
from timeline.io.exchange_import import read_json  # noqa: E402
from timeline.io.export_json import FORMAT, dumps, event_object, treaty_object  # noqa: E402
from timeline.io.merge import ImportReport, run_import  # noqa: E402
from timeline.records import (  # noqa: E402
    EventRecord,
    PartyRecord,
    ProvisionRecord,
    StateIndex,
    TreatyRecord,
    partial,
)

TARGET = 0.5  # the import at least half the raw rate
TABLES = ("treaty", "treaty_party", "provision", "event", "event_state")
# What the import writes besides: citations, sources, import records and the history.
WRITTEN = (*TABLES, "citation", "source", "import_record", "change_set", "change")
SECOND_CLAUSE = 0.5  # share of treaties with a second clause
SECOND_EVENT = 0.3  # share with one more event
EXTRA_EVENT_IDS = 2_000_000  # above the ids bench/synthetic.py gives its events


# -- the rows ------------------------------------------------------------------------------------


def bundles(
    states: Sequence[tuple[int, str]], treaties: int, seed: int, first_id: int
) -> list[TreatyRows]:
    """Synthetic treaties with up to two clauses and two events each."""
    rng = random.Random(seed + 1)
    event_id = EXTRA_EVENT_IDS
    found = []
    for rows in treaty_rows(states, treaties, seed, first_id):
        treaty = rows.treaty
        if rng.random() < SECOND_CLAUSE:
            rows.provisions.append({
                "treaty_id": treaty["id"], "position": 2, "article": "2",
                "obligation": "consultation", "security": True,
                "text": rng.choice(CLAUSES), "text_status": "verbatim",
            })  # fmt: skip
        if rng.random() < SECOND_EVENT:
            event_id += 1
            on = treaty["signed_on"] + dt.timedelta(days=rng.randrange(1, 3650))
            rows.events.append({
                "id": event_id, "key": f"synthetic-event-{event_id}", "happened_on": on,
                "happened_precision": "day", "happened_uncertain": False, "kind": "statement",
                "title": f"Statement on {treaty['short_title']}", "treaty_id": treaty["id"],
            })  # fmt: skip
            state_id = rows.parties[-1]["state_id"]
            rows.event_states.append({"event_id": event_id, "state_id": state_id})
        found.append(rows)
    return found


def table_rows(found: Iterable[TreatyRows]) -> dict[str, list[dict[str, Any]]]:
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for rows in found:
        tables["treaty"].append(rows.treaty)
        tables["treaty_party"].extend(rows.parties)
        tables["provision"].extend(rows.provisions)
        tables["event"].extend(rows.events)
        tables["event_state"].extend(rows.event_states)
    return tables


# -- the exchange file ---------------------------------------------------------------------------


def _date(row: Mapping[str, Any], prefix: str) -> PartialDate | None:
    return partial(row.get(f"{prefix}_on"), row.get(f"{prefix}_precision"))


def _record(rows: TreatyRows, states: StateIndex) -> TreatyRecord:
    t = rows.treaty
    return TreatyRecord(
        id=t["id"],
        slug=t["slug"],
        title=t["title"],
        short_title=t["short_title"],
        kind=t["kind"],
        signed=_date(t, "signed"),
        in_force=_date(t, "in_force"),
        ended=_date(t, "ended"),
        indefinite=t["indefinite"],
        strength=t["strength"],
        parties=tuple(PartyRecord(states[p["state_id"]], p["role"]) for p in rows.parties),
        provisions=tuple(
            ProvisionRecord(
                position=p["position"],
                article=p["article"],
                obligation=p["obligation"],
                security=p["security"],
                text=p["text"],
                text_status=p["text_status"],
            )
            for p in rows.provisions
        ),
    )


def _events(rows: TreatyRows, states: StateIndex) -> list[EventRecord]:
    members = {}
    for link in rows.event_states:
        members.setdefault(link["event_id"], []).append(states[link["state_id"]])
    return [
        EventRecord(
            key=e["key"],
            happened=_date(e, "happened"),  # type: ignore[arg-type]
            kind=e["kind"],
            title=e["title"],
            treaty_slug=rows.treaty["slug"],
            states=tuple(members.get(e["id"], ())),
        )
        for e in rows.events
    ]


def write_exchange_file(path: Path, found: Sequence[TreatyRows], states: StateIndex) -> None:
    """The treaties and events as export writes them, with the exporter's own functions."""
    document = {
        "format": FORMAT,
        "exported": dt.date.today().isoformat(),
        "selection": [],
        "sources": [],
        "treaties": [treaty_object(_record(rows, states)) for rows in found],
        "events": [event_object(e) for rows in found for e in _events(rows, states)],
    }
    path.write_text(dumps(document), encoding="utf-8")


# -- the two writes ------------------------------------------------------------------------------


def _sqlite_value(value: Any) -> Any:
    """A value as SQLAlchemy stores it in SQLite: dates as ISO text, booleans as 0 and 1."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def raw_insert(path: Path, tables: Mapping[str, list[dict[str, Any]]]) -> float:
    """Seconds for plain INSERTs of the rows with executemany, in one transaction."""
    statements = []
    for name in TABLES:
        rows = tables[name]
        if not rows:
            continue
        columns = list(rows[0])
        values = [tuple(_sqlite_value(r.get(c)) for c in columns) for r in rows]
        marks = ", ".join("?" for _ in columns)
        statements.append((f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})", values))
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA foreign_keys = ON")  # as the app runs
    started = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    for sql, values in statements:
        connection.executemany(sql, values)
    connection.execute("COMMIT")
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def timed_import(
    db: Path, file: Path, profiler: cProfile.Profile | None = None
) -> tuple[float, float, ImportReport]:
    """Wall and CPU seconds for `treaty-timeline import FILE`'s work: read, validate, merge,
    write, commit (under `profiler`, if given)."""
    engine = open_database(db).engine
    started, cpu = time.perf_counter(), time.process_time()
    with profiler or contextlib.nullcontext():
        with Session(engine) as session:
            batch = read_json(file, session)
        report = run_import(engine, batch)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    engine.dispose()
    return elapsed, cpu, report


def counts(path: Path, tables: Sequence[str] = WRITTEN) -> dict[str, int]:
    with sqlite3.connect(path) as connection:
        return {t: connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


# -- the figures ---------------------------------------------------------------------------------


def measure(
    treaties: int, seed: int = 1961, profiler: cProfile.Profile | None = None, runs: int = 3
) -> dict[str, Any]:
    """Import and raw figures for `treaties` synthetic treaties, in a scratch folder: rows,
    seconds (wall and CPU), rows a second, their ratio and the target. Each side runs `runs`
    times, alternating, each time into a fresh copy of the same seeded database; the figures
    are each side's fastest run (the one least slowed by the rest of the machine)."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        seeded_db = folder / "seeded.db"
        engine = open_database(seeded_db).engine  # created and seeded outside the timing
        states, first_id = database_states(engine)
        with Session(engine) as session:
            index = StateIndex(session)
        engine.dispose()
        found = bundles(states, treaties, seed, first_id)
        tables = table_rows(found)
        rows = sum(len(r) for r in tables.values())
        file = folder / "synthetic.json"
        write_exchange_file(file, found, index)
        file_mb = file.stat().st_size / 1e6
        seeded = counts(seeded_db)
        imports: list[tuple[float, float]] = []
        raws: list[tuple[float, float]] = []
        for run in range(runs):
            imported, raw = folder / f"imported-{run}.db", folder / f"raw-{run}.db"
            shutil.copyfile(seeded_db, imported)
            shutil.copyfile(seeded_db, raw)
            import_s, import_cpu, report = timed_import(imported, file, profiler)
            profiler = None  # the first run only
            imports.append((import_s, import_cpu))
            raw_cpu = time.process_time()
            raws.append((raw_insert(raw, tables), time.process_time() - raw_cpu))
            written = {t: n - seeded[t] for t, n in counts(imported).items()}
            raw_written = {t: n - seeded[t] for t, n in counts(raw, TABLES).items()}
            imported.unlink()
            raw.unlink()
    (import_s, import_cpu), (raw_s, raw_cpu) = min(imports), min(raws)
    import_rate, raw_rate = rows / import_s, rows / raw_s
    return {
        "treaties": treaties,
        "rows": rows,
        "tables": {t: len(r) for t, r in tables.items()},
        "file_mb": round(file_mb, 1),
        "runs": runs,
        "import_runs_s": [round(s, 2) for s, _ in imports],
        "raw_runs_s": [round(s, 2) for s, _ in raws],
        "import_s": import_s,
        "import_cpu_s": import_cpu,
        "import_rows_per_s": import_rate,
        "raw_s": raw_s,
        "raw_cpu_s": raw_cpu,
        "raw_rows_per_s": raw_rate,
        "ratio": import_rate / raw_rate,
        "target": TARGET,
        "same_rows": raw_written == {t: written[t] for t in TABLES},
        # Everything the import wrote: the rows above, their history and import records.
        "import_rows_written": sum(written.values()),
        "report": report.summary(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--treaties", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1961)
    parser.add_argument(
        "--runs", type=int, default=3, help="runs of each side, alternating; the fastest counts"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--profile",
        type=int,
        metavar="N",
        help="profile the import and print its N costliest functions to stderr (the figures"
        " then include the profiler's own cost)",
    )
    args = parser.parse_args()
    profiler = cProfile.Profile() if args.profile else None
    figures = measure(args.treaties, args.seed, profiler, max(1, args.runs))
    print_figures(figures, args.json)
    if profiler is not None:
        stats = pstats.Stats(profiler, stream=sys.stderr)
        for order in ("cumulative", "tottime"):
            stats.sort_stats(order).print_stats(args.profile)


def print_figures(figures: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(figures, indent=2))
        return
    tables = ", ".join(f"{n:,} {t}" for t, n in figures["tables"].items())
    print(f"{figures['treaties']:,} synthetic treaties: {figures['rows']:,} rows ({tables})")
    print(f"file: {figures['file_mb']} MB; import: {figures['report']}")
    print(f"{'figure':<24}  {'rows':>9}  {'seconds':>8}  {'cpu s':>7}  {'rows a second':>13}")
    for name, key in (("treaty-timeline import", "import"), ("raw executemany", "raw")):
        print(
            f"{name:<24}  {figures['rows']:>9,}  {figures[key + '_s']:8.2f}"
            f"  {figures[key + '_cpu_s']:7.2f}  {figures[key + '_rows_per_s']:13,.0f}"
        )
    print(
        f"each side's fastest of {figures['runs']} runs; all runs, import:"
        f" {', '.join(map(str, figures['import_runs_s']))} s; raw:"
        f" {', '.join(map(str, figures['raw_runs_s']))} s"
    )
    verdict = "met" if figures["ratio"] >= TARGET else "not met"
    print(f"ratio import / raw: {figures['ratio']:.2f} (target >= {TARGET}: {verdict})")
    written = figures["import_rows_written"]
    print(
        f"the import wrote {written:,} rows in all, history and import records included"
        f" ({written / figures['import_s']:,.0f} a second)"
    )
    if not figures["same_rows"]:
        print("warning: the two databases did not gain the same rows")


if __name__ == "__main__":
    main()
