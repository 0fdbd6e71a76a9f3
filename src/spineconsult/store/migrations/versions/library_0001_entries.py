"""library: published entries, change counter, full-text index (FTS5 or tsvector + GIN)

Revision ID: library_0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "library_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("library",)
depends_on: str | Sequence[str] | None = None

PG_VECTOR = (
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(question, '')), 'B') || "
    "setweight(to_tsvector('english', coalesce(answer, '')), 'C')"
)


def upgrade() -> None:
    op.create_table(
        "library_entries",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("slug", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("procedure", sa.String(100), nullable=True),
        sa.Column("topics", sa.Text(), nullable=False),
        sa.Column("concepts", sa.Text(), nullable=False),
        sa.Column("embedding", sa.LargeBinary(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_library_entries"),
        sa.UniqueConstraint("slug", name="uq_library_entries_slug"),
    )
    op.create_index("ix_library_entries_procedure", "library_entries", ["procedure"])
    op.create_table(
        "library_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_library_state"),
    )
    op.execute("INSERT INTO library_state (id, version) VALUES (1, 0)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE library_entries ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS ({PG_VECTOR}) STORED"
        )
        op.execute(
            "CREATE INDEX ix_library_entries_search_vector ON library_entries USING gin (search_vector)"
        )
    else:
        # rowid = library_entries.id; kept in step by spineconsult.library.index (all writes go there)
        op.execute(
            "CREATE VIRTUAL TABLE library_fts USING fts5(title, question, answer, "
            "tokenize = 'porter unicode61 remove_diacritics 2')"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE IF EXISTS library_fts")
    op.drop_table("library_state")
    op.drop_index("ix_library_entries_procedure", table_name="library_entries")
    op.drop_table("library_entries")
