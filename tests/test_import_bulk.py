"""Imports write the treaties and events they create in batches (timeline/io/merge_bulk.py)
and check well-formed records on a fast path (timeline/io/merge_quick.py): the records, the
edit history, the messages and undo are what writing them one by one gave."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from db import snapshots
from db.models import Change, Event, ImportRecord
from db.queries import find_treaties
from tests.conftest import REPO, SHARED_DATA
from tests.db_dump import dump_database
from timeline.cli import main
from timeline.dates import DateError, parse_date
from timeline.editing import add_treaty
from timeline.forms import InvalidInput, TreatyInput, validate_event, validate_treaty
from timeline.io import merge_bulk
from timeline.io.atop import read_atop
from timeline.io.exchange_import import read_json
from timeline.io.merge import ImportFailed, ImportReport, run_import
from timeline.io.merge_quick import quick_event, quick_treaty
from timeline.io.merge_values import CachedStates, prepare, read_date
from timeline.records import load_treaty
from timeline.undo import undo

SOURCE = {"key": "bulk-archive", "title": "A bulk archive", "published": "1999-07"}
# The tables of records (not of their history, nor a search index's own).
RECORD_TABLES = ("treaty", "treaty_party", "provision", "citation", "event", "event_state",
                 "source", "import_record")  # fmt: skip


def pact(n: int, **fields: Any) -> dict[str, Any]:
    """A treaty with something in every part: party dates and citations, a party by COW
    code, clauses with citations, the treaty's citations (one disagreeing)."""
    return {
        "slug": f"bulk-pact-{n}",
        "title": f"Bulk Pact {n}",
        "kind": "alliance",
        "signed": f"19{50 + n % 40}-07",
        "in_force": f"19{50 + n % 40}-09-01",
        "strength": n % 6,
        "parties": [
            {
                "state": "USA",
                "role": "party",
                "signer": f"Signer {n}",
                "ratified": f"19{50 + n % 40}-08",
                "joined": f"19{51 + n % 40}",
                "sources": [{"source": "bulk-archive", "supports": ["signer"]}],
            },
            "cow:260",
            {"state": "FRA", "role": "guarantor", "sources": []},
        ],
        "provisions": [
            {
                "article": "1",
                "obligation": "defence",
                "text": "Each assists the other.",
                "sources": ["bulk-archive"],
            },
            {"article": "2", "obligation": "consultation", "security": False},
        ],  # fmt: skip
        "sources": [
            {"source": "bulk-archive", "supports": ["title"], "note": f"p. {n}"},
            {"source": "bulk-archive", "supports": ["signed"], "agrees": False, "claim": "1950"},
        ],
        **fields,
    }


def event(n: int, **fields: Any) -> dict[str, Any]:
    return {
        "key": f"bulk-event-{n}",
        "on": f"19{52 + n % 40}-01-02",
        "uncertain": n % 2 == 0,
        "kind": "ratification",
        "title": f"Pact {n} ratified",
        "treaty": f"bulk-pact-{n}",
        "states": ["USA", "cow:260"],
        "sources": [{"source": "bulk-archive", "supports": ["on"]}],
        **fields,
    }


def document(count: int) -> dict[str, Any]:
    """`count` treaties (at least three) with an event each."""
    treaties = [pact(n) for n in range(count)]
    # The first replaces the last (later in the file); the last replaces the second.
    treaties[0]["replaces"] = f"bulk-pact-{count - 1}"
    treaties[-1]["replaces"] = "bulk-pact-1"
    return {
        "format": "treaty-timeline/1",
        "sources": [dict(SOURCE)],
        "treaties": treaties,
        "events": [event(n) for n in range(count)],
    }


