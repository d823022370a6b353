"""Controlled vocabularies stored as plain strings.

Kept as string columns with CHECK constraints rather than native enums so that the schema reads the
same on SQLite and PostgreSQL and a new value needs no type migration, only a new CHECK.
"""

PRECISIONS = ("day", "month", "year")

TREATY_KINDS = (
    "alliance",
    "friendship",
    "partnership",
    "non-aggression",
    "neutrality",
    "consultation",
    "other",
)

END_REASONS = ("expired", "denounced", "terminated", "replaced")

RENEWALS = ("none", "automatic", "by-agreement")

PARTY_ROLES = ("party", "signatory", "observer", "guarantor")

OBLIGATIONS = ("defence", "offence", "neutrality", "non-aggression", "consultation", "other")

TEXT_STATUSES = ("verbatim", "translation", "paraphrase", "summary")

EVENT_KINDS = (
    "signature",
    "ratification",
    "entry-into-force",
    "notice",
    "renewal",
    "un-veto",
    "state-visit",
    "statement",
    "other",
)

SUCCESSION_KINDS = ("continuation", "succession", "merger", "dissolution", "secession")

STRENGTH_MIN, STRENGTH_MAX = 0, 5


def sql_in(column: str, values: tuple[str, ...]) -> str:
    """A CHECK expression allowing NULL or one of `values`."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IS NULL OR {column} IN ({quoted})"


# The edit history: what a recorded change did, and to which kind of record.
CHANGE_ACTIONS = ("create", "update", "delete")
CHANGE_TABLES = ("treaty", "treaty_party", "provision", "event", "source")
