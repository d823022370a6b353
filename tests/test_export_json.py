"""export --format json: the founding format, complete enough to load back into the same records."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from db.models import Event, Treaty, TreatyParty
from timeline.cli import main
from timeline.fixture_files import fixture_path
from timeline.io.selection import select_events
from timeline.records import StateIndex, to_records
from timeline.seed import FOUNDING_FILE, STATES_FILE, seed

# A treaty typed by hand: month-precision dates, a party without an ISO code (the German
# Democratic Republic, COW 265) and texts with commas, quotes and line breaks.
HAND_MADE = {
    "slug": "test-pact-1999",
    "title": 'Pact of "Friendship", Trade and Defence',
    "short_title": "Test Pact, 1999",
    "kind": "alliance",
    "signed": "June 1999",
    "ended": "2001",
    "end_reason": "denounced",
    "term_months": 60,
    "renewal": "by-agreement",
    "strength": 3,
    "strength_clause": "Art. 2",
    "summary": 'First line, with a comma.\nSecond line "quoted".',
    "parties": ["USA", "265:signatory", "CAN"],
    "provisions": [
        {
            "article": "2",
            "obligation": "defence",
            "conditions": "an attack in Europe",
            "text": 'The parties shall "assist", each the other.',
            "text_status": "verbatim",
        }
    ],
}


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], seeded_db: str):  # type: ignore[no-untyped-def]
    def run(*argv: str) -> tuple[int, str, str]:
        code = main([*argv, "--db", seeded_db])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def export(cli, *filters: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    code, out, err = cli("export", "--format", "json", *filters)
    assert code == 0, err
    return json.loads(out)


def add_hand_made(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    record = tmp_path / "pact.json"
    record.write_text(json.dumps(HAND_MADE), encoding="utf-8")
    code, _, err = cli("add", "--file", str(record))
    assert code == 0, err


def test_the_founding_data_exports_in_the_fixture_shape(cli) -> None:  # type: ignore[no-untyped-def]
    data = export(cli)
    fixture = json.loads(fixture_path(FOUNDING_FILE).read_text(encoding="utf-8"))
    assert data["format"] == "treaty-timeline/1"
    assert dt.date.fromisoformat(data["exported"]) == dt.date.today()
    assert [t["slug"] for t in data["treaties"]] == [
        "sino-soviet-1950", "ussr-dprk-1961", "prc-dprk-1961", "russia-dprk-2000",
        "russia-dprk-2024",
    ]  # fmt: skip
    # Every field the fixture gives a treaty, and nothing the loader would not know.
    assert set(data["treaties"][0]) == set(fixture["treaties"][0])
    assert {s["key"] for s in data["sources"]} == {s["key"] for s in fixture["sources"]}
    assert {e["key"] for e in data["events"]} == {e["key"] for e in fixture["events"]}
    t1961 = next(t for t in data["treaties"] if t["slug"] == "ussr-dprk-1961")
    assert [p["state"] for p in t1961["parties"]] == ["SUN", "PRK"]
    assert t1961["parties"][0]["signer"] == "N. S. Khrushchev"
    disagreeing = [c for c in t1961["sources"] if not c["agrees"]]
    assert disagreeing == [
        {
            "source": "cow-v4.1",
            "supports": ["ended"],
            "agrees": False,
            "claim": "1995-09-07",
            "note": disagreeing[0]["note"],
        }
    ]


def test_the_lin_jian_statement_stays_a_month(cli) -> None:  # type: ignore[no-untyped-def]
    events = {e["key"]: e for e in export(cli)["events"]}
    assert events["china-mfa-statement-lin-jian-2024-06"]["on"] == "2024-06"


def test_filters_select_treaties_and_their_events(cli) -> None:  # type: ignore[no-untyped-def]
    data = export(cli, "--party", "CHN")
    assert [t["slug"] for t in data["treaties"]] == ["sino-soviet-1950", "prc-dprk-1961"]
    assert data["selection"] == ["party CHN"]
    assert data["events"] == []  # none is tied to these two treaties
    cited = {c["source"] for t in data["treaties"] for c in t["sources"]}
    assert {s["key"] for s in data["sources"]} >= cited
    assert "unts-6045" not in {s["key"] for s in data["sources"]}  # cited by 1961 USSR-DPRK only

    data = export(cli, "--party", "PRK", "--between", "2024", "2024")
    assert [t["slug"] for t in data["treaties"]] == ["russia-dprk-2024"]
    assert {e["treaty"] for e in data["events"]} == {"russia-dprk-2024"}
    # The UN veto names the DPRK but belongs to no treaty; a selection leaves it out.
    assert "unsc-veto-panel-of-experts-2024" not in {e["key"] for e in data["events"]}


def test_a_members_own_entry_and_exit_are_kept(  # type: ignore[no-untyped-def]
    cli, seeded_engine: Engine
) -> None:
    with Session(seeded_engine) as session:
        party = session.exec(
            select(TreatyParty).join(Treaty).where(Treaty.slug == "sino-soviet-1950")
        ).first()
        assert party is not None
        party.joined_on, party.joined_precision = dt.date(1950, 4, 1), "month"
        session.commit()
    (treaty,) = export(cli, "--search", "sino-soviet")["treaties"]
    assert treaty["parties"][0]["joined"] == "1950-04"
    assert "left" not in treaty["parties"][0]


def _plain(value: Any) -> Any:
    """A record as nested dicts without database ids (and the edit counter), for comparison."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    if isinstance(value, dict):
        return {
            k: _plain(v) for k, v in value.items() if k not in ("id", "continuity_id", "version")
        }
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _snapshot(engine: Engine) -> tuple[Any, Any, set[str]]:
    with Session(engine) as session:
        states = StateIndex(session)
        rows = session.exec(select(Treaty).order_by(Treaty.slug)).all()
        treaties = to_records(session, rows, states)
        events = select_events(session, treaties, everything=True, states=states)
        uncertain = set(session.exec(select(Event.key).where(Event.happened_uncertain)).all())
    return _plain(treaties), _plain(events), uncertain


