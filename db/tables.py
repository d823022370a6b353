"""The columns the timeline and a treaty's detail read, as plain SQLAlchemy Core tables.

Browsing and showing a treaty need neither the ORM nor the models' validation, and importing
them (SQLModel, pydantic) costs more memory than the rest of the app; these tables name the
same columns of the same tables, for reading only. The models in db/models.py remain the
schema: they create and migrate it, and tests/test_tables.py checks that every column here is
one of theirs."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, Integer, MetaData, String, Table

metadata = MetaData()

treaty = Table(
    "treaty",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(120)),
    Column("title", String(500)),
    Column("short_title", String(200)),
    Column("kind", String(20)),
    Column("signed_on", Date),
    Column("signed_precision", String(5)),
    Column("signed_uncertain", Boolean),
    Column("signed_place", String(200)),
    Column("in_force_on", Date),
    Column("in_force_precision", String(5)),
    Column("in_force_uncertain", Boolean),
    Column("ended_on", Date),
    Column("ended_precision", String(5)),
    Column("ended_uncertain", Boolean),
    Column("end_reason", String(20)),
    Column("term_months", Integer),
    Column("indefinite", Boolean),
    Column("renewal", String(20)),
    Column("renewal_months", Integer),
    Column("term_note", String),
    Column("replaces_id", Integer),
    Column("strength", Integer),
    Column("strength_clause", String(100)),
    Column("strength_note", String),
    Column("summary", String),
    Column("notes", String),
    Column("atop_id", Integer),
    Column("cow_id", Integer),
    Column("unts_number", String(40)),
    Column("wikidata_id", String(20)),
    Column("version", Integer),
)

treaty_party = Table(
    "treaty_party",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("treaty_id", Integer),
    Column("state_id", Integer),
    Column("role", String(20)),
    Column("signer", String(200)),
    Column("signer_title", String(300)),
    Column("ratified_on", Date),
    Column("ratified_precision", String(5)),
    Column("joined_on", Date),
    Column("joined_precision", String(5)),
    Column("left_on", Date),
    Column("left_precision", String(5)),
    Column("notes", String),
)

provision = Table(
    "provision",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("treaty_id", Integer),
    Column("position", Integer),
    Column("article", String(40)),
    Column("obligation", String(20)),
    Column("security", Boolean),
    Column("conditions", String),
    Column("text", String),
    Column("text_status", String(20)),
    Column("language", String(20)),
    Column("translation_note", String),
)

source = Table(
    "source",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(120)),
    Column("title", String(500)),
    Column("url", String(1000)),
    Column("dataset", String(300)),
    Column("accessed_on", Date),
    Column("accessed_precision", String(5)),
)

citation = Table(
    "citation",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer),
    Column("treaty_id", Integer),
    Column("party_id", Integer),
    Column("provision_id", Integer),
    Column("event_id", Integer),
    Column("supports", String(500)),
    Column("agrees", Boolean),
    Column("claim", String(500)),
    Column("note", String),
)

state = Table(
    "state",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200)),
    Column("short_name", String(100)),
    Column("iso3", String(3)),
    Column("iso2", String(2)),
    Column("cow_code", Integer),
    Column("began_on", Date),
    Column("began_precision", String(5)),
    Column("ended_on", Date),
    Column("ended_precision", String(5)),
)

state_succession = Table(
    "state_succession",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("predecessor_id", Integer),
    Column("successor_id", Integer),
    Column("kind", String(20)),
)

event = Table(
    "event",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(120)),
    Column("treaty_id", Integer),
    Column("happened_on", Date),
    Column("happened_precision", String(5)),
    Column("kind", String(20)),
    Column("title", String(300)),
    Column("description", String),
    Column("place", String(200)),
)

event_state = Table(
    "event_state",
    metadata,
    Column("event_id", Integer, primary_key=True),
    Column("state_id", Integer, primary_key=True),
)
