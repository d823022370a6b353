"""The scale benchmark: every figure of the scale targets, each with its target, in one table.

    python -m bench.scale [--sizes 100,1000000] [--runs 5] [--skip-visidata] [--db PATH|URL]

Databases of each size are generated once and cached (bench/big_db.py), and read once before
measuring so that every figure is taken with the file in the system's cache; the smallest size
is the reference for start-up, the largest is the one browsed. Each figure comes from the module
that measures it, run in a process of its own so that no figure carries another's imports or
memory:

- cold start (bench/cold_start.py): a bare Textual "hello world" app and ours, each started
  fresh on a pseudo-terminal, timed to the first frame and to the treaties on screen by
  watching what they write to the terminal; at the smallest size against the bare app, and at
  each size for the first painted timeline.
- browsing (bench/tui_browse.py): the app headless at 140x40 on the largest database: page
  down, jumps, each filter (the search typed a letter at a time), and its peak memory.
- the real terminal (bench/visidata_peer.py): ours and VisiData in tmux on the same file, first
  rows, jump to the end and a search over every row, and their peak memory.
- query plans: the statements on the treaty tables that the app sends to apply the in-force,
  party and strength filters and read their first page (captured at the database connection
  while the timeline screen's own entry points, timeline.browse's apply_filter and fetch_page,
  run with what the filter bar would hold), each explained by the database with the values it
  was sent: EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL.
- bulk import: bench/import_bulk.py's measure(), when that module is there.

With --db, that database (a SQLite file or a PostgreSQL URL) is the large one instead of a
generated one; VisiData is then skipped for a URL."""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FIRST_FRAME_RATIO = 1.3
TREATIES_RATIO = 2.0
SIZE_RATIO = 1.1
RSS_MB = 80.0
PAGE_DOWN_S = 0.020
KEYSTROKE_S = 0.050
STALL_S = 0.100  # a jump answered within this reads as immediate: no stall
IMPORT_RATIO = 0.5
PEER_SPEEDUP = 30.0
IMPORT_TREATIES = 20_000
# Statements reading treaties (the state list a party name is looked up in is small).
TREATY_TABLES = re.compile(r"\b(FROM|JOIN)\s+\"?treaty(_party|_search)?\b", re.IGNORECASE)


@dataclass
class Row:
    measure: str
    figure: str
    target: str
    met: bool | None  # None: a reference figure, or not measured
    note: str = ""


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _run_json(arguments: Sequence[str], timeout: float = 3600.0) -> Any:
    """Run a benchmark module in a new process; its last line of output is JSON."""
    done = subprocess.run(
        [sys.executable, *arguments], capture_output=True, text=True, timeout=timeout
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(arguments)} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- cold start and the first painted timeline ---------------------------------------------------


def cold_start_rows(
    small: Path, large: Path | str, runs: int, labels: tuple[str, str]
) -> list[Row]:
    from bench.cold_start import measure

    # Both sizes in the same rounds, beside the bare app: one state of the machine for all.
    ref, *larger = measure([small] if large == small else [small, large], runs)
    bare, bare_cpu = statistics.median(ref.bare), statistics.median(ref.bare_cpu)
    frame, frame_cpu = statistics.median(ref.first_frame), statistics.median(ref.first_frame_cpu)
    shown, shown_cpu = statistics.median(ref.treaties), statistics.median(ref.treaties_cpu)
    rows = [
        Row(
            "bare Textual hello world: first frame",
            _s(bare),
            "reference",
            None,
            f"cpu {bare_cpu:.2f} s",
        ),
        Row(
            f"our first frame ({labels[0]})",
            f"{_s(frame)} = {frame / bare:.2f}x",
            f"<= {FIRST_FRAME_RATIO}x bare",
            frame / bare <= FIRST_FRAME_RATIO,
            f"cpu {frame_cpu / bare_cpu:.2f}x",
        ),
        Row(
            f"treaties on screen, first painted timeline ({labels[0]})",
            f"{_s(shown)} = {shown / bare:.2f}x",
            f"<= {TREATIES_RATIO}x bare",
            shown / bare <= TREATIES_RATIO,
            f"cpu {shown_cpu / bare_cpu:.2f}x",
        ),
    ]
    if not larger:
        return rows
    big = larger[0]
    large_shown = statistics.median(big.treaties)
    rows += [
        Row(
            f"first painted timeline ({labels[1]})",
            f"{_s(large_shown)} = {large_shown / shown:.2f}x {labels[0]}",
            f"<= {SIZE_RATIO}x {labels[0]}",
            large_shown / shown <= SIZE_RATIO,
            f"cpu {statistics.median(big.treaties_cpu) / shown_cpu:.2f}x",
        ),
        Row(
            f"memory at first painted timeline ({labels[1]})",
            f"{statistics.median(big.rss_mb):.0f} MB",
            f"< {RSS_MB:.0f} MB",
            statistics.median(big.rss_mb) < RSS_MB,
            "peak resident",
        ),
    ]
    return rows


