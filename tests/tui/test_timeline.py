"""The home screen driven by keys: what the user sees, and filters as they type."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import NamedTuple

import pytest
from rich.cells import cell_len
from textual.pilot import Pilot
from textual.widgets import Input, Static

from db.engine import BROWSE_CACHE_KIB
from tests.tui.conftest import SIZE, TODAY, filtered, plain, settle
from timeline.timeline_rows import PAGE_SIZE
from timeline.tui.app import TreatyApp
from timeline.tui.screens.detail import DetailScreen
from timeline.tui.screens.help import HelpScreen
from timeline.tui.screens.timeline import TimelineScreen
from timeline.tui.widgets.timeline_view import LEFT_WIDTH, PARTIES_WIDTH, TimelineView


def rows(app: TreatyApp) -> list[str]:
    view = app.screen.query_one(TimelineView)
    return [view.row_at(i).slug for i in range(view.state.count)]  # type: ignore[union-attr]


def status(app: TreatyApp) -> str:
    return plain(app.screen.query_one("#status", Static))


async def test_opens_on_the_timeline_in_time_order(app: TreatyApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
        assert rows(app) == [
            "sino-soviet-1950", "ussr-dprk-1961", "prc-dprk-1961", "russia-dprk-2000",
            "russia-dprk-2024",
        ]  # fmt: skip
        assert status(app).startswith("5 treaties")


async def test_filter_by_party_as_you_type_reads_4_2_4(app: TreatyApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await filtered(pilot, "p", *"PRK")
        assert "party North Korea" in status(app)
        view = app.screen.query_one(TimelineView)
        strengths = [view.row_at(i).strength for i in range(view.state.count)]  # type: ignore[union-attr]
        slugs = rows(app)
        russian = [s for s, slug in zip(strengths, slugs, strict=True) if "ussr" in slug
                   or "russia" in slug]  # fmt: skip
        assert russian == [4, 2, 4]
        # The drawn line of the 2000 treaty starts at the year 2000 on the axis, after the gap.
        axis = view.axis()
        assert axis is not None
        line_2000 = view.render_line(slugs.index("russia-dprk-2000")).text
        line_1961 = view.render_line(slugs.index("ussr-dprk-1961")).text
        assert line_1961.rindex("━") < line_2000.index("2━")


async def test_a_name_in_a_wide_script_keeps_the_columns(seeded_db: str, seeded_engine) -> None:  # type: ignore[no-untyped-def]
    # A Chinese or Japanese character takes two cells: the name is cut to its column by
    # cells, not characters, so the parties and the bar stay where every other row has them.
    from timeline.editing import add_treaty

    add_treaty(seeded_engine, {"slug": "friendship-1978", "signed": "1978-08-12",
                               "title": "日中平和友好条約 (Treaty of Peace and Friendship)",
                               "parties": ["CHN", "JPN"]})  # fmt: skip
    app = TreatyApp(seeded_db, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.screen.query_one(TimelineView)
        slugs = rows(app)
        wide = view.render_line(slugs.index("friendship-1978"))
        plain_line = view.render_line(slugs.index("russia-dprk-2000"))
        assert wide.cell_length == plain_line.cell_length == view.size.width
        assert "日中平和友好条約 (Treaty of P… China, Japan" in wide.text

        parties = cell_len(wide.text[: wide.text.index("China, Japan")])
        assert parties == LEFT_WIDTH - PARTIES_WIDTH - 1  # where every row's parties begin


async def test_brackets_in_names_and_filters_are_shown_as_typed(
    seeded_db: str, seeded_engine
) -> None:  # type: ignore[no-untyped-def]
    # Text from the database or the filter bar is never read as markup: a bracket is shown,
    # and an unmatched closing tag cannot bring the app down.
    from timeline.editing import add_treaty

    title = "[Draft] Pact of [/b] mutual [red]aid"
    add_treaty(seeded_engine, {"slug": "draft-pact-1990", "signed": "1990-05-01",
                               "title": title, "parties": ["USA", "CAN"]})  # fmt: skip
    app = TreatyApp(seeded_db, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.screen.query_one(TimelineView)
        view.cursor = rows(app).index("draft-pact-1990")
        await settle(pilot)
        assert title in plain(app.screen.query_one("#preview", Static))
        await filtered(pilot, "slash", *"[Draft] Pact")
        assert status(app).startswith('1 treaty · "[Draft] Pact"')
        await filtered(pilot, "escape", "p", *"[x]")
        assert "Filter not applied: no state matches '[x]'" in status(app)


async def test_an_unknown_party_is_said_and_the_rows_stay(app: TreatyApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await filtered(pilot, "p", *"Narnia")
        assert "Filter not applied" in status(app) and "Narnia" in status(app)
        assert len(rows(app)) == 5


async def test_search_and_clear(app: TreatyApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await filtered(pilot, "slash", *"Sino")
        assert rows(app) == ["sino-soviet-1950"]
        await filtered(pilot, "ctrl+l")
        assert len(rows(app)) == 5
        assert app.screen.query_one("#search", Input).value == ""


async def test_the_period_box_keeps_the_treaties_in_force_then(app: TreatyApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#period", Input).focus()
        await filtered(pilot, *"1961-07-06")
        assert rows(app) == ["sino-soviet-1950", "ussr-dprk-1961"]
        assert status(app).startswith("2 treaties · in force on 6 July 1961")
        await filtered(pilot, "ctrl+a", "ctrl+k", *"2000 to 2024")
        assert rows(app) == ["prc-dprk-1961", "russia-dprk-2000", "russia-dprk-2024"]
        assert status(app).startswith("3 treaties · in force 2000 to 2024")
        await filtered(pilot, "ctrl+a", "ctrl+k", *"2000..1990")
        assert "Filter not applied: the period ends (1990) before it starts (2000)" in status(app)


async def test_the_program_freezes_what_is_alive_once_the_database_is_open(
    seeded_db: str,
) -> None:
    before = gc.get_freeze_count()
    try:
        app = TreatyApp(seeded_db, today=TODAY, freeze_startup=True)  # as the command runs it
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert app.engine is not None and rows(app)
            assert gc.get_freeze_count() > before + 10_000
    finally:
        gc.unfreeze()  # this process goes on to run other apps
    plain_app = TreatyApp(seeded_db, today=TODAY)
    async with plain_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert gc.get_freeze_count() == 0


@pytest.mark.sqlite_only("SQLite's page cache")
async def test_the_app_reads_through_small_page_caches(app: TreatyApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        with app.engine.connect() as connection:  # type: ignore[attr-defined]
            size = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    assert size == -BROWSE_CACHE_KIB  # in KiB; SQLite's own is -2000


async def test_enter_opens_the_detail_and_lineage_navigates(app: TreatyApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("end", "up", "enter")  # russia-dprk-2000
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.slug == "russia-dprk-2000"
        text = plain(app.screen.query_one("#detail", Static))
        assert "9 February 2000, Pyongyang" in text
        await pilot.click("#lineage Button")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen) and app.screen.slug == "russia-dprk-2024"
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)


async def test_help_lists_bindings_and_the_scale(app: TreatyApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(plain(s) for s in app.screen.query(Static))
        assert "Compare the marked treaties side by side" in text
        assert "automatic defence" in text and "integrated defence" in text
        await pilot.press("escape")
        assert isinstance(app.screen, TimelineScreen)


@pytest.mark.sqlite_only(reason="a file that is not a SQLite database")
async def test_a_broken_database_is_a_message_not_a_crash(tmp_path) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "broken.db"
    broken.write_text("not a database\n" * 20)
    app = TreatyApp(str(broken))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Cannot open the database" in status(app)
        assert "not a treaty-timeline database" in status(app)
    assert broken.read_text() == "not a database\n" * 20


async def test_export_the_filtered_selection(app: TreatyApp, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import json

    from textual.widgets import Select

    from timeline.tui.screens.export_dialog import ExportDialog

    monkeypatch.chdir(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await filtered(pilot, "p", *"CHN")
        await pilot.press("escape", "x")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert "2 treaties" in plain(app.screen.query_one(Static))
        app.screen.query_one("#format", Select).value = "csv"
        await pilot.pause()
        assert app.screen.query_one("#path", Input).value == "treaties.csv"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
    lines = (tmp_path / "treaties.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("slug,")
    assert sorted(line.split(",")[0] for line in lines[1:]) == ["prc-dprk-1961", "sino-soviet-1950"]
    # A JSON export of everything is the complete, re-importable document.
    async with TreatyApp(app.db_target, today=app.today).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
    document = json.loads((tmp_path / "treaties.json").read_text(encoding="utf-8"))
    assert len(document["treaties"]) == 5 and document["events"]


async def test_enter_in_the_search_box_goes_to_what_it_found(app: TreatyApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await filtered(pilot, "slash", *"2000", "enter")
        assert isinstance(app.screen.focused, TimelineView)
        assert rows(app) == ["russia-dprk-2000"]
        await pilot.press("enter")  # and Enter there opens it
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)


class Read(NamedTuple):
    page: int  # the first page read
    pages: int  # how many pages from it, in one read
    by_position: bool  # without a neighbour's key or an anchor


def many_treaties(tmp_path, monkeypatch) -> tuple[str, list[Read]]:  # type: ignore[no-untyped-def]
    """A file of 2,000 generated treaties, and the reads of pages the app makes from it."""
    from bench.synthetic import generate
    from timeline import browse

    path = tmp_path / "many.db"
    generate(path, treaties=2000).dispose()
    reads: list[Read] = []
    fetch_page = browse.fetch_page

    def counted(engine, f, page, count=None, after=None, before=None, anchors=(), pages=1):  # type: ignore[no-untyped-def]
        reads.append(Read(page, pages, after is None and before is None and not anchors))
        return fetch_page(engine, f, page, count, after, before, anchors, pages)

    monkeypatch.setattr(browse, "fetch_page", counted)
    return str(path), reads


@asynccontextmanager
async def opened(path: str) -> AsyncIterator[tuple[TreatyApp, Pilot, TimelineView]]:  # type: ignore[type-arg]
    """The app on `path`, its first rows in, and its timeline."""
    app = TreatyApp(path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        yield app, pilot, app.screen.query_one(TimelineView)


def shown_pages(view: TimelineView) -> list[int]:
    top = round(view.scroll_offset.y)
    return list(range(top // PAGE_SIZE, (top + view.size.height - 1) // PAGE_SIZE + 1))


async def test_a_jump_reads_the_pages_on_screen_first_in_one_read(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # The rows a user waits for come in one read; the pages either side, read ahead of the
    # scrolling, only once those are in, so they never compete with them.
    path, reads = many_treaties(tmp_path, monkeypatch)
    async with opened(path) as (app, pilot, view):
        for target in (1234, 390):  # on one page; on two (up there, rows 390 to 419 show)
            reads.clear()
            view.action_jump(target)
            await settle(pilot, rounds=10)
            shown = shown_pages(view)
            assert len(shown) == (1 if target == 1234 else 2)
            first = reads[0]
            assert list(range(first.page, first.page + first.pages)) == shown
            assert sorted(r.page for r in reads[1:]) == [shown[0] - 1, shown[-1] + 1]
            assert all(r.pages == 1 and not r.by_position for r in reads[1:])


async def test_reads_for_a_place_left_at_once_never_start(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Jumping on before the rows of the last jump are in: their read is stopped before it
    # starts, and only the rows of where the user is now are read.
    path, reads = many_treaties(tmp_path, monkeypatch)
    async with opened(path) as (app, pilot, view):
        reads.clear()
        view.action_jump(500)
        view.render_line(0)  # a frame drawn there: its pages are asked for
        view.action_jump(1500)
        view.render_line(0)
        await settle(pilot, rounds=10)
        assert 500 // PAGE_SIZE not in {r.page for r in reads}
        assert (reads[0].page, reads[0].pages) == (shown_pages(view)[0], len(shown_pages(view)))
        assert view.current is not None
        assert not app._notifications, "a stopped read is not an error"


async def test_the_early_page_reads_nothing_once_the_database_is_open(
    tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    # The first page, read before the database layer loads, has no filter to read more
    # rows with: moving through it once the database is open (its own filter's rows on the
    # way) must not try, which would end in an error message.
    from timeline.first_page import peek

    path, reads = many_treaties(tmp_path, monkeypatch)
    async with opened(path) as (app, pilot, view):
        early = peek(path, TODAY)
        assert early is not None and early.filter is None and early.count > PAGE_SIZE
        reads.clear()
        view.show(early)
        for _ in range(5):
            await pilot.press("pagedown")
        await pilot.pause()
        assert reads == []
        assert not app._notifications


async def test_a_jump_far_down_reads_one_page_by_position(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # A page far from any read is found by its position, which SQLite counts its way to;
    # the pages around it (on screen, and one either side) are read from its keys instead
    # of each counting as far again.
    from timeline.browse import fetch_page

    path, reads = many_treaties(tmp_path, monkeypatch)
    async with opened(path) as (app, pilot, view):
        reads.clear()
        view.action_jump(1234)
        await settle(pilot, rounds=10)
        assert [r.page for r in reads if r.by_position] == [1234 // PAGE_SIZE]
        assert len(reads) >= 2
        top = round(view.scroll_offset.y)
        shown = [view.row_at(top + y) for y in range(view.size.height)]
        assert all(row is not None for row in shown)
        # The rows read from keys are the rows at those positions.
        first, last = top // PAGE_SIZE, (top + view.size.height - 1) // PAGE_SIZE
        expected = [
            row.slug
            for page in range(first, last + 1)
            for row in fetch_page(app.engine, view.state.filter, page)  # type: ignore[union-attr]
        ]
        offset = top - first * PAGE_SIZE
        assert [row.slug for row in shown] == expected[offset : offset + view.size.height]  # type: ignore[union-attr]


async def test_a_long_timeline_jumps_from_its_anchors(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Once a long timeline is counted, the keys of rows spread through it are read in the
    # background; a jump far down then reads no page by position at all.
    from timeline import timeline_rows
    from timeline.browse import fetch_page
    from timeline.tui.widgets import timeline_view

    monkeypatch.setattr(timeline_rows, "ANCHOR_EVERY", 150)
    monkeypatch.setattr(timeline_view, "ANCHORED", 600)
    path, reads = many_treaties(tmp_path, monkeypatch)
    async with opened(path) as (app, pilot, view):
        assert len(view.row_anchors) == 2000 // 150
        reads.clear()
        view.action_jump(1234)
        await settle(pilot, rounds=10)
        assert reads and not any(r.by_position for r in reads)
        assert view.current is not None
        expected = fetch_page(app.engine, view.state.filter, 1234 // 100)  # type: ignore[union-attr]
        assert view.current.slug == expected[1234 % 100].slug


async def test_the_anchors_wait_while_pages_are_read(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # The walk for anchors is background work: while a page is being read, it takes no step,
    # so it never competes with rows a user is waiting for; then it goes on to the end.
    from types import SimpleNamespace

    from db import paging
    from timeline import timeline_rows
    from timeline.tui.widgets import timeline_view

    monkeypatch.setattr(timeline_rows, "ANCHOR_EVERY", 150)
    monkeypatch.setattr(timeline_view, "ANCHORED", 600)
    path, _reads = many_treaties(tmp_path, monkeypatch)
    steps: list[bool] = []  # each step of the walk: was a page being read?
    app = TreatyApp(path, today=TODAY)
    walk = paging.anchors

    def watched(reader, f, every, stop):  # type: ignore[no-untyped-def]
        def stepped() -> bool:
            stopped = stop()
            steps.append(bool(view.pending))
            return stopped

        return walk(reader, f, every, stepped)

    monkeypatch.setattr(paging, "anchors", watched)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.screen.query_one(TimelineView)
        steps.clear()
        view.row_anchors = []
        # A read of the page after the one on screen, under way until the test ends it.
        view.pending[1] = SimpleNamespace(cancel=lambda: None)  # type: ignore[assignment]
        view._read_anchors(view.generation, view.state)
        await pilot.pause(0.3)
        assert steps == [] and view.row_anchors == []
        del view.pending[1]
        await settle(pilot)
        assert steps and not any(steps)
        assert len(view.row_anchors) == 2000 // 150


async def test_a_long_timeline_draws_its_lines_beside_the_scrollbar(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # More rows than the screen: a scrollbar takes the right edge. The lines are drawn in the
    # width left beside it, so the last cells of the bars (the latest years) show, and no
    # sideways scrollbar takes the bottom line, where End put the cursor out of sight.
    path, _reads = many_treaties(tmp_path, monkeypatch)
    async with opened(path) as (app, pilot, view):
        assert view.show_vertical_scrollbar and not view.show_horizontal_scrollbar
        visible = view.scrollable_content_region
        assert visible.width == SIZE[0] - view.styles.scrollbar_size_vertical
        assert view.render_line(0).cell_length == visible.width
        await pilot.press("end")
        await settle(pilot)
        assert view.cursor - round(view.scroll_offset.y) < visible.height
        assert view.axis().width == visible.width - LEFT_WIDTH - 1  # type: ignore[union-attr]
