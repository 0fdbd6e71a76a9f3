"""Tables of the public library: published entries and a change counter for in-memory indexes.

The full-text index is not declared here: it is engine-specific (an FTS5 virtual table on SQLite, a
generated tsvector column with a GIN index on PostgreSQL) and lives in the library migrations.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from spineconsult.store.base import Base


class LibraryEntry(Base):
    """One published page: a de-identified Q&A or an evidence page generated from the knowledge pack."""

    __tablename__ = "library_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False, default="qa")
    title: Mapped[str] = mapped_column(Text, nullable=False)
    question: Mapped[str] = mapped_column(Text, nullable=False)
    answer: Mapped[str] = mapped_column(Text, nullable=False, default="")
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    procedure: Mapped[str | None] = mapped_column(String(100), nullable=True, index=True)
    # "|topic one|topic two|": a filter is one LIKE '%|topic|%' without a join table
    topics: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # space-separated concept ids found in title + question (synonyms.yaml): explains related pages
    concepts: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # float32 unit vector of title + question; NULL until computed (deferred so publishing stays cheap)
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    # the model that made it (adapter.model_fingerprint): a vector of another model is recomputed
    embedding_model: Mapped[str | None] = mapped_column(String(100), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class LibraryState(Base):
    """A single row whose version grows with every change, so each process knows when to reload."""

    __tablename__ = "library_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)


class RelatedJudgment(Base):
    """A specialist's or reviewer's word on whether two library pages are related.

    The pair is stored once, in slug order (the relation is symmetric), by slug rather than entry id
    so that a judgment outlives `reindex`; one row per judge and pair, the latest word kept.
    """

    __tablename__ = "library_related_judgments"
    __table_args__ = (UniqueConstraint("slug_a", "slug_b", "judged_by", name="uq_related_judgment"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    slug_a: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    slug_b: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    judged_by: Mapped[int] = mapped_column(Integer, nullable=False)
    related: Mapped[bool] = mapped_column(Boolean, nullable=False)
    judged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
