"""What the knowledge-base home shows: products and kinds to browse, the articles
matching the chosen ones, recently updated articles and new offerings."""
from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
from sqlalchemy.orm import Session

from academy.knowledge.models import Article, ArticleStatus


def browse(session: Session, *, lang: str, product: str | None = None, kind: str | None = None) -> dict:
    published = list(session.scalars(
        sa.select(Article).where(Article.status == ArticleStatus.PUBLISHED, Article.lang == lang).order_by(Article.title)))
    products = Counter(a.product for a in published if a.product)
    chosen = [a for a in published if (not product or a.product == product) and (not kind or a.kind == kind)]
    recent = sorted(published, key=lambda a: a.updated_at, reverse=True)[:8]
    offerings = sorted((a for a in published if a.is_new_offering), key=lambda a: a.published_at, reverse=True)
    return {
        "products": sorted(products.items()),
        "articles": chosen,
        "recent": recent,
        "offerings": offerings,
        "selected": {"product": product, "kind": kind},
        "total": len(published),
    }
