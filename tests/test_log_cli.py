"""`log` and `undo` from the command line: what a user reads, and one line for each mistake."""

from __future__ import annotations

import json

import pytest

from db.audit import USER_ENV_VAR
from tests.db_dump import dump_database
from timeline.cli import main


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], seeded_db: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv(USER_ENV_VAR, "Ada Historian")

    def run(*argv: str) -> tuple[int, str, str]:
        code = main([*argv, "--db", seeded_db])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def headers(out: str) -> list[str]:
    """Each change set's line, without its time: "#2 Ada Historian delete russia-dprk-2000"."""
    found = []
    for line in out.splitlines():
        if line.startswith("#"):
            number, _date, _time, _utc, *rest = line.split()
            found.append(" ".join([number, *rest]))
    return found


def test_log_shows_who_changed_what_newest_first(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("log") == (0, "no changes recorded yet\n", "")
    cli("edit", "ussr-dprk-1961", "--strength", "3", "--signed-place", "Pyongyang")
    cli("delete", "russia-dprk-2000", "--yes")
    code, out, _ = cli("log")
    assert code == 0
    assert headers(out) == [
        "#2 Ada Historian delete russia-dprk-2000",
        "#1 Ada Historian edit ussr-dprk-1961",
    ]
    lines = out.splitlines()
    assert lines[lines.index(next(h for h in lines if h.startswith("#1 "))) + 1 :] == [
        '    ussr-dprk-1961: signed_place "Moscow" -> "Pyongyang"',
        "    ussr-dprk-1961: strength 4 -> 3",
    ]
    assert '    russia-dprk-2024: replaces "russia-dprk-2000" -> empty' in lines
    assert '    russia-dprk-2000 party RUS:party: deleted (signer "Igor Ivanov"' in out


def test_log_of_one_treaty_and_its_limit(cli) -> None:  # type: ignore[no-untyped-def]
    for strength in ("3", "2", "1"):
        cli("edit", "ussr-dprk-1961", "--strength", strength)
    cli("edit", "prc-dprk-1961", "--strength", "3")
    code, out, _ = cli("log", "ussr-dprk-1961", "--limit", "2")
    assert code == 0
    assert headers(out) == [
        "#3 Ada Historian edit ussr-dprk-1961",
        "#2 Ada Historian edit ussr-dprk-1961",
    ]
    assert out.splitlines()[-1] == "(the newest 2 of 3; --limit N shows more)"
    assert cli("log", "sino-soviet-1950") == (0, "no changes recorded for sino-soviet-1950\n", "")


def test_log_json(cli) -> None:  # type: ignore[no-untyped-def]
    cli("edit", "ussr-dprk-1961", "--strength", "3")
    code, out, _ = cli("log", "ussr-dprk-1961", "--json")
    assert code == 0
    (change_set,) = json.loads(out)
    assert change_set["id"] == 1 and change_set["by"] == "Ada Historian"
    assert change_set["description"] == "edit ussr-dprk-1961"
    assert change_set["at"].endswith("+00:00")
    assert change_set["changes"] == [
        {"table": "treaty", "record": "ussr-dprk-1961", "part": None, "action": "update",
         "field": "strength", "old": 4, "new": 3},
    ]  # fmt: skip
    assert cli("log", "--json")[1] == out


def test_undo_the_last_change_and_undo_the_undo(cli) -> None:  # type: ignore[no-untyped-def]
    cli("edit", "ussr-dprk-1961", "--strength", "3")
    assert cli("undo", "--yes") == (
        0, "undone #1 (edit ussr-dprk-1961) as #2: 1 changes\n", "",
    )  # fmt: skip
    assert json.loads(cli("show", "ussr-dprk-1961", "--json")[1])["strength"] == 4
    assert cli("undo", "#2", "--yes")[1] == "undone #2 (undo #1) as #3: 1 changes\n"
    assert json.loads(cli("show", "ussr-dprk-1961", "--json")[1])["strength"] == 3
    assert headers(cli("log")[1])[0] == "#3 Ada Historian undo #2"


def test_a_conflicting_undo_names_the_field_and_writes_nothing(cli, seeded_db: str) -> None:  # type: ignore[no-untyped-def]
    cli("edit", "ussr-dprk-1961", "--strength", "3")
    cli("edit", "ussr-dprk-1961", "--strength", "2")
    before = dump_database(seeded_db)
    assert cli("undo", "1", "--yes") == (
        1,
        "",
        "treaty-timeline: error: cannot undo #1: ussr-dprk-1961: strength is now 2, not 3;"
        " --force undoes it anyway\n",
    )
    assert dump_database(seeded_db) == before
    assert cli("undo", "1", "--yes", "--force")[0] == 0
    assert json.loads(cli("show", "ussr-dprk-1961", "--json")[1])["strength"] == 4


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["undo", "--yes"], "nothing to undo: no changes are recorded yet"),
        (["undo", "12", "--yes"], "no change set #12; `treaty-timeline log` lists them"),
        (["undo", "twelve"],
         "'twelve' is not a change set number; `treaty-timeline log` lists them"),
        (["log", "no-such-pact"],
         "no treaty with the slug 'no-such-pact', and no recorded changes to one"),
        (["log", "--limit", "0"], "--limit must be 1 or more"),
    ],
)  # fmt: skip
def test_mistakes_end_in_one_line(cli, argv: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    assert cli(*argv) == (1, "", f"treaty-timeline: error: {message}\n")


def test_undo_asks_first_and_refuses_without_a_terminal(cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cli("edit", "ussr-dprk-1961", "--strength", "3")
    code, _, err = cli("undo")
    assert (code, err) == (
        1, "treaty-timeline: error: refusing to undo #1 without confirmation: add --yes\n",
    )  # fmt: skip
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda question: "n")
    code, out, _ = cli("undo")
    assert code == 1 and out.splitlines()[-1] == "nothing undone"
    assert json.loads(cli("show", "ussr-dprk-1961", "--json")[1])["strength"] == 3
