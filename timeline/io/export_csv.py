"""One row a treaty, for spreadsheets: the treaty fields of the form, parties in one column.

Quoting is RFC 4180 (the csv module's default dialect): fields holding commas, quotes or line
breaks are quoted, quotes doubled, rows end in CRLF."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from timeline.forms import LABELS, editable_values
from timeline.records import TreatyRecord

# Provisions are long texts in a list of their own; they stay in the JSON export.
COLUMNS: tuple[str, ...] = tuple(name for name in LABELS if name != "provisions")


def party_cell(parties: Sequence[dict[str, Any]]) -> str:
    """ "SUN; PRK", "USA; CAN:signatory": the --party syntax, role left out when "party"."""
    return "; ".join(
        str(p["state"]) + ("" if p["role"] == "party" else f":{p['role']}") for p in parties
    )


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def row(t: TreatyRecord) -> list[str]:
    # editable_values names a state without an ISO code by its COW code, as --party reads it.
    values = editable_values(t)
    values["parties"] = party_cell(values["parties"])
    return [cell(values[name]) for name in COLUMNS]


def render(treaties: Sequence[TreatyRecord]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(row(t) for t in treaties)
    return buffer.getvalue()
