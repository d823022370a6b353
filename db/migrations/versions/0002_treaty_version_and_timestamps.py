"""treaty version and timestamps

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 10:01:35.679767
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # SQLite cannot ADD COLUMN with a non-constant default, so the timestamps are added empty,
    # filled for the rows already there, then made NOT NULL (batch mode recreates the table).
    with op.batch_alter_table("treaty", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime()))
        batch_op.add_column(sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime()))
    op.execute("UPDATE treaty SET created_at = CURRENT_TIMESTAMP, updated_at = CURRENT_TIMESTAMP")
    with op.batch_alter_table("treaty", schema=None) as batch_op:
        for column in ("created_at", "updated_at"):
            batch_op.alter_column(
                column,
                existing_type=sqlmodel.sql.sqltypes.UTCDateTime(),
                nullable=False,
                server_default=sa.func.current_timestamp(),
            )


def downgrade() -> None:
    with op.batch_alter_table("treaty", schema=None) as batch_op:
        batch_op.drop_column("updated_at")
        batch_op.drop_column("created_at")
        batch_op.drop_column("version")
