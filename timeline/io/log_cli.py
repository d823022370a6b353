"""`treaty-timeline log [SLUG]`: who changed what and when, newest first; and
`treaty-timeline undo [CHANGE_SET_ID]`: revert a change set as a new one."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from timeline.change_log import ChangeSetRecord

DEFAULT_LIMIT = 20
# Lines shown per change set; an import may hold thousands (`log SLUG` or --json shows all).
SHOWN_CHANGES = 12


def add_commands(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common_parser: argparse.ArgumentParser,
) -> None:
    help_text = "the history of changes, newest first: who changed what, when"
    log = subparsers.add_parser("log", parents=[common_parser], help=help_text,
                                description=help_text)  # fmt: skip
    log.set_defaults(handler=cmd_log)
    log.add_argument("slug", nargs="?", metavar="SLUG", help="only this treaty's changes")
    log.add_argument(
        "--limit",
        type=int,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"the newest N change sets (default {DEFAULT_LIMIT})",
    )
    log.add_argument("--json", action="store_true", help="print JSON")

    help_text = "revert the last change set (or the one given) as a new, undoable change set"
    undo = subparsers.add_parser("undo", parents=[common_parser], help=help_text,
                                 description=help_text)  # fmt: skip
    undo.set_defaults(handler=cmd_undo)
    undo.add_argument(
        "change_set",
        nargs="?",
        metavar="CHANGE_SET_ID",
        help="the number log shows (default: last)",
    )
    undo.add_argument("--yes", action="store_true", help="do not ask")
    undo.add_argument(
        "--force",
        action="store_true",
        help="undo even where a later change replaced a value (that change is overwritten)",
    )


def _lines(change_set: ChangeSetRecord, every: bool) -> list[str]:
    lines = [change_set.header()]
    shown = change_set.changes if every else change_set.changes[:SHOWN_CHANGES]
    lines += [f"    {c.text()}" for c in shown]
    if len(shown) < len(change_set.changes):
        lines.append(
            f"    … and {len(change_set.changes) - len(shown)} more changes"
            " (log SLUG shows one treaty's, --json all)"
        )
    return lines


def cmd_log(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from db.changes import slug_exists
    from timeline.change_log import count_change_sets, load_log
    from timeline.cli import UserError, _open, _print_json

    if args.limit < 1:
        raise UserError("--limit must be 1 or more")
    database = _open(args)
    with Session(database.engine) as session:
        found = load_log(session, args.slug, limit=args.limit)
        total = count_change_sets(session, args.slug) if found else 0
        exists = bool(args.slug) and slug_exists(session, args.slug)
    if args.slug and not found and not exists:
        raise UserError(f"no treaty with the slug {args.slug!r}, and no recorded changes to one")
    if args.json:
        _print_json([c.to_dict() for c in found])
        return 0
    if not found:
        print(f"no changes recorded for {args.slug}" if args.slug else "no changes recorded yet")
        return 0
    for change_set in found:
        print("\n".join(_lines(change_set, every=bool(args.slug))))
    if total > len(found):
        print(f"(the newest {len(found)} of {total}; --limit N shows more)")
    return 0


def _change_set_id(text: str | None) -> int | None:
    from timeline.cli import UserError

    if text is None:
        return None
    digits = text.strip().removeprefix("#")
    if not digits.isdigit():
        raise UserError(f"{text!r} is not a change set number; `treaty-timeline log` lists them")
    return int(digits)


def cmd_undo(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from timeline.change_log import latest_id, load_change_set
    from timeline.cli import UserError, _open
    from timeline.undo import UndoConflict, undo

    wanted = _change_set_id(args.change_set)
    database = _open(args)
    with Session(database.engine) as session:
        wanted = wanted if wanted is not None else latest_id(session)
        if wanted is None:
            raise UserError("nothing to undo: no changes are recorded yet")
        target = load_change_set(session, wanted)
    if not args.yes:
        if not sys.stdin.isatty():
            raise UserError(f"refusing to undo #{target.id} without confirmation: add --yes")
        print("\n".join(_lines(target, every=False)))
        answer = input(f"Undo #{target.id} ({target.description})? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("nothing undone")
            return 1
    try:
        result = undo(database.engine, target.id, force=args.force)
    except UndoConflict as error:
        raise UserError(f"{error}; --force undoes it anyway") from error
    if result.change_set is None:
        print(f"nothing to undo in #{target.id}: its records are already as it found them")
        return 0
    print(
        f"undone #{target.id} ({target.description}) as #{result.change_set}:"
        f" {result.changes} changes"
    )
    return 0
