"""Plain values for the screens and the CLI: text and JSON-ready dicts built from records.

The JSON the CLI prints is built here, so its shape is defined in one place: dates are ISO
text cut to their precision ("1961-07"), with the precision beside them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from timeline.dates import PartialDate, describe_duration
from timeline.records import CitationRecord, EventRecord, StateRef, TreatyRecord
from timeline.strength import level_name


def iso(value: PartialDate | None) -> str | None:
    return value.iso() if value else None


def shown(value: PartialDate | None, uncertain: bool = False, unknown: str = "unknown") -> str:
    if value is None:
        return unknown
    return value.display() + (" (uncertain)" if uncertain else "")


def months_text(months: int) -> str:
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if rest:
        parts.append(f"{rest} month{'s' if rest != 1 else ''}")
    return ", ".join(parts)


def period_text(months: int) -> str:
    """As an adjective: "5-year", "18-month"."""
    return f"{months // 12}-year" if months % 12 == 0 else f"{months}-month"


def term_text(t: TreatyRecord) -> str:
    """ "10 years, renewed automatically for 5-year periods", "unlimited duration", "unknown"."""
    parts = []
    if t.indefinite:
        parts.append("unlimited duration")
    elif t.term_months:
        parts.append(months_text(t.term_months))
    if t.renewal == "automatic":
        period = f" for {period_text(t.renewal_months)} periods" if t.renewal_months else ""
        parts.append(f"renewed automatically{period}")
    elif t.renewal == "by-agreement":
        parts.append("renewable by agreement")
    elif t.renewal == "none":
        parts.append("not renewable")
    return ", ".join(parts) if parts else "unknown"


def ended_text(t: TreatyRecord) -> str:
    if t.ended is None:
        return f"not ended ({t.end_reason})" if t.end_reason else "not ended"
    reason = f" ({t.end_reason})" if t.end_reason else ""
    return shown(t.ended, t.ended_uncertain) + reason


def in_force_duration(t: TreatyRecord, today: dt.date | None = None) -> str:
    """How long the treaty has been or was in force, saying where it is counted from."""
    start, basis = (t.in_force, "entry into force") if t.in_force else (t.signed, "signature")
    if start is None:
        return "unknown"
    end = t.ended or PartialDate.from_parts(today or dt.date.today(), "day")
    if end.first_day < start.first_day:
        return "unknown"
    span = describe_duration(start, end)
    return f"{span} from {basis}" + ("" if t.ended else " (still in force)")


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
            "provisions": [
                {
                    "article": p.article,
                    "obligation": p.obligation,
                    "security": p.security,
                    "conditions": p.conditions,
                    "text": p.text,
                    "text_status": p.text_status,
                    "language": p.language,
                    "translation_note": p.translation_note,
                }
                for p in t.provisions
            ],
            "events": [event_dict(e) for e in events],
            "sources": [citation_dict(c) for c in t.citations],
        }
    )
    return detail