# -- browsing --------------------------------------------------------------------------------------


def browse_rows(db: Path | str, label: str) -> list[Row]:
    from bench.tui_browse import IN_FORCE_ON, KEY_REPEAT, PARTY, SEARCH_WORD, STRENGTH

    f = _run_json(["-m", "bench.tui_browse", "--db", str(db), "--json"])

    def timed(name: str, values: list[float], limit: float, note: str = "") -> Row:
        figure = f"{_ms(statistics.median(values))} / {_ms(max(values))}"
        return Row(
            f"{name} ({label}), median / max", figure, f"< {_ms(limit)}", max(values) < limit, note
        )

    jumps = [t for _, t in f["jumps"]]

    def filtered(name: str, key: str) -> Row:
        counted = max(f[key + "_counted"])
        note = f"{f[key + '_rows']:,} rows; exact count after {_ms(counted)} at most"
        return timed(name, f[key], KEYSTROKE_S, note)

    return [
        Row(
            f"peak memory, browsing the timeline below ({label})",
            f"{f['browse_rss_mb']:.0f} MB",
            f"< {RSS_MB:.0f} MB",
            f["browse_rss_mb"] < RSS_MB,
            "headless app and harness: paging, jumps, filters",
        ),
        Row(
            f"peak memory, and then three treaty details opened ({label})",
            f"{f['peak_rss_mb']:.0f} MB",
            f"< {RSS_MB:.0f} MB",
            f["peak_rss_mb"] < RSS_MB,
            "three treaties opened, each read with SQLAlchemy Core",
        ),
        timed("page down", f["page_down"], PAGE_DOWN_S, f"{1 / KEY_REPEAT:.0f} keys a second"),
        Row(
            f"page down, keys back to back ({label}), median / max",
            f"{_ms(statistics.median(f['page_down_back_to_back']))}"
            f" / {_ms(max(f['page_down_back_to_back']))}",
            "for information",
            None,
            "faster than any key repeats: rows read ahead may not be in",
        ),
        timed("jump to the end", f["jump_end"], STALL_S, "no stall"),
        timed("jump to the middle", [f["jumps"][0][1]], STALL_S, "no stall"),
        timed("jump anywhere (10%..90%)", jumps, STALL_S, "no stall"),
        filtered(f"search keystroke '{SEARCH_WORD}'", "search_keystrokes"),
        timed(
            f"jump anywhere in the search '{SEARCH_WORD}'", f["search_jumps"], STALL_S, "no stall"
        ),
        filtered(f"party filter {PARTY}", "party"),
        filtered(f"in force on {IN_FORCE_ON}", "in_force"),
        filtered(f"strength {STRENGTH} or more", "strength"),
    ]


# -- query plans -----------------------------------------------------------------------------------