def write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def import_json(engine: Engine, path: Path, **options: bool) -> ImportReport:
    with Session(engine) as session:
        batch = read_json(path, session)
    return run_import(engine, batch, **options)


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of two, so that a file of a few records is written in several."""
    monkeypatch.setattr(merge_bulk, "BATCH", 2)


def records_now(engine: Engine) -> dict[str, list[tuple]]:
    return {t: rows for t, rows in dump_database(engine).items() if t in RECORD_TABLES}


# -- what is written, and what the history says of it ------------------------------------------


def replayed(changes: list[Change]) -> dict[tuple[str, str], snapshots.Snapshot]:
    """Each record as its changes, applied in order to nothing, make it."""
    kinds = {"treaty_party": "treaty", "provision": "treaty"}
    records: dict[tuple[str, str], snapshots.Snapshot] = {}
    for c in changes:
        record = records.setdefault((kinds.get(c.table_name, c.table_name), c.record), {})
        part = (c.table_name, c.part)
        if c.action == "create":
            record[part] = json.loads(c.new_value or "{}")
        elif c.action == "delete":
            record.pop(part)
        else:
            record[part][str(c.field)] = json.loads(c.new_value or "null")
    return records


def test_the_history_of_what_an_import_creates_is_what_a_read_back_gives(
    seeded_engine: Engine, tmp_path: Path, small_batches: None
) -> None:
    report = import_json(seeded_engine, write(tmp_path / "pacts.json", document(5)))
    assert report.summary() == (
        "5 treaties: 5 added, 0 changed, 0 left alone; 1 source: 1 added, 0 changed,"
        " 0 left alone; 5 events: 5 added, 0 changed, 0 left alone"
    )
    with Session(seeded_engine) as session:
        changes = list(session.exec(select(Change).order_by(col(Change.id))))
        records = replayed(changes)
        assert set(records) == {("source", "bulk-archive")} | {
            (kind, f"bulk-{kind if kind == 'event' else 'pact'}-{n}")
            for kind in ("treaty", "event")
            for n in range(5)
        }
        for (kind, key), recorded in records.items():
            if kind == "treaty":
                now = snapshots.treaty(session, snapshots.treaty_id(session, key))
            else:
                now = snapshots.event(session, key) if kind == "event" else {}
                now = now or snapshots.source(session, key)
            assert recorded == now, key
    # The treaty created before the one it replaces is linked once that one exists.
    links = [(c.record, c.action, c.field) for c in changes if c.field == "replaces"]
    assert links == [("bulk-pact-0", "update", "replaces")]
    first = next(c for c in changes if c.record == "bulk-pact-0" and c.part is None)
    assert json.loads(first.new_value or "{}")["replaces"] is None


def test_every_part_is_stored_as_the_file_gives_it(
    seeded_engine: Engine, tmp_path: Path, small_batches: None
) -> None:
    import_json(seeded_engine, write(tmp_path / "pacts.json", document(3)))
    with Session(seeded_engine) as session:
        first, last = load_treaty(session, "bulk-pact-0"), load_treaty(session, "bulk-pact-2")
        signed = session.exec(select(Event).where(Event.key == "bulk-event-0")).one()
        event_states = sorted(s.short_name for s in signed.states)
    assert (first.replaces, last.replaces) == ("bulk-pact-2", "bulk-pact-1")
    usa, gfr, fra = first.parties
    assert (usa.signer, usa.ratified.iso(), usa.joined.iso()) == ("Signer 0", "1950-08", "1951")  # type: ignore[union-attr]
    assert [(c.source_key, c.supports) for c in usa.citations] == [("bulk-archive", ("signer",))]
    assert (gfr.state.cow_code, fra.role) == (260, "guarantor")
    assert [(p.obligation, p.security, len(p.citations)) for p in first.provisions] == [
        ("defence", True, 1),
        ("consultation", False, 0),
    ]
    assert sorted((c.agrees, c.claim) for c in first.citations) == [(False, "1950"), (True, None)]
    assert (signed.happened_uncertain, signed.treaty_id, event_states) == (
        True,
        first.id,
        ["German Federal Republic", "United States"],
    )


def test_ids_follow_the_file_and_search_finds_every_treaty_in_timeline_order(
    seeded_engine: Engine, tmp_path: Path, small_batches: None
) -> None:
    """Treaties are written in the search index's order, not the file's; that shows in
    neither their ids, nor what a search finds, nor the ids handed out after them."""
    treaties = [pact(n, signed=f"{1990 - 7 * n}-0{1 + n % 9}", in_force=None) for n in range(7)]
    data = {**document(3), "treaties": treaties, "events": [event(n) for n in range(7)]}
    import_json(seeded_engine, write(tmp_path / "pacts.json", data))
    with Session(seeded_engine) as session:
        ids = [load_treaty(session, f"bulk-pact-{n}").id for n in range(7)]
        events = [
            session.exec(select(Event.id).where(Event.key == f"bulk-event-{n}")).one()
            for n in range(7)
        ]
        found = [t.slug for t in find_treaties(session, text="bulk pact")]
    assert ids == list(range(ids[0], ids[0] + 7))
    assert events == sorted(events)
    assert found == [f"bulk-pact-{n}" for n in reversed(range(7))]  # by date of signature
    later = add_treaty(seeded_engine, {**pact(7), "parties": ["USA", "RUS"], "sources": []})
    assert later.id > ids[-1]
    with Session(seeded_engine) as session:
        assert [t.slug for t in find_treaties(session, text="bulk pact 7")] == ["bulk-pact-7"]


def test_the_same_file_again_changes_nothing(
    seeded_engine: Engine, tmp_path: Path, small_batches: None
) -> None:
    path = write(tmp_path / "pacts.json", document(4))
    import_json(seeded_engine, path)
    before = dump_database(seeded_engine)
    again = import_json(seeded_engine, path)
    assert again.summary().startswith("4 treaties: 0 added, 0 changed, 4 left alone")
    assert not again.conflicts
    assert dump_database(seeded_engine) == before


def test_import_records_spelled_as_before_are_left_alone_by_the_same_file(
    seeded_engine: Engine, tmp_path: Path
) -> None:
    # Import records written before the values were stored in orjson's compact spelling
    # have the json module's spaces; the same values are the same, however spelled.
    path = write(tmp_path / "pacts.json", document(3))
    import_json(seeded_engine, path)
    with Session(seeded_engine) as session:
        for record in session.exec(select(ImportRecord)):
            spaced = json.dumps(json.loads(record.values), sort_keys=True, ensure_ascii=False)
            assert spaced != record.values
            record.values = spaced
            session.add(record)
        session.commit()
    before = dump_database(seeded_engine)
    again = import_json(seeded_engine, path)
    assert again.summary().startswith("3 treaties: 0 added, 0 changed, 3 left alone")
    assert dump_database(seeded_engine) == before


def event_reads(engine: Engine, path: Path) -> tuple[int, ImportReport]:
    """Statements reading the event table during an import of the file, and its report."""
    reads: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().startswith("SELECT") and "FROM event" in statement:
            reads.append(statement)

    event_listen = sqlalchemy.event
    event_listen.listen(engine, "before_cursor_execute", seen)
    try:
        report = import_json(engine, path)
    finally:
        event_listen.remove(engine, "before_cursor_execute", seen)
    return len(reads), report


def test_stored_events_given_again_are_read_a_chunk_at_a_time(
    seeded_engine: Engine, tmp_path: Path
) -> None:
    # A re-import compares each event with its stored values; they are read for many events
    # at once, so the reads do not grow with the events (a file of 30 reads as one of 3).
    reads = {}
    for count in (3, 30):
        data = document(count)
        data["events"][-1]["place"] = "Geneva"  # empty before: taken
        first, again = tmp_path / f"first-{count}.json", tmp_path / f"again-{count}.json"
        import_json(seeded_engine, write(first, document(count)))
        reads[count], report = event_reads(seeded_engine, write(again, data))
        assert report.summary().endswith(
            f"{count} events: 0 added, 1 changed, {count - 1} left alone"
        )
    assert reads[3] == reads[30]
    with Session(seeded_engine) as session:
        changed = session.exec(select(Event).where(col(Event.place) == "Geneva")).all()
        assert sorted(e.key for e in changed) == ["bulk-event-2", "bulk-event-29"]


def writer_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("treaty-timeline-writer")]


def test_a_batch_that_fails_while_the_next_is_read_fails_the_import_whole(
    seeded_engine: Engine, tmp_path: Path, small_batches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Batches are written in a second thread while the file reads on: the second batch's
    # failure is the import's (not a later record's), and nothing of any batch is kept.
    calls: list[int] = []
    write_parts = merge_bulk.BulkWriter._write_parts

    def failing(self: merge_bulk.BulkWriter, connection: Any, batch: Any) -> None:
        calls.append(len(batch))
        if len(calls) == 2:
            raise OSError("the disk went away")
        write_parts(self, connection, batch)

    monkeypatch.setattr(merge_bulk.BulkWriter, "_write_parts", failing)
    data = document(7)
    # Refused while the second batch is written: that batch's failure comes first in the file.
    data["treaties"][4]["kind"] = "crusade"
    before = dump_database(seeded_engine)
    with pytest.raises(OSError, match="the disk went away"):
        import_json(seeded_engine, write(tmp_path / "pacts.json", data))
    assert calls == [2, 2]
    assert dump_database(seeded_engine) == before
    assert writer_threads() == []


def test_an_import_leaves_no_thread_behind(
    seeded_engine: Engine, tmp_path: Path, small_batches: None
) -> None:
    import_json(seeded_engine, write(tmp_path / "pacts.json", document(5)))
    assert writer_threads() == []


def test_undo_of_an_import_written_in_batches_leaves_the_records_as_before(
    seeded_engine: Engine, tmp_path: Path, small_batches: None
) -> None:
    before = records_now(seeded_engine)
    import_json(seeded_engine, write(tmp_path / "pacts.json", document(5)))
    result = undo(seeded_engine)
    assert result.undone.description == "import JSON from pacts.json"
    assert records_now(seeded_engine) == before


def test_a_failure_after_batches_were_written_leaves_the_database_as_it_was(
    seeded_engine: Engine, tmp_path: Path, small_batches: None
) -> None:
    data = document(6)
    data["treaties"][4]["kind"] = "crusade"
    path = write(tmp_path / "pacts.json", data)
    line = next(
        n for n, text in enumerate(path.read_text().splitlines(), start=1) if '"crusade"' in text
    )
    before = dump_database(seeded_engine)
    with pytest.raises(ImportFailed, match=rf"^pacts\.json, line {line}, column kind: 'crusade'"):
        import_json(seeded_engine, path)
    assert dump_database(seeded_engine) == before


def line_of(path: Path, text: str) -> int:
    """The first line of the file holding `text`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


