"""`treaty-timeline copy --to URL`: the whole database moved to another, SQLite to PostgreSQL
and back (the work is in timeline/io/copy.py)."""

from __future__ import annotations

import argparse


def add_commands(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common_parser: argparse.ArgumentParser,
) -> None:
    help_text = "copy the whole database (--db) into another, e.g. a team's PostgreSQL server"
    sub = subparsers.add_parser(
        "copy", parents=[common_parser], help=help_text, description=help_text
    )
    sub.set_defaults(handler=cmd_copy)
    sub.add_argument(
        "--to",
        dest="to",
        required=True,
        metavar="PATH|URL",
        help="the target: a SQLite file (created if missing) or a URL such as"
        " postgresql+psycopg://USER:PASSWORD@HOST/DATABASE (the database must exist)",
    )
    sub.add_argument(
        "--replace",
        action="store_true",
        help="replace everything in a target that already holds treaties",
    )


def cmd_copy(args: argparse.Namespace) -> int:
    from timeline.io.copy import copy_database

    report = copy_database(args.db, args.to, replace=args.replace)
    print(report.summary())
    return 0
