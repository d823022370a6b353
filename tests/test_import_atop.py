"""ATOP v4.01 imported whole into a seeded database: the treaties, their members, dates,
obligations and strength, the founding treaties matched rather than duplicated, and a second
import that changes nothing."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func
from sqlalchemy.engine import make_url
from sqlmodel import Session, col, select

from db.engine import database_url, make_engine
from db.models import ImportRecord, Treaty
from tests.conftest import ON_POSTGRES, SHARED_DATA
from tests.db_dump import dump_database
from timeline.history import load_history
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


def rows(name: str) -> list[dict[str, str]]:
    with (ATOP / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def copy_database(
    request: pytest.FixtureRequest, source: str | None, folder: Path
) -> tuple[str, str | None]:
    """A database of its own: a copy of `source` (a path or URL), or of the seeded template
    when None. Returns what --db takes, and the server database's name to drop after."""
    if ON_POSTGRES:
        server = request.getfixturevalue("pg_server")
        if source is None:
            template = request.getfixturevalue("pg_templates")["seeded"]
        else:
            template = make_url(source).database
        name = server.create(template=template)
        return server.url_of(name), name
    path = folder / "treaties.db"
    shutil.copy(source or request.getfixturevalue("seeded_template"), path)
    return str(path), None


def drop_database(request: pytest.FixtureRequest, name: str | None) -> None:
    if name is not None:
        request.getfixturevalue("pg_server").drop(name)


Imported = tuple[str, ImportReport]


@pytest.fixture(scope="module")
def imported(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Imported]:
    """The seeded database with ATOP imported, shared by the tests that only read it."""
    db, name = copy_database(request, None, tmp_path_factory.mktemp("atop"))
    engine = make_engine(database_url(db))
    report = import_atop(engine)
    engine.dispose()
    yield db, report
    drop_database(request, name)


@pytest.fixture
def session(imported: Imported) -> Iterator[Session]:
    engine = make_engine(database_url(imported[0]))
    with Session(engine) as s:
        yield s
    engine.dispose()


def test_every_alliance_becomes_a_treaty_with_the_rules_strength(
    imported: Imported, session: Session
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
    imported: Imported, session: Session
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


def test_history_counts_a_multilateral_treaty_from_the_later_accession(session: Session) -> None:
    # Russia joined the Treaty of Amity and Cooperation in Southeast Asia (ATOP 3755, signed
    # 1976) in 2004, North Korea in 2008: it binds the two from 2008.
    amity = session.exec(select(Treaty.slug).where(Treaty.atop_id == 3755)).one()
    result = load_history(session, "RUS", "PRK", today=date(2026, 1, 1))
    binding = [p for p in result.periods if amity in {t.slug for t in (p.treaty, *p.others) if t}]
    assert [(p.start.iso(), p.start_basis) for p in binding[:1]] == [("2008-07-24", "joined")]
    assert binding[-1].end is None
    assert any(
        "counted from North Korea's accession on 24 July 2008, not from the treaty's signature"
        " on 24 February 1976" in note
        for note in result.notes
    )
    assert result.summary == "4 -> gap -> 2 -> 4"  # ATOP 3755 (level 1) governs no period


def test_importing_again_changes_nothing(
    request: pytest.FixtureRequest, imported: Imported, tmp_path: Path
) -> None:
    db, name = copy_database(request, imported[0], tmp_path)
    engine = make_engine(database_url(db))
    try:
        before = dump_database(engine)
        report = import_atop(engine)
        assert report.summary().startswith("745 treaties: 0 added, 0 changed, 745 left alone")
        assert len(report.conflicts) == 5  # still reported: the fixture still differs from ATOP
        assert dump_database(engine) == before
    finally:
        engine.dispose()
        drop_database(request, name)
