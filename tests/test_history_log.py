"""The edit history: every save is recorded with who, when, and each field's old and new value;
undo reverts a change set as a new one, refusing where a later change stands in the way."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from db import audit
from db.changes import create_treaty
from db.models import Change, ChangeSet, Event, Treaty
from tests.db_dump import dump_database
from tests.test_import_exchange import DOCUMENT, import_file, write_json
from timeline.change_log import ChangeSetRecord, load_log
from timeline.editing import add_event, add_treaty, edit_treaty, remove_treaty
from timeline.records import TreatyRecord, load_treaty
from timeline.undo import UndoConflict, UndoRefused, undo

NEW_PACT = {
    "slug": "my-pact-1999",
    "title": "My Pact",
    "signed": "July 1999",
    "parties": ["USA", "CAN"],
    "strength": 3,
    "provisions": ["2:defence:The parties shall assist each other."],
}


@pytest.fixture(autouse=True)
def historian(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(audit.USER_ENV_VAR, "Ada Historian")


def history(engine: Engine, slug: str | None = None) -> list[ChangeSetRecord]:
    with Session(engine) as session:
        return load_log(session, slug, limit=None)


def fields(change_set: ChangeSetRecord) -> set[tuple[str, str | None, object, object]]:
    return {(c.where, c.field, c.old, c.new) for c in change_set.changes if c.action == "update"}


def stored(engine: Engine, slug: str) -> TreatyRecord:
    """The treaty as a user sees it, without the row id and version a restore renews."""
    with Session(engine) as session:
        return dataclasses.replace(load_treaty(session, slug), id=0, version=0)


def exists(engine: Engine, slug: str) -> bool:
    with Session(engine) as session:
        return session.exec(select(Treaty).where(Treaty.slug == slug)).first() is not None


def event_treaty(engine: Engine, key: str) -> str | None:
    with Session(engine) as session:
        event = session.exec(select(Event).where(Event.key == key)).one()
        treaty = session.get(Treaty, event.treaty_id) if event.treaty_id else None
        return treaty.slug if treaty else None


# -- recording -----------------------------------------------------------------------------------


def test_an_edit_is_one_change_set_with_each_field_old_and_new(seeded_engine: Engine) -> None:
    started = dt.datetime.now(dt.UTC)
    edit_treaty(seeded_engine, "ussr-dprk-1961", {"strength": 3, "notes": "Checked."})
    (change_set,) = history(seeded_engine)
    assert change_set.description == "edit ussr-dprk-1961"
    assert change_set.made_by == "Ada Historian"
    assert started - dt.timedelta(seconds=1) <= change_set.made_at <= dt.datetime.now(dt.UTC)
    old_notes = next(c.old for c in change_set.changes if c.field == "notes")
    assert fields(change_set) == {
        ("ussr-dprk-1961", "strength", 4, 3),
        ("ussr-dprk-1961", "notes", old_notes, "Checked."),
    }
    with Session(seeded_engine) as session:
        row = session.exec(select(Change).where(Change.field == "strength")).one()
    assert (row.table_name, row.record, row.old_value, row.new_value) == (
        "treaty", "ussr-dprk-1961", "4", "3",
    )  # fmt: skip


def test_the_login_name_is_recorded_when_no_name_is_configured(
    seeded_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(audit.USER_ENV_VAR)
    monkeypatch.setattr(audit.getpass, "getuser", lambda: "kim")
    edit_treaty(seeded_engine, "ussr-dprk-1961", {"strength": 3})

    def no_login() -> str:
        raise OSError("no login name")

    monkeypatch.setattr(audit.getpass, "getuser", no_login)
    edit_treaty(seeded_engine, "ussr-dprk-1961", {"strength": 2})
    assert [c.made_by for c in history(seeded_engine)] == ["unknown", "kim"]


def test_an_edit_of_parties_records_each_party(seeded_engine: Engine) -> None:
    edit_treaty(seeded_engine, "prc-dprk-1961", {"parties": ["CHN", "PRK", "USA:observer"]})
    (change_set,) = history(seeded_engine)
    changes = {(c.where, c.action, c.field) for c in change_set.changes}
    assert ("prc-dprk-1961 party USA:observer", "create", None) in changes
    # Given as plain states, the parties lose their signers: recorded, so it can be undone.
    assert ("prc-dprk-1961 party CHN:party", "update", "signer") in changes


def test_adding_a_treaty_records_it_with_its_parties_and_clauses(seeded_engine: Engine) -> None:
    add_treaty(seeded_engine, NEW_PACT)
    (change_set,) = history(seeded_engine)
    assert change_set.description == "add my-pact-1999"
    assert [(c.where, c.action) for c in change_set.changes] == [
        ("my-pact-1999", "create"),
        ("my-pact-1999 party CAN:party", "create"),
        ("my-pact-1999 party USA:party", "create"),
        ("my-pact-1999 provision 1", "create"),
    ]
    created = change_set.changes[0].new
    assert (created["title"], created["signed"], created["strength"]) == ("My Pact", "1999-07", 3)


def test_deleting_a_treaty_records_all_of_it_and_the_links_cut(seeded_engine: Engine) -> None:
    remove_treaty(seeded_engine, "russia-dprk-2000")
    (change_set,) = history(seeded_engine)
    assert change_set.description == "delete russia-dprk-2000"
    deleted = {c.where: c.old for c in change_set.changes if c.action == "delete"}
    assert deleted["russia-dprk-2000"]["title"].startswith("Treaty of Friendship")
    assert deleted["russia-dprk-2000 party RUS:party"]["signer"] == "Igor Ivanov"
    assert deleted["russia-dprk-2000 provision 1"]["sources"][0]["source"] == "gibler-2009"
    assert ("russia-dprk-2024", "replaces", "russia-dprk-2000", None) in fields(change_set)


def test_adding_an_event_is_recorded_in_its_treatys_history(seeded_engine: Engine) -> None:
    add_event(seeded_engine, {"on": "2021", "kind": "renewal", "title": "Renewed",
                              "treaty": "prc-dprk-1961", "states": "CHN; PRK"})  # fmt: skip
    (change_set,) = history(seeded_engine, "prc-dprk-1961")
    assert change_set.description == "add event 2021-renewed"
    (change,) = change_set.changes
    assert (change.where, change.action) == ("event 2021-renewed", "create")
    assert (change.new["treaty"], change.new["states"]) == ("prc-dprk-1961", ["CHN", "PRK"])


def test_an_import_is_one_change_set_of_its_sources_treaties_and_events(
    seeded_engine: Engine, tmp_path: Path
) -> None:
    import_file(seeded_engine, write_json(tmp_path / "pacts.json", DOCUMENT))
    (change_set,) = history(seeded_engine)
    assert change_set.description == "import JSON from pacts.json"
    created = {c.where for c in change_set.changes if c.action == "create"}
    assert {"source test-archive", "pact-a-1961", "pact-b-1965",
            "event pact-a-1961-signature"} <= created  # fmt: skip
    # Party dates and citations, written beside the form's fields, are in the record too.
    party = next(c.new for c in change_set.changes if c.where == "pact-a-1961 party USA:party")
    assert party["sources"][0]["source"] == "test-archive"
    # The same file again changes nothing, and records nothing.
    import_file(seeded_engine, tmp_path / "pacts.json")
    assert len(history(seeded_engine)) == 1


def test_a_dry_run_records_nothing(seeded_engine: Engine, tmp_path: Path) -> None:
    import_file(seeded_engine, write_json(tmp_path / "pacts.json", DOCUMENT), dry_run=True)
    assert history(seeded_engine) == []


def test_a_write_outside_a_change_set_is_refused(seeded_engine: Engine) -> None:
    with Session(seeded_engine) as session, pytest.raises(RuntimeError, match="change set"):
        create_treaty(session, {"slug": "unrecorded", "title": "Unrecorded"})


def test_a_treatys_history_follows_its_renames(seeded_engine: Engine) -> None:
    edit_treaty(seeded_engine, "prc-dprk-1961", {"strength": 3})
    edit_treaty(seeded_engine, "prc-dprk-1961", {"slug": "china-dprk-1961"})
    edit_treaty(seeded_engine, "china-dprk-1961", {"strength": 5})
    assert [c.description for c in history(seeded_engine, "china-dprk-1961")] == [
        "edit china-dprk-1961",
        "edit prc-dprk-1961",
        "edit prc-dprk-1961",
    ]


# -- undo ----------------------------------------------------------------------------------------


def test_undo_of_an_edit_restores_the_old_values_as_a_new_change_set(
    seeded_engine: Engine,
) -> None:
    before = stored(seeded_engine, "ussr-dprk-1961")
    edit_treaty(seeded_engine, "ussr-dprk-1961", {"strength": 3, "ended": "", "signed": "1961"})
    result = undo(seeded_engine)
    assert stored(seeded_engine, "ussr-dprk-1961") == before
    newest, edited = history(seeded_engine)
    assert (newest.id, newest.description, newest.undoes) == (result.change_set, "undo #1", 1)
    assert edited.undone_by == newest.id
    assert ("ussr-dprk-1961", "strength", 3, 4) in fields(newest)


def test_undo_of_an_add_deletes_the_treaty(seeded_engine: Engine) -> None:
    add_treaty(seeded_engine, NEW_PACT)
    undo(seeded_engine)
    assert not exists(seeded_engine, "my-pact-1999")


def test_undo_of_a_delete_restores_the_treaty_whole(seeded_engine: Engine) -> None:
    before = {s: stored(seeded_engine, s) for s in ("ussr-dprk-1961", "russia-dprk-2000",
                                                     "russia-dprk-2024")}  # fmt: skip
    remove_treaty(seeded_engine, "ussr-dprk-1961")
    remove_treaty(seeded_engine, "russia-dprk-2000")
    assert event_treaty(seeded_engine, "ussr-dprk-1961-russian-notice-1995") is None
    undo(seeded_engine, 2)
    undo(seeded_engine, 1)
    # Fields, parties, clauses, citations, and the links to it from its successor and events.
    assert {s: stored(seeded_engine, s) for s in before} == before
    assert before["russia-dprk-2000"].replaced_by == ("russia-dprk-2024",)
    assert event_treaty(seeded_engine, "ussr-dprk-1961-russian-notice-1995") == "ussr-dprk-1961"


def test_undo_of_an_undo_does_the_change_again(seeded_engine: Engine) -> None:
    remove_treaty(seeded_engine, "russia-dprk-2000")
    undo(seeded_engine)
    assert exists(seeded_engine, "russia-dprk-2000")
    undo(seeded_engine)
    assert not exists(seeded_engine, "russia-dprk-2000")
    assert [c.description for c in history(seeded_engine)] == [
        "undo #2", "undo #1", "delete russia-dprk-2000",
    ]  # fmt: skip


def test_undo_of_an_import_takes_it_all_back(seeded_engine: Engine, tmp_path: Path) -> None:
    before = dump_database(seeded_engine)
    import_file(seeded_engine, write_json(tmp_path / "pacts.json", DOCUMENT))
    undo(seeded_engine)
    after = dump_database(seeded_engine)
    for table in ("treaty", "treaty_party", "provision", "event", "source", "import_record"):
        assert len(after[table]) == len(before[table]), table
    assert not exists(seeded_engine, "pact-a-1961")


def test_a_later_change_to_the_same_field_refuses_the_undo(seeded_engine: Engine) -> None:
    edit_treaty(seeded_engine, "ussr-dprk-1961", {"strength": 3})
    edit_treaty(seeded_engine, "ussr-dprk-1961", {"strength": 2})
    before = dump_database(seeded_engine)
    with pytest.raises(UndoConflict) as refused:
        undo(seeded_engine, 1)
    assert str(refused.value) == "cannot undo #1: ussr-dprk-1961: strength is now 2, not 3"
    assert dump_database(seeded_engine) == before  # nothing written, not even a change set
    undo(seeded_engine, 1, force=True)
    assert stored(seeded_engine, "ussr-dprk-1961").strength == 4


def test_a_later_change_to_another_field_does_not_stand_in_the_way(
    seeded_engine: Engine,
) -> None:
    edit_treaty(seeded_engine, "ussr-dprk-1961", {"strength": 3})
    edit_treaty(seeded_engine, "ussr-dprk-1961", {"notes": "Later note."})
    undo(seeded_engine, 1)
    after = stored(seeded_engine, "ussr-dprk-1961")
    assert (after.strength, after.notes) == (4, "Later note.")


def test_undo_of_an_add_refuses_when_the_treaty_was_changed_since(seeded_engine: Engine) -> None:
    add_treaty(seeded_engine, NEW_PACT)
    edit_treaty(seeded_engine, "my-pact-1999", {"title": "Our Pact"})
    with pytest.raises(UndoConflict, match='title is now "Our Pact", not "My Pact"'):
        undo(seeded_engine, 1)
    assert exists(seeded_engine, "my-pact-1999")


def test_undo_of_an_add_refuses_to_leave_a_party_added_since(seeded_engine: Engine) -> None:
    add_treaty(seeded_engine, NEW_PACT)
    edit_treaty(seeded_engine, "my-pact-1999", {"parties": ["USA", "CAN", "FRA"]})
    with pytest.raises(UndoConflict, match="my-pact-1999 party FRA:party was added since"):
        undo(seeded_engine, 1)
    undo(seeded_engine, 1, force=True)
    assert not exists(seeded_engine, "my-pact-1999")


def test_a_deleted_treaty_is_not_restored_over_a_new_one_of_the_same_slug(
    seeded_engine: Engine,
) -> None:
    remove_treaty(seeded_engine, "russia-dprk-2000")
    add_treaty(seeded_engine, {**NEW_PACT, "slug": "russia-dprk-2000", "title": "Another"})
    for force in (False, True):
        with pytest.raises(UndoRefused, match="russia-dprk-2000 exists again; rename or delete"):
            undo(seeded_engine, 1, force=force)
    assert stored(seeded_engine, "russia-dprk-2000").title == "Another"


def test_a_change_set_undone_already_or_unknown_is_refused(seeded_engine: Engine) -> None:
    with pytest.raises(UndoRefused, match="nothing to undo"):
        undo(seeded_engine)
    edit_treaty(seeded_engine, "ussr-dprk-1961", {"strength": 3})
    undo(seeded_engine, 1)
    with pytest.raises(UndoRefused, match=r"#1 was already undone by #2 \(undo #2 to bring"):
        undo(seeded_engine, 1)
    with pytest.raises(LookupError, match="no change set #9"):
        undo(seeded_engine, 9)


def test_the_history_is_kept_whole(seeded_engine: Engine) -> None:
    edit_treaty(seeded_engine, "ussr-dprk-1961", {"strength": 3})
    undo(seeded_engine)
    undo(seeded_engine)
    with Session(seeded_engine) as session:
        sets = session.exec(select(ChangeSet).order_by(ChangeSet.id)).all()
        rows = session.exec(select(Change).order_by(Change.id)).all()
    assert [(s.id, s.undoes_id) for s in sets] == [(1, None), (2, 1), (3, 2)]
    assert [(r.change_set_id, json.loads(r.new_value or "null")) for r in rows] == [
        (1, 3), (2, 4), (3, 3),
    ]  # fmt: skip
