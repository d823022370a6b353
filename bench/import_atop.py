"""Import figures: ATOP v4.01 into a fresh seeded database, and the same file again.

    python bench/import_atop.py [ATOP_FOLDER] [--runs N]

ATOP_FOLDER defaults to ../shared/data/atop-v4.01 beside the checkout. Each figure is the
median of N runs in this process (wall clock, reading the files included); rows are the data
rows of both files (alliance and member level)."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sqlmodel import Session  # noqa: E402

from timeline.database import open_database  # noqa: E402
from timeline.io.atop import ALLIANCE_FILE, MEMBER_FILE, read_atop  # noqa: E402
from timeline.io.merge import ImportReport, run_import  # noqa: E402


def data_rows(folder: Path) -> int:
    total = 0
    for name in (ALLIANCE_FILE, MEMBER_FILE):
        with (folder / name).open(encoding="utf-8") as handle:
            total += sum(1 for line in handle if line.strip()) - 1
    return total


def timed_import(path: Path, folder: Path) -> tuple[float, ImportReport]:
    database = open_database(path)
    started = time.perf_counter()
    with Session(database.engine) as session:
        batch = read_atop(folder, session)
    report = run_import(database.engine, batch)
    elapsed = time.perf_counter() - started
    database.engine.dispose()
    return elapsed, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", nargs="?", default=REPO.parent / "shared/data/atop-v4.01")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = Path(args.folder)
    rows = data_rows(folder)
    first: list[float] = []
    again: list[float] = []
    with tempfile.TemporaryDirectory() as scratch:
        for i in range(args.runs):
            path = Path(scratch) / f"run{i}.db"
            open_database(path).engine.dispose()  # created and seeded outside the timing
            seconds, report = timed_import(path, folder)
            first.append(seconds)
            seconds, repeat = timed_import(path, folder)
            again.append(seconds)
    print(f"ATOP v4.01: {rows} rows ({folder}); {report.summary()}")
    print(f"re-import: {repeat.summary()}")
    print(f"{'figure':<36}  median s   min s   max s   rows a second ({args.runs} runs)")
    for name, values in (("import into a fresh seeded db", first), ("same file again", again)):
        median = statistics.median(values)
        print(
            f"{name:<36}  {median:8.3f}  {min(values):6.3f}  {max(values):6.3f}"
            f"   {rows / median:13,.0f}"
        )


if __name__ == "__main__":
    main()
