"""indexes for browsing at scale, and a full-text index of treaty titles

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 13:10:00

The timeline pages through treaties in time order with its filters read from one covering
index; the party filter reads (state, treaty) pairs; the title search uses SQLite's FTS5 or a
PostgreSQL GIN index over a tsvector (db/search.py builds the matching queries).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.search import create_search_index, drop_search_index

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The timeline's order, undated first, with the columns its filters test. SQLite sorts
    # NULL first anyway and refuses NULLS FIRST in an index.
    first = "signed_on" if op.get_bind().dialect.name == "sqlite" else "signed_on NULLS FIRST"
    op.create_index(
        "ix_treaty_timeline",
        "treaty",
        [sa.text(first), "id", "in_force_on", "ended_on", "strength"],
    )
    op.create_index("ix_treaty_party_state_treaty", "treaty_party", ["state_id", "treaty_id"])
    create_search_index(op.get_bind())


def downgrade() -> None:
    drop_search_index(op.get_bind())
    op.drop_index("ix_treaty_party_state_treaty", table_name="treaty_party")
    op.drop_index("ix_treaty_timeline", table_name="treaty")
