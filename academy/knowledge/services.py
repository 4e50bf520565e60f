"""Article operations: authoring and the publishing workflow, reading, acknowledging,
feedback and verification. They take a session and plain values, flush, and raise a
DomainError on a violation; the caller commits. Every change to what readers can find
writes an index outbox row in the same transaction."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from academy import signals
from academy.accounts.models import User
from academy.config import LANGUAGES
from academy.db import utcnow
from academy.domain_errors import Conflict, DomainError, NotFound
from academy.knowledge import rendering
from academy.knowledge.models import (
    Acknowledgement,
    Article,
    ArticleRead,
    ArticleStatus,
    Feedback,
    Kind,
    Revision,
    RevisionState,
)
from academy.search import outbox

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,119}$")
ORIGINAL_LANGUAGE = "en"


def article_url(slug: str, lang: str) -> str:
    return f"/kb/{lang}/{slug}"


@dataclass
class ArticleFields:
    """What an author edits: the metadata of the article and the text of a revision."""

    title: str
    body_md: str
    kind: str = Kind.GUIDE
    product: str = ""
    summary: str = ""
    tags: tuple[str, ...] = ()
    requires_acknowledgement: bool = False
    is_new_offering: bool = False
    verify_every_days: int = 180


def _check_fields(fields: ArticleFields) -> None:
    if not fields.title.strip():
        raise DomainError(_l("The title cannot be empty."), field="title")
    if len(fields.title) > 300:
        raise DomainError(_l("The title is longer than 300 characters."), field="title")
    if fields.kind not in set(Kind):
        raise DomainError(_l("Unknown kind “%(kind)s”.", kind=fields.kind), field="kind")
    if not fields.body_md.strip():
        raise DomainError(_l("The article has no text."), field="body_md")
    if fields.verify_every_days < 1:
        raise DomainError(_l("The verification interval must be at least one day."), field="verify_every_days")


def normalise_tags(tags) -> list[str]:
    seen: list[str] = []
    for tag in tags:
        tag = str(tag).strip().lower()
        if tag and tag not in seen:
            seen.append(tag)
    return seen


# --- lookups --------------------------------------------------------------------------

def get_article(session: Session, slug: str, lang: str) -> Article:
    article = session.scalar(sa.select(Article).where(Article.slug == slug, Article.lang == lang))
    if article is None:
        raise NotFound(_l("No such article."))
    return article


def get_revision(session: Session, article: Article, number: int) -> Revision:
    revision = session.scalar(sa.select(Revision).where(Revision.article_id == article.id, Revision.number == number))
    if revision is None:
        raise NotFound(_l("No such revision."))
    return revision


def latest_revision(session: Session, article: Article) -> Revision | None:
    return session.scalar(
        sa.select(Revision).where(Revision.article_id == article.id).order_by(Revision.number.desc()).limit(1)
    )


def translations(session: Session, slug: str, *, published_only: bool = True) -> list[Article]:
    stmt = sa.select(Article).where(Article.slug == slug).order_by(Article.lang)
    if published_only:
        stmt = stmt.where(Article.status == ArticleStatus.PUBLISHED)
    return list(session.scalars(stmt))


def link_resolver(session: Session, lang: str):
    """Resolve ``[[slug]]`` to the article in ``lang``, else in English, else any language."""

    def resolve(slug: str):
        versions = {a.lang: a for a in translations(session, slug, published_only=False)}
        article = versions.get(lang) or versions.get(ORIGINAL_LANGUAGE) or next(iter(versions.values()), None)
        return (article_url(article.slug, article.lang), article.title) if article else None

    return resolve


def original_of(session: Session, article: Article) -> Article | None:
    """The version translations follow: the English one, when the article is not it."""
    if article.lang == ORIGINAL_LANGUAGE:
        return None
    return session.scalar(sa.select(Article).where(Article.slug == article.slug, Article.lang == ORIGINAL_LANGUAGE,
                                                   Article.status == ArticleStatus.PUBLISHED))


def is_translation_outdated(session: Session, article: Article) -> bool:
    """A translation may be outdated when its original had a major revision after the
    translation's current revision was published."""
    original = original_of(session, article)
    return bool(original and original.last_major_at and article.updated_at and original.last_major_at > article.updated_at)


