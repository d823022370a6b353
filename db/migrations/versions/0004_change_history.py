"""change history: who changed what and when, in change sets that undo can revert

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 11:05:05.736806
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change_set",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "made_at",
            sqlmodel.sql.sqltypes.UTCDateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("made_by", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("undoes_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["undoes_id"],
            ["change_set.id"],
            name=op.f("fk_change_set_undoes_id_change_set"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_set")),
    )
    with op.batch_alter_table("change_set", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_change_set_undoes_id"), ["undoes_id"], unique=False)

    op.create_table(
        "change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("change_set_id", sa.Integer(), nullable=False),
        sa.Column("table_name", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("record", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("part", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("treaty", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("field", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("old_value", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("new_value", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.CheckConstraint(
            "action IS NULL OR action IN ('create', 'update', 'delete')",
            name=op.f("ck_change_action"),
        ),
        sa.CheckConstraint(
            "table_name IS NULL OR table_name IN ('treaty', 'treaty_party', 'provision', 'event', 'source')",
            name=op.f("ck_change_table_name"),
        ),
        sa.ForeignKeyConstraint(
            ["change_set_id"],
            ["change_set.id"],
            name=op.f("fk_change_change_set_id_change_set"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change")),
    )
    with op.batch_alter_table("change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_change_change_set_id"), ["change_set_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_change_treaty"), ["treaty"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_treaty"))
        batch_op.drop_index(batch_op.f("ix_change_change_set_id"))

    op.drop_table("change")
    with op.batch_alter_table("change_set", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_set_undoes_id"))

    op.drop_table("change_set")
