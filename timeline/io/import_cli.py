"""`treaty-timeline import PATH`: ATOP v4.01, or the JSON and CSV that export writes, merged into
the database in one transaction; and `treaty-timeline crosscheck STATE STATE`: our records
beside the COW and ATOP dyad-year data."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from timeline.io.crosscheck import Crosscheck
    from timeline.io.merge import ImportReport

FORMATS = ("atop", "json", "csv")
# A bar appears only for an import that is still running after this long.
PROGRESS_DELAY_S = 0.5


def add_commands(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common_parser: argparse.ArgumentParser,
) -> None:
    help_text = "import ATOP v4.01, or a JSON or CSV file as export writes it"
    sub = subparsers.add_parser(
        "import", parents=[common_parser], help=help_text, description=help_text
    )
    sub.set_defaults(handler=cmd_import)
    sub.add_argument(
        "path",
        metavar="PATH",
        help="the ATOP v4.01 folder or its atop-alliance-level.csv; or a .json or .csv file",
    )
    sub.add_argument(
        "--format", choices=FORMATS, help="atop, json or csv (default: told from the content)"
    )
    sub.add_argument(
        "--overwrite",
        action="store_true",
        help="where you changed a field the file also gives, take the file's value",
    )
    sub.add_argument(
        "--dry-run", dest="dry_run", action="store_true", help="report, but write nothing"
    )
    sub.add_argument("--json", action="store_true", help="print the report as JSON")

    help_text = "compare our records for two states with the COW and ATOP dyad-year data"
    cross = subparsers.add_parser(
        "crosscheck", parents=[common_parser], help=help_text, description=help_text
    )
    cross.set_defaults(handler=cmd_crosscheck)
    cross.add_argument("state_a", metavar="STATE")
    cross.add_argument("state_b", metavar="STATE")
    cross.add_argument("--cow", metavar="PATH", help="cow_alliance_v4.1_ddy.csv")
    cross.add_argument(
        "--atop-ddy", dest="atop_ddy", metavar="PATH", help="atop_alliance_5.1_ddy.csv"
    )
    cross.add_argument("--from", dest="first", type=int, metavar="YEAR")
    cross.add_argument("--to", dest="last", type=int, metavar="YEAR")
    cross.add_argument(
        "--all", dest="all_years", action="store_true", help="every year, not only disagreements"
    )
    cross.add_argument("--json", action="store_true", help="print JSON")


# -- import ----------------------------------------------------------------------------------


def detect_format(path: Path) -> str:
    """atop, json or csv, from the content (the name's ending only where that says nothing)."""
    from timeline.cli import UserError

    if path.is_dir():
        return "atop"
    try:
        with path.open("rb") as handle:
            head = handle.read(65536).decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    except OSError as error:
        raise UserError(f"cannot read {path}: {error.strerror}") from error
    if head.startswith(("{", "[")):
        return "json"
    header = (
        {cell.strip().strip('"').lower() for cell in head.splitlines()[0].split(",")}
        if head
        else set()
    )
    if "atopid" in header:
        if "member" in header and "yrent" in header:
            raise UserError(
                f"{path} is ATOP's member-level file; give the alliance-level file"
                " (atop-alliance-level.csv) or its folder"
            )
        return "atop"
    if "slug" in header:
        return "csv"
    if path.suffix.lower() in (".json", ".csv"):
        return path.suffix.lower()[1:]
    raise UserError(f"cannot tell the format of {path}: give --format atop, json or csv")


class _ProgressBar:
    """A bar on stderr, shown only on a terminal, and only once the import has taken a moment."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.started = time.perf_counter()
        self.bar: Any = None
        self.task: Any = None
        self.enabled = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            if time.perf_counter() - self.started < PROGRESS_DELAY_S or done >= total:
                return
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=total)
        self.bar.update(self.task, completed=done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def cmd_import(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from timeline.cli import UserError, _open
    from timeline.io.merge import run_import

    path = Path(args.path)
    if not path.exists():
        raise UserError(f"no such file or folder: {path}")
    fmt = args.format or detect_format(path)
    if fmt == "atop":
        from timeline.io.atop import read_atop as read
    elif fmt == "json":
        from timeline.io.exchange_import import read_json as read
    else:
        from timeline.io.exchange_import import read_csv as read
    database = _open(args)
    with Session(database.engine) as session:
        batch = read(path, session)
    bar = _ProgressBar(f"importing {batch.label}")
    try:
        report = run_import(
            database.engine, batch, overwrite=args.overwrite, dry_run=args.dry_run, progress=bar
        )
    finally:
        bar.close()
    if args.json:
        from timeline.cli import _print_json

        _print_json(report.to_dict())
        return 0
    _print_report(report, path)
    return 0


def shown(field: str, value: Any) -> str:
    """A merged value, short enough for a table cell."""
    from timeline.io.merge import plural

    if value is None or value == "" or value == []:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field == "provisions":
        clauses = [
            (f"Art. {p['article']} " if p.get("article") else "") + str(p.get("obligation"))
            for p in value
        ]
        return plural(len(value), "clauses") + ": " + ", ".join(clauses)
    if field.endswith("sources") or field.startswith("source "):
        keys = ", ".join(sorted({c["source"] for c in value}))
        return plural(len(value), "citations") + ": " + keys
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    text = " ".join(str(value).split())
    return text if len(text) <= 80 else text[:77] + "..."


def _print_report(report: ImportReport, path: Path) -> None:
    from rich.table import Table

    from timeline.cli import make_console

    console = make_console()
    console.print(f"{report.label} from {path}: {report.summary()}", soft_wrap=True)
    if not report.conflicts:
        return
    title = (
        "Conflicts: the file's value was written over yours"
        if report.overwrite
        else "Conflicts: your value was kept (--overwrite takes the file's)"
    )
    table = Table(title=title, title_justify="left")
    for column in ("record", "field", "yours", "file"):
        table.add_column(column, no_wrap=column in ("record",))
    for c in report.conflicts:
        table.add_row(c.record, c.field, shown(c.field, c.yours), shown(c.field, c.theirs))
    console.print(table)


# -- crosscheck ------------------------------------------------------------------------------


def cmd_crosscheck(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from timeline.cli import UserError, _open
    from timeline.io.crosscheck import ATOP_DDY, COW, crosscheck, pair_codes, read_dyad_years

    given = [(kind, p) for kind, p in ((COW, args.cow), (ATOP_DDY, args.atop_ddy)) if p]
    if not given:
        raise UserError(
            "give a data set to compare with: --cow cow_alliance_v4.1_ddy.csv and/or"
            " --atop-ddy atop_alliance_5.1_ddy.csv"
        )
    for _, p in given:
        if not Path(p).is_file():
            raise UserError(f"no such file: {p}")
    database = _open(args)
    with Session(database.engine) as session:
        codes_a, codes_b = pair_codes(session, args.state_a, args.state_b)
        datasets = [read_dyad_years(Path(p), kind, codes_a, codes_b) for kind, p in given]
        result = crosscheck(
            session, args.state_a, args.state_b, datasets, first=args.first, last=args.last
        )
    if args.json:
        from timeline.cli import _print_json

        _print_json(result.to_dict())
        return 0
    _print_crosscheck(result, args.all_years)
    return 0


def _flags(flags: frozenset[str] | None) -> str:
    from timeline.io.crosscheck import ordered

    if flags is None:
        return "not covered"
    return ", ".join(ordered(flags)) or "none"


def _print_crosscheck(result: Crosscheck, all_years: bool) -> None:
    from rich.table import Table

    from timeline.cli import make_console
    from timeline.io.crosscheck import runs

    console = make_console()
    pair = f"{result.a.label} and {result.b.label}"
    shown_runs = runs(result.rows, only_disagreeing=not all_years)
    title = f"{pair}: our records {'and' if all_years else 'against'} " + ", ".join(
        d.name for d in result.datasets
    )
    if not all_years:
        title += " (years that disagree; --all for every year)"
    if shown_runs:
        table = Table(title=title, title_justify="left")
        table.add_column("years", no_wrap=True)
        table.add_column("ours")
        for d in result.datasets:
            table.add_column(d.name)
        table.add_column("our treaties")
        for run in shown_runs:
            cells = [
                ("≠ " if differs else "") + _flags(theirs)
                for theirs, differs in zip(run.row.theirs, run.row.disagree, strict=True)
            ]
            table.add_row(
                run.years, _flags(run.row.ours), *cells, ", ".join(run.row.treaties) or "-"
            )
        console.print(table)
    else:
        console.print(f"{pair}: no year where our records and the data disagree.")
    console.print(result.summary(), soft_wrap=True)
    if result.undated:
        console.print("Left out, undated: " + ", ".join(result.undated))
