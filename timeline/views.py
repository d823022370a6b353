"""Plain values for the screens and the CLI: text and JSON-ready dicts built from records.

The JSON the CLI prints is built here, so its shape is defined in one place: dates are ISO
text cut to their precision ("1961-07"), with the precision beside them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from timeline.dates import PartialDate, describe_duration
from timeline.record_types import CitationRecord, EventRecord, TreatyRecord
from timeline.states import StateRef
from timeline.strength import level_name


def iso(value: PartialDate | None) -> str | None:
    return value.iso() if value else None


def shown(value: PartialDate | None, uncertain: bool = False, unknown: str = "unknown") -> str:
    if value is None:
        return unknown
    return value.display() + (" (uncertain)" if uncertain else "")


def period_text(months: int, adjective: bool = False) -> str:
    """ "10 years", "18 months"; as an adjective "5-year", "18-month"."""
    count, unit = (months // 12, "year") if months % 12 == 0 else (months, "month")
    if adjective:
        return f"{count}-{unit}"
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def renewal_text(t: TreatyRecord) -> str:
    periods = f" for {period_text(t.renewal_months, True)} periods" if t.renewal_months else ""
    if t.renewal == "automatic":
        return f", renewed automatically{periods}"
    if t.renewal == "by-agreement":
        return f", renewable by agreement{periods}"
    if t.renewal == "none":
        return ", not renewable"
    return ""


def term_text(t: TreatyRecord) -> str:
    """ "10 years, renewed automatically for 5-year periods", "unlimited duration", "unknown"."""
    if t.indefinite:
        return "unlimited duration"
    if t.term_months:
        return period_text(t.term_months) + renewal_text(t)
    return t.term_note or "unknown"


def signed_text(t: TreatyRecord) -> str:
    date = shown(t.signed, t.signed_uncertain)
    return f"{date}, {t.signed_place}" if t.signed_place else date


def ended_text(t: TreatyRecord) -> str:
    if t.ended is None:
        return f"date unknown ({t.end_reason})" if t.end_reason else "not ended"
    date = shown(t.ended, t.ended_uncertain)
    return f"{date} ({t.end_reason})" if t.end_reason else date


def in_force_text(t: TreatyRecord, today: dt.date | None = None) -> str:
    """How long the treaty was (or has been) in force, from entry into force or signature."""
    today = today or dt.date.today()
    start = t.starts
    if start is None:
        return "unknown"
    since = "" if t.in_force else " from signature"
    uncertain = (t.in_force_uncertain if t.in_force else t.signed_uncertain) or (
        t.ended is not None and t.ended_uncertain
    )
    flag = " (uncertain)" if uncertain else ""
    if t.ended is not None:
        if t.ended.last_day < start.first_day:
            return "unknown (ends before it starts)"
        return describe_duration(start, t.ended) + since + flag
    if start.first_day > today:
        return f"not yet in force (from {start.display()})"
    as_of = PartialDate.from_parts(today, "day").display()
    return f"in force for {describe_duration(start, today)}{since}{flag}, as of {as_of}"


def party_names(t: TreatyRecord) -> list[str]:
    return [p.state.short_name for p in t.parties]


def state_dict(state: StateRef) -> dict[str, Any]:
    return {
        "state": state.short_name,
        "name": state.name,
        "iso3": state.iso3,
        "cow_code": state.cow_code,
        "continues_as": state.continuity_name if state.continuity_id != state.id else None,
    }


def treaty_summary(t: TreatyRecord) -> dict[str, Any]:
    """The JSON object for one treaty in a list."""
    return {
        "slug": t.slug,
        "title": t.title,
        "short_title": t.short_title,
        "kind": t.kind,
        "signed": iso(t.signed),
        "signed_precision": t.signed.precision.value if t.signed else None,
        "signed_place": t.signed_place,
        "in_force": iso(t.in_force),
        "in_force_precision": t.in_force.precision.value if t.in_force else None,
        "ended": iso(t.ended),
        "ended_precision": t.ended.precision.value if t.ended else None,
        "end_reason": t.end_reason,
        "strength": t.strength,
        "strength_name": level_name(t.strength),
        "parties": [{**state_dict(p.state), "role": p.role} for p in t.parties],
    }


def citation_dict(c: CitationRecord) -> dict[str, Any]:
    return {
        "source": c.source_key,
        "title": c.title,
        "url": c.url,
        "dataset": c.dataset,
        "supports": list(c.supports),
        "agrees": c.agrees,
        "claim": c.claim,
        "note": c.note,
    }


def event_dict(e: EventRecord) -> dict[str, Any]:
    return {
        "key": e.key,
        "date": e.happened.iso(),
        "date_precision": e.happened.precision.value,
        "kind": e.kind,
        "title": e.title,
        "description": e.description,
        "place": e.place,
        "treaty": e.treaty_slug,
        "states": [s.short_name for s in e.states],
        "sources": [citation_dict(c) for c in e.citations],
    }


def treaty_detail(t: TreatyRecord, events: list[EventRecord]) -> dict[str, Any]:
    """The JSON object for `show`: the summary plus everything else on the record."""
    detail = treaty_summary(t)
    detail.update(
        {
            "signed_uncertain": t.signed_uncertain,
            "in_force_uncertain": t.in_force_uncertain,
            "ended_uncertain": t.ended_uncertain,
            "term_months": t.term_months,
            "indefinite": t.indefinite,
            "renewal": t.renewal,
            "renewal_months": t.renewal_months,
            "term_note": t.term_note,
            "replaces": t.replaces,
            "replaced_by": list(t.replaced_by),
            "strength_clause": t.strength_clause,
            "strength_note": t.strength_note,
            "summary": t.summary,
            "notes": t.notes,
            "atop_id": t.atop_id,
            "cow_id": t.cow_id,
            "unts_number": t.unts_number,
            "wikidata_id": t.wikidata_id,
            "version": t.version,
            "parties": [
                {
                    **state_dict(p.state),
                    "role": p.role,
                    "signer": p.signer,
                    "signer_title": p.signer_title,
                    "ratified": iso(p.ratified),
                    "ratified_precision": p.ratified.precision.value if p.ratified else None,
                }
                for p in t.parties
            ],
            "provisions": [p.fields() for p in t.provisions],
            "events": [event_dict(e) for e in events],
            "sources": [citation_dict(c) for c in t.citations],
        }
    )
    return detail
