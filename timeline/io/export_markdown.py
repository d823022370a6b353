"""A readable Markdown document of a selection of treaties: one section a treaty with its
dates, parties, term, strength, lineage, security clauses, events and sources.

Dates and terms are worded by timeline.views, so the document says them as the CLI does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from timeline import strength, views
from timeline.dates import PartialDate, Precision
from timeline.records import CitationRecord, EventRecord, PartyRecord, TreatyRecord

_INLINE_MARKUP = "\\`*_~|[]<"


def md(text: str) -> str:
    """Text made safe for one line of Markdown: markup characters escaped, spaces collapsed."""
    escaped = "".join(f"\\{c}" if c in _INLINE_MARKUP else c for c in text)
    return " ".join(escaped.split())


def quote(text: str) -> list[str]:
    """A block quote keeping the paragraphs of `text`."""
    paragraphs = [md(p) for p in text.split("\n\n") if p.strip()]
    lines: list[str] = []
    for paragraph in paragraphs:
        if lines:
            lines.append(">")
        # A paragraph starting like a heading or a list would not read as text.
        lines.append("> " + ("\\" + paragraph if paragraph[:1] in "#-+>" else paragraph))
    return lines


def precision(value: PartialDate | None) -> str:
    """ " (to the month)": said beside a date so its precision is never in doubt."""
    return f" (to the {value.precision.value})" if value else ""


def _party_line(p: PartyRecord) -> str:
    state = md(p.state.label)
    if p.state.continuity_id != p.state.id:
        state += f", continued by {md(p.state.continuity_name)}"
    parts = [f"{state}: {p.role}"]
    signer = ", ".join(md(x) for x in (p.signer, p.signer_title) if x)
    if signer:
        parts.append(f"signed by {signer}")
    if p.ratified:
        parts.append(f"ratified {views.shown(p.ratified)}{precision(p.ratified)}")
    if p.notes:
        parts.append(md(p.notes))
    return "- " + "; ".join(parts)


def citation_line(c: CitationRecord) -> str:
    where = c.url or c.dataset
    line = md(c.title) + (f" ({md(where)})" if where else "")
    supports = md(", ".join(c.supports))
    if not c.agrees:
        claim = f" gives {md(c.claim)}" if c.claim else " disagrees"
        line = f"**Disagrees:** {line}{claim}" + (f" for {supports}" if supports else "")
    elif supports:
        line += f"; supports {supports}"
    if c.note:
        line += f". {md(c.note)}"
    return "- " + line


def disagreements(citations: Sequence[CitationRecord]) -> list[str]:
    """Sources that disagree with a party's or an event's facts, as nested list items: the
    agreeing ones are left to the JSON export, a disagreement is never hidden."""
    return ["  " + citation_line(c) for c in citations if not c.agrees]


def _lineage(t: TreatyRecord) -> str:
    parts = []
    if t.replaces:
        parts.append(f"replaces {md(t.replaces)}")
    if t.replaced_by:
        parts.append("replaced by " + ", ".join(md(s) for s in t.replaced_by))
    return "; ".join(parts) or "none recorded"


def _term(t: TreatyRecord) -> str:
    text = views.term_text(t)
    # term_text falls back on the note when no term is coded; otherwise the note adds to it.
    if t.term_note and text != t.term_note:
        text += f" ({t.term_note})"
    return md(text)


def _strength(t: TreatyRecord) -> str:
    text = strength.label(t.strength)
    if t.strength_clause:
        text += f", resting on {t.strength_clause}"
    return md(text)


def _identifiers(t: TreatyRecord) -> str:
    named = (
        ("ATOP", t.atop_id),
        ("COW", t.cow_id),
        ("UNTS", t.unts_number),
        ("Wikidata", t.wikidata_id),
    )
    return ", ".join(f"{name} {md(str(value))}" for name, value in named if value)


def _provision_lines(t: TreatyRecord) -> list[str]:
    lines = ["### Security provisions", ""]
    if not t.security_provisions:
        return [*lines, "None recorded.", ""]
    for p in t.security_provisions:
        status = f", {p.text_status}" if p.text_status else ""
        lines += [f"**{p.label}** ({p.obligation}{status})", ""]
        if p.conditions:
            lines += [f"Conditions: {md(p.conditions)}", ""]
        lines += [*(quote(p.text) if p.text else ["> *no text recorded*"]), ""]
        if p.translation_note:
            lines += [f"*{md(p.translation_note)}*", ""]
        if p.citations:
            lines += [*(citation_line(c) for c in p.citations), ""]
    return lines


def event_lines(events: Sequence[EventRecord]) -> list[str]:
    lines = []
    for e in events:
        place = f", {md(e.place)}" if e.place else ""
        # Only a coarse date is marked: in a list of days, "June 2024" must not pass for one.
        coarse = precision(e.happened) if e.happened.precision is not Precision.DAY else ""
        lines.append(f"- {views.shown(e.happened)}{coarse}: {md(e.title)} ({e.kind}{place})")
        lines += disagreements(e.citations)
    return lines


def treaty_section(t: TreatyRecord, events: Sequence[EventRecord], today: dt.date) -> list[str]:
    lines = [f"## {md(t.name)}", ""]
    if t.short_title:
        lines += [f"*{md(t.title)}*", ""]
    lines += [f"`{t.slug}` ({t.kind})", ""]
    facts = [
        ("Signed", md(views.signed_text(t)) + precision(t.signed)),
        ("In force", views.shown(t.in_force, t.in_force_uncertain) + precision(t.in_force)),
        ("Ended", views.ended_text(t) + precision(t.ended)),
        ("Duration", views.in_force_text(t, today)),
        ("Term", _term(t)),
        ("Strength", _strength(t)),
        ("Lineage", _lineage(t)),
        ("Identifiers", _identifiers(t)),
    ]
    lines += [f"- **{label}:** {value}" for label, value in facts if value]
    lines.append("")
    if t.strength_note:
        lines += [f"Strength note: {md(t.strength_note)}", ""]
    if t.summary:
        lines += [md(t.summary), ""]
    if t.notes:
        lines += [f"Notes: {md(t.notes)}", ""]
    lines += ["### Parties and signatories", ""]
    for p in t.parties:
        lines += [_party_line(p), *disagreements(p.citations)]
    lines += [""] if t.parties else ["None recorded.", ""]
    lines += _provision_lines(t)
    if events:
        lines += ["### Events", "", *event_lines(events), ""]
    lines += ["### Sources", ""]
    lines += [*(citation_line(c) for c in t.citations), ""] if t.citations else ["None.", ""]
    return lines


def render(
    treaties: Sequence[TreatyRecord],
    events: Sequence[EventRecord],
    *,
    selection: Sequence[str] = (),
    today: dt.date | None = None,
) -> str:
    """The document; `selection` describes the filters, events not tied to a listed treaty
    come last."""
    today = today or dt.date.today()
    title = "Treaties" + (": " + md("; ".join(selection)) if selection else "")
    count = f"{len(treaties)} treat{'y' if len(treaties) == 1 else 'ies'}"
    as_of = PartialDate.from_parts(today, "day").display()
    lines = [f"# {title}", "", f"{count}, in order of signature. As of {as_of}.", ""]
    slugs = {t.slug for t in treaties}
    for t in treaties:
        lines += treaty_section(t, [e for e in events if e.treaty_slug == t.slug], today)
    others = [e for e in events if e.treaty_slug not in slugs]
    if others:
        lines += ["## Other events", "", *event_lines(others), ""]
    return "\n".join(lines).rstrip("\n") + "\n"
