"""Cold start of the terminal app against a bare Textual app, in fresh processes.

    python -m bench.cold_start [--runs 7] [--db PATH]

Each figure is the median wall time of a new Python process from start until: the first frame
is painted (a bare "hello world" Textual app, and ours), and the treaties are on screen (ours).
The apps run headless and exit at that moment."""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Textual runs every class's on_mount along the MRO, so the subclasses below do not call
# super().on_mount() (that would open a second timeline).
# Each app prints the seconds since the parent started it, at the moment measured, then ends
# the process at once (an app's normal exit would wait for its database worker).
DONE = """
import os, sys, time
def done():
    sys.stdout.write(f"{time.time() - float(sys.argv[-1]):.4f}\\n")
    sys.stdout.flush()
    os._exit(0)
"""

HELLO = (
    DONE
    + """
from textual.app import App
from textual.widgets import Static

class Hello(App):
    def compose(self):
        yield Static("hello world")
    def on_mount(self):
        self.call_after_refresh(done)

Hello().run(headless=True)
"""
)

OURS_PAINTED = (
    DONE
    + """
from timeline.tui.app import TreatyApp

class FirstFrame(TreatyApp):
    def on_mount(self):
        self.call_after_refresh(done)

FirstFrame(sys.argv[1]).run(headless=True)
"""
)

OURS_ROWS = (
    DONE
    + """
from timeline.tui.app import TreatyApp
from timeline.tui.widgets.timeline_view import TimelineView

class FirstRows(TreatyApp):
    def on_mount(self):
        self.set_interval(0.005, self._check)

    def _check(self):
        views = self.screen.query(TimelineView)
        # Rows in the widget are painted in the frame being composed.
        if views and views.first().row_at(0) is not None:
            done()

FirstRows(sys.argv[1]).run(headless=True)
"""
)


def timed(code: str, *args: str) -> float:
    result = subprocess.run(
        [sys.executable, "-c", code, *args, f"{time.time():.6f}"],
        check=True, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    return float(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path, help="an existing database (default: a seeded one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        db = args.db or Path(scratch) / "treaties.db"
        if args.db is None:
            subprocess.run([sys.executable, "-m", "timeline", "overview", "--db", str(db)],
                           check=True, capture_output=True)  # fmt: skip
        timed(HELLO)  # warm the file cache once
        figures = {
            "bare Textual app: first frame": [timed(HELLO) for _ in range(args.runs)],
            "treaty-timeline: first frame": [
                timed(OURS_PAINTED, str(db)) for _ in range(args.runs)
            ],
            "treaty-timeline: treaties on screen": [
                timed(OURS_ROWS, str(db)) for _ in range(args.runs)
            ],
        }
    base = statistics.median(figures["bare Textual app: first frame"])
    width = max(len(k) for k in figures)
    print(f"{'figure':<{width}}  median    min      max   ratio to bare  ({args.runs} runs)")
    for name, values in figures.items():
        median = statistics.median(values)
        print(
            f"{name:<{width}}  {median:.3f}   {min(values):.3f}   {max(values):.3f}"
            f"   {median / base:.2f}x"
        )


if __name__ == "__main__":
    main()
