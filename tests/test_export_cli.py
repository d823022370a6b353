"""export as a command: filters shared with list, output to stdout or a file written whole, and
one-line errors that leave nothing behind."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

from tests.conftest import ON_POSTGRES
from tests.db_dump import nothing_created
from timeline.cli import main
from timeline.io.selection import parse_filters, select_treaties

# What the seeded database fixture puts in the test's folder.
DATABASE_FILES = [] if ON_POSTGRES else ["treaties.db"]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], seeded_db: str):  # type: ignore[no-untyped-def]
    def run(*argv: str) -> tuple[int, str, str]:
        code = main([*argv, "--db", seeded_db])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.mark.parametrize(
    "filters",
    [
        [],
        ["--party", "Russia"],
        ["--in-force-on", "2010"],
        ["--between", "1960", "1999"],
        ["--min-strength", "4"],
        ["--search", "Article 51"],
        ["--party", "PRK", "--limit", "2"],
    ],
)
def test_export_selects_what_list_shows(cli, filters: list[str]) -> None:  # type: ignore[no-untyped-def]
    listed = [t["slug"] for t in json.loads(cli("list", "--json", *filters)[1])]
    code, out, err = cli("export", "--format", "csv", *filters)
    assert code == 0, err
    exported = [line.split(",")[0] for line in out.splitlines()[1:]]
    assert exported == listed


def test_select_treaties_for_the_ui(seeded_session) -> None:  # type: ignore[no-untyped-def]
    found = select_treaties(seeded_session, party="PRK", min_strength="3", between=["2000", "2030"])
    assert [t.slug for t in found] == ["russia-dprk-2024"]
    found = select_treaties(seeded_session, in_force_on="06/07/1970", order="day-first")
    assert [t.slug for t in found] == ["sino-soviet-1950", "ussr-dprk-1961", "prc-dprk-1961"]
    with pytest.raises(ValueError, match="--between: 1990 is before 2000"):
        parse_filters(between=["2000", "1990"])


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        (["--party", "Narnia"], "no state matches 'Narnia'"),
        (["--in-force-on", "06/07/1961"], "ambiguous"),
        (["--between", "2000", "1990"], "--between: 1990 is before 2000"),
        (["--min-strength", "9"], "0 to 5"),
    ],
)
def test_bad_filters_get_one_line_and_no_file(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path, filters: list[str], message: str
) -> None:
    target = tmp_path / "out.json"
    code, out, err = cli("export", *filters, "--output", str(target))
    assert code == 1
    assert err.startswith("treaty-timeline: error: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in out + err
    assert not target.exists()


def test_a_bad_filter_does_not_create_a_database(  # type: ignore[no-untyped-def]
    new_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["list", "--min-strength", "9", "--db", new_db]) == 1
    assert main(["export", "--min-strength", "9", "--db", new_db]) == 1
    assert nothing_created(new_db)
    assert capsys.readouterr().err.count("\n") == 2


def test_output_file_and_stdout_agree(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "founding.json"
    code, out, err = cli("export", "--party", "CHN", "--output", str(target))
    assert code == 0, err
    assert out == f"exported 2 treaties and 0 events to {target} (json)\n"
    code, printed, _ = cli("export", "--party", "CHN")
    assert code == 0
    assert json.loads(target.read_text(encoding="utf-8")) == json.loads(printed)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["founding.json", *DATABASE_FILES]


@pytest.mark.parametrize("where", ["missing/out.json", "a-file.txt/out.json", "."])
def test_an_unwritable_place_gets_one_line(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path, where: str
) -> None:
    (tmp_path / "a-file.txt").write_text("keep", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = cli("export", "--output", str(tmp_path / where))
    assert code == 1 and out == ""
    assert err.startswith("treaty-timeline: error: cannot write ") and err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs folder permissions")
def test_a_read_only_folder_gets_one_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code, _, err = cli("export", "--output", str(locked / "out.json"))
    finally:
        locked.chmod(0o700)
    assert code == 1 and "cannot write" in err and err.count("\n") == 1
    assert list(locked.iterdir()) == []


def test_a_refused_file_gets_one_line(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a read-only folder does for a user who is not root.
    def refused(*_: object, **__: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    target = tmp_path / "out.md"
    code, out, err = cli("export", "--format", "markdown", "--output", str(target))
    assert (code, out) == (1, "")
    assert err == f"treaty-timeline: error: cannot write {target}: Permission denied\n"
    assert not target.exists()


def test_a_failed_write_keeps_the_old_file_and_leaves_nothing(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "treaties.csv"
    target.write_text("the previous export\n", encoding="utf-8")

    def disk_full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    code, _, err = cli("export", "--format", "csv", "--output", str(target))
    assert code == 1
    assert err == f"treaty-timeline: error: cannot write {target}: No space left on device\n"
    assert target.read_text(encoding="utf-8") == "the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["treaties.csv", *DATABASE_FILES]


def test_help_names_the_formats_and_the_filters(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "export" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    help_text = capsys.readouterr().out
    assert "{json,csv,markdown,timelinejs}" in help_text
    for option in ("--output", "--party", "--in-force-on", "--between", "--min-strength",
                   "--search", "--limit", "--date-order"):  # fmt: skip
        assert option in help_text
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "--format", "pdf"])
    assert exit_info.value.code == 2
