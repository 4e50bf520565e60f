"""Knowledge-base endpoints: search, articles, what's new."""
from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify, request
from flask_login import current_user

from academy.accounts import access
from academy.api import params
from academy.api.errors import ApiError
from academy.api.views import bp
from academy.db import get_session
from academy.knowledge import services, whatsnew
from academy.knowledge.models import Article, ArticleStatus, Kind
from academy.search import querylog, searcher


def _iso(value):
    return value.isoformat() if value else None


def _summary(article: Article) -> dict:
    return {
        "slug": article.slug, "lang": article.lang, "title": article.title, "kind": article.kind,
        "product": article.product, "tags": list(article.tags), "summary": article.summary,
        "revision": article.current_revision.number if article.current_revision else None,
        "updated_at": _iso(article.updated_at), "url": services.article_url(article.slug, article.lang),
    }


@bp.route("/search")
@access.signed_in
def search():
    query = (request.args.get("q") or "").strip()
    if not query:
        raise ApiError(400, "invalid", "'q' is required", "q")
    if len(query) > 500:
        raise ApiError(400, "invalid", "'q' is longer than 500 characters", "q")
    filters = {"lang": params.language(), "kind": params.choice("kind", Kind),
               "product": (request.args.get("product") or "").strip().lower() or None,
               "tag": (request.args.get("tag") or "").strip().lower() or None}
    limit, page = params.integer("limit", 10, 1, 100), params.integer("page", 1, 1, 1000)
    session = get_session()
    result = searcher.search(session, query, page=page, limit=limit, **filters)
    querylog.log_search(session, current_user.id, query, filters["lang"] or "",
                        {k: v for k, v in filters.items() if v}, result.total, "api")
    session.commit()
    body = result.as_dict()
    for hit in body["results"]:
        hit["url"] = services.article_url(hit["slug"], hit["lang"])
    return jsonify(body)


@bp.route("/articles")
@access.signed_in
def articles():
    since = params.timestamp("updated_since")
    lang = params.language()
    stmt = sa.select(Article).where(Article.status == ArticleStatus.PUBLISHED).order_by(Article.updated_at.desc())
    if since:
        stmt = stmt.where(Article.updated_at > since)
    if lang:
        stmt = stmt.where(Article.lang == lang)
    return jsonify(articles=[_summary(a) for a in get_session().scalars(stmt)])


@bp.route("/articles/<slug>")
@access.signed_in
def article(slug: str):
    session = get_session()
    lang = params.language()
    versions = {a.lang: a for a in services.translations(session, slug)}
    chosen = versions.get(lang) if lang else (versions.get(current_user.language) or versions.get("en")
                                              or next(iter(versions.values()), None))
    if chosen is None:
        raise ApiError(404, "not_found", f"no published article '{slug}'" + (f" in '{lang}'" if lang else ""), "slug")
    services.record_read(session, current_user, chosen)
    session.commit()
    body = _summary(chosen)
    body.update(body_html=chosen.current_revision.body_html, translations=sorted(versions),
                requires_acknowledgement=chosen.requires_acknowledgement,
                needs_acknowledgement=services.needs_acknowledgement(session, current_user, chosen),
                may_be_outdated=services.is_translation_outdated(session, chosen))
    return jsonify(body)


@bp.route("/whats-new")
@access.signed_in
def whats_new():
    session = get_session()
    updates = whatsnew.updates_for(session, current_user)
    previous = whatsnew.mark_seen(session, current_user)
    session.commit()
    items = []
    for update in updates:
        item = _summary(update.article)
        item.update(published_at=_iso(update.article.last_major_at), is_new_offering=update.article.is_new_offering,
                    is_unread=update.is_unread, is_first_publication=update.is_first_publication,
                    last_read_revision=update.last_read_number,
                    needs_acknowledgement=update.needs_acknowledgement,
                    since_last_look=previous is None or update.article.last_major_at > previous)
        items.append(item)
    return jsonify(since=_iso(previous), updates=items,
                   pending_acknowledgements=[{"slug": i["slug"], "lang": i["lang"], "title": i["title"], "url": i["url"]}
                                             for i in items if i["needs_acknowledgement"]])
