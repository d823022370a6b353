"""The command line as a user meets it: output, and one-line errors that change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline.cli import main
from timeline.database import open_database
from timeline.editing import add_event


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_overview_lists_the_founding_treaties(
    capsys: pytest.CaptureFixture[str], seeded_db: str
) -> None:
    code, out, err = run(capsys, "--db", seeded_db)
    assert code == 0, err
    assert "5 treaties" in out
    for slug in ("sino-soviet-1950", "ussr-dprk-1961", "russia-dprk-2000", "russia-dprk-2024"):
        assert slug in out
    assert "10 September 1961 (uncertain)" in out
    assert "4 automatic defence" in out and "2 consultation" in out


def test_a_new_database_is_seeded_once(capsys: pytest.CaptureFixture[str], new_db: str) -> None:
    code, out, _ = run(capsys, "--db", new_db)
    assert code == 0 and "seeded with the founding records" in out
    code, out, _ = run(capsys, "seed", "--db", new_db)
    assert code == 0 and "nothing to add" in out


def test_environment_variable_chooses_the_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TREATY_TIMELINE_DB", str(tmp_path / "env.db"))
    code, out, _ = run(capsys, "where")
    assert code == 0 and out.strip() == str(tmp_path / "env.db")
    # --db wins over the environment, before or after the command.
    code, out, _ = run(capsys, "where", "--db", str(tmp_path / "flag.db"))
    assert out.strip() == str(tmp_path / "flag.db")
    code, out, _ = run(capsys, "--db", str(tmp_path / "first.db"), "where")
    assert out.strip() == str(tmp_path / "first.db")


@pytest.mark.sqlite_only(reason="a file that is not a SQLite database")
def test_a_file_that_is_not_a_database_gets_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "letter.txt"
    path.write_text("Dear editor,\n" * 50)
    code, out, err = run(capsys, "--db", str(path))
    assert code == 1
    assert err.count("\n") == 1 and "not a treaty-timeline database" in err
    assert "Traceback" not in err + out
    assert path.read_text() == "Dear editor,\n" * 50


@pytest.mark.sqlite_only(reason="the SQLite file's folder cannot be made")
def test_an_unwritable_location_gets_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run(capsys, "--db", str(blocker / "sub" / "t.db"))
    assert code == 1
    assert err.startswith("treaty-timeline: error:") and err.count("\n") == 1


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


@pytest.mark.sqlite_only(reason="a file's path with brackets")
def test_brackets_in_paths_titles_and_events_are_printed_as_they_are(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Nothing the database or the user gives is read as a style: "[Draft]" is printed, and
    # "[/b]" does not end the command with an error.
    folder = tmp_path / "[bold] treaties"
    folder.mkdir()
    db = str(folder / "t.db")
    title = "[Draft] Pact of [/b] mutual aid"
    code, out, err = run(capsys, "--db", db, "add", "--slug", "draft-pact-1990", "--title", title,
                         "--signed", "1990-05-01", "--party", "USA", "--party", "CAN")  # fmt: skip
    assert code == 0, err
    code, out, err = run(capsys, "--db", db)
    assert code == 0, err
    assert f"Database: {db}" in out
    code, out, err = run(capsys, "--db", db, "show", "draft-pact-1990")
    assert code == 0 and title in " ".join(out.split()), err
    engine = open_database(db).engine
    event = "[/b] summit [red]held"
    add_event(engine, {"on": "1991", "kind": "other", "title": event, "treaty": "draft-pact-1990",
                       "states": "USA", "description": ""})  # fmt: skip
    engine.dispose()
    code, out, err = run(capsys, "--db", db, "events")
    assert code == 0 and event in " ".join(out.split()), err
