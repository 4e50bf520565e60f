"""Loading ``articles/*.md`` into the database, and writing published articles back.

A sync is all or nothing: every file is parsed and checked first, and if any has a
problem nothing is applied and every problem is reported with its line. An unchanged
file changes nothing; a changed file creates and publishes exactly one revision. A file
that differs only in formatting from what is published (for example one written by
``academy content export``) only has its fingerprint updated.
"""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from academy.accounts.services import find_user_by_email
from academy.content_errors import ContentError, ContentProblem
from academy.knowledge import files, services
from academy.knowledge.models import Article, ArticleStatus
from academy.content_errors import SyncReport




def read_directory(directory: Path, base: Path | None = None) -> list[files.ArticleFile]:
    """Parse every ``*.md`` file in ``directory``; raise ContentError listing all problems."""
    problems: list[ContentProblem] = []
    parsed: list[files.ArticleFile] = []
    seen: dict[tuple[str, str], str] = {}
    if not directory.is_dir():
        return parsed
    for path in sorted(directory.glob("*.md")):
        shown = str(path.relative_to(base)) if base else str(path)
        article, found = files.parse(path, path.read_bytes(), shown)
        problems += found
        if article is None:
            continue
        key = (article.slug, article.lang)
        if key in seen:
            problems.append(ContentProblem(shown, 1, f"duplicate article {article.slug} ({article.lang}): "
                                                     f"also in {seen[key]}"))
            continue
        seen[key] = shown
        parsed.append(article)
    if problems:
        raise ContentError(problems)
    return parsed


def _fields(item: files.ArticleFile) -> services.ArticleFields:
    return services.ArticleFields(
        title=item.title, body_md=item.body, kind=item.kind, product=item.product, summary=item.summary,
        tags=tuple(item.tags), requires_acknowledgement=item.requires_acknowledgement,
        is_new_offering=item.new_offering, verify_every_days=item.verify_every_days)


def _same_as_published(article: Article, item: files.ArticleFile) -> bool:
    current = article.current_revision
    return (
        current is not None and article.status == ArticleStatus.PUBLISHED
        and (current.title, current.summary, list(current.tags), current.body_md.strip())
        == (item.title, item.summary, services.normalise_tags(item.tags), item.body.strip())
        and (article.kind, article.product, article.requires_acknowledgement, article.is_new_offering,
             article.verify_every_days)
        == (item.kind, item.product.lower(), item.requires_acknowledgement, item.new_offering, item.verify_every_days)
        and (item.owner is None or (article.owner is not None and article.owner.email == item.owner))
    )


def sync_articles(session: Session, items: list[files.ArticleFile]) -> SyncReport:
    """Apply parsed article files (from :func:`read_directory`). Flushes; the caller commits."""
    report = SyncReport()
    owners, problems = {}, []
    for item in items:
        if item.owner and item.owner not in owners:
            owners[item.owner] = find_user_by_email(session, item.owner)
            if owners[item.owner] is None:
                problems.append(ContentProblem(item.path, item.owner_line, f"no user with the e-mail {item.owner}"))
    if problems:
        raise ContentError(problems)

    existing = {(a.slug, a.lang): a for a in session.scalars(sa.select(Article))}
    # New articles first, so [[links]] between them resolve when their text is rendered.
    for item in items:
        if (item.slug, item.lang) not in existing:
            article = services.create_article(session, slug=item.slug, lang=item.lang, fields=_fields(item),
                                              author=None, owner=owners.get(item.owner),
                                              change_note=f"Imported from {item.path}")
            existing[(item.slug, item.lang)] = article
            report.created.append(item.path)
    for item in items:
        article = existing[(item.slug, item.lang)]
        if item.path in report.created:
            first = services.latest_revision(session, article)
            services.rerender_revision(session, first)  # now that every new article exists
            services.publish_revision(session, article, first, actor=None)
            article.source_hash = item.digest
            continue
        if article.source_hash == item.digest:
            report.unchanged += 1
            continue
        if _same_as_published(article, item):
            article.source_hash = item.digest
            report.unchanged += 1
            continue
        if item.owner:
            article.owner = owners[item.owner]
        if article.status == ArticleStatus.ARCHIVED:
            services.unarchive_article(session, article)
        latest = services.latest_revision(session, article)
        revision = services.save_revision(session, article, fields=_fields(item), author=None,
                                          based_on=latest.number if latest else None,
                                          change_note=f"Synced from {item.path}", is_major=item.major)
        services.publish_revision(session, article, revision, actor=None)
        article.source_hash = item.digest
        report.updated.append(item.path)
    session.flush()
    return report


def export_articles(session: Session, directory: Path) -> list[Path]:
    """Write every published article's current revision to ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    stmt = sa.select(Article).where(Article.status == ArticleStatus.PUBLISHED).order_by(Article.slug, Article.lang)
    for article in session.scalars(stmt):
        current = article.current_revision
        item = files.ArticleFile(
            path="", slug=article.slug, lang=article.lang, title=current.title, kind=article.kind,
            body=current.body_md, product=article.product, tags=list(current.tags), summary=current.summary,
            requires_acknowledgement=article.requires_acknowledgement, new_offering=article.is_new_offering,
            owner=article.owner.email if article.owner else None, verify_every_days=article.verify_every_days)
        path = directory / f"{article.slug}.{article.lang}.md"
        path.write_text(files.dump(item), encoding="utf-8")
        written.append(path)
    return written