@pytest.mark.parametrize(
    ("change", "found", "message"),
    [
        (
            lambda d: d["treaties"].append(pact(1)),
            '"slug": "bulk-pact-1"',
            "bulk-pact-1 appears twice (first at pacts.json, line {line})",
        ),
        (lambda d: d["events"][2].update(kind="feast"), '"feast"', "line {line}, column kind"),
        (lambda d: d["sources"][0].update(url=7), '"url": 7', "line {line}, column url: must"),
    ],
)
def test_messages_still_name_the_line(
    seeded_engine: Engine, tmp_path: Path, change: Any, found: str, message: str
) -> None:
    data = document(3)
    change(data)
    path = write(tmp_path / "pacts.json", data)
    line = line_of(path, found)
    if "twice" in message:
        line -= 1  # the line of the record, which starts with its brace
    with pytest.raises(ImportFailed) as failed:
        import_json(seeded_engine, path)
    assert message.format(line=line) in str(failed.value)


def test_an_event_key_given_twice_is_merged_into_the_first(
    seeded_engine: Engine, tmp_path: Path
) -> None:
    data = document(3)
    data["events"].append(event(1, description="Said again, with more."))
    report = import_json(seeded_engine, write(tmp_path / "pacts.json", data))
    assert vars(report.others["events"]) == {"added": 3, "changed": 1, "unchanged": 0}
    with Session(seeded_engine) as session:
        found = session.exec(select(Event).where(Event.key == "bulk-event-1")).one()
    assert found.description == "Said again, with more."


