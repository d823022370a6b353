"""A selection as a TimelineJS3 timeline (its JSON format), to publish on the web.

One slide a treaty, from its signature to its end where known, grouped by strength level; one
slide an event, grouped by kind. A date gives only the parts its precision knows: "June 2024"
has a year and a month and no day, so TimelineJS never shows a day nobody recorded."""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from typing import Any

from timeline import strength, views
from timeline.dates import PartialDate, Precision
from timeline.records import EventRecord, TreatyRecord


def date_object(value: PartialDate) -> dict[str, int]:
    found = {"year": value.value.year}
    if value.precision is not Precision.YEAR:
        found["month"] = value.value.month
    if value.precision is Precision.DAY:
        found["day"] = value.value.day
    return found


def _paragraphs(*texts: str) -> str:
    return "".join(f"<p>{escape(text)}</p>" for text in texts if text)


def undated(treaties: Sequence[TreatyRecord]) -> list[TreatyRecord]:
    """Treaties with neither signature nor entry into force: they have no place in time."""
    return [t for t in treaties if (t.signed or t.in_force) is None]


def treaty_slide(t: TreatyRecord) -> dict[str, Any] | None:
    """Starts at the signature (the entry into force when that is all that is known)."""
    start = t.signed or t.in_force
    if start is None:
        return None
    parties = ", ".join(p.state.label for p in t.parties)
    level = strength.label(t.strength)
    if t.strength_clause:
        level += f", resting on {t.strength_clause}"
    started = f"Signed {views.signed_text(t)}" if t.signed else f"In force {views.shown(start)}"
    slide: dict[str, Any] = {
        "start_date": date_object(start),
        "text": {
            "headline": escape(t.name),
            "text": _paragraphs(
                t.title if t.short_title else "",
                f"Parties: {parties}" if parties else "",
                f"Strength: {level}",
                f"{started}; ended: {views.ended_text(t)}",
                t.summary or "",
            ),
        },
        "group": level_group(t.strength),
        "unique_id": f"treaty-{t.slug}",
        "display_date": views.shown(start) + (f" to {views.shown(t.ended)}" if t.ended else ""),
    }
    if t.ended:
        slide["end_date"] = date_object(t.ended)
    return slide


def level_group(value: int | None) -> str:
    """ "Strength 4: automatic defence"; the number first so the groups sort by level."""
    if value is None:
        return "Strength not coded"
    return f"Strength {value}: {strength.level_name(value)}"


def event_slide(e: EventRecord) -> dict[str, Any]:
    states = ", ".join(s.label for s in e.states)
    return {
        "start_date": date_object(e.happened),
        "text": {
            "headline": escape(e.title),
            "text": _paragraphs(
                e.description or "",
                f"States: {states}" if states else "",
                f"Place: {e.place}" if e.place else "",
            ),
        },
        "group": f"Events: {e.kind}",
        "unique_id": f"event-{e.key}",
        "display_date": views.shown(e.happened),
    }


def document(
    treaties: Sequence[TreatyRecord],
    events: Sequence[EventRecord],
    *,
    title: str = "Treaties",
    subtitle: str = "",
) -> dict[str, Any]:
    slides = [s for s in (treaty_slide(t) for t in treaties) if s is not None]
    return {
        "title": {"text": {"headline": escape(title), "text": _paragraphs(subtitle)}},
        "events": slides + [event_slide(e) for e in events],
    }


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
