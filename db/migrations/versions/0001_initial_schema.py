"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-27 10:01:26.020746
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("dataset", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("publisher", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column(
            "published_precision",
            sqlmodel.sql.sqltypes.AutoString(length=5),
            nullable=True,
        ),
        sa.Column("accessed_on", sa.Date(), nullable=True),
        sa.Column(
            "accessed_precision",
            sqlmodel.sql.sqltypes.AutoString(length=5),
            nullable=True,
        ),
        sa.CheckConstraint(
            "accessed_precision IS NULL OR accessed_precision IN ('day', 'month', 'year')",
            name=op.f("ck_source_accessed_precision"),
        ),
        sa.CheckConstraint(
            "published_precision IS NULL OR published_precision IN ('day', 'month', 'year')",
            name=op.f("ck_source_published_precision"),
        ),
        sa.CheckConstraint(
            "(accessed_on IS NULL AND accessed_precision IS NULL) OR (accessed_on IS NOT NULL AND accessed_precision IS NOT NULL)",
            name=op.f("ck_source_accessed_has_precision"),
        ),
        sa.CheckConstraint(
            "(published_on IS NULL AND published_precision IS NULL) OR (published_on IS NOT NULL AND published_precision IS NOT NULL)",
            name=op.f("ck_source_published_has_precision"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source")),
        sa.UniqueConstraint("key", name=op.f("uq_source_key")),
    )
    op.create_table(
        "state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("short_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("iso3", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=True),
        sa.Column("iso2", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True),
        sa.Column("cow_code", sa.Integer(), nullable=True),
        sa.Column("cow_abbrev", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=True),
        sa.Column("began_on", sa.Date(), nullable=True),
        sa.Column("began_precision", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("ended_precision", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.CheckConstraint(
            "began_precision IS NULL OR began_precision IN ('day', 'month', 'year')",
            name=op.f("ck_state_began_precision"),
        ),
        sa.CheckConstraint(
            "ended_precision IS NULL OR ended_precision IN ('day', 'month', 'year')",
            name=op.f("ck_state_ended_precision"),
        ),
        sa.CheckConstraint(
            "(began_on IS NULL AND began_precision IS NULL) OR (began_on IS NOT NULL AND began_precision IS NOT NULL)",
            name=op.f("ck_state_began_has_precision"),
        ),
        sa.CheckConstraint(
            "(ended_on IS NULL AND ended_precision IS NULL) OR (ended_on IS NOT NULL AND ended_precision IS NOT NULL)",
            name=op.f("ck_state_ended_has_precision"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_state")),
        sa.UniqueConstraint("iso3", name=op.f("uq_state_iso3")),
    )
    with op.batch_alter_table("state", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_state_cow_code"), ["cow_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_state_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_state_short_name"), ["short_name"], unique=False)

    op.create_table(
        "treaty",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("short_title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column(
            "signed_precision",
            sqlmodel.sql.sqltypes.AutoString(length=5),
            nullable=True,
        ),
        sa.Column("signed_uncertain", sa.Boolean(), nullable=False),
        sa.Column("signed_place", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("in_force_on", sa.Date(), nullable=True),
        sa.Column(
            "in_force_precision",
            sqlmodel.sql.sqltypes.AutoString(length=5),
            nullable=True,
        ),
        sa.Column("in_force_uncertain", sa.Boolean(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("ended_precision", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
        sa.Column("ended_uncertain", sa.Boolean(), nullable=False),
        sa.Column("end_reason", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("term_months", sa.Integer(), nullable=True),
        sa.Column("indefinite", sa.Boolean(), nullable=False),
        sa.Column("renewal", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("renewal_months", sa.Integer(), nullable=True),
        sa.Column("term_note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("strength", sa.Integer(), nullable=True),
        sa.Column(
            "strength_clause",
            sqlmodel.sql.sqltypes.AutoString(length=100),
            nullable=True,
        ),
        sa.Column("strength_note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("summary", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("atop_id", sa.Integer(), nullable=True),
        sa.Column("cow_id", sa.Integer(), nullable=True),
        sa.Column("unts_number", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("wikidata_id", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.CheckConstraint(
            "end_reason IS NULL OR end_reason IN ('expired', 'denounced', 'terminated', 'replaced')",
            name=op.f("ck_treaty_end_reason"),
        ),
        sa.CheckConstraint(
            "ended_on IS NULL OR signed_on IS NULL OR ended_precision <> 'day' OR ended_on >= signed_on",
            name=op.f("ck_treaty_ended_after_signed"),
        ),
        sa.CheckConstraint(
            "ended_precision IS NULL OR ended_precision IN ('day', 'month', 'year')",
            name=op.f("ck_treaty_ended_precision"),
        ),
        sa.CheckConstraint(
            "in_force_precision IS NULL OR in_force_precision IN ('day', 'month', 'year')",
            name=op.f("ck_treaty_in_force_precision"),
        ),
        sa.CheckConstraint(
            "kind IS NULL OR kind IN ('alliance', 'friendship', 'partnership', 'non-aggression', 'neutrality', 'consultation', 'other')",
            name=op.f("ck_treaty_kind"),
        ),
        sa.CheckConstraint(
            "renewal IS NULL OR renewal IN ('none', 'automatic', 'by-agreement')",
            name=op.f("ck_treaty_renewal"),
        ),
        sa.CheckConstraint(
            "signed_precision IS NULL OR signed_precision IN ('day', 'month', 'year')",
            name=op.f("ck_treaty_signed_precision"),
        ),
        sa.CheckConstraint("slug <> ''", name=op.f("ck_treaty_slug_not_empty")),
        sa.CheckConstraint(
            "(ended_on IS NULL AND ended_precision IS NULL) OR (ended_on IS NOT NULL AND ended_precision IS NOT NULL)",
            name=op.f("ck_treaty_ended_has_precision"),
        ),
        sa.CheckConstraint(
            "(in_force_on IS NULL AND in_force_precision IS NULL) OR (in_force_on IS NOT NULL AND in_force_precision IS NOT NULL)",
            name=op.f("ck_treaty_in_force_has_precision"),
        ),
        sa.CheckConstraint(
            "(signed_on IS NULL AND signed_precision IS NULL) OR (signed_on IS NOT NULL AND signed_precision IS NOT NULL)",
            name=op.f("ck_treaty_signed_has_precision"),
        ),
        sa.CheckConstraint(
            "renewal_months IS NULL OR renewal_months > 0",
            name=op.f("ck_treaty_renewal_positive"),
        ),
        sa.CheckConstraint(
            "replaces_id IS NULL OR replaces_id <> id",
            name=op.f("ck_treaty_not_self_replacing"),
        ),
        sa.CheckConstraint(
            "strength IS NULL OR strength BETWEEN 0 AND 5",
            name=op.f("ck_treaty_strength_range"),
        ),
        sa.CheckConstraint(
            "term_months IS NULL OR term_months > 0",
            name=op.f("ck_treaty_term_positive"),
        ),
        sa.ForeignKeyConstraint(
            ["replaces_id"],
            ["treaty.id"],
            name=op.f("fk_treaty_replaces_id_treaty"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_treaty")),
        sa.UniqueConstraint("slug", name=op.f("uq_treaty_slug")),
    )
    with op.batch_alter_table("treaty", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_treaty_atop_id"), ["atop_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_treaty_cow_id"), ["cow_id"], unique=False)
        batch_op.create_index("ix_treaty_ended_on", ["ended_on"], unique=False)
        batch_op.create_index("ix_treaty_in_force_on", ["in_force_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_treaty_replaces_id"), ["replaces_id"], unique=False)
        batch_op.create_index("ix_treaty_signed_on", ["signed_on"], unique=False)
        batch_op.create_index("ix_treaty_strength", ["strength"], unique=False)

    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=True),
        sa.Column(
            "happened_precision",
            sqlmodel.sql.sqltypes.AutoString(length=5),
            nullable=True,
        ),
        sa.Column("happened_uncertain", sa.Boolean(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("place", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("treaty_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "happened_precision IS NULL OR happened_precision IN ('day', 'month', 'year')",
            name=op.f("ck_event_happened_precision"),
        ),
        sa.CheckConstraint(
            "kind IS NULL OR kind IN ('signature', 'ratification', 'entry-into-force', 'notice', 'renewal', 'un-veto', 'state-visit', 'statement', 'other')",
            name=op.f("ck_event_kind"),
        ),
        sa.CheckConstraint(
            "(happened_on IS NULL AND happened_precision IS NULL) OR (happened_on IS NOT NULL AND happened_precision IS NOT NULL)",
            name=op.f("ck_event_happened_has_precision"),
        ),
        sa.CheckConstraint("happened_on IS NOT NULL", name=op.f("ck_event_dated")),
        sa.ForeignKeyConstraint(
            ["treaty_id"],
            ["treaty.id"],
            name=op.f("fk_event_treaty_id_treaty"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
        sa.UniqueConstraint("key", name=op.f("uq_event_key")),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index("ix_event_happened_on", ["happened_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_treaty_id"), ["treaty_id"], unique=False)

    op.create_table(
        "provision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("treaty_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("article", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("obligation", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("security", sa.Boolean(), nullable=False),
        sa.Column("conditions", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("text_status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("translation_note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.CheckConstraint(
            "obligation IS NULL OR obligation IN ('defence', 'offence', 'neutrality', 'non-aggression', 'consultation', 'other')",
            name=op.f("ck_provision_obligation"),
        ),
        sa.CheckConstraint(
            "text_status IS NULL OR text_status IN ('verbatim', 'translation', 'paraphrase', 'summary')",
            name=op.f("ck_provision_text_status"),
        ),
        sa.ForeignKeyConstraint(
            ["treaty_id"],
            ["treaty.id"],
            name=op.f("fk_provision_treaty_id_treaty"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provision")),
        sa.UniqueConstraint("treaty_id", "position", name="uq_provision_position"),
    )
    with op.batch_alter_table("provision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_provision_treaty_id"), ["treaty_id"], unique=False)

    op.create_table(
        "state_succession",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("predecessor_id", sa.Integer(), nullable=False),
        sa.Column("successor_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=True),
        sa.Column(
            "effective_precision",
            sqlmodel.sql.sqltypes.AutoString(length=5),
            nullable=True,
        ),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.CheckConstraint(
            "effective_precision IS NULL OR effective_precision IN ('day', 'month', 'year')",
            name=op.f("ck_state_succession_effective_precision"),
        ),
        sa.CheckConstraint(
            "kind IS NULL OR kind IN ('continuation', 'succession', 'merger', 'dissolution', 'secession')",
            name=op.f("ck_state_succession_kind"),
        ),
        sa.CheckConstraint(
            "(effective_on IS NULL AND effective_precision IS NULL) OR (effective_on IS NOT NULL AND effective_precision IS NOT NULL)",
            name=op.f("ck_state_succession_effective_has_precision"),
        ),
        sa.CheckConstraint(
            "predecessor_id <> successor_id", name=op.f("ck_state_succession_not_self")
        ),
        sa.ForeignKeyConstraint(
            ["predecessor_id"],
            ["state.id"],
            name=op.f("fk_state_succession_predecessor_id_state"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["successor_id"],
            ["state.id"],
            name=op.f("fk_state_succession_successor_id_state"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_state_succession")),
        sa.UniqueConstraint("predecessor_id", "successor_id", name="uq_state_succession_pair"),
    )
    with op.batch_alter_table("state_succession", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_state_succession_predecessor_id"),
            ["predecessor_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_state_succession_successor_id"),
            ["successor_id"],
            unique=False,
        )

    op.create_table(
        "treaty_party",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("treaty_id", sa.Integer(), nullable=False),
        sa.Column("state_id", sa.Integer(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("signer", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("signer_title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("ratified_on", sa.Date(), nullable=True),
        sa.Column(
            "ratified_precision",
            sqlmodel.sql.sqltypes.AutoString(length=5),
            nullable=True,
        ),
        sa.Column("joined_on", sa.Date(), nullable=True),
        sa.Column(
            "joined_precision",
            sqlmodel.sql.sqltypes.AutoString(length=5),
            nullable=True,
        ),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("left_precision", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.CheckConstraint(
            "joined_precision IS NULL OR joined_precision IN ('day', 'month', 'year')",
            name=op.f("ck_treaty_party_joined_precision"),
        ),
        sa.CheckConstraint(
            "left_precision IS NULL OR left_precision IN ('day', 'month', 'year')",
            name=op.f("ck_treaty_party_left_precision"),
        ),
        sa.CheckConstraint(
            "ratified_precision IS NULL OR ratified_precision IN ('day', 'month', 'year')",
            name=op.f("ck_treaty_party_ratified_precision"),
        ),
        sa.CheckConstraint(
            "role IS NULL OR role IN ('party', 'signatory', 'observer', 'guarantor')",
            name=op.f("ck_treaty_party_role"),
        ),
        sa.CheckConstraint(
            "(joined_on IS NULL AND joined_precision IS NULL) OR (joined_on IS NOT NULL AND joined_precision IS NOT NULL)",
            name=op.f("ck_treaty_party_joined_has_precision"),
        ),
        sa.CheckConstraint(
            "(left_on IS NULL AND left_precision IS NULL) OR (left_on IS NOT NULL AND left_precision IS NOT NULL)",
            name=op.f("ck_treaty_party_left_has_precision"),
        ),
        sa.CheckConstraint(
            "(ratified_on IS NULL AND ratified_precision IS NULL) OR (ratified_on IS NOT NULL AND ratified_precision IS NOT NULL)",
            name=op.f("ck_treaty_party_ratified_has_precision"),
        ),
        sa.ForeignKeyConstraint(
            ["state_id"],
            ["state.id"],
            name=op.f("fk_treaty_party_state_id_state"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["treaty_id"],
            ["treaty.id"],
            name=op.f("fk_treaty_party_treaty_id_treaty"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_treaty_party")),
        sa.UniqueConstraint("treaty_id", "state_id", "role", name="uq_treaty_party_role"),
    )
    with op.batch_alter_table("treaty_party", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_treaty_party_state_id"), ["state_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_treaty_party_treaty_id"), ["treaty_id"], unique=False)

    op.create_table(
        "citation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("treaty_id", sa.Integer(), nullable=True),
        sa.Column("party_id", sa.Integer(), nullable=True),
        sa.Column("provision_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("state_id", sa.Integer(), nullable=True),
        sa.Column("supports", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("agrees", sa.Boolean(), nullable=False),
        sa.Column("claim", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.CheckConstraint(
            "CASE WHEN treaty_id IS NULL THEN 0 ELSE 1 END + CASE WHEN party_id IS NULL THEN 0 ELSE 1 END + CASE WHEN provision_id IS NULL THEN 0 ELSE 1 END + CASE WHEN event_id IS NULL THEN 0 ELSE 1 END + CASE WHEN state_id IS NULL THEN 0 ELSE 1 END = 1",
            name=op.f("ck_citation_one_target"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_citation_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["treaty_party.id"],
            name=op.f("fk_citation_party_id_treaty_party"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["provision_id"],
            ["provision.id"],
            name=op.f("fk_citation_provision_id_provision"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
            name=op.f("fk_citation_source_id_source"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["state_id"],
            ["state.id"],
            name=op.f("fk_citation_state_id_state"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["treaty_id"],
            ["treaty.id"],
            name=op.f("fk_citation_treaty_id_treaty"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citation")),
    )
    with op.batch_alter_table("citation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_citation_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_citation_party_id"), ["party_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_citation_provision_id"), ["provision_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_citation_source_id"), ["source_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_citation_state_id"), ["state_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_citation_treaty_id"), ["treaty_id"], unique=False)

    op.create_table(
        "event_state",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("state_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_event_state_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["state_id"],
            ["state.id"],
            name=op.f("fk_event_state_state_id_state"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "state_id", name=op.f("pk_event_state")),
    )
    with op.batch_alter_table("event_state", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_state_state_id"), ["state_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("event_state", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_state_state_id"))

    op.drop_table("event_state")
    with op.batch_alter_table("citation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_citation_treaty_id"))
        batch_op.drop_index(batch_op.f("ix_citation_state_id"))
        batch_op.drop_index(batch_op.f("ix_citation_source_id"))
        batch_op.drop_index(batch_op.f("ix_citation_provision_id"))
        batch_op.drop_index(batch_op.f("ix_citation_party_id"))
        batch_op.drop_index(batch_op.f("ix_citation_event_id"))

    op.drop_table("citation")
    with op.batch_alter_table("treaty_party", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_treaty_party_treaty_id"))
        batch_op.drop_index(batch_op.f("ix_treaty_party_state_id"))

    op.drop_table("treaty_party")
    with op.batch_alter_table("state_succession", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_state_succession_successor_id"))
        batch_op.drop_index(batch_op.f("ix_state_succession_predecessor_id"))

    op.drop_table("state_succession")
    with op.batch_alter_table("provision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provision_treaty_id"))

    op.drop_table("provision")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_treaty_id"))
        batch_op.drop_index("ix_event_happened_on")

    op.drop_table("event")
    with op.batch_alter_table("treaty", schema=None) as batch_op:
        batch_op.drop_index("ix_treaty_strength")
        batch_op.drop_index("ix_treaty_signed_on")
        batch_op.drop_index(batch_op.f("ix_treaty_replaces_id"))
        batch_op.drop_index("ix_treaty_in_force_on")
        batch_op.drop_index("ix_treaty_ended_on")
        batch_op.drop_index(batch_op.f("ix_treaty_cow_id"))
        batch_op.drop_index(batch_op.f("ix_treaty_atop_id"))

    op.drop_table("treaty")
    with op.batch_alter_table("state", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_state_short_name"))
        batch_op.drop_index(batch_op.f("ix_state_name"))
        batch_op.drop_index(batch_op.f("ix_state_cow_code"))

    op.drop_table("state")
    op.drop_table("source")