# --- authoring -------------------------------------------------------------------------

def _new_revision(session, article: Article, fields: ArticleFields, *, author: User | None, change_note: str,
                  is_major: bool, based_on: int | None) -> Revision:
    latest = latest_revision(session, article)
    rendered = rendering.render(fields.body_md, link_resolver(session, article.lang))
    revision = Revision(
        article=article, number=(latest.number + 1) if latest else 1, title=fields.title.strip(),
        summary=fields.summary.strip(), tags=normalise_tags(fields.tags), body_md=fields.body_md,
        body_html=rendered.html, toc_html=rendered.toc_html, change_note=change_note.strip()[:500],
        is_major=is_major, state=RevisionState.DRAFT, author=author, based_on=based_on,
    )
    session.add(revision)
    return revision


def _apply_metadata(article: Article, fields: ArticleFields) -> None:
    article.kind = fields.kind
    article.product = fields.product.strip().lower()
    article.requires_acknowledgement = fields.requires_acknowledgement
    article.is_new_offering = fields.is_new_offering
    article.verify_every_days = fields.verify_every_days
    if article.current_revision_id is None:  # lists show the draft until something is published
        article.title, article.summary, article.tags = fields.title.strip(), fields.summary.strip(), normalise_tags(fields.tags)


def create_article(session: Session, *, slug: str, lang: str, fields: ArticleFields, author: User | None,
                   owner: User | None = None, change_note: str = "") -> Article:
    """Create an article with its first revision as a draft."""
    slug = slug.strip().lower()
    if not SLUG.match(slug):
        raise DomainError(_l("The slug may contain lower-case letters, digits and hyphens only."), field="slug")
    if lang not in LANGUAGES:
        raise DomainError(_l("Unknown language “%(lang)s”.", lang=lang), field="lang")
    _check_fields(fields)
    exists = session.scalar(sa.select(Article.id).where(Article.slug == slug, Article.lang == lang))
    if exists is not None:
        raise Conflict(_l("An article %(slug)s already exists in this language.", slug=slug), field="slug")
    article = Article(slug=slug, lang=lang, title=fields.title.strip(), kind=fields.kind, tags=[],
                      status=ArticleStatus.DRAFT, owner=owner or author)
    _apply_metadata(article, fields)
    session.add(article)
    session.flush()
    _new_revision(session, article, fields, author=author, change_note=change_note or "First version",
                  is_major=True, based_on=None)
    session.flush()
    return article


def save_revision(session: Session, article: Article, *, fields: ArticleFields, author: User | None,
                  based_on: int | None, change_note: str = "", is_major: bool = False) -> Revision:
    """Save an edit as a new draft revision.

    ``based_on`` is the revision number the author's editor was opened on. If someone
    saved a newer revision meanwhile, the save is refused so nothing is overwritten."""
    _check_fields(fields)
    latest = latest_revision(session, article)
    if latest is not None and based_on != latest.number:
        raise Conflict(
            _l("Someone saved revision %(number)d of this article while you were editing. Your text was not "
               "saved over it: copy your changes, open the newest revision and apply them again.",
               number=latest.number),
            field="body_md",
        )
    if article.status == ArticleStatus.ARCHIVED:
        raise DomainError(_l("The article is archived; restore it before editing."))
    _apply_metadata(article, fields)
    revision = _new_revision(session, article, fields, author=author, change_note=change_note,
                             is_major=is_major, based_on=based_on)
    article.updated_at = article.updated_at or utcnow()
    if article.is_published:
        outbox.enqueue(session, "article", article.id)  # metadata such as kind or product may have changed
    session.flush()
    return revision


