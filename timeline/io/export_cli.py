"""`treaty-timeline export`: the treaties `list` would show, written as JSON, CSV, Markdown or
TimelineJS, to stdout or to a file.

A file is written whole or not at all: the text goes to a temporary file in the same folder,
which then takes the file's name."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from sqlmodel import Session

    from timeline.records import EventRecord, TreatyRecord

FORMATS = ("json", "csv", "markdown", "timelinejs")


def add_commands(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common_parser: argparse.ArgumentParser,
) -> None:
    from timeline.cli import _add_date_order

    help_text = "write the treaties list would show as JSON, CSV, Markdown or TimelineJS"
    sub = subparsers.add_parser(
        "export", parents=[common_parser], help=help_text, description=help_text
    )
    sub.set_defaults(handler=cmd_export)
    sub.add_argument(
        "--format",
        choices=FORMATS,
        default="json",
        help="json (complete, loads back), csv (a row a treaty), markdown (a readable document),"
        " timelinejs (a web timeline); default: json",
    )
    sub.add_argument(
        "--output", "-o", metavar="PATH", default="-", help="the file to write (default: - stdout)"
    )
    sub.add_argument("--party", metavar="STATE", help="name, ISO or COW code (follows succession)")
    sub.add_argument("--in-force-on", dest="in_force_on", metavar="DATE")
    sub.add_argument("--between", nargs=2, metavar=("A", "B"), help="signed between A and B")
    sub.add_argument("--min-strength", dest="min_strength", metavar="N")
    sub.add_argument("--search", metavar="TEXT", help="in titles, summaries and clause texts")
    sub.add_argument("--limit", type=int, metavar="N")
    _add_date_order(sub)


def check_output(path: str) -> None:
    """Refuse a place that cannot take the file before any work is done."""
    from pathlib import Path

    from timeline.cli import UserError

    if path == "-":
        return
    target = Path(path)
    if target.is_dir():
        raise UserError(f"cannot write {path}: it is a folder")
    if not target.parent.is_dir():
        raise UserError(f"cannot write {path}: there is no folder {target.parent}")


def _new_file_mode(target: Path) -> int:
    if target.exists():
        return target.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_output(path: str, text: str) -> None:
    """Write `text` to stdout ("-") or to `path`, never leaving a half-written file."""
    import contextlib
    import tempfile
    from pathlib import Path

    from timeline.cli import UserError

    if path == "-":
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:
            # The reader stopped early (| head): quietly drop the rest, as other tools do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    target = Path(path)
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".part"
        )
        # newline="" keeps the text as rendered: CSV rows end in CRLF on every system.
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.chmod(temporary, _new_file_mode(target))
        os.replace(temporary, target)
        temporary = None
    except OSError as error:
        raise UserError(f"cannot write {path}: {error.strerror or error}") from error
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def render(
    form: str,
    session: Session,
    treaties: list[TreatyRecord],
    events: list[EventRecord],
    said: list[str],
) -> str:
    """The export text in format `form`; JSON reads a few facts records leave out."""
    if form == "json":
        from timeline.io import export_json

        return export_json.dumps(export_json.document(session, treaties, events, selection=said))
    if form == "csv":
        from timeline.io import export_csv

        return export_csv.render(treaties)
    if form == "markdown":
        from timeline.io import export_markdown

        return export_markdown.render(treaties, events, selection=said)
    from timeline.io import export_timelinejs

    title = "Treaties" + (": " + "; ".join(said) if said else "")
    subtitle = f"{_count(len(treaties), 'treaty', 'treaties')}, {_count(len(events), 'event')}"
    for t in export_timelinejs.undated(treaties):
        print(f"left out {t.slug}: no date to place it on the timeline", file=sys.stderr)
    data = export_timelinejs.document(treaties, events, title=title, subtitle=subtitle)
    return export_timelinejs.dumps(data)


def cmd_export(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from timeline.cli import _open
    from timeline.io import selection
    from timeline.records import StateIndex

    filters = selection.parse_filters(
        party=args.party,
        in_force_on=args.in_force_on,
        between=args.between,
        min_strength=args.min_strength,
        search=args.search,
        limit=args.limit,
        order=args.date_order,
    )
    check_output(args.output)
    said = filters.describe()
    database = _open(args)
    with Session(database.engine) as session:
        states = StateIndex(session)
        treaties = selection.apply_filters(session, filters, states)
        # A full export carries every event; a selection those of its treaties.
        events = selection.select_events(
            session, treaties, everything=not filters.given, states=states
        )
        text = render(args.format, session, treaties, events, said)
    write_output(args.output, text)
    if args.output != "-":
        said_count = _count(len(treaties), "treaty", "treaties")
        if args.format != "csv":
            said_count += f" and {_count(len(events), 'event')}"
        print(f"exported {said_count} to {args.output} ({args.format})")
    return 0
