"""One picture per screen, compared with the accepted one (pytest --snapshot-update to accept a
deliberate change, after looking at it)."""

from __future__ import annotations

from textual.widgets import Input

from tests.tui.conftest import SIZE, settle
from timeline.tui.app import TreatyApp


async def _ready(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    # The database's path differs from run to run; the picture should not.
    pilot.app.sub_title = "treaties.db"
    await pilot.pause()


def test_timeline_filtered_to_the_dprk(snap_compare, app: TreatyApp) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _ready(pilot)
        await pilot.press("p", *"PRK")
        await pilot.pause(0.3)
        await _ready(pilot)
        await pilot.press("escape", "down")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_detail(snap_compare, app: TreatyApp) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _ready(pilot)
        await pilot.press("down", "enter")
        await _ready(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_new_treaty_form_with_a_date_echoed(snap_compare, app: TreatyApp) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _ready(pilot)
        await pilot.press("a")
        await _ready(pilot)
        pilot.app.screen.query_one("#slug", Input).value = "fra-deu-1963"
        pilot.app.screen.query_one("#title", Input).value = "Elysee Treaty"
        pilot.app.screen.query_one("#signed", Input).value = "January 1963"
        pilot.app.screen.query_one("#in_force", Input).value = "06/07/1963"
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_compare_the_founding_pair(snap_compare, app: TreatyApp) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _ready(pilot)
        await pilot.press("down", "space", "end", "space", "c")
        await _ready(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_strength_history(snap_compare, app: TreatyApp) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _ready(pilot)
        await pilot.press("end", "h")
        await _ready(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_help(snap_compare, app: TreatyApp) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _ready(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_event_form(snap_compare, app: TreatyApp) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _ready(pilot)
        await pilot.press("down", "down", "enter")
        await _ready(pilot)
        await pilot.press("n")
        await pilot.pause()
        pilot.app.screen.query_one("#on", Input).value = "2021"
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