def rerender_revision(session: Session, revision: Revision) -> None:
    """Render an unpublished revision again, e.g. once the articles it links to exist."""
    if revision.state == RevisionState.PUBLISHED:
        raise DomainError(_l("A published revision never changes."))
    rendered = rendering.render(revision.body_md, link_resolver(session, revision.article.lang))
    revision.body_html, revision.toc_html = rendered.html, rendered.toc_html
    session.flush()


def submit_for_review(session: Session, article: Article, revision: Revision) -> None:
    if revision.state != RevisionState.DRAFT:
        raise DomainError(_l("Only a draft can be sent for review."))
    revision.state = RevisionState.IN_REVIEW
    if article.current_revision_id is None:
        article.status = ArticleStatus.IN_REVIEW
    session.flush()


def return_to_draft(session: Session, article: Article, revision: Revision) -> None:
    if revision.state != RevisionState.IN_REVIEW:
        raise DomainError(_l("Only a revision in review can be sent back."))
    revision.state = RevisionState.DRAFT
    if article.current_revision_id is None:
        article.status = ArticleStatus.DRAFT
    session.flush()


def publish_revision(session: Session, article: Article, revision: Revision, *, actor: User | None,
                     now: dt.datetime | None = None) -> None:
    """Make ``revision`` the one readers see. A major revision (and the first one) tells
    readers again: it appears in their What's new and asks for a new acknowledgement."""
    if revision.article_id != article.id:
        raise DomainError(_l("That revision belongs to another article."))
    if revision.state == RevisionState.PUBLISHED and article.current_revision_id == revision.id:
        raise DomainError(_l("This revision is already published."))
    if article.current_revision is not None and revision.number < article.current_revision.number:
        raise DomainError(_l("A newer revision is already published; restore this one as a new draft instead."))
    now = now or utcnow()
    first = article.published_at is None
    revision.state = RevisionState.PUBLISHED
    revision.published_at = now
    article.current_revision = revision
    article.title, article.summary, article.tags = revision.title, revision.summary, list(revision.tags)
    article.status = ArticleStatus.PUBLISHED
    article.updated_at = now
    if first:
        article.published_at = now
    if first or revision.is_major:
        article.last_major_at = now
        article.last_major_number = revision.number
    outbox.enqueue(session, "article", article.id)
    session.flush()
    signals.revision_published.send(article, session=session, revision=revision, actor=actor,
                                     is_major=first or revision.is_major)


def archive_article(session: Session, article: Article) -> None:
    """Hide an article from readers and search; its history stays."""
    if article.status == ArticleStatus.ARCHIVED:
        raise DomainError(_l("The article is already archived."))
    article.status = ArticleStatus.ARCHIVED
    outbox.enqueue(session, "article", article.id, outbox.DELETE)
    session.flush()


def unarchive_article(session: Session, article: Article) -> None:
    if article.status != ArticleStatus.ARCHIVED:
        raise DomainError(_l("The article is not archived."))
    article.status = ArticleStatus.PUBLISHED if article.current_revision_id else ArticleStatus.DRAFT
    if article.current_revision_id:
        outbox.enqueue(session, "article", article.id)
    session.flush()


def restore_revision(session: Session, article: Article, number: int, *, author: User | None) -> Revision:
    """Copy an old revision into a new draft (history is never rewritten)."""
    old = get_revision(session, article, number)
    latest = latest_revision(session, article)
    fields = ArticleFields(title=old.title, body_md=old.body_md, kind=article.kind, product=article.product,
                           summary=old.summary, tags=tuple(old.tags),
                           requires_acknowledgement=article.requires_acknowledgement,
                           is_new_offering=article.is_new_offering, verify_every_days=article.verify_every_days)
    return save_revision(session, article, fields=fields, author=author, based_on=latest.number if latest else None,
                         change_note=f"Restored from revision {number}")


