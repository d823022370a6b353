"""Undoing an import takes back its bases of the three-way merge with its values: a later import
of the file behaves as if the undone one never happened, and undoing the undo brings the
import back whole."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from tests.test_import_exchange import import_file
from tests.test_import_merge import atop_cut, import_atop, set_value
from timeline.editing import edit_treaty
from timeline.io.merge import ImportReport
from timeline.records import TreatyRecord, load_treaty
from timeline.undo import undo

# 3200 fills fields the founding sino-soviet-1950 leaves empty; 3440 matches ussr-dprk-1961
# and changes nothing in it; 1115 is new.
ATOP_IDS = {1115, 3200, 3440}
FILLED = ("renewal", "renewal_months", "cow_id")


def outcome(report: ImportReport) -> tuple[str, list[tuple[str, str]]]:
    return report.summary(), [(c.record, c.field) for c in report.conflicts]


def treaty(engine: Engine, slug: str) -> TreatyRecord:
    with Session(engine) as session:
        return load_treaty(session, slug)


def pacts(path: Path, **fields: Any) -> Path:
    """Our JSON: the founding russia-dprk-2024 with `fields`, and a new pact."""
    document = {
        "treaties": [
            {"slug": "russia-dprk-2024", **fields},
            {"slug": "pact-1999", "title": "A Pact", "parties": ["USA", "CAN"], "strength": 2},
        ]
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_atop_imported_again_after_an_undo_reports_no_edits(
    seeded_engine: Engine, tmp_path: Path
) -> None:
    folder = atop_cut(tmp_path / "atop", ATOP_IDS)
    first = import_atop(seeded_engine, folder)
    assert first.changed == ["sino-soviet-1950"]
    undo(seeded_engine)
    assert all(getattr(treaty(seeded_engine, "sino-soviet-1950"), f) is None for f in FILLED)

    again = import_atop(seeded_engine, folder)
    assert outcome(again) == outcome(first)
    assert not [c for c in again.conflicts if c.field in FILLED]
    sino = treaty(seeded_engine, "sino-soviet-1950")
    assert (sino.renewal, sino.renewal_months, sino.cow_id) == ("automatic", 60, 229)


def test_our_json_imported_again_after_an_undo_fills_the_same_fields(
    seeded_engine: Engine, tmp_path: Path
) -> None:
    path = pacts(tmp_path / "v1.json", wikidata_id="Q1", term_months=240)
    first = import_file(seeded_engine, path)
    undo(seeded_engine)
    assert treaty(seeded_engine, "russia-dprk-2024").wikidata_id is None
    again = import_file(seeded_engine, path)
    assert outcome(again) == outcome(first) and not again.conflicts
    assert treaty(seeded_engine, "russia-dprk-2024").wikidata_id == "Q1"


def test_undoing_a_second_import_leaves_the_first_as_the_base(
    seeded_engine: Engine, tmp_path: Path
) -> None:
    import_file(seeded_engine, pacts(tmp_path / "v1.json", wikidata_id="Q1"))
    updated = pacts(tmp_path / "v2.json", wikidata_id="Q2")
    import_file(seeded_engine, updated)
    undo(seeded_engine)
    assert treaty(seeded_engine, "russia-dprk-2024").wikidata_id == "Q1"
    again = import_file(seeded_engine, updated)
    assert (again.changed, again.conflicts) == (["russia-dprk-2024"], [])
    assert treaty(seeded_engine, "russia-dprk-2024").wikidata_id == "Q2"


def test_undoing_the_undo_brings_the_import_back_with_its_base(
    seeded_engine: Engine, tmp_path: Path
) -> None:
    folder = atop_cut(tmp_path / "v1", ATOP_IDS)
    import_atop(seeded_engine, folder)
    undo(seeded_engine)
    undo(seeded_engine)  # the undo undone: the import again
    assert treaty(seeded_engine, "sino-soviet-1950").renewal_months == 60
    assert outcome(import_atop(seeded_engine, folder))[0].startswith(
        "3 treaties: 0 added, 0 changed, 3 left alone"
    )
    # An updated file still updates what the user left alone.
    updated = atop_cut(tmp_path / "v2", ATOP_IDS, set_value(3200, "renewlgt", "10"))
    report = import_atop(seeded_engine, updated)
    assert report.changed == ["sino-soviet-1950"]
    assert not [c for c in report.conflicts if c.field in FILLED]
    assert treaty(seeded_engine, "sino-soviet-1950").renewal_months == 10


def test_an_edit_of_an_imported_value_is_still_reported_after_undos(
    seeded_engine: Engine, tmp_path: Path
) -> None:
    path = pacts(tmp_path / "v1.json", term_months=240)
    import_file(seeded_engine, path)
    edit_treaty(seeded_engine, "russia-dprk-2024", {"term_months": 120})
    # Undoing and redoing the user's own edit leaves the import's base alone.
    undo(seeded_engine)
    undo(seeded_engine)
    report = import_file(seeded_engine, path)
    assert outcome(report)[1] == [("russia-dprk-2024", "term_months")]
    assert treaty(seeded_engine, "russia-dprk-2024").term_months == 120
