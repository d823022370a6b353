"""Cold start of the terminal app against a bare Textual app, each in a fresh process on a
terminal of its own.

    python -m bench.cold_start [--runs 7] [--treaties 100] [--db PATH]

Method: each program runs in a new Python process attached to a pseudo-terminal of 140x40, so
Textual uses its real terminal driver, and is started as a user starts it (ours through
`python -m timeline --db PATH`, the same path as the `treaty-timeline` command). This process
reads everything the program writes to the terminal, removes the escape sequences, and stamps
the moment a text first appears: "hello world" for the bare app; for ours, the filter bar's
placeholder (the first frame) and then the name of the first treaty of the timeline (the
treaties on screen). Nothing in the measured program is changed or instrumented. The program
is killed once its last text is seen. The processor time it had used by each moment (user and
system, all threads, from /proc) is stamped too: on a shared machine it moves less than wall
time. The programs run in turn (the bare app, then ours on each database), after one
unmeasured run each to warm the file cache and write the bytecode of our modules (as a
user's first start does), so a burst of load on the machine hits all alike; figures are the
medians of the runs.

Why not time the app in process, headless: that leaves out the terminal driver and the
command line, and a hook inside the app changes what is measured. Why not tmux: polling its
screen costs a process a poll on the same processors; bench/visidata_peer.py uses tmux where
it must send keys to another program and read its screen."""

from __future__ import annotations

import argparse
import codecs
import fcntl
import os
import pty
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

SIZE = (140, 40)
TAIL = 1024  # characters of output kept from one read to the next
HELLO_TEXT = "hello world"
FIRST_FRAME_TEXT = "search titles"  # the placeholder of the search box, in the filter bar
HELLO = f"""
from textual.app import App
from textual.widgets import Static


class Hello(App):
    def compose(self):
        yield Static({HELLO_TEXT!r})


Hello().run()
"""
# Control sequences (CSI, OSC, DCS, and two-byte escapes): what is left is the text shown.
ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1bP[^\x1b]*\x1b\\|\x1b[@-_]"
)


@dataclass
class Run:
    seen: dict[str, float]  # text -> seconds from the start of the process
    cpu: dict[str, float]  # text -> processor seconds the process had used by then
    peak_rss_mb: float | None = None


@dataclass
class Figures:
    bare: list[float] = field(default_factory=list)
    first_frame: list[float] = field(default_factory=list)
    treaties: list[float] = field(default_factory=list)
    # The same moments in processor time: steadier than wall time on a shared machine.
    bare_cpu: list[float] = field(default_factory=list)
    first_frame_cpu: list[float] = field(default_factory=list)
    treaties_cpu: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
    env.update(TERM="xterm-256color", COLORTERM="truecolor")
    env.pop("TREATY_TIMELINE_DB", None)
    # Started from a source checkout, our modules have no bytecode until a first start writes
    # it (`pip install .` writes it at install, as Textual's came with its wheel). With this
    # set, every start would compile them again: 15-30 ms more on a first frame of 350 ms.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def cpu_seconds(pid: int) -> float:
    """Processor time (user and system, every thread) a process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    # utime and stime are the 14th and 15th fields; the split starts at the 3rd.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float | None:
    """The highest resident memory of a running process so far (VmHWM), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def run_on_terminal(
    command: Sequence[str], texts: Sequence[str], timeout: float = 120.0, size=SIZE
) -> Run:
    """Start `command` on a new pseudo-terminal and return when each text has been shown,
    in seconds from the start; the process is killed at the end."""
    master, slave = pty.openpty()
    columns, rows = size
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    started = time.perf_counter()
    process = subprocess.Popen(
        list(command), stdin=slave, stdout=slave, stderr=slave, env=_environment(),
        start_new_session=True, close_fds=True,
    )  # fmt: skip
    os.close(slave)
    seen: dict[str, float] = {}
    cpu: dict[str, float] = {}
    tail = ""
    try:
        while len(seen) < len(texts):
            if time.perf_counter() - started > timeout:
                raise TimeoutError(f"{command[-1]}: not shown in {timeout:.0f} s: {texts}")
            ready, _, _ = select.select([master], [], [], 0.5)
            if not ready:
                continue
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:  # the program ended
                chunk = b""
            if not chunk:
                raise RuntimeError(f"{command[-1]} ended before showing {texts}: {tail[-400:]}")
            now = time.perf_counter() - started
            # With a little of what came before: an escape or a text may span two reads.
            written = tail + decoder.decode(chunk)
            tail = written[-TAIL:]
            plain = ESCAPES.sub("", written)
            for text in texts:
                if text not in seen and text in plain:
                    seen[text] = now
                    cpu[text] = cpu_seconds(process.pid)
        return Run(seen, cpu, peak_rss_mb(process.pid))
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        os.close(master)


