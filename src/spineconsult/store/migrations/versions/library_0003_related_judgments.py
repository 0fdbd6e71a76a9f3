"""library_related_judgments: specialists' and reviewers' "related / not related" on pairs of pages

Revision ID: library_0003
Revises: library_0002
Create Date: 2026-11-25 22:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "library_0003"
down_revision: str | Sequence[str] | None = "library_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "library_related_judgments",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("slug_a", sa.String(200), nullable=False),
        sa.Column("slug_b", sa.String(200), nullable=False),
        sa.Column("judged_by", sa.Integer(), nullable=False),
        sa.Column("related", sa.Boolean(), nullable=False),
        sa.Column("judged_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("slug_a", "slug_b", "judged_by", name="uq_related_judgment"),
    )
    op.create_index("ix_library_related_judgments_slug_a", "library_related_judgments", ["slug_a"])
    op.create_index("ix_library_related_judgments_slug_b", "library_related_judgments", ["slug_b"])


def downgrade() -> None:
    op.drop_index("ix_library_related_judgments_slug_b", table_name="library_related_judgments")
    op.drop_index("ix_library_related_judgments_slug_a", table_name="library_related_judgments")
    op.drop_table("library_related_judgments")
