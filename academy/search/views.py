"""The search page (also reached from the search box in the header) and the trainers'
search analytics."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, render_template, request
from flask_login import current_user

from academy.accounts import access
from academy.accounts.models import Role
from academy.config import LANGUAGES
from academy.db import get_session, utcnow
from academy.knowledge.models import Kind
from academy.knowledge.services import article_url
from academy.search import querylog, searcher

bp = Blueprint("search", __name__)
PAGE_SIZE = 10
PERIODS = (7, 30, 90)


def _filters() -> dict:
    lang = request.args.get("lang") or None
    kind = request.args.get("kind") or None
    return {
        "lang": lang if lang in LANGUAGES else None,
        "kind": kind if kind in set(Kind) else None,
        "product": (request.args.get("product") or "").strip().lower() or None,
        "tag": (request.args.get("tag") or "").strip().lower() or None,
    }


@bp.route("/search")
@access.signed_in
def search_page():
    session = get_session()
    query = (request.args.get("q") or "").strip()[:500]
    page = max(request.args.get("page", type=int) or 1, 1)
    filters = _filters()
    result, log_id = None, None
    if query:
        result = searcher.search(session, query, page=page, limit=PAGE_SIZE, **filters)
        log_id = querylog.log_search(session, current_user.id, query, filters["lang"] or "",
                                     {k: v for k, v in filters.items() if v}, result.total, "web").id
        session.commit()
    return render_template("search/results.html", query=query, result=result, filters=filters, page=page,
                           page_size=PAGE_SIZE, log_id=log_id, kinds=list(Kind), languages=LANGUAGES,
                           url_for_hit=article_url)


def _period() -> tuple[int, dt.datetime, dt.datetime]:
    days = request.args.get("days", type=int)
    days = days if days in PERIODS else 30
    until = utcnow()
    return days, until - dt.timedelta(days=days), until


@bp.route("/search/analytics")
@access.roles(Role.TRAINER, Role.ADMIN)
def analytics():
    session = get_session()
    days, since, until = _period()
    return render_template(
        "search/analytics.html", days=days, periods=PERIODS,
        top=querylog.top_queries(session, since, until, 20),
        zero=querylog.zero_result_queries(session, since, until, 20),
        unopened=querylog.unopened_queries(session, since, until, 20),
    )


@bp.route("/search/analytics.csv")
@access.roles(Role.TRAINER, Role.ADMIN)
def analytics_csv():
    session = get_session()
    days, since, until = _period()
    report = request.args.get("report", "top")
    rows = {"top": querylog.top_queries, "zero": querylog.zero_result_queries,
            "unopened": querylog.unopened_queries}.get(report, querylog.top_queries)(session, since, until, 1000)
    return Response(querylog.export_csv(rows), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="search-{report}-{days}d.csv"'})