def first_treaty_text(db: Path | str) -> str:
    """The start of the first treaty's name as the timeline shows it (cut to fit its column)."""
    import datetime as dt

    from timeline.browse import apply_filter, fetch_page
    from timeline.database import open_database
    from timeline.timeline_rows import BrowseFilter

    engine = open_database(db).engine
    try:
        state = apply_filter(engine, BrowseFilter(), dt.date.today())
        return fetch_page(engine, state.filter, 0)[0].name[:20]
    finally:
        engine.dispose()


def app_command(db: Path | str) -> list[str]:
    return [sys.executable, "-m", "timeline", "--db", str(db)]


def measure(dbs: Sequence[Path | str], runs: int) -> list[Figures]:
    """`runs` rounds of cold starts: the bare app, then ours on each of `dbs`, in turn, so
    that every figure meets the same state of the machine. One Figures a database, sharing
    the bare app's figures."""
    treaties = [first_treaty_text(db) for db in dbs]
    commands = [app_command(db) for db in dbs]
    hello = [sys.executable, "-c", HELLO]
    run_on_terminal(hello, [HELLO_TEXT])  # warm the file cache
    for command, treaty in zip(commands, treaties, strict=True):
        run_on_terminal(command, [treaty])
    shared = Figures()
    every = [Figures(bare=shared.bare, bare_cpu=shared.bare_cpu) for _ in dbs]
    for _ in range(runs):
        run = run_on_terminal(hello, [HELLO_TEXT])
        shared.bare.append(run.seen[HELLO_TEXT])
        shared.bare_cpu.append(run.cpu[HELLO_TEXT])
        for figures, command, treaty in zip(every, commands, treaties, strict=True):
            run = run_on_terminal(command, [FIRST_FRAME_TEXT, treaty])
            figures.first_frame.append(run.seen[FIRST_FRAME_TEXT])
            figures.treaties.append(run.seen[treaty])
            figures.first_frame_cpu.append(run.cpu[FIRST_FRAME_TEXT])
            figures.treaties_cpu.append(run.cpu[treaty])
            if run.peak_rss_mb is not None:
                figures.rss_mb.append(run.peak_rss_mb)
    return every


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--treaties", type=int, default=100, help="size of the generated db")
    parser.add_argument("--db", help="an existing database (a file or a URL), not a generated one")
    args = parser.parse_args()
    from bench.big_db import database

    (figures,) = measure([args.db or database(args.treaties)], args.runs)
    base = statistics.median(figures.bare)
    base_cpu = statistics.median(figures.bare_cpu)
    rows = (
        ("bare Textual app: first frame", figures.bare, figures.bare_cpu),
        ("treaty-timeline: first frame", figures.first_frame, figures.first_frame_cpu),
        ("treaty-timeline: treaties on screen", figures.treaties, figures.treaties_cpu),
    )
    width = max(len(name) for name, _, _ in rows)
    print(
        f"{'figure (s)':<{width}}  median    min      max   ratio    cpu  cpu ratio"
        f"  ({args.runs} runs)"
    )
    for name, values, cpu in rows:
        median, median_cpu = statistics.median(values), statistics.median(cpu)
        print(
            f"{name:<{width}}  {median:.3f}   {min(values):.3f}   {max(values):.3f}"
            f"   {median / base:.2f}x  {median_cpu:.2f}  {median_cpu / base_cpu:.2f}x"
        )


if __name__ == "__main__":
    main()
