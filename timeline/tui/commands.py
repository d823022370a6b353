"""The command palette: every action, and a jump to any treaty by name."""

from __future__ import annotations

import asyncio
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from timeline.tui.markup import literal

MATCH_LIMIT = 20


def treaties_matching(engine, words: str, limit: int = MATCH_LIMIT) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(slug, name) of treaties whose title, short title or slug contain the words."""
    from db.paging import TreatyFilter, treaty_rows

    with engine.connect() as connection:
        rows = treaty_rows(connection, TreatyFilter(text=words), 0, limit)
    return [(r.slug, r.short_title or r.title) for r in rows]


class TreatyCommands(Provider):
    def _actions(self) -> list[tuple[str, str, object]]:
        app = self.app
        return [
            ("Add a treaty", "Open an empty treaty form", partial(app.edit_treaty, None)),  # type: ignore[attr-defined]
            ("Add an event", "Record a dated event", partial(app.add_event, None)),  # type: ignore[attr-defined]
            ("Compare marked treaties", "Side by side, with a verdict", app.compare_marked),  # type: ignore[attr-defined]
            ("Strength history of two states", "The guarantee over time",
             partial(app.strength_history, None)),  # type: ignore[attr-defined]
            ("Help", "Every key, and the strength scale", app.action_help),  # type: ignore[attr-defined]
        ]  # fmt: skip

    async def discover(self) -> Hits:
        for name, help_text, callback in self._actions():
            yield DiscoveryHit(name, callback, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._actions():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)  # type: ignore[arg-type]
        engine = getattr(self.app, "engine", None)
        words = query.strip()
        if engine is None or len(words) < 2:
            return
        found = await asyncio.to_thread(treaties_matching, engine, words)
        for slug, name in found:
            open_it = partial(self.app.open_treaty, slug)  # type: ignore[attr-defined]
            mark_it = partial(self.app.mark_for_comparison, slug, name)  # type: ignore[attr-defined]
            score = max(matcher.match(name), 0.5)
            shown = literal(name)  # a hit's text is markup
            yield Hit(score, f"Open: {shown}", open_it, help=literal(slug))
            yield Hit(score * 0.9, f"Mark for comparison: {shown}", mark_it, help=literal(slug))
