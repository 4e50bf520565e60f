"""The knowledge-base panel of the practice screen: opening an article both shows it to the
trainee and tells the engine it was read (the scorer checks it was opened in time). Only
published articles open; the scenario's language is preferred. No Flask."""
from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from academy.domain_errors import DomainError, NotFound
from academy.knowledge import services as knowledge
from academy.knowledge.models import Article
from academy.practice import services
from academy.practice.models import PracticeSession


def find_article(session: Session, slug: str, lang: str) -> Article:
    """The published article ``slug`` in ``lang``, else in English, else in any language."""
    slug = str(slug or "").strip()
    if not slug:
        raise DomainError("Say which article to open.", field="slug")
    versions = {article.lang: article for article in knowledge.translations(session, slug)}
    article = versions.get(lang) or versions.get("en") or next(iter(versions.values()), None)
    if article is None or article.current_revision is None:
        raise NotFound(f"There is no published article '{slug}'.", field="slug")
    return article


def open_article(session: Session, practice: PracticeSession, slug: str, lang: str | None = None,
                 now: dt.datetime | None = None) -> tuple[list[str], Article]:
    """Open the article in the session: (the customer's lines, if any; the article shown)."""
    conv_lang = services.conversation_of(practice).lang
    article = find_article(session, slug, lang or conv_lang)
    replies, _extra = services.act(session, practice, "open_article", {"slug": article.slug, "lang": article.lang},
                                   now=now)
    return replies, article
