"""index title prefixes of up to twelve letters, without per-row token counts

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 16:05:00

SQLite only: the full-text index of 0005 indexed prefixes of up to six letters, so every
keystroke past the sixth letter of a word merged, in memory, every word starting so. It is
built again with the options db/search.py gives it now (twelve letters, columnsize=0). About
three minutes for a million treaties; seconds for a working database. PostgreSQL's GIN index
answers prefixes of any length and is left as it is.
"""

from collections.abc import Sequence

from alembic import op

from db.search import create_search_index, drop_search_index

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        drop_search_index(connection)
        create_search_index(connection)


def downgrade() -> None:
    # The index built here answers every query 0005's does: nothing to undo.
    pass
