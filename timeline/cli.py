"""The command line: `treaty-timeline [--db PATH|URL] [COMMAND ...]`.

Every failure a user can cause ends in one line on stderr and a non-zero exit, never a
traceback (set TREATY_TIMELINE_DEBUG=1 to see one)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence

PROG = "treaty-timeline"


class UserError(Exception):
    """Something the user asked for cannot be done; the message says why."""


def make_console():  # type: ignore[no-untyped-def]
    from rich.console import Console

    console = Console()
    if not console.is_terminal and "COLUMNS" not in os.environ:
        # Piped output is read in files and pagers, not cut to a guessed 80 columns.
        console = Console(width=160)
    return console


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from timeline.database import open_database

    return open_database(args.db)


def cmd_overview(args: argparse.Namespace) -> int:
    from rich.table import Table
    from sqlmodel import Session

    from db.queries import row_counts, treaties_by_date
    from timeline import strength, views

    started = time.perf_counter()
    database = _open(args)
    opened_in = time.perf_counter() - started
    console = make_console()
    with Session(database.engine) as session:
        counts = row_counts(session)
        treaties = treaties_by_date(session, limit=20)
        rows = [
            (
                t.slug,
                views.shown(t.signed_on, t.signed_precision, t.signed_uncertain),
                views.shown(t.in_force_on, t.in_force_precision, t.in_force_uncertain),
                views.shown(t.ended_on, t.ended_precision, t.ended_uncertain)
                if t.ended_on
                else "not ended",
                strength.label(t.strength),
                ", ".join(views.party_names(t)),
            )
            for t in treaties
        ]

    console.print(f"[bold]{PROG}[/bold]: a historical treaty timeline tracker")
    console.print(f"Database: {database.location}")
    if database.seeded is not None:
        console.print(
            f"New database, seeded with the founding records in {opened_in:.2f} s"
            f" ({database.seeded.summary()})."
        )
    elif database.schema.upgraded:
        console.print(f"Upgraded from schema {database.schema.before} to {database.schema.after}.")
    console.print(
        ", ".join(f"{counts[k]} {k}" for k in ("treaties", "states", "events", "sources"))
    )
    table = Table(title=f"Treaties (first {len(rows)} by date signed)" if rows else "No treaties")
    for column in ("slug", "signed", "in force", "ended", "strength"):
        table.add_column(column, no_wrap=True)
    table.add_column("parties")
    for row in rows:
        table.add_row(*row)
    console.print(table)
    console.print(
        "Commands: "
        + ", ".join(f"{PROG} {name}" for name in COMMANDS if name != "overview")
        + f". {PROG} COMMAND --help tells more."
    )
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from timeline.seed import seed

    database = _open(args)
    if database.seeded is not None:
        print(f"new database seeded: {database.seeded.summary()}")
        return 0
    with Session(database.engine) as session:
        report = seed(session)
        session.commit()
    print(report.summary())
    return 0


def cmd_where(args: argparse.Namespace) -> int:
    from db.engine import database_url, describe_location

    print(describe_location(database_url(args.db)))
    return 0


COMMANDS: dict[str, tuple[Callable[[argparse.Namespace], int], str]] = {
    "overview": (cmd_overview, "counts and the treaties in the database (the default)"),
    "seed": (cmd_seed, "add any founding fixture records missing from the database"),
    "where": (cmd_where, "print where the database is"),
}


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        metavar="PATH|URL",
        help="SQLite file or SQLAlchemy URL (default: $TREATY_TIMELINE_DB, else the user data dir)",
    )
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="A historical treaty timeline tracker.",
        parents=[common],
    )
    parser.set_defaults(db=None, handler=cmd_overview)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name, (handler, help_text) in COMMANDS.items():
        sub = commands.add_parser(name, parents=[common], help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from db.errors import DatabaseError, NotFound

    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except (UserError, DatabaseError, NotFound, ValueError) as error:
        message = error.args[0] if isinstance(error, NotFound) and error.args else error
        print(f"{PROG}: error: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # the last line of defence: no traceback reaches a user
        if os.environ.get("TREATY_TIMELINE_DEBUG"):
            raise
        print(
            f"{PROG}: unexpected error: {type(error).__name__}: {error}"
            " (set TREATY_TIMELINE_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
