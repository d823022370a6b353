"""What text cannot be stored or searched for, as a message: plain Python, shared by the forms
and the timeline's search without importing either."""

from __future__ import annotations

import re

_UNPAIRED_SURROGATE = re.compile("[\ud800-\udfff]")
# SQLite refuses a LIKE pattern over 50,000 bytes; no stored text is searched for whole anyway.
SEARCH_MAX = 10_000


def text_problem(text: str) -> str | None:
    """Why `text` cannot be stored or searched for, or None: a NUL character (PostgreSQL
    refuses it and SQLite's LIKE stops at it), or bytes that were not UTF-8 (decoded to
    unpaired surrogates)."""
    if "\x00" in text:
        return "contains a NUL character"
    if _UNPAIRED_SURROGATE.search(text):
        return "contains bytes that are not UTF-8 text"
    return None


def search_problem(text: str) -> str | None:
    """Why `text` cannot be searched for, or None."""
    if len(text) > SEARCH_MAX:
        return f"too long ({len(text)} characters; at most {SEARCH_MAX})"
    return text_problem(text)