def test_the_command_line_import_is_one_change_set_that_log_shows_and_undo_reverts(
    capsys: pytest.CaptureFixture[str], seeded_db: str, tmp_path: Path, small_batches: None
) -> None:
    def log() -> list[dict[str, Any]]:
        assert main(["log", "--json", "--db", seeded_db]) == 0
        return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]

    path = write(tmp_path / "pacts.json", document(4))
    assert main(["import", str(path), "--db", seeded_db]) == 0
    capsys.readouterr()
    (change_set,) = log()
    assert change_set["description"] == "import JSON from pacts.json"
    created = [(c["table"], c["record"], c["part"]) for c in change_set["changes"][:6]]
    assert created == [
        ("source", "bulk-archive", None),
        ("treaty", "bulk-pact-0", None),
        ("treaty_party", "bulk-pact-0", "FRA:guarantor"),
        ("treaty_party", "bulk-pact-0", "USA:party"),
        ("treaty_party", "bulk-pact-0", "cow:260:party"),
        ("provision", "bulk-pact-0", "1"),
    ]
    assert main(["undo", "--yes", "--db", seeded_db]) == 0
    capsys.readouterr()
    undone, _ = log()
    assert (undone["description"], undone["undoes"]) == ("undo #1", 1)
    assert main(["show", "bulk-pact-2", "--db", seeded_db]) == 1


