"""list, show, events, add, edit and delete from the command line, on the founding data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.db_dump import dump_database
from timeline.cli import main


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], seeded_db: str):  # type: ignore[no-untyped-def]
    def run(*argv: str) -> tuple[int, str, str]:
        code = main([*argv, "--db", seeded_db])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def slugs(out: str) -> list[str]:
    return [t["slug"] for t in json.loads(out)]


def test_list_json_has_the_documented_fields(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("list", "--json")
    assert code == 0
    treaties = {t["slug"]: t for t in json.loads(out)}
    t1961 = treaties["ussr-dprk-1961"]
    for key in ("slug", "title", "signed", "signed_precision", "in_force", "ended", "strength",
                "parties"):  # fmt: skip
        assert key in t1961
    assert (t1961["signed"], t1961["signed_precision"], t1961["strength"]) == (
        "1961-07-06", "day", 4,
    )  # fmt: skip
    assert treaties["russia-dprk-2000"]["in_force"] is None
    assert [p["iso3"] for p in t1961["parties"]] == ["SUN", "PRK"]
    assert t1961["parties"][0]["continues_as"] == "Russia"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (["--party", "PRK"], ["ussr-dprk-1961", "prc-dprk-1961", "russia-dprk-2000",
                              "russia-dprk-2024"]),
        # Russia's treaties include those of the USSR it continues.
        (["--party", "Russia"], ["sino-soviet-1950", "ussr-dprk-1961", "russia-dprk-2000",
                                 "russia-dprk-2024"]),
        (["--party", "710"], ["sino-soviet-1950", "prc-dprk-1961"]),
        (["--in-force-on", "1 January 1970"], ["sino-soviet-1950", "ussr-dprk-1961",
                                               "prc-dprk-1961"]),
        (["--in-force-on", "2010"], ["prc-dprk-1961", "russia-dprk-2000"]),
        (["--between", "1960", "1999"], ["ussr-dprk-1961", "prc-dprk-1961"]),
        (["--min-strength", "4"], ["ussr-dprk-1961", "prc-dprk-1961", "russia-dprk-2024"]),
        (["--search", "Article 51"], ["russia-dprk-2024"]),
        (["--search", "100%_"], []),
        (["--party", "PRK", "--min-strength", "3", "--between", "2000", "2030"],
         ["russia-dprk-2024"]),
    ],
)  # fmt: skip
def test_list_filters(cli, filters: list[str], expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("list", "--json", *filters)
    assert code == 0, err
    assert slugs(out) == expected


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["list", "--party", "Narnia"], "no state matches 'Narnia'"),
        (["list", "--in-force-on", "06/07/1961"], "ambiguous"),
        (["list", "--in-force-on", "31 Feb 2024"], "no 31st"),
        (["list", "--min-strength", "9"], "0 to 5"),
        (["show", "no-such-treaty"], "no treaty with the slug 'no-such-treaty'"),
        (["events", "--party", "Atlantis"], "no state matches"),
    ],
)
def test_bad_input_gets_one_line(cli, argv: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli(*argv)
    assert code == 1
    assert message in err and err.count("\n") == 1
    assert "Traceback" not in out + err


def test_show_json_has_everything_with_sources(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("show", "russia-dprk-2024", "--json")
    assert code == 0
    t = json.loads(out)
    assert t["replaces"] == "russia-dprk-2000" and t["indefinite"] is True
    assert {p["iso3"]: p["ratified"] for p in t["parties"]} == {
        "RUS": "2024-11-09",
        "PRK": "2024-11-11",
    }
    art4 = next(p for p in t["provisions"] if p["article"] == "4")
    assert art4["obligation"] == "defence" and "Article 51" in art4["text"]
    assert any(e["date"] == "2024-12-04" for e in t["events"])
    assert any(not s["agrees"] for s in t["sources"])  # the "18 June" reports


def test_show_prints_dates_with_their_precision(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("show", "ussr-dprk-1961")
    assert code == 0
    assert "6 July 1961, Moscow" in out
    assert "10 September 1961 (uncertain)" in out
    assert "renewed automatically for 5-year periods" in out
    assert "disagrees" in out and "1995-09-07" in out


def test_events_filters(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("events", "--json", "--between", "2024", "2024")
    events = json.loads(out)
    assert code == 0 and events
    assert all(e["date"].startswith("2024") for e in events)
    lin_jian = [e for e in events if e["date_precision"] == "month" and e["kind"] == "statement"]
    assert lin_jian and lin_jian[0]["date"] == "2024-06"
    code, out, _ = cli("events", "--json", "--party", "CHN")
    assert any(e["kind"] == "un-veto" for e in json.loads(out))


ADD = [
    "add", "--slug", "test-pact-1999", "--title", "Test Pact", "--kind", "alliance",
    "--signed", "July 1999", "--party", "USA", "--party", "CAN", "--strength", "3",
    "--provision", "2:defence:The parties shall assist each other.",
]  # fmt: skip


def test_add_edit_delete_round(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli(*ADD)
    assert code == 0, err
    assert "added test-pact-1999" in out
    code, out, _ = cli("show", "test-pact-1999", "--json")
    t = json.loads(out)
    # "July 1999" stays a month.
    assert (t["signed"], t["signed_precision"]) == ("1999-07", "month")
    assert [p["iso3"] for p in t["parties"]] == ["USA", "CAN"]
    assert t["provisions"][0]["obligation"] == "defence"

    code, out, err = cli("edit", "test-pact-1999", "--ended", "6 July 2005", "--end-reason",
                         "denounced", "--strength", "4")  # fmt: skip
    assert code == 0, err
    t = json.loads(cli("show", "test-pact-1999", "--json")[1])
    assert (t["ended"], t["end_reason"], t["strength"], t["version"]) == (
        "2005-07-06", "denounced", 4, 2,
    )  # fmt: skip
    # The edit left the parties and the clause alone.
    assert len(t["parties"]) == 2 and len(t["provisions"]) == 1

    code, out, _ = cli("delete", "test-pact-1999", "--yes")
    assert code == 0
    assert cli("show", "test-pact-1999")[0] == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--signed", "06/07/1999"], "ambiguous"),
        (["--strength", "9"], "0 to 5"),
        (["--party", "Narnia"], "no state matches 'Narnia'"),
        (["--slug", "ussr-dprk-1961"], "already used"),
        (["--slug", "Bad Slug!"], "lower-case"),
        (["--ended", "1990"], "before the signature"),
        (["--kind", "empire"], "not one of"),
        (["--replaces", "no-such"], "no treaty with the slug"),
        (["--provision", "nonsense"], "ARTICLE:KIND"),
    ],
)
def test_bad_add_is_refused_and_changes_nothing(  # type: ignore[no-untyped-def]
    cli, seeded_db: str, argv: list[str], message: str
) -> None:
    before = dump_database(seeded_db)
    code, out, err = cli(*ADD, *argv)
    assert code == 1, out
    assert message in err and err.count("\n") == 1
    assert dump_database(seeded_db) == before


def test_bad_edit_changes_nothing(cli, seeded_db: str) -> None:  # type: ignore[no-untyped-def]
    before = dump_database(seeded_db)
    for argv in (
        ["--ended", "1950"],
        ["--strength", "nine"],
        ["--in-force", "next Tuesday"],
        ["--party", "PRK"],  # one party only
    ):
        code, _, err = cli("edit", "ussr-dprk-1961", *argv)
        assert code == 1 and err.startswith("treaty-timeline: error:"), argv
    assert dump_database(seeded_db) == before


def test_add_from_json_file_and_broken_files(  # type: ignore[no-untyped-def]
    cli, seeded_db: str, tmp_path: Path
) -> None:
    good = tmp_path / "treaty.json"
    good.write_text(
        json.dumps(
            {
                "slug": "file-pact-2001",
                "title": "File Pact",
                "signed": "19 Jun 2001",
                "parties": ["FRA", {"state": "Germany", "signer": "A. Minister"}],
                "provisions": [{"article": "1", "obligation": "consultation", "text": "Consult."}],
            }
        )
    )
    before = dump_database(seeded_db)
    broken = tmp_path / "broken.json"
    broken.write_text('{"slug": "x", "title": ')
    code, _, err = cli("add", "--file", str(broken))
    assert code == 1 and "not valid JSON" in err and "line 1" in err
    listing = tmp_path / "list.json"
    listing.write_text("[1, 2]")
    assert "one JSON object" in cli("add", "--file", str(listing))[2]
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"title": "Traité"}'.encode("latin-1"))
    assert "not UTF-8" in cli("add", "--file", str(latin))[2]
    assert "cannot read" in cli("add", "--file", str(tmp_path / "missing.json"))[2]
    assert dump_database(seeded_db) == before

    code, out, err = cli("add", "--file", str(good))
    assert code == 0, err
    t = json.loads(cli("show", "file-pact-2001", "--json")[1])
    assert t["signed"] == "2001-06-19"
    assert t["parties"][1]["signer"] == "A. Minister"


def test_delete_without_confirmation_is_refused_when_not_interactive(  # type: ignore[no-untyped-def]
    cli, seeded_db: str
) -> None:
    before = dump_database(seeded_db)
    code, _, err = cli("delete", "ussr-dprk-1961")
    assert code == 1 and "--yes" in err
    assert dump_database(seeded_db) == before
