"""export --format timelinejs: the TimelineJS3 JSON format, never with a day nobody recorded."""

from __future__ import annotations

import json
from typing import Any

import pytest

from timeline.cli import main


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], seeded_db: str):  # type: ignore[no-untyped-def]
    def run(*argv: str) -> tuple[int, str, str]:
        code = main([*argv, "--db", seeded_db])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def timeline(cli, *filters: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    code, out, err = cli("export", "--format", "timelinejs", *filters)
    assert code == 0, err
    return json.loads(out)


def slides(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["unique_id"]: s for s in data["events"]}


def test_a_slide_a_treaty_and_an_event(cli) -> None:  # type: ignore[no-untyped-def]
    data = timeline(cli)
    assert data["title"]["text"]["headline"] == "Treaties"
    by_id = slides(data)
    assert len(by_id) == 5 + 12
    t1961 = by_id["treaty-ussr-dprk-1961"]
    assert t1961["start_date"] == {"year": 1961, "month": 7, "day": 6}
    assert t1961["end_date"] == {"year": 1996, "month": 9, "day": 10}
    assert t1961["text"]["headline"] == "USSR-DPRK Treaty of 1961"
    assert "USSR (SUN), North Korea (PRK)" in t1961["text"]["text"]
    assert "4 automatic defence" in t1961["text"]["text"]
    assert t1961["group"] == "Strength 4: automatic defence"
    # Still in force: no end.
    assert "end_date" not in by_id["treaty-russia-dprk-2024"]
    veto = by_id["event-unsc-veto-panel-of-experts-2024"]
    assert veto["group"] == "Events: un-veto"
    assert veto["start_date"] == {"year": 2024, "month": 3, "day": 28}


def test_dates_keep_their_precision(cli) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("add", "--slug", "test-pact-1999", "--title", "Test Pact",
                       "--signed", "June 1999", "--ended", "2001", "--party", "USA",
                       "--party", "CAN")  # fmt: skip
    assert code == 0, err
    by_id = slides(timeline(cli))
    pact = by_id["treaty-test-pact-1999"]
    assert pact["start_date"] == {"year": 1999, "month": 6}
    assert pact["end_date"] == {"year": 2001}
    assert pact["display_date"] == "June 1999 to 2001"
    assert pact["group"] == "Strength not coded"
    lin_jian = by_id["event-china-mfa-statement-lin-jian-2024-06"]
    assert lin_jian["start_date"] == {"year": 2024, "month": 6}
    assert lin_jian["display_date"] == "June 2024"
    notice = by_id["event-ussr-dprk-1961-russian-notice-1995"]
    assert notice["start_date"] == {"year": 1995}


def test_filters_apply_and_text_is_html_escaped(cli) -> None:  # type: ignore[no-untyped-def]
    data = timeline(cli, "--party", "CHN")
    assert data["title"]["text"]["headline"] == "Treaties: party CHN"
    assert set(slides(data)) == {"treaty-sino-soviet-1950", "treaty-prc-dprk-1961"}
    code, _, err = cli("add", "--slug", "tag-pact", "--title", "<b>Bold</b> & Pact",
                       "--party", "USA", "--party", "CAN")  # fmt: skip
    assert code == 0, err
    code, out, err = cli("export", "--format", "timelinejs", "--search", "tag-pact")
    # Undated, so it has no place on a timeline: left out, and the user is told.
    assert code == 0 and "left out tag-pact" in err
    assert json.loads(out)["events"] == []
    code, _, err = cli("edit", "tag-pact", "--signed", "1999")
    assert code == 0, err
    (slide,) = timeline(cli, "--search", "tag-pact")["events"]
    assert slide["text"]["headline"] == "&lt;b&gt;Bold&lt;/b&gt; &amp; Pact"