# -- the fast check agrees with validate_treaty -------------------------------------------------


def checked(raw: dict[str, Any], states: CachedStates) -> tuple[Any, Any]:
    """The fast check's result and validate_treaty's (or its errors) for a file record."""
    try:
        form = prepare(raw).form
    except ValueError as error:  # refused before either check (a party's dates, citations)
        return None, str(error)
    options: dict[str, Any] = {
        "slug_taken": lambda s: s == "taken-1999",
        "treaty_exists": lambda s: s == "older-1950",
    }
    quick = quick_treaty(form, states, **options)
    try:
        full: Any = validate_treaty(form, states, **options)
    except InvalidInput as error:
        full = error.errors
    return quick, full


# Records as a file gives them: mostly well formed, with up to two odd or wrong values.
PARTIES = st.one_of(
    st.sampled_from(["USA", "CAN:party", "260", "PRK:signatory", "FRA:guarantor"]),
    st.fixed_dictionaries(
        {"state": st.sampled_from(["USA", "CAN", "260", "SUN"])},
        optional={
            "role": st.sampled_from([None, "party", "observer"]),
            "signer": st.sampled_from([None, "A. Person", " B. Person "]),
            "ratified": st.sampled_from([None, "1961-08", "1962-01-05"]),
            "notes": st.sampled_from([None, "", "A note."]),
            "sources": st.just([]),
        },
    ),
)
PROVISIONS = st.fixed_dictionaries(
    {},
    optional={
        "article": st.sampled_from([None, "1", " 2 "]),
        "obligation": st.sampled_from([None, "defence", "other"]),
        "security": st.sampled_from([None, True, False]),
        "conditions": st.sampled_from([None, "if attacked"]),
        "text": st.sampled_from([None, "The parties shall assist each other."]),
        "text_status": st.sampled_from([None, "verbatim", "summary"]),
        "language": st.sampled_from([None, "en"]),
        "sources": st.just([]),
    },
)
WELL_FORMED = st.fixed_dictionaries(
    {
        "slug": st.sampled_from(["pact-1961", " pact-1961 "]),
        "title": st.sampled_from(["A Pact", " Padded Pact ", "x" * 500]),
        "parties": st.lists(PARTIES, max_size=2).map(lambda more: ["GBR", "ITA:party", *more]),
    },
    optional={
        "kind": st.sampled_from([None, "alliance", "other"]),
        "signed": st.sampled_from([None, "1961", "1961-07", "1961-07-06"]),
        "in_force": st.sampled_from([None, "1960", "1961-07", "1961-09-01"]),
        "ended": st.sampled_from([None, "1961-07", "1991", "1991-12-26"]),
        "signed_uncertain": st.sampled_from([None, True, False]),
        "indefinite": st.booleans(),
        "term_months": st.sampled_from([None, 1, 120, 2**31 - 1]),
        "atop_id": st.sampled_from([None, 3440]),
        "end_reason": st.sampled_from([None, "expired", "replaced"]),
        "renewal": st.sampled_from([None, "automatic"]),
        "replaces": st.sampled_from([None, "older-1950"]),
        "strength": st.sampled_from([None, 0, 3, 5]),
        "summary": st.sampled_from([None, "A summary.", "  "]),
        "wikidata_id": st.sampled_from([None, "Q1"]),
        "provisions": st.lists(PROVISIONS, max_size=3),
        "sources": st.just([]),
    },
)
ODD = [
    ("slug", "Bad Slug"), ("slug", "taken-1999"), ("slug", None), ("slug", 5),
    ("title", None), ("title", "\x00"), ("title", "x" * 501), ("title", 7),
    ("kind", "Alliance"), ("kind", "crusade"), ("kind", ""), ("kind", " alliance"),
    ("strength", "3"), ("strength", True), ("strength", 6), ("strength", "automatic defence"),
    ("term_months", "48"), ("term_months", 0), ("term_months", 2**31), ("term_months", False),
    ("indefinite", "yes"), ("indefinite", 1), ("indefinite", ""),
    ("signed", "July 1961"), ("signed", "1961-02-30"), ("signed", ""), ("signed", 1961),
    ("ended", "1960"), ("end_reason", "lapsed"), ("renewal", "Automatic"),
    ("replaces", "pact-1961"), ("replaces", "missing-1900"), ("replaces", 3), ("replaces", " "),
    ("colour", "blue"), ("parties", "USA"), ("parties", None), ("parties", ["USA"]),
    ("parties", ["USA", "USA"]), ("parties", ["USA", "XXX"]), ("parties", ("USA", "CAN")),
    ("parties", ["USA", {"state": "CAN", "seal": "wax"}]), ("parties", ["USA", {"state": ""}]),
    ("parties", ["USA", {"state": "CAN", "role": "Observer"}]), ("parties", ["USA", "CAN:"]),
    ("parties", ["USA", {"state": 20}]), ("parties", ["USA", {"state": "CAN", "ratified": ""}]),
    ("provisions", ["2:defence:The parties shall assist."]), ("provisions", "x"),
    ("provisions", [{"obligation": "Defence"}]), ("provisions", [{"security": "yes"}]),
    ("provisions", [{"security": ""}]), ("provisions", [{"text_status": "gist"}]),
    ("provisions", [{"article": "x" * 41}]), ("provisions", [{"page": 3}]),
]  # fmt: skip