def query_plans(db: Path | str) -> dict[str, list[tuple[str, list[str]]]]:
    """For each filter: the statements on the treaty tables that the app runs to apply it and
    show its first page, each with the database's plan for it."""
    from sqlalchemy import event

    from bench.tui_browse import IN_FORCE_ON, PARTY, STRENGTH
    from timeline.browse import apply_filter, fetch_page
    from timeline.database import open_database
    from timeline.timeline_rows import BrowseFilter

    wanted = {
        f"in force on {IN_FORCE_ON}": BrowseFilter(period=IN_FORCE_ON),
        f"party {PARTY}": BrowseFilter(party=PARTY),
        f"strength {STRENGTH} or more": BrowseFilter(min_strength=str(STRENGTH)),
    }
    engine = open_database(db).engine
    sqlite = engine.dialect.name == "sqlite"
    captured: list[tuple[str, Any]] = []

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if TREATY_TABLES.search(statement):
            captured.append((statement, parameters))

    plans: dict[str, list[tuple[str, list[str]]]] = {}
    try:
        for name, typed in wanted.items():
            captured.clear()
            # The screen's own entry points: the filter as typed, then its first page.
            event.listen(engine, "before_cursor_execute", capture)
            try:
                state = apply_filter(engine, typed)
                if not getattr(state, "first_page", None):  # read apart, where it is not given
                    fetch_page(engine, state.filter, 0)
            finally:
                event.remove(engine, "before_cursor_execute", capture)
            with engine.connect() as connection:
                plans[name] = [
                    (statement, _explain(connection, statement, parameters, sqlite))
                    for statement, parameters in captured
                ]
    finally:
        engine.dispose()
    return plans


def _explain(connection, statement: str, parameters: Any, sqlite: bool) -> list[str]:  # type: ignore[no-untyped-def]
    prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
    found = connection.exec_driver_sql(prefix + statement, parameters).all()
    # SQLite: (id, parent, notused, detail); PostgreSQL: one text column a line.
    return [str(row[-1]) for row in found]


def _from_indexes(plan: list[str], sqlite: bool) -> bool:
    """No table of treaties is read in full: every step on one searches an index or walks one
    in order (the state list, a few hundred rows, may be read whole)."""
    if sqlite:
        return not any(re.fullmatch(r"\s*SCAN (treaty|treaty_party)", line) for line in plan)
    return not any(re.search(r"Seq Scan on (treaty|treaty_party)\b", line) for line in plan)


def plan_rows(plans: dict[str, list[tuple[str, list[str]]]], sqlite: bool) -> list[Row]:
    rows = []
    for name, statements in plans.items():
        indexed = all(_from_indexes(plan, sqlite) for _, plan in statements)
        walks = sum(
            1 for _, plan in statements for line in plan if re.search(r"SCAN \S+ USING", line)
        )
        figure = "indexes only" if indexed else "reads a table in full"
        note = f"{len(statements)} statements; {walks} walk an index in order (see below)"
        rows.append(Row(f"plan: {name}", figure, "from indexes", indexed, note))
    return rows


def print_plans(plans: dict[str, list[tuple[str, list[str]]]]) -> None:
    for name, statements in plans.items():
        print(f"\n-- {name}")
        for statement, plan in statements:
            # A page's ids are a long list of placeholders: one says as much.
            text = re.sub(r"\?(, \?)+", "?, ...", " ".join(statement.split()))
            text = re.sub(r"(%\(\w+\)s(::\w+)?)(, %\(\w+\)s(::\w+)?)+", r"\1, ...", text)
            print(textwrap.fill(text, 100, initial_indent="   ", subsequent_indent="     "))
            for line in plan:
                print("      | " + line)


# -- bulk import and the peer --------------------------------------------------------------------


def import_rows(treaties: int) -> list[Row]:
    target = f">= {IMPORT_RATIO}x raw executemany"
    if importlib.util.find_spec("bench.import_bulk") is None:
        return [Row("bulk import rate / raw executemany", "not measured", target, None)]
    code = (
        "import json, sys; from bench.import_bulk import measure;"
        " print(json.dumps(measure(int(sys.argv[1])), default=str))"
    )
    f = _run_json(["-c", code, str(treaties)])
    ratio = f.get("ratio") or f["import_rows_per_s"] / f["raw_rows_per_s"]
    note = f"{f['import_rows_per_s']:,.0f} against {f['raw_rows_per_s']:,.0f} rows/s"
    return [
        Row(
            f"bulk import rate / raw executemany ({treaties:,} treaties)",
            f"{ratio:.2f}x",
            target,
            ratio >= IMPORT_RATIO,
            note,
        )
    ]


