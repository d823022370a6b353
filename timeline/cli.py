"""The command line: `treaty-timeline [--db PATH|URL] [COMMAND ...]`.

Every command prints readable tables by default and JSON with --json. Every failure a user can
cause ends in one line on stderr and a non-zero exit, never a traceback (set
TREATY_TIMELINE_DEBUG=1 to see one)."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

PROG = "treaty-timeline"


class UserError(Exception):
    """Something the user asked for cannot be done; the message says why."""


# -- shared plumbing -----------------------------------------------------------------------------


def make_console():  # type: ignore[no-untyped-def]
    from rich.console import Console

    # No markup: names, titles and paths are printed as they are, brackets and all ("[Draft]"
    # would vanish, "[/b]" end the command); the few styles are Text's.
    console = Console(highlight=False, markup=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        # Piped output is read in files and pagers, not cut to a guessed 80 columns.
        console = Console(width=160, highlight=False, markup=False)
    return console


# Engines a command opened, closed when it ends: an SQLite file in WAL mode keeps its -wal and
# -shm files beside it until its last connection closes.
_OPENED: list = []  # type: ignore[type-arg]


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from timeline.database import open_database

    database = open_database(args.db)
    _OPENED.append(database.engine)
    return database


def _close_opened() -> None:
    while _OPENED:
        _OPENED.pop().dispose()


def _print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False))


def _date_arg(text: str, args: argparse.Namespace, what: str):  # type: ignore[no-untyped-def]
    from timeline.dates import DateError, parse_date

    try:
        return parse_date(text, getattr(args, "date_order", "strict"))
    except DateError as error:
        raise UserError(f"{what}: {error}") from error


# -- the app, or an overview when there is no terminal --------------------------------------------


def cmd_default(args: argparse.Namespace) -> int:
    """No command: open the terminal UI, or print the overview when output is not a terminal."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return cmd_overview(args)
    from timeline.tui.app import run

    run(args.db)
    return 0


# -- overview ------------------------------------------------------------------------------------


def cmd_overview(args: argparse.Namespace) -> int:
    from rich.text import Text
    from sqlmodel import Session

    from db.queries import row_counts, treaties_by_date
    from timeline.records import to_records

    started = time.perf_counter()
    database = _open(args)
    opened_in = time.perf_counter() - started
    with Session(database.engine) as session:
        counts = row_counts(session)
        records = to_records(session, treaties_by_date(session, limit=20))
    console = make_console()
    console.print(Text.assemble((PROG, "bold"), ": a historical treaty timeline tracker"))
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
    title = f"Treaties (first {len(records)} by date signed)" if records else "No treaties"
    console.print(_treaty_table(records, title))
    console.print(
        "Commands: "
        + ", ".join(name for name in COMMANDS if name != "overview")
        + f". {PROG} COMMAND --help tells more."
    )
    return 0


def _treaty_table(records, title: str):  # type: ignore[no-untyped-def]
    from rich.table import Table

    from timeline import strength, views

    table = Table(title=title, title_justify="left")
    for column in ("slug", "signed", "in force", "ended", "strength"):
        table.add_column(column, no_wrap=True)
    table.add_column("parties")
    for t in records:
        table.add_row(
            t.slug,
            views.shown(t.signed, t.signed_uncertain),
            views.shown(t.in_force, t.in_force_uncertain),
            views.ended_text(t),
            strength.label(t.strength),
            ", ".join(views.party_names(t)),
        )
    return table


# -- list / show / events ------------------------------------------------------------------------


def _state_ids(session, text: str) -> list[int]:  # type: ignore[no-untyped-def]
    """The state named and every state of its lineage (the USSR with Russia)."""
    from timeline.records import StateIndex

    index = StateIndex(session)
    return [s.id for s in index.lineage(index.find(text))]


