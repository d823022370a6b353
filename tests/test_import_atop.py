"""ATOP v4.01 imported whole into a seeded database: the treaties, their members, dates,
obligations and strength, the founding treaties matched rather than duplicated, and a second
import that changes nothing."""

from __future__ import annotations

import csv
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from db.engine import make_engine
from db.models import ImportRecord, Treaty
from tests.conftest import SHARED_DATA
from timeline.io.atop import read_atop
from timeline.io.merge import ImportReport, run_import
from timeline.records import load_treaty

ATOP = SHARED_DATA / "atop-v4.01"
FOUNDING_MATCHES = {
    3440: "ussr-dprk-1961",
    3445: "prc-dprk-1961",
    4940: "russia-dprk-2000",
    3200: "sino-soviet-1950",
}


def import_atop(engine: Engine, folder: Path = ATOP, **options: bool) -> ImportReport:
    with Session(engine) as session:
        batch = read_atop(folder, session)
    return run_import(engine, batch, **options)


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, to compare a database before and after."""
    with sqlite3.connect(path) as connection:
        tables = [
            r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return {
            t: sorted(connection.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables
        }


def rows(name: str) -> list[dict[str, str]]:
    with (ATOP / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def imported(
    seeded_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, ImportReport]:
    path = tmp_path_factory.mktemp("atop") / "atop.db"
    shutil.copy(seeded_template, path)
    engine = make_engine(f"sqlite:///{path}")
    report = import_atop(engine)
    engine.dispose()
    return path, report


@pytest.fixture
def session(imported: tuple[Path, ImportReport]):  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{imported[0]}")
    with Session(engine) as s:
        yield s
    engine.dispose()


def test_every_alliance_becomes_a_treaty_with_the_rules_strength(
    imported: tuple[Path, ImportReport], session: Session
) -> None:
    _, report = imported
    assert (report.treaties.added, report.treaties.changed + report.treaties.unchanged) == (741, 4)
    from_atop = session.exec(select(Treaty).where(col(Treaty.atop_id).is_not(None))).all()
    assert len(from_atop) == 745
    assert len({t.atop_id for t in from_atop}) == 745
    assert Counter(t.strength for t in from_atop) == {1: 223, 2: 233, 3: 124, 4: 81, 5: 84}
    # The five founding treaties stay: four matched, russia-dprk-2024 beside them.
    assert session.exec(select(func.count()).select_from(Treaty)).one() == 746
    assert session.exec(select(func.count()).select_from(ImportRecord)).one() == 745


def test_the_founding_treaties_are_matched_and_keep_their_values(
    imported: tuple[Path, ImportReport], session: Session
) -> None:
    for atop_id, slug in FOUNDING_MATCHES.items():
        (found,) = session.exec(select(Treaty.slug).where(Treaty.atop_id == atop_id)).all()
        assert found == slug
    t = load_treaty(session, "ussr-dprk-1961")
    assert t.in_force is not None and t.in_force.iso() == "1961-09-10" and t.in_force_uncertain
    assert t.ended is not None and t.ended.iso() == "1996-09-10" and t.end_reason == "expired"
    assert t.title.startswith("Treaty of Friendship, Co-operation and Mutual Assistance")
    assert [p.article for p in t.provisions] == ["1", "2", "3", "5"]
    assert [p.state.iso3 for p in t.parties] == ["SUN", "PRK"]
    assert t.parties[0].signer == "N. S. Khrushchev"
    # Where the fixture says something else, the user's value stays and the import says so.
    _, report = imported
    assert {(c.record, c.field) for c in report.conflicts} == {
        ("ussr-dprk-1961", "provisions"),
        ("prc-dprk-1961", "provisions"),
        ("sino-soviet-1950", "provisions"),
        ("russia-dprk-2000", "provisions"),
        ("russia-dprk-2000", "kind"),
    }
    assert load_treaty(session, "russia-dprk-2000").kind == "friendship"
    # Where the fixture left a field empty, ATOP fills it, and says so in its citation.
    sino = load_treaty(session, "sino-soviet-1950")
    assert (sino.renewal, sino.renewal_months, sino.cow_id) == ("automatic", 60, 229)
    assert sino.in_force is None
    assert report.changed == ["sino-soviet-1950"]


def test_every_member_is_a_party_of_a_known_state(session: Session) -> None:
    members: dict[int, set[int]] = {}
    for row in rows("atop-member-level.csv"):
        members.setdefault(int(row["atopid"]), set()).add(int(row["member"]))
    treaties = session.exec(select(Treaty).where(col(Treaty.atop_id).is_not(None))).all()
    for treaty in treaties:
        codes = {p.state.cow_code for p in treaty.parties}  # type: ignore[union-attr]
        expected = {816 if c == 8152 else c for c in members[treaty.atop_id]}  # type: ignore[index]
        assert codes == expected, treaty.slug
    annam = load_treaty(session, "fra-vnm-1874-atop1320").parties[1]
    assert annam.state.iso3 == "VNM" and "8152" in (annam.notes or "")


def test_cow_365_is_the_ussr_while_it_existed_and_russia_otherwise(session: Session) -> None:
    def parties(atop_id: int) -> list[str | None]:
        slug = session.exec(select(Treaty.slug).where(Treaty.atop_id == atop_id)).one()
        return [p.state.iso3 for p in load_treaty(session, slug).parties]

    assert "SUN" in parties(3440) and "RUS" not in parties(3440)  # 1961
    assert "RUS" in parties(4940) and "SUN" not in parties(4940)  # 2000
    assert "RUS" in parties(1035) and "SUN" not in parties(1035)  # 1815, the Russian Empire
    # A membership begun in the USSR and continued after 1991: both, each with its own dates.
    cze = load_treaty(session, "315-cze-1970-atop3625")
    spans = {p.state.iso3: (p.joined, p.left) for p in cze.parties if p.state.cow_code == 365}
    assert spans["SUN"][1] is not None and spans["SUN"][1].iso() == "1992-12-31"
    assert spans["RUS"][0] is not None and spans["RUS"][0].iso() == "1993-01-01"


def test_unknown_months_and_days_become_a_coarser_precision(session: Session) -> None:
    coarse_begins = [
        r
        for r in rows("atop-alliance-level.csv")
        if r["begday"] in ("", "0") or r["begmo"] in ("", "0")
    ]
    coarse_ends = [
        r
        for r in rows("atop-alliance-level.csv")
        if r["endyr"] not in ("", "0") and (r["endday"] in ("", "0") or r["endmo"] in ("", "0"))
    ]
    assert coarse_begins and coarse_ends  # real rows, e.g. ATOP 1115 and 1035
    for row in coarse_begins:
        t = session.exec(select(Treaty).where(Treaty.atop_id == int(row["atopid"]))).one()
        expected = "year" if row["begmo"] in ("", "0") else "month"
        assert t.signed_precision == expected and t.signed_on.day == 1, row["atopid"]  # type: ignore[union-attr]
    for row in coarse_ends:
        t = session.exec(select(Treaty).where(Treaty.atop_id == int(row["atopid"]))).one()
        expected = "year" if row["endmo"] in ("", "0") else "month"
        assert t.ended_precision == expected and t.ended_on.day == 1, row["atopid"]  # type: ignore[union-attr]
    assert load_treaty(session, "gbr-rus-1844-atop1115").signed.iso() == "1844-06"  # type: ignore[union-attr]
    # Members too: Rwanda's entry into ATOP 3455 is known to the month.
    joined = {p.state.iso3: p.joined for p in load_treaty(session, "sen-ben-1961-atop3455").parties}
    assert joined["RWA"] is not None and joined["RWA"].described() == "March 1963 (month)"
    assert joined["SEN"] is None  # a founding member: the treaty's own date


def test_a_new_treaty_has_the_atop_codes_and_a_citation(session: Session) -> None:
    t = load_treaty(session, "usa-can-1949-atop3180")
    assert (
        t.title
        == "Alliance of United States, Canada, United Kingdom and 27 others, 1949 (ATOP 3180)"
    )
    assert (t.kind, t.signed.iso(), t.ended) == ("alliance", "1949-04-04", None)  # type: ignore[union-attr]
    assert (t.term_months, t.renewal, t.renewal_months) == (240, "automatic", None)
    assert (t.strength, t.atop_id, t.cow_id) == (5, 3180, 227)
    assert [p.obligation for p in t.provisions] == ["defence", "non-aggression", "consultation"]
    assert all(
        p.security and p.text_status == "summary" and p.article is None for p in t.provisions
    )
    assert t.provisions[0].text == "ATOP v4.01 codes a defence obligation (defense=1)."
    (citation,) = t.citations
    assert citation.source_key == "atop-v4.01"
    assert "strength" in citation.supports and "milinst=2 -> strength 5" in (citation.note or "")
    threatened = load_treaty(session, "sino-soviet-1950")
    assert threatened.atop_id == 3200
    consul = load_treaty(session, "gbr-rus-1844-atop1115").provisions[0]
    assert consul.obligation == "consultation" and "concon=1" in (consul.conditions or "")


def test_importing_again_changes_nothing(
    imported: tuple[Path, ImportReport], tmp_path: Path
) -> None:
    path = tmp_path / "again.db"
    shutil.copy(imported[0], path)
    before = dump(path)
    engine = make_engine(f"sqlite:///{path}")
    report = import_atop(engine)
    engine.dispose()
    assert report.summary().startswith("745 treaties: 0 added, 0 changed, 745 left alone")
    assert len(report.conflicts) == 5  # still reported: the fixture still differs from ATOP
    assert dump(path) == before