# --- readers ---------------------------------------------------------------------------

def visible_to(article: Article, user: User) -> bool:
    """Readers see published articles; staff also see drafts, reviews and the archive."""
    return article.is_published or user.role in ("trainer", "supervisor", "admin")


def record_read(session: Session, user: User, article: Article, now: dt.datetime | None = None) -> bool:
    """Note that ``user`` opened the current revision; True the first time."""
    revision = article.current_revision
    if revision is None:
        return False
    exists = session.scalar(sa.select(ArticleRead.id).where(ArticleRead.user_id == user.id,
                                                            ArticleRead.revision_id == revision.id))
    if exists is not None:
        return False
    session.add(ArticleRead(user_id=user.id, article_id=article.id, revision_id=revision.id,
                            revision_number=revision.number, read_at=now or utcnow()))
    session.flush()
    signals.article_read.send(article, session=session, user=user, revision=revision)
    return True


def last_read_number(session: Session, user: User, article: Article) -> int | None:
    return session.scalar(sa.select(sa.func.max(ArticleRead.revision_number))
                          .where(ArticleRead.user_id == user.id, ArticleRead.article_id == article.id))


def needs_acknowledgement(session: Session, user: User, article: Article) -> bool:
    """True when the article asks for acknowledgement and the user has not acknowledged
    its latest major revision (or anything after it)."""
    if not (article.requires_acknowledgement and article.is_published and article.last_major_number):
        return False
    done = session.scalar(sa.select(Acknowledgement.id).where(
        Acknowledgement.user_id == user.id, Acknowledgement.article_id == article.id,
        Acknowledgement.revision_number >= article.last_major_number).limit(1))
    return done is None


def acknowledge_article(session: Session, user: User, article: Article, now: dt.datetime | None = None) -> None:
    if not article.requires_acknowledgement or not article.is_published:
        raise DomainError(_l("This article does not ask for an acknowledgement."))
    if not needs_acknowledgement(session, user, article):
        return
    revision = article.current_revision
    now = now or utcnow()
    record_read(session, user, article, now)
    session.add(Acknowledgement(user_id=user.id, article_id=article.id, revision_id=revision.id,
                                revision_number=revision.number, acknowledged_at=now))
    session.flush()
    signals.article_acknowledged.send(article, session=session, user=user, revision=revision)


def record_feedback(session: Session, user: User, article: Article, *, helpful: bool, reason: str = "") -> Feedback:
    feedback = Feedback(article_id=article.id, revision_id=article.current_revision_id, user_id=user.id,
                        is_helpful=helpful, reason=reason.strip()[:1000])
    session.add(feedback)
    session.flush()
    return feedback


def feedback_summary(session: Session, article: Article) -> tuple[int, int]:
    """(helpful, not helpful) answers for the article."""
    rows = dict(session.execute(sa.select(Feedback.is_helpful, sa.func.count())
                                .where(Feedback.article_id == article.id).group_by(Feedback.is_helpful)).all())
    return rows.get(True, 0), rows.get(False, 0)


# --- verification ------------------------------------------------------------------------

def verify_article(session: Session, article: Article, *, actor: User, now: dt.datetime | None = None) -> None:
    """The owner (or a trainer or admin) confirms the article is still correct."""
    if not article.is_published:
        raise DomainError(_l("Only a published article can be verified."))
    article.verified_at = now or utcnow()
    session.flush()


def verification_queue(session: Session, *, owner: User | None = None, now: dt.datetime | None = None) -> list[Article]:
    """Published articles past their verification interval, oldest first."""
    now = now or utcnow()
    stmt = sa.select(Article).where(Article.status == ArticleStatus.PUBLISHED)
    if owner is not None:
        stmt = stmt.where(Article.owner_id == owner.id)
    due = [a for a in session.scalars(stmt) if a.needs_verification(now)]
    return sorted(due, key=lambda a: a.verification_due_at())
