"""The columns the timeline reads when browsing, as plain SQLAlchemy Core tables.

Browsing needs neither the ORM nor the models' validation, and importing them (SQLModel,
pydantic) costs more memory than the rest of the app; these tables name the same columns of
the same tables, for reading only. The models in db/models.py remain the schema: they create
and migrate it, and tests/test_tables.py checks that every column here is one of theirs."""

from __future__ import annotations

from sqlalchemy import Column, Date, Integer, MetaData, String, Table

metadata = MetaData()

treaty = Table(
    "treaty",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(120)),
    Column("title", String(500)),
    Column("short_title", String(200)),
    Column("signed_on", Date),
    Column("signed_precision", String(5)),
    Column("in_force_on", Date),
    Column("in_force_precision", String(5)),
    Column("ended_on", Date),
    Column("ended_precision", String(5)),
    Column("strength", Integer),
)

treaty_party = Table(
    "treaty_party",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("treaty_id", Integer),
    Column("state_id", Integer),
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
    Column("treaty_id", Integer),
    Column("happened_on", Date),
    Column("happened_precision", String(5)),
    Column("kind", String(20)),
)
