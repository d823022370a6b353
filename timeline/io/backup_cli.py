"""`treaty-timeline backup PATH`."""

from __future__ import annotations

import argparse
from pathlib import Path


def cmd_backup(args: argparse.Namespace) -> int:
    from timeline.cli import _open
    from timeline.io.backup import backup

    database = _open(args)
    size = backup(database.engine, Path(args.path))
    print(f"backup of {database.location} written to {args.path} ({size / 1024:,.0f} KiB)")
    return 0


def add_commands(commands, common: argparse.ArgumentParser) -> None:  # type: ignore[no-untyped-def]
    sub = commands.add_parser(
        "backup",
        parents=[common],
        help="write a consistent snapshot of the database, also while it is in use",
        description="Write a consistent snapshot of the (SQLite) database to PATH, also while"
        " the app or another command is using it. For PostgreSQL use pg_dump.",
    )
    sub.add_argument("path", metavar="PATH")
    sub.set_defaults(handler=cmd_backup)