@st.composite
def records(draw: st.DrawFn) -> tuple[dict[str, Any], bool]:
    """A record, and whether it was given odd values."""
    raw = draw(WELL_FORMED)
    odd = draw(st.lists(st.sampled_from(ODD), max_size=2))
    for name, value in odd:
        raw[name] = value
    return raw, bool(odd)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record=records())
def test_the_fast_check_gives_what_validate_treaty_gives_or_leaves_it_to_it(
    states: CachedStates, record: tuple[dict[str, Any], bool]
) -> None:
    raw, odd = record
    quick, full = checked(raw, states)
    if quick is not None:
        assert quick == full
    elif not odd:  # a well-formed record is left to validate_treaty only when it is wrong
        assert isinstance(full, dict) and not isinstance(full, TreatyInput), full


@pytest.fixture(scope="module")
def states(sqlite_template: Path) -> CachedStates:
    from db.engine import make_engine

    engine = make_engine(f"sqlite:///{sqlite_template}")
    with Session(engine) as session:
        found = CachedStates(session)
    engine.dispose()
    return found


def test_the_fast_check_takes_every_record_of_atop_and_of_the_founding_file(
    states: CachedStates, sqlite_template: Path, tmp_path: Path
) -> None:
    from db.engine import make_engine

    engine = make_engine(f"sqlite:///{sqlite_template}")
    with Session(engine) as session:
        batches = [
            read_atop(SHARED_DATA / "atop-v4.01", session),
            read_json(REPO / "fixtures" / "founding.json", session),
            read_json(write(tmp_path / "pacts.json", document(3)), session),
        ]
    engine.dispose()
    records = [item.raw for batch in batches for item in batch.treaties]
    assert len(records) > 745 + 3
    for raw in records:
        raw = {k: v for k, v in raw.items() if k != "replaces"}
        quick, full = checked(raw, states)
        assert quick is not None and quick == full, raw["slug"]


