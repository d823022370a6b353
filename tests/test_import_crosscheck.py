"""`crosscheck`: our records for a pair of states beside the COW and ATOP dyad-year data, with
the years where they disagree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from tests.conftest import SHARED_DATA
from timeline.cli import main
from timeline.io.crosscheck import ATOP_DDY, COW, crosscheck, pair_codes, read_dyad_years

COW_DDY = SHARED_DATA / "cow-alliances-v4.1-dyad-year" / "cow_alliance_v4.1_ddy.csv"
ATOP_51 = SHARED_DATA / "atop-5.1-dyad-year" / "atop_alliance_5.1_ddy.csv"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cow_ends_the_1961_treaty_in_1995_we_in_1996(seeded_session: Session) -> None:
    codes = pair_codes(seeded_session, "RUS", "PRK")
    assert codes == ({365}, {731})
    cow = read_dyad_years(COW_DDY, COW, *codes)
    result = crosscheck(seeded_session, "RUS", "PRK", [cow])
    years = {r.year: r for r in result.rows}
    assert (result.rows[0].year, result.rows[-1].year) == (1961, 2012)
    assert years[1995].theirs == (frozenset({"defence", "non-aggression"}),)
    assert years[1996].ours == frozenset({"defence"}) and years[1996].treaties == (
        "ussr-dprk-1961",
    )
    assert years[1996].theirs == (frozenset(),) and years[1996].disagree == (True,)
    assert years[1998].agrees  # neither has a treaty
    # The 2000 treaty's consultation clause is COW's entente (Type III).
    assert all(years[y].agrees for y in range(2000, 2013))
    assert (result.compared, result.agreeing) == (52, 16)


def test_atop_5_1_adds_a_nonaggression_pledge_from_2008(seeded_session: Session) -> None:
    codes = pair_codes(seeded_session, "RUS", "PRK")
    atop = read_dyad_years(ATOP_51, ATOP_DDY, *codes)
    result = crosscheck(seeded_session, "SUN", "PRK", [atop])  # the USSR: the same lineage
    years = {r.year: r for r in result.rows}
    assert years[2007].agrees and years[2007].ours == frozenset({"consultation"})
    assert years[2008].theirs == (frozenset({"non-aggression", "consultation"}),)
    assert not years[2008].agrees
    assert result.rows[-1].year == 2018


def test_crosscheck_command_prints_the_disagreements(
    capsys: pytest.CaptureFixture[str], seeded_db: str
) -> None:
    code, out, err = run(
        capsys, "crosscheck", "RUS", "PRK", "--cow", str(COW_DDY), "--db", seeded_db
    )
    assert code == 0, err
    lines = out.splitlines()
    row_1996 = next(line for line in lines if line.startswith("│ 1996 "))
    assert "defence" in row_1996 and "≠ none" in row_1996 and "ussr-dprk-1961" in row_1996
    assert any(line.startswith("│ 1961-1995 ") for line in lines)
    assert "1997" not in out  # years that agree are left out without --all
    assert "52 years compared (1961-2012), 16 agreeing; disagreeing with COW v4.1 in 36" in out

    code, out, _ = run(
        capsys,
        "crosscheck", "RUS", "PRK", "--cow", str(COW_DDY), "--atop-ddy", str(ATOP_51),
        "--from", "1990", "--to", "2020", "--all", "--db", seeded_db,
    )  # fmt: skip
    assert code == 0
    assert "│ 1997-1999 " in out and "│ 2019-2020 " in out and "not covered" in out


def test_crosscheck_json(capsys: pytest.CaptureFixture[str], seeded_db: str) -> None:
    code, out, _ = run(
        capsys,
        "crosscheck",
        "PRK",
        "RUS",
        "--cow",
        str(COW_DDY),
        "--json",
        "--db",
        seeded_db,
    )
    assert code == 0
    data = json.loads(out)
    years = {y["year"]: y for y in data["years"]}
    assert years[1996]["ours"] == ["defence"] and years[1996]["COW v4.1"] == []
    assert years[1996]["disagree"] == ["COW v4.1"]
    assert years[1995]["COW v4.1"] == ["defence", "non-aggression"]
    assert (data["years_compared"], data["years_agreeing"]) == (52, 16)


def test_crosscheck_follows_the_member_dates_of_imported_treaties(
    seeded_engine: Engine, tmp_path: Path
) -> None:
    # ATOP 5.1's non-aggression flag from 2008 is the Treaty of Amity and Cooperation in
    # Southeast Asia (ATOP 3755), which Russia joined in 2004 and North Korea in 2008.
    from tests.test_import_merge import atop_cut, import_atop

    import_atop(seeded_engine, atop_cut(tmp_path / "atop", {3755}))
    with Session(seeded_engine) as session:
        atop = read_dyad_years(ATOP_51, ATOP_DDY, *pair_codes(session, "RUS", "PRK"))
        years = {r.year: r for r in crosscheck(session, "RUS", "PRK", [atop]).rows}
    assert years[2007].ours == frozenset({"consultation"}) and years[2007].agrees
    assert years[2008].ours == frozenset({"consultation", "non-aggression"})
    assert years[2008].agrees and years[2018].agrees


def test_crosscheck_refusals(
    capsys: pytest.CaptureFixture[str], seeded_db: str, tmp_path: Path
) -> None:
    code, _, err = run(capsys, "crosscheck", "RUS", "PRK", "--db", seeded_db)
    assert code == 1 and "give a data set to compare with" in err
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("a,b\n1,2\n")
    code, _, err = run(capsys, "crosscheck", "RUS", "PRK", "--cow", str(wrong), "--db", seeded_db)
    assert code == 1 and err.count("\n") == 1 and "not a COW v4.1 dyad-year file" in err
    code, _, err = run(capsys, "crosscheck", "RUS", "SUN", "--cow", str(COW_DDY), "--db", seeded_db)
    assert code == 1 and "the same state" in err
