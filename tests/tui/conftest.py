from __future__ import annotations

import datetime as dt
import io

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, Static

from bench.tui_browse import workers_done
from timeline.tui.app import TreatyApp

TODAY = dt.date(2026, 1, 1)
SIZE = (140, 40)


async def settle(pilot: Pilot, rounds: int = 6) -> None:
    """Let workers finish and their results reach the screen (they chain: open, filter, page)."""
    for _ in range(rounds):
        await workers_done(pilot.app)
        await pilot.pause()


async def filtered(pilot: Pilot, *keys: str) -> None:
    """Keys typed into the filter bar, then the filter's run and its rows on screen."""
    await pilot.press(*keys)
    await pilot.pause(0.3)  # the filter runs once typing pauses
    await settle(pilot)


def plain(static: Static, width: int = 200) -> str:
    """The text a Static shows, rich renderables included, as a user would read it."""
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(static.content)
    return console.export_text()


@pytest.fixture
def app(seeded_db: str) -> TreatyApp:
    return TreatyApp(seeded_db, today=TODAY)


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    # A blinking cursor would make screenshots depend on timing.
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
