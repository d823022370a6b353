"""`treaty-timeline import` as a user meets it: the format told from the content, the report,
--json, --dry-run and --overwrite."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from db.engine import database_url, make_engine
from db.models import Treaty
from tests.test_import_merge import atop_cut
from timeline.cli import main
from timeline.io.import_cli import detect_format


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def treaty_count(db: str) -> int:
    engine = make_engine(database_url(db))
    try:
        with Session(engine) as session:
            return session.exec(select(func.count()).select_from(Treaty)).one()
    finally:
        engine.dispose()


def test_import_reports_what_it_did(
    capsys: pytest.CaptureFixture[str], seeded_db: str, tmp_path: Path
) -> None:
    folder = atop_cut(tmp_path / "atop")
    code, out, err = run(capsys, "import", str(folder), "--db", seeded_db)
    assert code == 0, err
    assert err == ""  # no progress bar when stderr is not a terminal
    assert "ATOP v4.01 from" in out
    assert "5 treaties: 4 added, 0 changed, 1 left alone; 1 conflict (kept your values)" in out
    assert "ussr-dprk-1961" in out and "4 clauses: Art. 1 defence" in out
    assert treaty_count(seeded_db) == 9

    code, out, _ = run(
        capsys,
        "import",
        str(folder / "atop-alliance-level.csv"),
        "--json",
        "--db",
        seeded_db,
    )
    report = json.loads(out)
    assert report["treaties"] == {"added": 0, "changed": 0, "unchanged": 5}
    assert report["conflicts"][0]["record"] == "ussr-dprk-1961"
    assert report["conflicts"][0]["field"] == "provisions"


def test_dry_run_and_overwrite(
    capsys: pytest.CaptureFixture[str], seeded_db: str, tmp_path: Path
) -> None:
    folder = atop_cut(tmp_path / "atop", {3440})
    code, out, _ = run(capsys, "import", str(folder), "--overwrite", "--dry-run", "--db", seeded_db)
    assert code == 0 and "1 changed" in out and "dry run: nothing written" in out
    code, out, _ = run(capsys, "show", "ussr-dprk-1961", "--json", "--db", seeded_db)
    assert len(json.loads(out)["provisions"]) == 4
    code, out, _ = run(capsys, "import", str(folder), "--overwrite", "--db", seeded_db)
    assert "the file's value was written over yours" in out
    code, out, _ = run(capsys, "show", "ussr-dprk-1961", "--json", "--db", seeded_db)
    assert [p["obligation"] for p in json.loads(out)["provisions"]] == ["defence", "non-aggression"]


def test_the_format_is_told_from_the_content(tmp_path: Path) -> None:
    folder = atop_cut(tmp_path / "atop", {3440})
    assert detect_format(folder) == "atop"
    assert detect_format(folder / "atop-alliance-level.csv") == "atop"
    export = tmp_path / "export.txt"
    export.write_text('  {"treaties": []}')
    assert detect_format(export) == "json"
    table = tmp_path / "table.txt"
    table.write_text('"slug","title"\r\nx,y\r\n')
    assert detect_format(table) == "csv"
    broken = tmp_path / "broken.json"
    broken.write_text("not json at all")
    assert detect_format(broken) == "json"


def test_the_commands_are_listed(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "import" in out and "crosscheck" in out


def test_the_progress_bar_waits_for_a_moment_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from timeline.io import import_cli

    bar = import_cli._ProgressBar("importing")
    bar.enabled = True
    bar(1, 745)
    assert bar.bar is None  # too soon to be worth a bar
    monkeypatch.setattr(import_cli, "PROGRESS_DELAY_S", 0.0)
    bar(2, 745)
    assert bar.bar is not None
    bar(745, 745)
    bar.close()
