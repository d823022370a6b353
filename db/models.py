"""The tables. Every date is a pair: `<name>_on` (first day of the period it names) and
`<name>_precision` (day, month or year), so "July 1961" is stored as 1961-07-01 + "month" and is
never shown as a day. Constraints the database can enforce are declared here, dialect-neutrally."""

import datetime as dt

from sqlalchemy import CheckConstraint, Index, UniqueConstraint, func
from sqlmodel import Field, Relationship, SQLModel

from db import vocab

# Stable constraint names, so that migrations can refer to them on every engine.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def date_checks(*names: str) -> list[CheckConstraint]:
    """A date and its precision are given together or not at all, and the precision is known."""
    checks = []
    for n in names:
        checks.append(
            CheckConstraint(
                f"({n}_on IS NULL AND {n}_precision IS NULL)"
                f" OR ({n}_on IS NOT NULL AND {n}_precision IS NOT NULL)",
                name=f"{n}_has_precision",
            )
        )
        checks.append(
            CheckConstraint(vocab.sql_in(f"{n}_precision", vocab.PRECISIONS), name=f"{n}_precision")
        )
    return checks


class State(SQLModel, table=True):
    __tablename__ = "state"
    __table_args__ = tuple(date_checks("began", "ended"))

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, index=True)
    short_name: str = Field(max_length=100, index=True)
    # Historical states keep their former code (the USSR: SUN).
    iso3: str | None = Field(default=None, max_length=3, unique=True)
    iso2: str | None = Field(default=None, max_length=2)
    # Not unique: COW codes the USSR and the Russian Federation alike as 365.
    cow_code: int | None = Field(default=None, index=True)
    cow_abbrev: str | None = Field(default=None, max_length=3)
    began_on: dt.date | None = None
    began_precision: str | None = Field(default=None, max_length=5)
    ended_on: dt.date | None = None
    ended_precision: str | None = Field(default=None, max_length=5)
    notes: str | None = None


class StateSuccession(SQLModel, table=True):
    __tablename__ = "state_succession"
    __table_args__ = (
        UniqueConstraint("predecessor_id", "successor_id", name="uq_state_succession_pair"),
        CheckConstraint(vocab.sql_in("kind", vocab.SUCCESSION_KINDS), name="kind"),
        CheckConstraint("predecessor_id <> successor_id", name="not_self"),
        *date_checks("effective"),
    )

    id: int | None = Field(default=None, primary_key=True)
    predecessor_id: int = Field(foreign_key="state.id", ondelete="CASCADE", index=True)
    successor_id: int = Field(foreign_key="state.id", ondelete="CASCADE", index=True)
    kind: str = Field(max_length=20)
    effective_on: dt.date | None = None
    effective_precision: str | None = Field(default=None, max_length=5)
    note: str | None = None


class Treaty(SQLModel, table=True):
    __tablename__ = "treaty"
    __table_args__ = (
        CheckConstraint(
            f"strength IS NULL OR strength BETWEEN {vocab.STRENGTH_MIN} AND {vocab.STRENGTH_MAX}",
            name="strength_range",
        ),
        # A coarse end date ("1996") may share its period with the signature, so the database
        # checks day-precise ends; coarser ones are checked in Python against the whole period.
        CheckConstraint(
            "ended_on IS NULL OR signed_on IS NULL OR ended_precision <> 'day'"
            " OR ended_on >= signed_on",
            name="ended_after_signed",
        ),
        CheckConstraint(vocab.sql_in("kind", vocab.TREATY_KINDS), name="kind"),
        CheckConstraint(vocab.sql_in("end_reason", vocab.END_REASONS), name="end_reason"),
        CheckConstraint(vocab.sql_in("renewal", vocab.RENEWALS), name="renewal"),
        CheckConstraint("term_months IS NULL OR term_months > 0", name="term_positive"),
        CheckConstraint("renewal_months IS NULL OR renewal_months > 0", name="renewal_positive"),
        CheckConstraint("replaces_id IS NULL OR replaces_id <> id", name="not_self_replacing"),
        CheckConstraint("slug <> ''", name="slug_not_empty"),
        *date_checks("signed", "in_force", "ended"),
        Index("ix_treaty_signed_on", "signed_on"),
        # The timeline's order (undated first, then by signature and id) with the columns its
        # filters test, so a page, a count or an "in force on" filter reads this index alone.
        # PostgreSQL's copy sorts undated rows first as that order does (migration 0005);
        # SQLite always sorts NULL first and allows no NULLS FIRST in an index.
        Index("ix_treaty_timeline", "signed_on", "id", "in_force_on", "ended_on", "strength"),
        Index("ix_treaty_in_force_on", "in_force_on"),
        Index("ix_treaty_ended_on", "ended_on"),
        Index("ix_treaty_strength", "strength"),
    )

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=120, unique=True)
    title: str = Field(max_length=500)
    short_title: str | None = Field(default=None, max_length=200)
    kind: str = Field(default="other", max_length=20)

    signed_on: dt.date | None = None
    signed_precision: str | None = Field(default=None, max_length=5)
    signed_uncertain: bool = False
    signed_place: str | None = Field(default=None, max_length=200)
    in_force_on: dt.date | None = None
    in_force_precision: str | None = Field(default=None, max_length=5)
    in_force_uncertain: bool = False
    ended_on: dt.date | None = None
    ended_precision: str | None = Field(default=None, max_length=5)
    ended_uncertain: bool = False
    end_reason: str | None = Field(default=None, max_length=20)

    term_months: int | None = None
    indefinite: bool = False
    renewal: str | None = Field(default=None, max_length=20)
    renewal_months: int | None = None
    term_note: str | None = None

    replaces_id: int | None = Field(
        default=None, foreign_key="treaty.id", ondelete="SET NULL", index=True
    )

    strength: int | None = None
    strength_clause: str | None = Field(default=None, max_length=100)
    strength_note: str | None = None

    summary: str | None = None
    notes: str | None = None

    atop_id: int | None = Field(default=None, index=True)
    cow_id: int | None = Field(default=None, index=True)
    unts_number: str | None = Field(default=None, max_length=40)
    wikidata_id: str | None = Field(default=None, max_length=20)

    # Bumped on every change; lets a later save notice that someone else saved in between.
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    created_at: dt.datetime = Field(
        default_factory=utc_now, sa_column_kwargs={"server_default": func.current_timestamp()}
    )
    updated_at: dt.datetime = Field(
        default_factory=utc_now, sa_column_kwargs={"server_default": func.current_timestamp()}
    )

    parties: list["TreatyParty"] = Relationship(
        back_populates="treaty",
        sa_relationship_kwargs={"cascade": "all, delete-orphan", "passive_deletes": True},
    )
    provisions: list["Provision"] = Relationship(
        back_populates="treaty",
        sa_relationship_kwargs={
            "cascade": "all, delete-orphan",
            "passive_deletes": True,
            "order_by": "Provision.position",
        },
    )


