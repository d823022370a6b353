"""Our JSON and CSV read back into the database: records built by hand come in whole, a second
import changes nothing, and a treaty already there is merged, not duplicated."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from db.models import Event
from tests.db_dump import dump_database
from timeline.io.exchange_import import read_csv, read_json
from timeline.io.merge import Conflict, ImportFailed, ImportReport, run_import
from timeline.records import load_treaty

DOCUMENT: dict[str, Any] = {
    "format": "treaty-timeline/1",
    "exported": "2026-11-27",
    "selection": [],
    "sources": [
        {
            "key": "test-archive",
            "title": "A treaty archive",
            "url": "https://example.org/archive",
            "dataset": None,
            "publisher": "Example Press",
            "published": "1999-07",
            "accessed": "2026-01-02",
        }
    ],
    "treaties": [
        {
            # Given first, it replaces a treaty that comes later in the file.
            "slug": "pact-b-1965",
            "title": "Second Pact",
            "kind": "alliance",
            "signed": "1965",
            "replaces": "pact-a-1961",
            "indefinite": True,
            "strength": 4,
            "parties": ["USA", "cow:260:party"],
        },
        {
            "slug": "pact-a-1961",
            "title": "First Pact",
            "short_title": "Pact A",
            "kind": "friendship",
            "signed": "1961-07",
            "signed_uncertain": False,
            "signed_place": "Bonn",
            "in_force": "1961-09-01",
            "in_force_uncertain": True,
            "ended": "1965-03",
            "end_reason": "replaced",
            "term_months": 60,
            "indefinite": False,
            "renewal": "automatic",
            "renewal_months": 12,
            "term_note": "five years, then yearly",
            "strength": 2,
            "strength_clause": "Art. 2",
            "summary": "The parties consult.",
            "notes": None,
            "atop_id": None,
            "cow_id": 9999,
            "unts_number": "12345",
            "wikidata_id": "Q1",
            "parties": [
                {
                    "state": "USA",
                    "role": "party",
                    "signer": "A. Person",
                    "signer_title": "Secretary of State",
                    "ratified": "1961-08",
                    "notes": None,
                    "sources": [{"source": "test-archive", "supports": ["signer"]}],
                },
                {"state": "cow:260", "role": "party", "joined": "1962-01"},
            ],
            "provisions": [
                {
                    "article": "2",
                    "obligation": "consultation",
                    "security": True,
                    "conditions": "a threat to either party",
                    "text": "The parties consult each other at once.",
                    "text_status": "verbatim",
                    "language": "en",
                    "translation_note": None,
                    "sources": ["test-archive"],
                }
            ],
            "sources": [
                {"source": "test-archive", "supports": ["title", "signed"], "note": "p. 3"},
                {
                    "source": "test-archive",
                    "supports": ["ended"],
                    "agrees": False,
                    "claim": "1965-04",
                    "note": "a later date",
                },
            ],
        },
    ],
    "events": [
        {
            "key": "pact-a-1961-signature",
            "on": "1961-07",
            "uncertain": True,
            "kind": "signature",
            "title": "The First Pact is signed",
            "description": None,
            "place": "Bonn",
            "treaty": "pact-a-1961",
            "states": ["USA", "cow:260"],
            "sources": [{"source": "test-archive", "supports": ["on"]}],
        }
    ],
}


def import_file(engine: Engine, path: Path, **options: bool) -> ImportReport:
    read = read_json if path.suffix == ".json" else read_csv
    with Session(engine) as session:
        batch = read(path, session)
    return run_import(engine, batch, **options)


def write_json(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def test_json_built_by_hand_comes_in_whole(seeded_engine: Engine, tmp_path: Path) -> None:
    path = write_json(tmp_path / "pacts.json", DOCUMENT)
    report = import_file(seeded_engine, path)
    assert report.summary() == (
        "2 treaties: 2 added, 0 changed, 0 left alone; 1 source: 1 added, 0 changed,"
        " 0 left alone; 1 event: 1 added, 0 changed, 0 left alone"
    )
    with Session(seeded_engine) as session:
        a = load_treaty(session, "pact-a-1961")
        b = load_treaty(session, "pact-b-1965")
        event = session.exec(select(Event).where(Event.key == "pact-a-1961-signature")).one()
        event_states = sorted(s.short_name for s in event.states)
    assert (a.title, a.short_title, a.kind, a.signed_place) == (
        "First Pact",
        "Pact A",
        "friendship",
        "Bonn",
    )
    assert a.signed.described() == "July 1961 (month)"  # type: ignore[union-attr]
    assert a.in_force.iso() == "1961-09-01" and a.in_force_uncertain  # type: ignore[union-attr]
    assert (a.ended.iso(), a.end_reason) == ("1965-03", "replaced")  # type: ignore[union-attr]
    assert (a.term_months, a.renewal, a.renewal_months, a.indefinite) == (
        60,
        "automatic",
        12,
        False,
    )
    assert (a.strength, a.strength_clause, a.cow_id, a.unts_number, a.wikidata_id) == (
        2,
        "Art. 2",
        9999,
        "12345",
        "Q1",
    )
    usa, gfr = a.parties
    assert (usa.state.iso3, usa.signer, usa.signer_title) == (
        "USA",
        "A. Person",
        "Secretary of State",
    )
    assert usa.ratified.iso() == "1961-08"  # type: ignore[union-attr]
    assert [(c.source_key, c.supports) for c in usa.citations] == [("test-archive", ("signer",))]
    assert (gfr.state.cow_code, gfr.state.iso3, gfr.joined.iso()) == (260, None, "1962-01")  # type: ignore[union-attr]
    (clause,) = a.provisions
    assert (clause.article, clause.obligation, clause.security, clause.text_status) == (
        "2",
        "consultation",
        True,
        "verbatim",
    )
    assert [c.source_key for c in clause.citations] == ["test-archive"]
    disagreeing = [c for c in a.citations if not c.agrees]
    assert [(c.claim, c.note) for c in disagreeing] == [("1965-04", "a later date")]
    assert len(a.citations) == 2
    assert b.replaces == "pact-a-1961" and a.replaced_by == ("pact-b-1965",)
    assert b.signed.described() == "1965 (year)" and b.indefinite  # type: ignore[union-attr]
    assert (event.happened_precision, event.happened_uncertain, event.kind) == (
        "month",
        True,
        "signature",
    )
    assert event_states == ["German Federal Republic", "United States"]

    before = dump_database(seeded_engine)
    again = import_file(seeded_engine, path)
    assert again.summary().startswith("2 treaties: 0 added, 0 changed, 2 left alone")
    assert not again.conflicts
    assert dump_database(seeded_engine) == before


CSV_TEXT = (
    "slug,title,kind,signed,in_force,in_force_uncertain,ended,end_reason,term_months,"
    "indefinite,strength,parties,atop_id\r\n"
    'csv-pact-1956,"Pact, with a comma",alliance,1956-05,1956-06-01,true,1960,expired,48,'
    'false,3,"USA; 260; GBR:guarantor",\r\n'
    "ussr-dprk-1961,Treaty of 1961,alliance,1961-07-06,,,,,,,,SUN; PRK,\r\n"
)


def test_csv_built_by_hand_comes_in_and_leaves_what_it_does_not_hold(
    seeded_engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "pacts.csv"
    path.write_text(CSV_TEXT, encoding="utf-8", newline="")
    report = import_file(seeded_engine, path)
    assert (report.treaties.added, report.treaties.changed, report.treaties.unchanged) == (1, 0, 1)
    with Session(seeded_engine) as session:
        t = load_treaty(session, "csv-pact-1956")
        fixture = load_treaty(session, "ussr-dprk-1961")
    assert t.title == "Pact, with a comma"
    assert t.signed.described() == "May 1956 (month)"  # type: ignore[union-attr]
    assert t.in_force.iso() == "1956-06-01" and t.in_force_uncertain  # type: ignore[union-attr]
    assert t.ended.described() == "1960 (year)" and t.end_reason == "expired"  # type: ignore[union-attr]
    assert (t.term_months, t.indefinite, t.strength, t.atop_id) == (48, False, 3, None)
    assert [(p.state.label, p.role) for p in t.parties] == [
        ("United States (USA)", "party"),
        ("German Federal Republic", "party"),
        ("United Kingdom (GBR)", "guarantor"),
    ]
    # The 1961 row names the fixture's title differently: a conflict, the fixture's kept; the
    # signers, which the CSV does not hold, are untouched.
    assert [(c.record, c.field) for c in report.conflicts] == [("ussr-dprk-1961", "title")]
    assert fixture.title.startswith("Treaty of Friendship") and fixture.parties[0].signer

    before = dump_database(seeded_engine)
    again = import_file(seeded_engine, path)
    assert (again.treaties.added, again.treaties.changed) == (0, 0)
    assert dump_database(seeded_engine) == before


def test_a_fixture_treaty_gains_empty_fields_and_reports_the_rest(
    seeded_engine: Engine, tmp_path: Path
) -> None:
    record = {
        "slug": "ussr-dprk-1961",
        "wikidata_id": "Q4",
        "summary": "A different summary.",
        "strength": 4,
    }
    path = write_json(tmp_path / "one.json", {"treaties": [record]})
    report = import_file(seeded_engine, path)
    assert report.treaties.changed == 1
    (conflict,) = report.conflicts
    assert (conflict.record, conflict.field, conflict.theirs) == (
        "ussr-dprk-1961",
        "summary",
        "A different summary.",
    )
    with Session(seeded_engine) as session:
        t = load_treaty(session, "ussr-dprk-1961")
    assert t.wikidata_id == "Q4" and t.summary.startswith("Mutual-assistance treaty")  # type: ignore[union-attr]
    report = import_file(seeded_engine, path, overwrite=True)
    assert report.conflicts == [conflict]
    with Session(seeded_engine) as session:
        assert load_treaty(session, "ussr-dprk-1961").summary == "A different summary."


def test_json_errors_name_the_line_of_the_field(seeded_engine: Engine, tmp_path: Path) -> None:
    document = json.loads(json.dumps(DOCUMENT))
    document["treaties"][1]["in_force"] = "1961-02-30"
    path = write_json(tmp_path / "bad.json", document)
    line = next(
        n
        for n, text in enumerate(path.read_text().splitlines(), start=1)
        if '"in_force": "1961-02-30"' in text
    )
    with pytest.raises(ImportFailed, match=rf"^bad\.json, line {line}, column in_force: .*no 30th"):
        import_file(seeded_engine, path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["treaties"][1]["parties"][0]["sources"].append({"source": "nowhere"}),
            "column parties: unknown source key 'nowhere'",
        ),
        (lambda d: d.update(format="other/9"), "format 'other/9' is not one this version reads"),
        (lambda d: d.update(extra=1), "unknown key 'extra'"),
        (lambda d: d["treaties"][0].pop("slug"), "column slug: no slug"),
        (
            lambda d: d["treaties"][1]["parties"][1].update(joined="early"),
            "column parties: party 2 joined",
        ),
    ],
)
def test_json_mistakes_are_refused(
    seeded_engine: Engine, tmp_path: Path, change: Any, message: str
) -> None:
    document = json.loads(json.dumps(DOCUMENT))
    change(document)
    path = write_json(tmp_path / "bad.json", document)
    with pytest.raises(ImportFailed, match=message):
        import_file(seeded_engine, path)


def test_events_and_sources_merge_by_key(seeded_engine: Engine, tmp_path: Path) -> None:
    import_file(seeded_engine, write_json(tmp_path / "a.json", DOCUMENT))
    document = json.loads(json.dumps(DOCUMENT))
    document["events"][0]["description"] = "Filled in later."
    document["events"][0]["place"] = "Paris"
    document["sources"][0]["title"] = "Another title"
    report = import_file(seeded_engine, write_json(tmp_path / "b.json", document))
    assert Conflict("event pact-a-1961-signature", "place", "Bonn", "Paris") in report.conflicts
    assert (
        Conflict("source test-archive", "title", "A treaty archive", "Another title")
        in report.conflicts
    )
    assert report.others["events"].changed == 1
    with Session(seeded_engine) as session:
        event = session.exec(select(Event).where(Event.key == "pact-a-1961-signature")).one()
        assert (event.description, event.place) == ("Filled in later.", "Bonn")
