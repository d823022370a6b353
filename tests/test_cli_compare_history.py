"""compare and history from the command line: the founding answers, JSON and Markdown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from timeline.cli import main


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], seeded_db: str):  # type: ignore[no-untyped-def]
    def run(*argv: str) -> tuple[int, str, str]:
        code = main([*argv, "--db", seeded_db])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_compare_1961_and_2024_answers_the_founding_question(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("compare", "ussr-dprk-1961", "russia-dprk-2024")
    assert code == 0, err
    flat = " ".join(out.split())
    assert "restores the automatic defence" in flat
    assert "strength 4 -> 2 -> 4" in flat
    assert "Russia continues the USSR" in flat
    assert "in accordance with Article 51 of the UN Charter" in flat


def test_compare_json_is_stable(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("compare", "ussr-dprk-1961", "russia-dprk-2024", "--json")
    assert code == 0
    data = json.loads(out)
    assert [t["slug"] for t in data["treaties"]] == ["ussr-dprk-1961", "russia-dprk-2024"]
    assert [t["strength"] for t in data["treaties"]] == [4, 4]
    assert data["context"] == ["russia-dprk-2000"]
    defence = next(c for c in data["clauses"] if c["obligation"] == "defence")
    assert any("Article 51" in phrase for phrase in defence["diffs"][1]["added"])
    # Same input, same output: nothing in the JSON depends on run order.
    assert cli("compare", "ussr-dprk-1961", "russia-dprk-2024", "--json")[1] == out


def test_compare_markdown_to_a_file(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "report.md"
    code, out, _ = cli("compare", "ussr-dprk-1961", "russia-dprk-2024", "--markdown", str(target))
    assert code == 0 and str(target) in out
    markdown = target.read_text()
    assert markdown.startswith("#")
    assert "| field |" in markdown.lower() or "| --- |" in markdown
    assert "**" in markdown and "~~" in markdown


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["compare", "ussr-dprk-1961"], "two or more"),
        (["compare", "ussr-dprk-1961", "ussr-dprk-1961"], "named twice"),
        (["compare", "ussr-dprk-1961", "no-such"], "'no-such'"),
        (["history", "RUS", "Narnia"], "no state matches 'Narnia'"),
        (["history", "RUS", "USSR"], "same state"),
    ],
)
def test_bad_compare_and_history_input(cli, argv: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli(*argv)
    assert code == 1 and message in err and err.count("\n") == 1


def test_markdown_to_an_unwritable_place(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli(
        "compare", "ussr-dprk-1961", "russia-dprk-2024", "--markdown", str(tmp_path / "no" / "x.md")
    )
    assert code == 1 and "cannot write" in err


def test_history_rus_prk(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("history", "RUS", "PRK")
    assert code == 0, err
    assert "4 -> gap -> 2 -> 4" in out
    assert "6 July 1961 (signed)" in out and "4 December 2024 (in force)" in out
    assert "█" in out and "░" in out
    data = json.loads(cli("history", "RUS", "PRK", "--json")[1])
    periods = [(p["start"], p["end"], p["strength"], p["treaty"]) for p in data["periods"]]
    assert periods == [
        ("1961-07-06", "1996-09-10", 4, "ussr-dprk-1961"),
        ("1996-09-10", "2000-02-09", None, None),
        ("2000-02-09", "2024-12-04", 2, "russia-dprk-2000"),
        ("2024-12-04", None, 4, "russia-dprk-2024"),
    ]
    assert [p["start_basis"] for p in data["periods"]][::2] == ["signed", "signed"]
    assert data["periods"][3]["start_basis"] == "in force"
