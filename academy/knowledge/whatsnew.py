"""What's new for each reader, and who became aware of an update when.

A reader's feed holds the published articles in their language, plus the English
version of articles not translated into it. An item is *new* to a reader when the
article's latest major revision was published after the reader joined and the reader
has not opened that revision (or a later one) since. Policies that ask for an
acknowledgement stay pending until the reader acknowledges the latest major revision.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from academy.accounts.models import Role, User
from academy.db import utcnow
from academy.knowledge.models import Acknowledgement, Article, ArticleRead, ArticleStatus, WhatsNewSeen
from academy.knowledge.services import ORIGINAL_LANGUAGE


@dataclass
class Update:
    article: Article
    is_unread: bool                 # published or majorly revised since the reader last read it
    is_first_publication: bool      # new article, rather than a major revision of one
    last_read_number: int | None    # what the reader last opened, for "changed since you read it"
    needs_acknowledgement: bool


def feed_articles(session: Session, language: str, *, changed_after: dt.datetime | None = None) -> list[Article]:
    """Published articles a reader of ``language`` follows; with ``changed_after``, only
    those that could be news to them (a major revision since then, or an acknowledgement
    to give), so the menu badge stays cheap on a large knowledge base."""
    stmt = sa.select(Article).where(Article.status == ArticleStatus.PUBLISHED,
                                    Article.lang.in_([language, ORIGINAL_LANGUAGE]))
    if changed_after is not None:
        stmt = stmt.where(sa.or_(Article.last_major_at > changed_after, Article.requires_acknowledgement.is_(True)))
    candidates = list(session.scalars(stmt))
    if language == ORIGINAL_LANGUAGE:
        return candidates
    own = set(session.scalars(sa.select(Article.slug).where(Article.status == ArticleStatus.PUBLISHED,
                                                            Article.lang == language)))
    return [a for a in candidates if a.lang == language or a.slug not in own]


def updates_for(session: Session, user: User) -> list[Update]:
    """The reader's unread updates and pending acknowledgements, newest first."""
    articles = feed_articles(session, user.language, changed_after=user.created_at)
    ids = [a.id for a in articles]
    last_read = dict(session.execute(
        sa.select(ArticleRead.article_id, sa.func.max(ArticleRead.revision_number))
        .where(ArticleRead.user_id == user.id, ArticleRead.article_id.in_(ids)).group_by(ArticleRead.article_id)).all())
    last_ack = dict(session.execute(
        sa.select(Acknowledgement.article_id, sa.func.max(Acknowledgement.revision_number))
        .where(Acknowledgement.user_id == user.id, Acknowledgement.article_id.in_(ids))
        .group_by(Acknowledgement.article_id)).all())
    updates = []
    for article in articles:
        major = article.last_major_number or 0
        read = last_read.get(article.id)
        unread = article.last_major_at is not None and article.last_major_at > user.created_at and (read or 0) < major
        pending = article.requires_acknowledgement and (last_ack.get(article.id) or 0) < major
        if unread or pending:
            updates.append(Update(article, unread, unread and major == 1, read, pending))
    return sorted(updates, key=lambda u: u.article.last_major_at, reverse=True)


def count_for(session: Session, user: User) -> int:
    return len(updates_for(session, user))


def mark_seen(session: Session, user: User, now: dt.datetime | None = None) -> dt.datetime | None:
    """Record that the user looked at What's new; return when they looked before."""
    row = session.get(WhatsNewSeen, user.id)
    previous = row.seen_at if row else None
    if row is None:
        session.add(WhatsNewSeen(user_id=user.id, seen_at=now or utcnow()))
    else:
        row.seen_at = now or utcnow()
    session.flush()
    return previous


@dataclass
class Awareness:
    user: User
    read_at: dt.datetime | None
    acknowledged_at: dt.datetime | None

    def delay(self, published_at: dt.datetime) -> dt.timedelta | None:
        """Time to awareness: from publication to first opening of the update."""
        return self.read_at - published_at if self.read_at else None


def audience(session: Session, article: Article) -> list[User]:
    """Active specialists whose feed contains ``article``."""
    stmt = sa.select(User).where(User.is_active.is_(True), User.role == Role.SPECIALIST).order_by(User.name)
    if article.lang == ORIGINAL_LANGUAGE:
        translated = {a.lang for a in session.scalars(sa.select(Article).where(
            Article.slug == article.slug, Article.status == ArticleStatus.PUBLISHED))}
        stmt = stmt.where(User.language.notin_(translated - {ORIGINAL_LANGUAGE}))
    else:
        stmt = stmt.where(User.language == article.lang)
    return list(session.scalars(stmt))


def awareness(session: Session, article: Article) -> list[Awareness]:
    """For the latest major revision: who read it and acknowledged it, and when."""
    number = article.last_major_number or 0
    reads = dict(session.execute(
        sa.select(ArticleRead.user_id, sa.func.min(ArticleRead.read_at))
        .where(ArticleRead.article_id == article.id, ArticleRead.revision_number >= number)
        .group_by(ArticleRead.user_id)).all())
    acks = dict(session.execute(
        sa.select(Acknowledgement.user_id, sa.func.min(Acknowledgement.acknowledged_at))
        .where(Acknowledgement.article_id == article.id, Acknowledgement.revision_number >= number)
        .group_by(Acknowledgement.user_id)).all())
    return [Awareness(user, reads.get(user.id), acks.get(user.id)) for user in audience(session, article)]


def recent_updates(session: Session, since: dt.datetime) -> list[Article]:
    """Articles with a major revision published since ``since``, newest first."""
    return list(session.scalars(sa.select(Article).where(
        Article.status == ArticleStatus.PUBLISHED, Article.last_major_at >= since).order_by(Article.last_major_at.desc())))
