"""library_entries.embedding_model: which model (base, or base + a learned adapter) made the vector

Revision ID: library_0002
Revises: library_0001
Create Date: 2026-11-25 20:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "library_0002"
down_revision: str | Sequence[str] | None = "library_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # plain ADD COLUMN (no batch copy): SQLite cannot copy a table that an FTS5 table sits beside
    # without trouble, and a nullable column needs none
    op.add_column("library_entries", sa.Column("embedding_model", sa.String(100), nullable=True))
    # every vector stored so far came from the zero-shot model
    op.execute("UPDATE library_entries SET embedding_model = 'all-MiniLM-L6-v2' WHERE embedding IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("library_entries", schema=None) as batch_op:
        batch_op.drop_column("embedding_model")
