"""Our app against VisiData on the same SQLite file, each driven in a real terminal (tmux).

    python -m bench.visidata_peer [--treaties 1000000] [--db PATH] [--skip-visidata]

VisiData (`pip install -e '.[bench]'`) is the peer for browsing a large table in a terminal.
Both programs run in a tmux pane of 140x40 on a tmux server started beforehand; this process
polls the pane's text (`tmux capture-pane`, every 20 ms) and sends keys as a user would, as
soon as the screen allows. Every time is from the launch of the program:

- first rows: the first treaty rows on screen. VisiData opens on its list of tables; the
  treaty table is found (/ ^treaty$ Enter) and opened (Enter) as soon as the list shows.
- jump to the end, over every row: ours, End until the last treaty of the timeline shows.
  VisiData reads the whole table into memory first (its status bar says "loading…" meanwhile);
  G at the end of the load, until the rows on screen have moved (curses redraws in parts, so
  the screen is first let settle; that wait of this harness is taken off VisiData's times).
- search, over every row: the treaty with the highest id (VisiData's last row), looked for
  after the jump. Ours: / and, once the search box has the focus, the words "synthetic <id>",
  until its slug shows under the timeline. VisiData: back to the top (gg), then / and the
  regex ^<id>$ over the id column, until a row shows its slug.

Peak memory is the program's resident high-water mark (VmHWM in /proc) at the end."""

from __future__ import annotations

import argparse
import json
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.cold_start import peak_rss_mb

SOCKET = "treaty-timeline-bench"
SIZE = (140, 40)
POLL = 0.02
LOAD_TIMEOUT = 900.0  # VisiData's load of a million rows takes minutes on a slow machine


@dataclass
class PeerFigures:
    first_rows: float
    jump_end: float
    search: float
    peak_rss_mb: float | None


def _tmux(*args: str) -> str:
    done = subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


class Pane:
    """One program in a tmux pane of its own."""

    def __init__(self, name: str, command: list[str]) -> None:
        self.name = name
        columns, rows = SIZE
        self.started = time.perf_counter()
        # A terminal of today, as in bench/cold_start.py: 24-bit colour.
        _tmux("new-session", "-d", "-s", name, "-x", str(columns), "-y", str(rows),
              "-e", "COLORTERM=truecolor", "exec " + shlex.join(command))  # fmt: skip
        self.pid = int(_tmux("display-message", "-p", "-t", name, "#{pane_pid}").strip())

    def text(self) -> str:
        return _tmux("capture-pane", "-p", "-t", self.name)

    def send(self, *keys: str, literal: bool = False) -> None:
        _tmux("send-keys", "-t", self.name, *(["-l"] if literal else []), *keys)

    def wait(self, shown: Callable[[str], bool], timeout: float = 120.0) -> float:
        """Seconds from the launch until the screen satisfies `shown`."""
        limit = time.perf_counter() + timeout
        screen = ""
        while time.perf_counter() < limit:
            screen = self.text()
            if shown(screen):
                return time.perf_counter() - self.started
            time.sleep(POLL)
        raise TimeoutError(f"{self.name}: not shown in {timeout:.0f} s; the screen:\n{screen}")

    def settled(self, polls: int = 3) -> str:
        """The screen once it has stopped changing (curses redraws a screen in parts)."""
        last, same = self.text(), 0
        while same < polls:
            time.sleep(POLL)
            now = self.text()
            same = same + 1 if now == last else 0
            last = now
        return last

    def close(self) -> None:
        subprocess.run(["tmux", "-L", SOCKET, "kill-session", "-t", self.name],
                       capture_output=True)  # fmt: skip


@dataclass(frozen=True)
class Targets:
    """What each program must show: the first treaty's name as our timeline cuts it, the
    slugs of the last treaty of the timeline and of the treaty with the highest id."""

    first: str
    last_slug: str
    highest_id: int
    highest_slug: str


