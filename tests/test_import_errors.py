"""A broken file stops the import with one line naming the file, line and column, and the
database is exactly as it was, even when the bad row comes after good ones."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA
from tests.db_dump import dump_database
from timeline.cli import main

ATOP = SHARED_DATA / "atop-v4.01"
ALLIANCES, MEMBERS = "atop-alliance-level.csv", "atop-member-level.csv"


def atop_with(folder: Path, name: str, edit: Callable[[list[list[str]]], None]) -> Path:
    """A copy of ATOP v4.01 with one of its files edited as rows of cells."""
    folder.mkdir()
    for each in (ALLIANCES, MEMBERS):
        shutil.copy(ATOP / each, folder / each)
    with (folder / name).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    edit(rows)
    with (folder / name).open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return folder


def cut_short(folder: Path) -> Path:
    folder.mkdir()
    shutil.copy(ATOP / MEMBERS, folder / MEMBERS)
    text = (ATOP / ALLIANCES).read_bytes()
    lines = text.splitlines(keepends=True)
    # The file ends in the middle of its 700th row.
    (folder / ALLIANCES).write_bytes(b"".join(lines[:699]) + lines[699][:40])
    return folder


def set_cell(row: int, column: str, value: str) -> Callable[[list[list[str]]], None]:
    def edit(rows: list[list[str]]) -> None:
        rows[row - 1][rows[0].index(column)] = value

    return edit


OUR_CSV = (
    "slug,title,signed,parties\n"
    "good-pact-1999,A Good Pact,1999-07,USA; CAN\n"
    'bad-pact-2001,A Bad Pact,"31 June 2001",USA; MEX\n'
)
OUR_JSON = """{
  "treaties": [
    {"slug": "good-pact-1999", "title": "A Good Pact", "parties": ["USA", "CAN"]},
    {"slug": "bad-pact-2001", "title": "A Bad Pact", "parties": ["USA", "MEX"],
     "kind": "crusade"}
  ]
}
"""


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (cut_short, "atop-alliance-level.csv, line 700: 14 fields where the header names 141"),
        (
            lambda f: atop_with(f, ALLIANCES, set_cell(5, "begyr", "19x5")),
            "atop-alliance-level.csv, line 5, column begyr: '19x5' is not a whole number",
        ),
        (
            lambda f: atop_with(f, MEMBERS, set_cell(40, "yrexit", "later")),
            "atop-member-level.csv, line 40, column yrexit: 'later' is not a whole number",
        ),
        (
            lambda f: atop_with(f, MEMBERS, set_cell(7, "member", "9999")),
            "atop-member-level.csv, column member: member codes that match no state in the"
            " database's state list: 9999 (line 7)",
        ),
        (
            lambda f: atop_with(f, ALLIANCES, set_cell(5, "endmo", "13")),
            "atop-alliance-level.csv, line 5, column endmo: there is no month 13",
        ),
        (
            lambda f: _write(f / "treaties.json", '{"treaties": [\n  {"slug": "x",\n'),
            "treaties.json, line 3, column 1: not valid JSON",
        ),
        (
            lambda f: _write(f / "treaties.json", OUR_JSON),
            "treaties.json, line 5, column kind: 'crusade' is not one of",
        ),
        (
            lambda f: _write(f / "treaties.csv", OUR_CSV),
            'treaties.csv, line 3, column signed: "31 June 2001": June 2001 has no 31st',
        ),
        (
            lambda f: _write(
                f / "treaties.csv", OUR_CSV + "late-pact-2003,A Late Pact,2003,USA; MEX\n"
            ),
            "treaties.csv, line 3, column signed",
        ),
        (
            lambda f: _write(
                f / "treaties.csv", OUR_CSV.replace("bad-pact-2001", "cut") + "last,Cut Sh"
            ),
            "treaties.csv, line 4: 2 fields where the header names 4 (is the file cut short?)",
        ),
    ],
    ids=[
        "truncated-atop",
        "non-numeric-year",
        "non-numeric-member-exit",
        "unknown-member-code",
        "impossible-month",
        "json-not-json",
        "json-bad-kind-after-good",
        "csv-bad-date-after-good",
        "csv-bad-date-before-more",
        "truncated-csv",
    ],
)
def test_a_broken_file_changes_nothing_and_says_where(
    capsys: pytest.CaptureFixture[str],
    seeded_db: str,
    tmp_path: Path,
    make: Callable[[Path], Path],
    expected: str,
) -> None:
    target = make(tmp_path / "input")
    before = dump_database(seeded_db)
    code = main(["import", str(target), "--db", seeded_db])
    out, err = capsys.readouterr()
    assert code == 1, out
    assert err.startswith("treaty-timeline: error: ") and err.count("\n") == 1, err
    assert expected in err
    assert "Traceback" not in out + err
    assert dump_database(seeded_db) == before


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_folder_without_atop_and_the_member_file_alone_are_refused(
    capsys: pytest.CaptureFixture[str], seeded_db: str, tmp_path: Path
) -> None:
    code = main(["import", str(tmp_path), "--db", seeded_db])
    assert code == 1 and "no atop-alliance-level.csv in this folder" in capsys.readouterr().err
    code = main(["import", str(ATOP / MEMBERS), "--db", seeded_db])
    assert code == 1 and "give the alliance-level file" in capsys.readouterr().err
    code = main(["import", str(tmp_path / "missing.json"), "--db", seeded_db])
    assert code == 1 and "no such file or folder" in capsys.readouterr().err
    (tmp_path / "notes.txt").write_text("hello\n")
    code = main(["import", str(tmp_path / "notes.txt"), "--db", seeded_db])
    assert code == 1 and "give --format atop, json or csv" in capsys.readouterr().err
