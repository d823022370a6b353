"""Text from the database or the user put into Textual markup."""

from __future__ import annotations


def literal(text: object) -> str:
    """`text` for a markup string, to be shown exactly as it is.

    Textual reads every unescaped "[" as the start of a tag, so all are escaped:
    textual.markup.escape leaves "[Draft]" (not a tag to Rich), which Textual drops as a style.
    Textual has no escape for a backslash, so one ending `text` would escape a tag after it.
    """
    return str(text).replace("[", r"\[")
