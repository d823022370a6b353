"""Rich renderables for the CLI: one treaty, a comparison, a strength history.

Text from the database goes into a Text, never as a str: Rich reads a str in a table as markup.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from timeline import strength, views
from timeline.record_types import CitationRecord, EventRecord, TreatyRecord


def _fields_table(rows: list[tuple[str, str]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for label, value in rows:
        if value:
            table.add_row(label, Text(value))
    return table


def _citation_line(c: CitationRecord) -> Text:
    where = c.url or c.dataset or ""
    line = Text()
    if not c.agrees:
        line.append("disagrees: ", style="bold yellow")
    line.append(c.title)
    if where:
        line.append(f" <{where}>", style="dim")
    if c.supports:
        line.append(f"  [supports: {', '.join(c.supports)}]", style="dim")
    if c.claim:
        line.append(f"  says: {c.claim}", style="yellow")
    if c.note:
        line.append(f"\n    {c.note}", style="italic")
    return line


def treaty_panel(t: TreatyRecord, events: list[EventRecord]) -> RenderableType:
    parts: list[RenderableType] = [Text(t.title, style="bold"), Text(f"{t.slug}", style="dim")]
    ids = ", ".join(
        f"{name} {value}"
        for name, value in (
            ("ATOP", t.atop_id),
            ("COW", t.cow_id),
            ("UNTS", t.unts_number),
            ("Wikidata", t.wikidata_id),
        )
        if value
    )
    lineage = "; ".join(
        part
        for part in (
            f"replaces {t.replaces}" if t.replaces else "",
            f"replaced by {', '.join(t.replaced_by)}" if t.replaced_by else "",
        )
        if part
    )
    parts.append(
        _fields_table(
            [
                ("kind", t.kind),
                (
                    "signed",
                    views.shown(t.signed, t.signed_uncertain)
                    + (f", {t.signed_place}" if t.signed_place else ""),
                ),
                ("in force", views.shown(t.in_force, t.in_force_uncertain)),
                ("ended", views.ended_text(t)),
                ("in force for", views.in_force_text(t)),
                (
                    "term",
                    views.term_text(t)
                    + (
                        f" ({t.term_note})"
                        if t.term_note
                        and t.term_note != views.term_text(t)
                        and not t.term_note.startswith(views.term_text(t))
                        else ""
                    ),
                ),
                (
                    "strength",
                    strength.label(t.strength)
                    + (f", resting on {t.strength_clause}" if t.strength_clause else ""),
                ),
                ("strength note", t.strength_note or ""),
                ("lineage", lineage),
                ("identifiers", ids),
                ("summary", t.summary or ""),
                ("notes", t.notes or ""),
            ]
        )  # fmt: skip
    )
    if t.parties:
        table = Table(title="Parties", title_justify="left", expand=False)
        for column in ("state", "role", "signed by", "ratified"):
            table.add_column(column)
        for p in t.parties:
            state = p.state.label
            if p.state.continuity_id != p.state.id:
                state += f"\n(continued by {p.state.continuity_name})"
            signer = ", ".join(x for x in (p.signer, p.signer_title) if x)
            table.add_row(Text(state), p.role, Text(signer), views.shown(p.ratified, unknown=""))
        parts.append(table)
    if t.provisions:
        parts.append(Text("Provisions", style="bold underline"))
        for p in t.provisions:
            head = Text(f"{p.label} ", style="bold")
            head.append(p.obligation, style="cyan")
            if p.security:
                head.append("  security clause", style="magenta")
            if p.text_status and p.text_status != "verbatim":
                head.append(f"  ({p.text_status})", style="yellow")
            body: list[RenderableType] = [head]
            if p.conditions:
                body.append(Text(f"conditions: {p.conditions}", style="italic"))
            if p.text:
                body.append(Text(p.text))
            if p.translation_note:
                body.append(Text(p.translation_note, style="dim"))
            body.extend(_citation_line(c) for c in p.citations)
            parts.append(Padding(Group(*body), (0, 0, 1, 2)))
    if events:
        table = Table(title="Events", title_justify="left")
        for column in ("date", "kind", "event"):
            table.add_column(column, no_wrap=column != "event")
        for e in events:
            table.add_row(e.happened.display(), e.kind, Text(e.title))
        parts.append(table)
    if t.citations:
        parts.append(Text("Sources", style="bold underline"))
        parts.extend(Padding(_citation_line(c), (0, 0, 0, 2)) for c in t.citations)
    return Group(*parts)


STRENGTH_STYLES = {
    None: "dim",
    0: "grey58",
    1: "cyan",
    2: "blue",
    3: "yellow",
    4: "orange1",
    5: "red",
}


def history_view(result, width: int = 48, today=None) -> RenderableType:  # type: ignore[no-untyped-def]
    """One row per period: dates, strength, governing treaty, and a bar on a shared year axis."""
    from timeline.history import axis, bar

    start, end = axis(result, today)
    names = " and ".join(s.label for s in (result.a, result.b))
    parts: list[RenderableType] = [
        Text(f"Guarantee strength between {names}", style="bold"),
        Text(f"in short: {result.summary}"),
    ]
    table = Table(title_justify="left")
    table.add_column("from", no_wrap=True)
    table.add_column("until", no_wrap=True)
    table.add_column("strength", no_wrap=True)
    table.add_column("treaty")
    table.add_column(f"{start.year} {'':{max(width - 10, 1)}}{end.year}", no_wrap=True)
    for period in result.periods:
        style = STRENGTH_STYLES.get(period.strength, "dim")
        treaty = "no treaty" if period.is_gap else period.treaty.name  # type: ignore[union-attr]
        if period.others:
            treaty += " (also: " + ", ".join(o.name for o in period.others) + ")"
        table.add_row(
            f"{period.start.display()} ({period.start_basis})",
            period.end.display() if period.end else "still in force",
            "gap" if period.is_gap else strength.label(period.strength),
            Text(treaty),
            Text(bar(period, start, end, width), style=style),
        )
    parts.append(table)
    parts.extend(Text(f"note: {note}", style="italic") for note in result.notes)
    return Group(*parts)


def diff_text(diff, later_text: str | None) -> Text:  # type: ignore[no-untyped-def]
    """The later clause with added words in green and removed words struck through in red."""
    if diff is None:
        return Text(later_text or "(no text recorded)")
    text = Text()
    for segment in diff.segments:
        style = {"insert": "bold green", "delete": "red strike"}.get(segment.op, "")
        if text:
            text.append(" ")
        text.append(segment.text, style=style)
    return text


def comparison_view(result) -> RenderableType:  # type: ignore[no-untyped-def]
    """Treaties side by side in columns: fields, strength bars, aligned clauses, the verdict."""
    names = [t.name for t in result.treaties]
    fields = Table(title="Side by side", title_justify="left", show_lines=True)
    fields.add_column("", style="bold", no_wrap=True)
    for name in names:
        fields.add_column(Text(name), ratio=1)
    for row in result.fields:
        style = "" if row.same else "yellow"
        fields.add_row(row.label, *(Text(v, style=style) for v in row.values))
    fields.add_row(
        "strength bar",
        *(
            Text(
                "█" * (t.strength + 1) if t.strength is not None else "not coded",
                style=STRENGTH_STYLES.get(t.strength, "dim"),
            )
            for t in result.treaties
        ),
    )
    parts: list[RenderableType] = [fields]
    parts.extend(Text(note, style="italic") for note in result.succession_notes)
    if result.clauses:
        clauses = Table(
            title="Security clauses, aligned by obligation (green: added, red: removed)",
            title_justify="left",
            show_lines=True,
        )
        clauses.add_column("obligation", style="bold", no_wrap=True)
        for name in names:
            clauses.add_column(Text(name), ratio=1)
        for row in result.clauses:
            cells = []
            for cell, diff in zip(row.cells, row.diffs, strict=True):
                if cell is None:
                    cells.append(Text("none", style="dim"))
                    continue
                body = Text(f"{cell.label}\n", style="bold")
                body.append_text(diff_text(diff, cell.text))
                if diff is not None:
                    body.append(f"\n{round(diff.kept * 100)}% of the earlier words kept", "dim")
                cells.append(body)
            clauses.add_row(row.obligation, *cells)
        parts.append(clauses)
    else:
        parts.append(Text("No security clauses recorded for these treaties.", style="dim"))
    parts.append(Text("Verdict", style="bold underline"))
    parts.extend(Text(f"• {line}") for line in result.verdict)
    return Group(*parts)
