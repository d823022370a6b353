"""Start-up figures: the CLI's cold start on an existing database, and first-run seeding.

    python bench/startup.py [--runs N]

Each figure is the median of N fresh processes (wall clock), printed as a table."""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    python = sys.executable
    with tempfile.TemporaryDirectory() as scratch:
        existing = Path(scratch) / "existing.db"
        subprocess.run([python, "-m", "timeline", "--db", str(existing)], check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        figures = {
            "python -c pass (interpreter alone)": [
                timed([python, "-c", "pass"]) for _ in range(runs)
            ],
            "import sqlmodel": [timed([python, "-c", "import sqlmodel"]) for _ in range(runs)],
            "treaty-timeline where (no database)": [
                timed([python, "-m", "timeline", "where"]) for _ in range(runs)
            ],
            "treaty-timeline (overview, existing db)": [
                timed([python, "-m", "timeline", "--db", str(existing)]) for _ in range(runs)
            ],
            "treaty-timeline (first run: create + seed)": [
                timed([python, "-m", "timeline", "--db", str(Path(scratch) / f"new{i}.db")])
                for i in range(runs)
            ],
        }
        in_process = []
        for i in range(runs):
            sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
            from timeline.database import open_database

            started = time.perf_counter()
            open_database(Path(scratch) / f"inproc{i}.db").engine.dispose()
            in_process.append(time.perf_counter() - started)
        figures["open_database: migrate + seed (in process)"] = in_process

    width = max(len(k) for k in figures)
    print(f"{'figure':<{width}}  median    min      max   (s, {runs} runs)")
    for name, values in figures.items():
        print(
            f"{name:<{width}}  {statistics.median(values):.3f}   {min(values):.3f}   "
            f"{max(values):.3f}"
        )


if __name__ == "__main__":
    main()