def test_an_iso_date_reads_as_the_date_parser_reads_it() -> None:
    texts = ["0000", "0001", "0999", "1961", "9999", "1961-00", "1961-07", "1961-13"]
    texts += [f"{y}-{m}-{d}" for y in ("1900", "2000", "2024") for m in ("01", "02", "12")
              for d in ("00", "01", "28", "29", "30", "31", "32")]  # fmt: skip
    texts += ["1961-7-6", " 1961", "6 July 1961", "19610706", "１９６１"]
    for text in texts:
        try:
            expected: Any = parse_date(text)
        except DateError:
            expected = text
        if not text.isascii() or len(text) not in (4, 7, 10) or text != text.strip():
            expected = text  # left for validate_treaty to read
        assert read_date(text) == expected, text


EVENT = {
    "key": "a-1961-event",
    "on": "1961-07-06",
    "kind": "ratification",
    "title": " Ratified ",
    "description": None,
    "place": "Moscow",
    "treaty": "older-1950",
    "states": ["USA", "260"],
}


@pytest.mark.parametrize(
    "odd",
    [{}, {"kind": None}, {"states": []}, {"states": None}, {"treaty": None}, {"place": "  "},
     {"kind": "Ratification"}, {"kind": "feast"}, {"on": "July 1961"}, {"on": "1961-02-30"},
     {"on": None}, {"title": ""}, {"title": 5}, {"treaty": "missing-1900"}, {"treaty": 3},
     {"states": "USA; CAN"}, {"states": ["USA", "XXX"]}, {"states": ["USA", 260]},
     {"states": ["USA", "USA"]}, {"key": None}, {"colour": "blue"}, {"description": "x" * 20001}],
)  # fmt: skip
def test_the_fast_check_of_an_event_gives_what_validate_event_gives(
    states: CachedStates, odd: dict[str, Any]
) -> None:
    form = {**EVENT, **odd}
    form["on"] = read_date(form["on"])
    options: dict[str, Any] = {"treaty_exists": lambda s: s == "older-1950"}
    quick = quick_event(form, states, **options)
    try:
        full: Any = validate_event(form, states, key_taken=lambda _key: False, **options)
    except InvalidInput as error:
        full = error.errors
    assert quick is None or quick == full
    if not odd:
        assert quick is not None