class TreatyParty(SQLModel, table=True):
    __tablename__ = "treaty_party"
    __table_args__ = (
        UniqueConstraint("treaty_id", "state_id", "role", name="uq_treaty_party_role"),
        CheckConstraint(vocab.sql_in("role", vocab.PARTY_ROLES), name="role"),
        *date_checks("ratified", "joined", "left"),
        # The party filter: a state's treaties from the index alone.
        Index("ix_treaty_party_state_treaty", "state_id", "treaty_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    treaty_id: int = Field(foreign_key="treaty.id", ondelete="CASCADE", index=True)
    state_id: int = Field(foreign_key="state.id", ondelete="RESTRICT", index=True)
    role: str = Field(default="party", max_length=20)
    signer: str | None = Field(default=None, max_length=200)
    signer_title: str | None = Field(default=None, max_length=300)
    ratified_on: dt.date | None = None
    ratified_precision: str | None = Field(default=None, max_length=5)
    # A member's own entry and exit, where they differ from the treaty's (ATOP member level).
    joined_on: dt.date | None = None
    joined_precision: str | None = Field(default=None, max_length=5)
    left_on: dt.date | None = None
    left_precision: str | None = Field(default=None, max_length=5)
    notes: str | None = None

    treaty: Treaty | None = Relationship(back_populates="parties")
    state: State | None = Relationship()


class Provision(SQLModel, table=True):
    __tablename__ = "provision"
    __table_args__ = (
        UniqueConstraint("treaty_id", "position", name="uq_provision_position"),
        CheckConstraint(vocab.sql_in("obligation", vocab.OBLIGATIONS), name="obligation"),
        CheckConstraint(vocab.sql_in("text_status", vocab.TEXT_STATUSES), name="text_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    treaty_id: int = Field(foreign_key="treaty.id", ondelete="CASCADE", index=True)
    position: int = 0
    article: str | None = Field(default=None, max_length=40)
    obligation: str = Field(default="other", max_length=20)
    # True for the clauses a guarantee rests on (defence, crisis consultation, ...).
    security: bool = False
    conditions: str | None = None
    text: str | None = None
    text_status: str | None = Field(default=None, max_length=20)
    language: str | None = Field(default=None, max_length=20)
    translation_note: str | None = None

    treaty: Treaty | None = Relationship(back_populates="provisions")


class EventState(SQLModel, table=True):
    __tablename__ = "event_state"

    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE", primary_key=True)
    state_id: int = Field(foreign_key="state.id", ondelete="CASCADE", primary_key=True, index=True)


class Event(SQLModel, table=True):
    __tablename__ = "event"
    __table_args__ = (
        CheckConstraint(vocab.sql_in("kind", vocab.EVENT_KINDS), name="kind"),
        CheckConstraint("happened_on IS NOT NULL", name="dated"),
        *date_checks("happened"),
        Index("ix_event_happened_on", "happened_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=120, unique=True)
    happened_on: dt.date | None = None
    happened_precision: str | None = Field(default=None, max_length=5)
    happened_uncertain: bool = False
    kind: str = Field(default="other", max_length=20)
    title: str = Field(max_length=300)
    description: str | None = None
    place: str | None = Field(default=None, max_length=200)
    treaty_id: int | None = Field(
        default=None, foreign_key="treaty.id", ondelete="SET NULL", index=True
    )

    states: list[State] = Relationship(link_model=EventState)


class Source(SQLModel, table=True):
    __tablename__ = "source"
    __table_args__ = tuple(date_checks("published", "accessed"))

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=120, unique=True)
    title: str = Field(max_length=500)
    url: str | None = Field(default=None, max_length=1000)
    dataset: str | None = Field(default=None, max_length=300)
    publisher: str | None = Field(default=None, max_length=300)
    published_on: dt.date | None = None
    published_precision: str | None = Field(default=None, max_length=5)
    accessed_on: dt.date | None = None
    accessed_precision: str | None = Field(default=None, max_length=5)


CITATION_TARGETS = ("treaty_id", "party_id", "provision_id", "event_id", "state_id")


class Citation(SQLModel, table=True):
    """A source attached to the one record it supports, naming the fields it supports.

    A source that disagrees is kept (agrees = False, with the value it gives in `claim`), so that
    disagreements can be shown rather than hidden."""

    __tablename__ = "citation"
    __table_args__ = (
        CheckConstraint(
            " + ".join(f"CASE WHEN {c} IS NULL THEN 0 ELSE 1 END" for c in CITATION_TARGETS)
            + " = 1",
            name="one_target",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", ondelete="RESTRICT", index=True)
    treaty_id: int | None = Field(
        default=None, foreign_key="treaty.id", ondelete="CASCADE", index=True
    )
    party_id: int | None = Field(
        default=None, foreign_key="treaty_party.id", ondelete="CASCADE", index=True
    )
    provision_id: int | None = Field(
        default=None, foreign_key="provision.id", ondelete="CASCADE", index=True
    )
    event_id: int | None = Field(
        default=None, foreign_key="event.id", ondelete="CASCADE", index=True
    )
    state_id: int | None = Field(
        default=None, foreign_key="state.id", ondelete="CASCADE", index=True
    )
    # Comma-separated field names of the target record, e.g. "signed,signed_place".
    supports: str = Field(default="", max_length=500)
    agrees: bool = True
    claim: str | None = Field(default=None, max_length=500)
    note: str | None = None

    source: Source | None = Relationship()


class ImportRecord(SQLModel, table=True):
    """What an import last wrote to a treaty, per data set and external id: the base of the
    three-way merge that lets a later import tell the user's edits from the data set's."""

    __tablename__ = "import_record"
    __table_args__ = (UniqueConstraint("dataset", "external_id", name="uq_import_record_key"),)

    id: int | None = Field(default=None, primary_key=True)
    treaty_id: int = Field(foreign_key="treaty.id", ondelete="CASCADE", index=True)
    dataset: str = Field(max_length=60)
    external_id: str = Field(max_length=120)
    # JSON: the treaty's fields as the import last wrote them.
    values: str
    imported_at: dt.datetime = Field(
        default_factory=utc_now, sa_column_kwargs={"server_default": func.current_timestamp()}
    )


class ChangeSet(SQLModel, table=True):
    """One save (an edit, an import, an undo): who made it, when, and what it was."""

    __tablename__ = "change_set"

    id: int | None = Field(default=None, primary_key=True)
    made_at: dt.datetime = Field(
        default_factory=utc_now, sa_column_kwargs={"server_default": func.current_timestamp()}
    )
    made_by: str = Field(max_length=200)
    description: str = Field(max_length=500)
    # For an undo: the change set it reverted.
    undoes_id: int | None = Field(
        default=None, foreign_key="change_set.id", ondelete="SET NULL", index=True
    )


class Change(SQLModel, table=True):
    """One field of one record changed by a change set; a whole part (a party, a clause) or
    record when it was created or deleted. Values are JSON text."""

    __tablename__ = "change"
    __table_args__ = (
        CheckConstraint(vocab.sql_in("action", vocab.CHANGE_ACTIONS), name="action"),
        CheckConstraint(vocab.sql_in("table_name", vocab.CHANGE_TABLES), name="table_name"),
    )

    id: int | None = Field(default=None, primary_key=True)
    change_set_id: int = Field(foreign_key="change_set.id", ondelete="CASCADE", index=True)
    table_name: str = Field(max_length=20)
    # The treaty slug, event key or source key, as it was after the change (before a delete).
    record: str = Field(max_length=120)
    # Which party ("RUS:party") or clause ("3", its position) of the treaty, if any.
    part: str | None = Field(default=None, max_length=60)
    # The treaty the change concerns (an event's treaty too), so a treaty's history is one query.
    treaty: str | None = Field(default=None, max_length=120, index=True)
    action: str = Field(max_length=10)
    field: str | None = Field(default=None, max_length=40)
    old_value: str | None = None
    new_value: str | None = None