def test_json_loads_back_into_the_same_records(  # type: ignore[no-untyped-def]
    cli,
    seeded_engine: Engine,
    empty_engine: Engine,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    add_hand_made(cli, tmp_path)
    with Session(seeded_engine) as session:
        # An uncertain event date, which the fixtures do not have.
        event = session.exec(select(Event).where(Event.key.like("%notice-1995"))).one()
        event.happened_uncertain = True
        session.commit()
    exported = tmp_path / "export"
    exported.mkdir()
    code, out, err = cli("export", "--output", str(exported / FOUNDING_FILE))
    assert code == 0, err
    assert "exported 6 treaties and 12 events" in out

    # Load it the way the fixtures are loaded, into a database holding only the schema.
    shutil.copy(fixture_path(STATES_FILE), exported / STATES_FILE)
    with Session(empty_engine) as session:
        report = seed(session, exported)
        session.commit()
    assert report.added["treaties"] == 6 and report.added["events"] == 12

    before, after = _snapshot(seeded_engine), _snapshot(empty_engine)
    assert after[0] == before[0]  # treaties, parties, provisions and all their citations
    assert after[1] == before[1]  # events with their states and citations
    assert after[2] == before[2] == {"ussr-dprk-1961-russian-notice-1995"}
    pact = next(t for t in after[0] if t["slug"] == "test-pact-1999")
    assert pact["signed"]["precision"] == "month" and pact["ended"]["precision"] == "year"
    assert [p["state"]["cow_code"] for p in pact["parties"]] == [2, 265, 20]

    # Exported again, the loaded copy gives the same file, sources included.
    first = json.loads((exported / FOUNDING_FILE).read_text(encoding="utf-8"))
    code = main(["export", "--db", empty_engine.url.render_as_string(hide_password=False)])
    second = json.loads(capsys.readouterr().out)
    assert code == 0
    assert second == first