def targets(db: Path | str) -> Targets:
    from bench.cold_start import first_treaty_text
    from timeline.browse import apply_filter, fetch_page
    from timeline.database import open_database
    from timeline.timeline_rows import PAGE_SIZE, BrowseFilter

    engine = open_database(db).engine
    try:
        with engine.connect() as connection:
            count = connection.exec_driver_sql("SELECT count(*) FROM treaty").scalar_one()
            highest, slug = connection.exec_driver_sql(
                "SELECT id, slug FROM treaty ORDER BY id DESC LIMIT 1"
            ).one()
        # The last page as the timeline reads it, counted from the end.
        everything = apply_filter(engine, BrowseFilter()).filter
        last = fetch_page(engine, everything, (count - 1) // PAGE_SIZE, count)[-1].slug
    finally:
        engine.dispose()
    return Targets(first_treaty_text(db), last, highest, slug)


def _server() -> Pane:
    """A tmux server kept up for the whole run, so no launch pays for starting one."""
    return Pane("idle", ["sleep", "3600"])


def measure_ours(db: Path | str, want: Targets) -> PeerFigures:
    pane = Pane("ours", [sys.executable, "-m", "timeline", "--db", str(db)])
    try:
        first = pane.wait(lambda screen: want.first in screen)
        pane.send("End")
        # The line under the timeline shows the slug of the treaty under the cursor.
        end = pane.wait(lambda screen: want.last_slug in screen)
        pane.send("/")
        # Keys typed ahead go to the widget focused when each arrives: wait for the search box
        # to take the focus (the footer then drops the timeline's keys), as a typist would.
        pane.wait(lambda screen: "History" not in screen.splitlines()[-1])
        pane.send(f"synthetic {want.highest_id}", literal=True)
        found = pane.wait(lambda screen: want.highest_slug in screen)
        return PeerFigures(first, end, found, peak_rss_mb(pane.pid))
    finally:
        pane.close()


def _loaded(screen: str) -> bool:
    status = screen.rstrip().splitlines()[-1] if screen.strip() else ""
    return "loading" not in status and re.search(r"\d rows", status) is not None


def _rows(screen: str) -> list[str]:
    """VisiData's table lines: under the menu and the column names, above the status line."""
    return screen.rstrip().splitlines()[2:-1]


def measure_visidata(db: Path | str, want: Targets) -> PeerFigures:
    vd = shutil.which("vd", path=str(Path(sys.executable).parent)) or shutil.which("vd")
    if vd is None:
        raise FileNotFoundError("VisiData is not installed: pip install -e '.[bench]'")
    pane = Pane("visidata", [vd, str(db)])
    waited = 0.0  # this harness's own waits for a still screen: not VisiData's time

    def settled() -> list[str]:
        nonlocal waited
        started = time.perf_counter()
        rows = _rows(pane.settled())
        waited += time.perf_counter() - started
        return rows

    try:
        pane.wait(lambda screen: re.search(r"^\s*treaty\s", screen, re.M) is not None)
        pane.send("/")
        pane.send("^treaty$", literal=True)
        pane.send("Enter")
        pane.send("Enter")
        first = pane.wait(lambda screen: "synthetic-" in screen or "ussr-dprk-1961" in screen)
        pane.wait(_loaded, timeout=LOAD_TIMEOUT)
        loaded = settled()
        # The status line shows a key at once; the jump is done when the rows have moved.
        pane.send("G")
        end = pane.wait(lambda screen: _rows(screen) != loaded and _loaded(screen)) - waited
        at_end = settled()
        pane.send("g", "g")
        pane.wait(lambda screen: _rows(screen) != at_end)
        settled()
        pane.send("/")
        pane.send(f"^{want.highest_id}$", literal=True)
        pane.send("Enter")
        found = pane.wait(
            lambda screen: any(want.highest_slug in line for line in _rows(screen)),
            timeout=LOAD_TIMEOUT,
        )
        return PeerFigures(first, end, found - waited, peak_rss_mb(pane.pid))
    finally:
        pane.close()


def measure(db: Path | str, visidata: bool = True) -> dict[str, dict[str, float | None]]:
    want = targets(db)
    server = _server()
    try:
        figures = {"ours": asdict(measure_ours(db, want))}
        if visidata:
            figures["visidata"] = asdict(measure_visidata(db, want))
    finally:
        server.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--treaties", type=int, default=1_000_000, help="size of the generated db")
    parser.add_argument("--db", help="an existing database (a file or a URL), not a generated one")
    parser.add_argument("--skip-visidata", action="store_true")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    from bench.big_db import database

    db = args.db or database(args.treaties)
    # VisiData reads SQLite files only.
    figures = measure(db, not args.skip_visidata and "://" not in str(db))
    if args.json:
        print(json.dumps(figures))
        return
    for program, values in figures.items():
        print(program, ", ".join(f"{k} {v:.2f}" for k, v in values.items() if v is not None))


if __name__ == "__main__":
    main()
