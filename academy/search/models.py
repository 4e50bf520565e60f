"""The index outbox and the search log."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from academy.db import Base, utcnow


class IndexOutbox(Base):
    """A change to searchable content, written in the same transaction as the change.

    The indexer applies rows in id order and records, per index directory, the last id
    it applied; rows are never updated, and old ones may be pruned once every node has
    applied them.
    """

    __tablename__ = "index_outbox"

    id: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True)
    entity: Mapped[str] = mapped_column(sa.String(32))  # "article"
    entity_id: Mapped[int]
    operation: Mapped[str] = mapped_column(sa.String(16))  # "upsert" | "delete"
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SearchLog(Base):
    """One search someone ran, and which result (if any) they opened from it."""

    __tablename__ = "search_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    query: Mapped[str] = mapped_column(sa.String(500))
    # Normalised (lower case, single spaces) so "Refund " and "refund" count together.
    normalized_query: Mapped[str] = mapped_column(sa.String(500), index=True)
    lang: Mapped[str] = mapped_column(sa.String(8), default="", server_default="")
    filters: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    result_count: Mapped[int]
    source: Mapped[str] = mapped_column(sa.String(16), default="web", server_default="web")  # web, api, cli, practice
    opened_slug: Mapped[str | None] = mapped_column(sa.String(120))
    opened_lang: Mapped[str | None] = mapped_column(sa.String(8))
    opened_rank: Mapped[int | None]
    opened_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
