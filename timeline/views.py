"""Plain values for the screens and the CLI: dicts of text and numbers, never live ORM rows.

The JSON the CLI prints is built here, so its shape is defined in one place."""

from __future__ import annotations

import datetime as dt
from typing import Any

from db.models import Treaty
from timeline.dates import PartialDate
from timeline.strength import level_name


def partial(value: dt.date | None, precision: str | None) -> PartialDate | None:
    if value is None or precision is None:
        return None
    return PartialDate.from_parts(value, precision)


def iso(value: dt.date | None, precision: str | None) -> str | None:
    found = partial(value, precision)
    return found.iso() if found else None


def shown(value: dt.date | None, precision: str | None, uncertain: bool = False) -> str:
    found = partial(value, precision)
    if found is None:
        return "unknown"
    return found.display() + (" (uncertain)" if uncertain else "")


def party_names(treaty: Treaty) -> list[str]:
    return [p.state.short_name for p in treaty.parties if p.state is not None]


def treaty_summary(treaty: Treaty) -> dict[str, Any]:
    """The stable JSON object for one treaty in a list; dates are ISO cut to their precision."""
    return {
        "slug": treaty.slug,
        "title": treaty.title,
        "short_title": treaty.short_title,
        "kind": treaty.kind,
        "signed": iso(treaty.signed_on, treaty.signed_precision),
        "signed_precision": treaty.signed_precision,
        "signed_place": treaty.signed_place,
        "in_force": iso(treaty.in_force_on, treaty.in_force_precision),
        "in_force_precision": treaty.in_force_precision,
        "ended": iso(treaty.ended_on, treaty.ended_precision),
        "ended_precision": treaty.ended_precision,
        "end_reason": treaty.end_reason,
        "strength": treaty.strength,
        "strength_name": level_name(treaty.strength),
        "parties": [
            {
                "state": p.state.short_name,
                "name": p.state.name,
                "iso3": p.state.iso3,
                "cow_code": p.state.cow_code,
                "role": p.role,
            }
            for p in treaty.parties
            if p.state is not None
        ],
    }
