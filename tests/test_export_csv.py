"""export --format csv: one row a treaty under the form's field names, quoted as RFC 4180 says."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from timeline.cli import main
from timeline.forms import LABELS

TRICKY_TITLE = 'Pact of "Friendship", Trade and Defence'
TRICKY_SUMMARY = 'First line, with a comma.\nSecond line "quoted".'


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], seeded_db: str):  # type: ignore[no-untyped-def]
    def run(*argv: str) -> tuple[int, str, str]:
        code = main([*argv, "--db", seeded_db])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.fixture
def with_tricky_treaty(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    record = {
        "slug": "test-pact-1999",
        "title": TRICKY_TITLE,
        "signed": "June 1999",
        "summary": TRICKY_SUMMARY,
        "strength": 3,
        "parties": ["USA", "265:signatory", "CAN"],
        "provisions": ["2:defence:The parties shall assist each other."],
    }
    path = tmp_path / "pact.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    code, _, err = cli("add", "--file", str(path))
    assert code == 0, err


def test_header_is_the_form_fields_without_provisions(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("export", "--format", "csv")
    assert code == 0
    header = next(csv.reader(io.StringIO(out, newline="")))
    assert header == [name for name in LABELS if name != "provisions"]


def test_a_row_a_treaty_with_typed_values(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("export", "--format", "csv")
    assert code == 0
    by_slug = {r["slug"]: r for r in rows(out)}
    assert len(by_slug) == 5
    t1961 = by_slug["ussr-dprk-1961"]
    assert (t1961["signed"], t1961["in_force"], t1961["ended"]) == (
        "1961-07-06", "1961-09-10", "1996-09-10",
    )  # fmt: skip
    assert (t1961["in_force_uncertain"], t1961["indefinite"]) == ("true", "false")
    assert (t1961["term_months"], t1961["strength"], t1961["atop_id"]) == ("120", "4", "3440")
    assert t1961["parties"] == "SUN; PRK"
    assert t1961["wikidata_id"] == ""  # null
    assert by_slug["russia-dprk-2000"]["in_force"] == ""
    assert by_slug["russia-dprk-2024"]["replaces"] == "russia-dprk-2000"


def test_filters_apply(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("export", "--format", "csv", "--party", "CHN")
    assert code == 0
    assert [r["slug"] for r in rows(out)] == ["sino-soviet-1950", "prc-dprk-1961"]


def test_texts_with_commas_quotes_and_line_breaks_survive(  # type: ignore[no-untyped-def]
    cli, with_tricky_treaty, tmp_path: Path
) -> None:
    target = tmp_path / "treaties.csv"
    code, _, err = cli("export", "--format", "csv", "--search", "test-pact", "-o", str(target))
    assert code == 0, err
    raw = target.read_bytes()
    # RFC 4180: the field is quoted, its quotes doubled, records end in CRLF, and the line
    # break inside the summary stays a plain line break inside the quotes.
    assert b'"Pact of ""Friendship"", Trade and Defence"' in raw
    assert b'"First line, with a comma.\nSecond line ""quoted""."' in raw
    assert raw.endswith(b"\r\n") and raw.count(b"\r\n") == 2
    (row,) = rows(raw.decode("utf-8"))
    assert row["title"] == TRICKY_TITLE and row["summary"] == TRICKY_SUMMARY
    # The --party syntax: the role after a colon unless "party"; COW code without an ISO code.
    assert row["parties"] == "USA; 265:signatory; CAN"
    assert row["signed"] == "1999-06"  # a month, not 1 June


def test_non_ascii_text_is_utf8(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    record = {
        "slug": "traite-1999",
        "title": "Traité d’amitié — 友好条约",
        "parties": ["FRA", "CHN"],
    }
    path = tmp_path / "traite.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    assert cli("add", "--file", str(path))[0] == 0
    target = tmp_path / "out.csv"
    assert cli("export", "--format", "csv", "--search", "traite", "-o", str(target))[0] == 0
    (row,) = rows(target.read_text(encoding="utf-8"))
    assert row["title"] == "Traité d’amitié — 友好条约"