def peer_rows(db: Path | str, label: str, visidata: bool) -> list[Row]:
    from bench.visidata_peer import measure

    if shutil.which("tmux") is None:
        return [Row("terminal figures (tmux)", "not measured", "", None, "tmux is not installed")]
    figures = measure(db, visidata)  # type: ignore[arg-type]
    ours, vd = figures["ours"], figures.get("visidata")
    rows = [
        Row(
            f"ours in tmux ({label}): first rows / end / search",
            f"{_s(ours['first_rows'])} / {_s(ours['jump_end'])} / {_s(ours['search'])}",
            "from launch",
            None,
        ),
        Row(
            f"peak memory in tmux ({label}): start, end, search",
            f"{ours['peak_rss_mb']:.0f} MB",
            f"< {RSS_MB:.0f} MB",
            ours["peak_rss_mb"] < RSS_MB,
            "the app alone",
        ),
    ]
    if vd is None:
        return [*rows, Row("VisiData", "not measured", "", None, "skipped")]
    rows += [
        Row(
            f"VisiData ({label}): first rows / ours",
            f"{_s(vd['first_rows'])} / {_s(ours['first_rows'])}",
            "ours <= theirs",
            ours["first_rows"] <= vd["first_rows"],
        ),
        Row(
            "VisiData: jump to end over every row / ours",
            f"{_s(vd['jump_end'])} / {_s(ours['jump_end'])} = "
            f"{vd['jump_end'] / ours['jump_end']:.0f}x",
            f">= {PEER_SPEEDUP:.0f}x faster",
            vd["jump_end"] / ours["jump_end"] >= PEER_SPEEDUP,
        ),
        Row(
            "VisiData: search over every row / ours",
            f"{_s(vd['search'])} / {_s(ours['search'])} = {vd['search'] / ours['search']:.0f}x",
            f">= {PEER_SPEEDUP:.0f}x faster",
            vd["search"] / ours["search"] >= PEER_SPEEDUP,
        ),
        Row(
            "VisiData: peak memory",
            f"{vd['peak_rss_mb']:.0f} MB",
            "reference",
            None,
            f"ours {ours['peak_rss_mb']:.0f} MB",
        ),
    ]
    return rows


# -- the table -----------------------------------------------------------------------------------


def print_table(rows: list[Row]) -> None:
    verdicts = {True: "yes", False: "NO", None: ""}
    header = Row("measure", "figure", "target", None, "note")
    widths = [
        max(len(getattr(r, a)) for r in [header, *rows]) for a in ("measure", "figure", "target")
    ]
    line = "{{:<{}}}  {{:<{}}}  {{:<{}}}  {{:<4}}  {{}}".format(*widths)
    print(line.format(header.measure, header.figure, header.target, "met?", header.note))
    print(line.format(*("-" * w for w in widths), "----", "----"))
    for r in rows:
        print(line.format(r.measure, r.figure, r.target, verdicts[r.met], r.note))


def _label(treaties: int) -> str:
    return f"{treaties:,} treaties" if treaties < 1_000_000 else f"{treaties / 1e6:g}M treaties"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", default="100,1000000", help="treaties in each generated database, smallest first"
    )
    parser.add_argument("--runs", type=int, default=5, help="cold starts per figure")
    parser.add_argument("--db", help="the large database: a SQLite file or a PostgreSQL URL")
    parser.add_argument("--skip-visidata", action="store_true")
    parser.add_argument("--import-treaties", type=int, default=IMPORT_TREATIES)
    args = parser.parse_args()
    from bench.big_db import database, warm_file_cache

    started = time.perf_counter()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    small = database(sizes[0])
    large: Path | str = database(sizes[-1])
    labels = (_label(sizes[0]), _label(sizes[-1]))
    if args.db:
        large = args.db if "://" in args.db else Path(args.db).resolve()
        labels = (labels[0], f"--db {Path(str(large)).name}")
    sqlite = not (isinstance(large, str) and not large.startswith("sqlite"))
    visidata = not args.skip_visidata and isinstance(large, Path)
    for path in {small, large}:
        if isinstance(path, Path):
            warm_file_cache(path)

    rows = cold_start_rows(small, large, args.runs, labels)
    rows += browse_rows(large, labels[1])
    plans = query_plans(large)
    rows += plan_rows(plans, sqlite)
    rows += import_rows(args.import_treaties)
    rows += peer_rows(large, labels[1], visidata)
    print()
    print_table(rows)
    print_plans(plans)
    print(f"\n({time.perf_counter() - started:.0f} s; {args.runs} cold starts a figure)")


if __name__ == "__main__":
    main()
