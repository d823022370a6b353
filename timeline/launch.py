"""The treaty-timeline command. Asked for the app alone (no command, at most --db) on a
terminal, it opens the app without loading the command line's parser and command modules,
which the app's first frame would otherwise wait for; anything else goes to timeline.cli."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def app_database(argv: Sequence[str]) -> tuple[bool, str | None]:
    """Whether the command line asks for the app and nothing else, and its --db if given."""
    if not argv:
        return True, None
    if len(argv) == 1 and argv[0].startswith("--db=") and len(argv[0]) > len("--db="):
        return True, argv[0][len("--db=") :]
    if len(argv) == 2 and argv[0] == "--db" and argv[1] and not argv[1].startswith("-"):
        return True, argv[1]
    return False, None


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    app_only, db = app_database(args)
    if app_only and sys.stdin.isatty() and sys.stdout.isatty():
        try:
            from timeline.tui.app import run

            run(db)
            return 0
        except (Exception, KeyboardInterrupt) as error:
            from timeline.cli import failed

            return failed(error)
    from timeline.cli import main as command_line

    return command_line(args)
