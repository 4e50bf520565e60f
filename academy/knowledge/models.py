"""Articles and their revisions, and what readers did with them."""
from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.accounts.models import User
from academy.db import Base, utcnow


class Kind(enum.StrEnum):
    PRODUCT = "product"
    POLICY = "policy"
    GUIDE = "guide"


class ArticleStatus(enum.StrEnum):
    DRAFT = "draft"            # never published; only staff see it
    IN_REVIEW = "in_review"    # never published; waiting for a reviewer
    PUBLISHED = "published"    # readers see current_revision
    ARCHIVED = "archived"      # hidden from readers and search, kept for history


class RevisionState(enum.StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"    # was published at published_at (it may since have been superseded)


class Article(Base):
    """One language version of an article. Versions sharing a slug are translations.

    ``title``, ``summary`` and ``tags`` mirror the current published revision (or the
    latest draft while the article was never published) so lists need no join; the
    services in ``knowledge.services`` keep them in step.
    """

    __tablename__ = "article"
    __table_args__ = (
        sa.UniqueConstraint("slug", "lang", name="uq_article_slug_lang"),
        sa.CheckConstraint("kind IN ('product', 'policy', 'guide')", name="kind_known"),
        sa.CheckConstraint("status IN ('draft', 'in_review', 'published', 'archived')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), index=True)
    lang: Mapped[str] = mapped_column(sa.String(8))
    kind: Mapped[str] = mapped_column(sa.String(16))
    product: Mapped[str] = mapped_column(sa.String(80), default="", server_default="")
    title: Mapped[str] = mapped_column(sa.String(300))
    summary: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    tags: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    status: Mapped[str] = mapped_column(sa.String(16), default=ArticleStatus.DRAFT, index=True)
    requires_acknowledgement: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # A product or service customers can newly buy: listed under "New offerings".
    is_new_offering: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    verify_every_days: Mapped[int] = mapped_column(default=180, server_default="180")
    verified_at: Mapped[dt.datetime | None]
    current_revision_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("revision.id", use_alter=True, ondelete="SET NULL")
    )
    # When the article was first published, and when a major revision was last published:
    # what's new and acknowledgements key off the latter.
    published_at: Mapped[dt.datetime | None]
    last_major_at: Mapped[dt.datetime | None]
    last_major_number: Mapped[int | None]  # the revision readers must have read/acknowledged
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # SHA-256 of the content file last synced into this article; an unchanged file is skipped.
    source_hash: Mapped[str | None] = mapped_column(sa.String(64))

    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    current_revision: Mapped[Revision | None] = relationship(foreign_keys=[current_revision_id], post_update=True)
    revisions: Mapped[list[Revision]] = relationship(
        back_populates="article", foreign_keys="Revision.article_id", order_by="Revision.number",
        cascade="all, delete-orphan",
    )

    @property
    def is_published(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED

    def verification_due_at(self) -> dt.datetime | None:
        start = self.verified_at or self.published_at
        return start + dt.timedelta(days=self.verify_every_days) if start else None

    def needs_verification(self, now: dt.datetime) -> bool:
        due = self.verification_due_at()
        return due is not None and due <= now

    def __repr__(self) -> str:
        return f"<Article {self.slug}.{self.lang} {self.status}>"


class Revision(Base):
    """A saved version of an article. Never changed after it is published."""

    __tablename__ = "revision"
    __table_args__ = (
        sa.UniqueConstraint("article_id", "number", name="uq_revision_article_number"),
        sa.CheckConstraint("state IN ('draft', 'in_review', 'published')", name="state_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(sa.ForeignKey("article.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]  # 1, 2, 3 ... per article
    title: Mapped[str] = mapped_column(sa.String(300))
    summary: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    tags: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    body_md: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)  # rendered and sanitized once, at save
    toc_html: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    change_note: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    is_major: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    state: Mapped[str] = mapped_column(sa.String(16), default=RevisionState.DRAFT)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    # The revision number the author started editing from; saving is refused when the
    # article moved on meanwhile (two trainers editing the same revision).
    based_on: Mapped[int | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    published_at: Mapped[dt.datetime | None]

    article: Mapped[Article] = relationship(back_populates="revisions", foreign_keys=[article_id])
    author: Mapped[User | None] = relationship()


class ArticleRead(Base):
    """The first time a user opened a given revision of an article."""

    __tablename__ = "article_read"
    __table_args__ = (sa.UniqueConstraint("user_id", "revision_id", name="uq_article_read_user_revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int] = mapped_column(sa.ForeignKey("article.id", ondelete="CASCADE"), index=True)
    revision_id: Mapped[int] = mapped_column(sa.ForeignKey("revision.id", ondelete="CASCADE"))
    revision_number: Mapped[int]
    read_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Acknowledgement(Base):
    """A user confirmed they read and will follow a revision of a policy."""

    __tablename__ = "acknowledgement"
    __table_args__ = (sa.UniqueConstraint("user_id", "revision_id", name="uq_acknowledgement_user_revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int] = mapped_column(sa.ForeignKey("article.id", ondelete="CASCADE"), index=True)
    revision_id: Mapped[int] = mapped_column(sa.ForeignKey("revision.id", ondelete="CASCADE"))
    revision_number: Mapped[int]
    acknowledged_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Feedback(Base):
    """A reader's answer to "Was this helpful?"."""

    __tablename__ = "article_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(sa.ForeignKey("article.id", ondelete="CASCADE"), index=True)
    revision_id: Mapped[int | None] = mapped_column(sa.ForeignKey("revision.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    is_helpful: Mapped[bool]
    reason: Mapped[str] = mapped_column(sa.String(1000), default="", server_default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class WhatsNewSeen(Base):
    """When a user last opened their What's new list (the API's "since you last looked")."""

    __tablename__ = "whats_new_seen"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