def cmd_list(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from timeline import views
    from timeline.io.selection import apply_filters, parse_filters

    # Checked before the database is opened, so a mistyped filter never creates one.
    filters = parse_filters(
        party=args.party,
        in_force_on=args.in_force_on,
        between=args.between,
        min_strength=args.min_strength,
        search=args.search,
        limit=args.limit,
        order=args.date_order,
    )
    database = _open(args)
    with Session(database.engine) as session:
        records = apply_filters(session, filters)
    if args.json:
        _print_json([views.treaty_summary(t) for t in records])
        return 0
    console = make_console()
    console.print(_treaty_table(records, f"{len(records)} treaties"))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from db.changes import treaty_id_by_slug
    from db.queries import find_events
    from timeline import views
    from timeline.records import StateIndex, events_of, load_treaty

    database = _open(args)
    with Session(database.engine) as session:
        record = load_treaty(session, args.slug)
        treaty_id = treaty_id_by_slug(session, args.slug)
        events = events_of(session, StateIndex(session), find_events(session, treaty_id=treaty_id))
    if args.json:
        _print_json(views.treaty_detail(record, events))
        return 0
    from timeline.render import treaty_panel

    make_console().print(treaty_panel(record, events))
    return 0


def cmd_events(args: argparse.Namespace) -> int:
    from rich.table import Table
    from sqlmodel import Session

    from db.queries import find_events
    from timeline import views
    from timeline.records import StateIndex, events_of

    filters: dict[str, Any] = {}
    if args.between:
        start = _date_arg(args.between[0], args, "--between")
        end = _date_arg(args.between[1], args, "--between")
        filters.update(happened_from=start.first_day, happened_to=end.last_day)
    database = _open(args)
    with Session(database.engine) as session:
        if args.party:
            filters["state_ids"] = _state_ids(session, args.party)
        index = StateIndex(session)
        events = events_of(session, index, find_events(session, **filters))
    if args.json:
        _print_json([views.event_dict(e) for e in events])
        return 0
    table = Table(title=f"{len(events)} events", title_justify="left")
    for column in ("date", "kind", "event", "treaty", "states"):
        table.add_column(column, no_wrap=column in ("date", "kind"))
    for e in events:
        table.add_row(
            e.happened.display(),
            e.kind,
            e.title,
            e.treaty_slug or "",
            ", ".join(s.short_name for s in e.states),
        )
    make_console().print(table)
    return 0


# -- compare / history ---------------------------------------------------------------------------


def cmd_compare(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from timeline.compare import compare
    from timeline.records import StateIndex, load_treaties, treaties_of_states

    if len(args.slugs) < 2:
        raise UserError("compare needs two or more treaty slugs")
    if len(set(args.slugs)) != len(args.slugs):
        raise UserError("the same treaty is named twice")
    database = _open(args)
    with Session(database.engine) as session:
        records = load_treaties(session, args.slugs)
        # Treaties of the continuing parties all share tell what lay in between; compare()
        # keeps those binding every one of them.
        shared = set.intersection(*({p.state.continuity_id for p in r.parties} for r in records))
        lineage = [s.id for s in StateIndex(session).by_id.values() if s.continuity_id in shared]
        context = treaties_of_states(session, lineage) if lineage else []
    result = compare(records, context=context)
    if args.json:
        _print_json(result.to_dict())
        return 0
    if args.markdown:
        markdown = result.to_markdown()
        if args.markdown == "-":
            print(markdown)
        else:
            try:
                with open(args.markdown, "w", encoding="utf-8") as handle:
                    handle.write(markdown)
            except OSError as error:
                raise UserError(f"cannot write {args.markdown}: {error.strerror}") from error
            print(f"comparison written to {args.markdown}")
        return 0
    from timeline.render import comparison_view

    make_console().print(comparison_view(result))
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from timeline.history import load_history

    database = _open(args)
    with Session(database.engine) as session:
        result = load_history(session, args.state_a, args.state_b)
    if args.json:
        _print_json(result.to_dict())
        return 0
    from timeline.render import history_view

    make_console().print(history_view(result))
    return 0


# -- add / edit / delete -------------------------------------------------------------------------

# option -> field, for the options add and edit share
FIELD_OPTIONS: dict[str, str] = {
    "slug": "slug",
    "title": "title",
    "short_title": "short_title",
    "kind": "kind",
    "signed": "signed",
    "signed_place": "signed_place",
    "in_force": "in_force",
    "ended": "ended",
    "end_reason": "end_reason",
    "term_months": "term_months",
    "renewal": "renewal",
    "renewal_months": "renewal_months",
    "term_note": "term_note",
    "replaces": "replaces",
    "strength": "strength",
    "strength_clause": "strength_clause",
    "strength_note": "strength_note",
    "summary": "summary",
    "notes": "notes",
    "atop_id": "atop_id",
    "cow_id": "cow_id",
    "unts": "unts_number",
    "wikidata": "wikidata_id",
}
FLAG_OPTIONS = ("indefinite", "signed_uncertain", "in_force_uncertain", "ended_uncertain")


def _read_json_file(path: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as error:
        raise UserError(f"cannot read {path}: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise UserError(f"{path} is not UTF-8 text ({error.reason})") from error
    except json.JSONDecodeError as error:
        raise UserError(
            f"{path} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from error
    except RecursionError:
        raise UserError(f"{path}: arrays or objects nested too deeply") from None
    except ValueError:  # int() refuses a number of thousands of digits
        raise UserError(f"{path}: a number too long to read") from None
    if not isinstance(data, dict):
        raise UserError(f"{path} must hold one JSON object (a treaty), not {type(data).__name__}")
    return data


def _changes_from(args: argparse.Namespace) -> dict[str, Any]:
    changes: dict[str, Any] = _read_json_file(args.file) if args.file else {}
    for option, field in FIELD_OPTIONS.items():
        value = getattr(args, option, None)
        if value is not None:
            changes[field] = value
    for flag in FLAG_OPTIONS:
        value = getattr(args, flag, None)
        if value is not None:
            changes[flag] = value
    if args.party:
        changes["parties"] = args.party
    if args.provision:
        changes["provisions"] = args.provision
    return changes


def _echo_saved(record, verb: str) -> None:  # type: ignore[no-untyped-def]
    from timeline import strength, views

    print(
        f"{verb} {record.slug}: {record.name}; signed {views.shown(record.signed)};"
        f" strength {strength.label(record.strength)};"
        f" parties {', '.join(views.party_names(record)) or 'none'}"
    )


def cmd_add(args: argparse.Namespace) -> int:
    from timeline.editing import add_treaty

    changes = _changes_from(args)
    if not changes:
        raise UserError("nothing to add: give --file or options such as --slug and --title")
    record = add_treaty(_open(args).engine, changes, args.date_order)
    _echo_saved(record, "added")
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    from timeline.editing import edit_treaty

    changes = _changes_from(args)
    if not changes:
        raise UserError("nothing to change: give options such as --ended or --strength")
    record = edit_treaty(_open(args).engine, args.slug, changes, args.date_order)
    _echo_saved(record, "changed")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from timeline.editing import remove_treaty
    from timeline.records import load_treaty

    database = _open(args)
    with Session(database.engine) as session:
        record = load_treaty(session, args.slug)
    if not args.yes:
        if not sys.stdin.isatty():
            raise UserError(f"refusing to delete {args.slug} without confirmation: add --yes")
        answer = input(
            f"Delete {record.slug} ({record.name}) with {len(record.parties)} parties and"
            f" {len(record.provisions)} provisions? [y/N] "
        )
        if answer.strip().lower() not in ("y", "yes"):
            print("nothing deleted")
            return 1
    remove_treaty(database.engine, args.slug)
    print(f"deleted {args.slug}")
    return 0


# -- seed / where --------------------------------------------------------------------------------


def cmd_seed(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from db.engine import writer
    from timeline.seed import seed

    database = _open(args)
    if database.seeded is not None:
        print(f"new database seeded: {database.seeded.summary()}")
        return 0
    with Session(writer(database.engine)) as session:
        report = seed(session)
        session.commit()
    print(report.summary())
    return 0


def cmd_where(args: argparse.Namespace) -> int:
    from db.engine import database_url, describe_location

    print(describe_location(database_url(args.db)))
    return 0


# -- the parser ----------------------------------------------------------------------------------


def _add_record_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--file", metavar="JSON", help="read the treaty (or the changes) from a file")
    sub.add_argument("--slug")
    sub.add_argument("--title")
    sub.add_argument("--short-title", dest="short_title")
    sub.add_argument("--kind", help="alliance, friendship, partnership, non-aggression, ...")
    sub.add_argument("--signed", metavar="DATE")
    sub.add_argument("--signed-place", dest="signed_place", metavar="PLACE")
    sub.add_argument("--in-force", dest="in_force", metavar="DATE")
    sub.add_argument("--ended", metavar="DATE", help='give "" to clear')
    sub.add_argument(
        "--end-reason", dest="end_reason", help="expired, denounced, terminated, replaced"
    )
    sub.add_argument("--term-months", dest="term_months", metavar="N")
    sub.add_argument("--renewal", help="none, automatic, by-agreement")
    sub.add_argument("--renewal-months", dest="renewal_months", metavar="N")
    sub.add_argument("--term-note", dest="term_note")
    sub.add_argument("--replaces", metavar="SLUG")
    sub.add_argument("--strength", metavar="0-5")
    sub.add_argument("--strength-clause", dest="strength_clause", metavar="ART")
    sub.add_argument("--strength-note", dest="strength_note")
    sub.add_argument("--summary")
    sub.add_argument("--notes")
    sub.add_argument("--atop-id", dest="atop_id")
    sub.add_argument("--cow-id", dest="cow_id")
    sub.add_argument("--unts")
    sub.add_argument("--wikidata")
    for flag in FLAG_OPTIONS:
        name = flag.replace("_", "-")
        sub.add_argument(f"--{name}", dest=flag, action="store_true", default=None)
        sub.add_argument(f"--no-{name}", dest=flag, action="store_false")
    sub.add_argument(
        "--party",
        action="append",
        metavar="STATE[:ROLE]",
        help="a party by ISO or COW code or name; repeat for each (replaces the list on edit)",
    )
    sub.add_argument(
        "--provision",
        action="append",
        metavar="ART:KIND[:TEXT]",
        help="a clause, e.g. '4:defence:In the event that ...'; repeat for each",
    )


def _add_date_order(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--date-order",
        dest="date_order",
        choices=("strict", "day-first", "month-first"),
        default="strict",
        help="how to read numeric dates such as 06/07/1961 (default: refuse them as ambiguous)",
    )


# Modules with an add_commands(subparsers, common_parser) function, for larger command groups.
PLUGGED_COMMANDS: tuple[str, ...] = (
    "timeline.io.export_cli",
    "timeline.io.import_cli",
    "timeline.io.backup_cli",
    "timeline.io.log_cli",
    "timeline.io.copy_cli",
)

COMMANDS: dict[str, tuple[Callable[[argparse.Namespace], int], str]] = {
    "overview": (cmd_overview, "counts and the treaties in the database"),
    "list": (cmd_list, "list treaties, with filters"),
    "show": (cmd_show, "everything about one treaty, with sources"),
    "compare": (cmd_compare, "compare two or more treaties side by side"),
    "history": (cmd_history, "the guarantee strength between two states over time"),
    "events": (cmd_events, "the dated events"),
    "add": (cmd_add, "add a treaty from options or a JSON file"),
    "edit": (cmd_edit, "change fields of a treaty"),
    "delete": (cmd_delete, "delete a treaty (asks first)"),
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
    # Not set_defaults(db=...): the parsers share the --db action, and that would give every
    # command a default that overwrites a --db given before the command's name.
    parser.set_defaults(handler=cmd_default)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    subs: dict[str, argparse.ArgumentParser] = {}
    for name, (handler, help_text) in COMMANDS.items():
        sub = commands.add_parser(name, parents=[common], help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        subs[name] = sub
    for name in ("list", "show", "compare", "history", "events"):
        subs[name].add_argument("--json", action="store_true", help="print JSON")

    listing = subs["list"]
    listing.add_argument(
        "--party", metavar="STATE", help="name, ISO or COW code (follows succession)"
    )
    listing.add_argument("--in-force-on", dest="in_force_on", metavar="DATE")
    listing.add_argument("--between", nargs=2, metavar=("A", "B"), help="signed between A and B")
    listing.add_argument("--min-strength", dest="min_strength", metavar="N")
    listing.add_argument("--search", metavar="TEXT", help="in titles, summaries and clause texts")
    listing.add_argument("--limit", type=int, metavar="N")
    _add_date_order(listing)

    subs["show"].add_argument("slug")
    subs["compare"].add_argument("slugs", nargs="+", metavar="SLUG")
    subs["compare"].add_argument(
        "--markdown", metavar="FILE", help="write the comparison as Markdown (- for stdout)"
    )
    subs["history"].add_argument("state_a", metavar="STATE")
    subs["history"].add_argument("state_b", metavar="STATE")

    events = subs["events"]
    events.add_argument("--party", metavar="STATE")
    events.add_argument("--between", nargs=2, metavar=("A", "B"))
    _add_date_order(events)

    _add_record_options(subs["add"])
    _add_date_order(subs["add"])
    subs["edit"].add_argument("slug")
    _add_record_options(subs["edit"])
    _add_date_order(subs["edit"])
    subs["delete"].add_argument("slug")
    subs["delete"].add_argument("--yes", action="store_true", help="do not ask")
    for module in PLUGGED_COMMANDS:
        # Each module adds its own subcommands; their heavy imports stay inside the handlers.
        importlib.import_module(module).add_commands(commands, common)
    return parser


def _restore_double_dash(args: argparse.Namespace) -> None:
    """Older Pythons' argparse (CPython issue 109475) drops "--" given as an option's value
    ("--search=--", "--title=--") and stores [] in its place; no option here is ever [] else."""
    for name, value in vars(args).items():
        if value == []:
            setattr(args, name, "--")
        elif isinstance(value, list):
            setattr(args, name, ["--" if item == [] else item for item in value])


def main(argv: Sequence[str] | None = None) -> int:
    from timeline.launch import app_database

    if argv is None:
        argv = sys.argv[1:]
    app_only, db = app_database(argv)
    # The app alone needs no parser (timeline.launch starts it without this module at all).
    args = argparse.Namespace(db=db, handler=cmd_default) if app_only else None
    args = args or build_parser().parse_args(argv)
    if not hasattr(args, "db"):  # given neither before nor after the command
        args.db = None
    _restore_double_dash(args)
    try:
        return args.handler(args)
    except (Exception, KeyboardInterrupt) as error:
        return failed(error)
    finally:
        _close_opened()


def failed(error: BaseException) -> int:
    """Say in one line why a command (or the app) stopped, and give its exit status."""
    from db.errors import DatabaseError, NotFound

    if isinstance(error, (UserError, DatabaseError, NotFound, ValueError)):
        message = error.args[0] if isinstance(error, NotFound) and error.args else error
        print(f"{PROG}: error: {message}", file=sys.stderr)
        return 1
    if isinstance(error, KeyboardInterrupt):
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    if os.environ.get("TREATY_TIMELINE_DEBUG"):
        raise error
    # The last line of defence: no traceback reaches a user.
    print(
        f"{PROG}: unexpected error: {type(error).__name__}: {error}"
        " (set TREATY_TIMELINE_DEBUG=1 for details)",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
