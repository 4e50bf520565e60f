"""Supervisor pages: for each recent update, who has read and acknowledged it, how long
after publication (time to awareness), and who has not."""
from __future__ import annotations

import datetime as dt
import statistics

from flask import render_template, request

from academy.accounts import access
from academy.accounts.models import Role
from academy.db import get_session, utcnow
from academy.knowledge import whatsnew
from academy.knowledge.views import bp, load_article

OVERSEERS = access.roles(Role.SUPERVISOR, Role.TRAINER, Role.ADMIN)
PERIODS = (30, 90, 365)


def summarise(article, rows: list[whatsnew.Awareness]) -> dict:
    delays = [r.delay(article.last_major_at).total_seconds() for r in rows if r.read_at]
    return {
        "audience": len(rows),
        "read": sum(1 for r in rows if r.read_at),
        "acknowledged": sum(1 for r in rows if r.acknowledged_at),
        "median_delay": dt.timedelta(seconds=statistics.median(delays)) if delays else None,
    }


@bp.route("/updates")
@OVERSEERS
def updates():
    session = get_session()
    days = request.args.get("days", type=int)
    days = days if days in PERIODS else 90
    articles = whatsnew.recent_updates(session, utcnow() - dt.timedelta(days=days))
    rows = [(a, summarise(a, whatsnew.awareness(session, a))) for a in articles]
    return render_template("knowledge/updates.html", rows=rows, days=days, periods=PERIODS)


@bp.route("/<lang>/<slug>/awareness")
@OVERSEERS
def awareness(lang: str, slug: str):
    session = get_session()
    article = load_article(slug, lang)
    rows = whatsnew.awareness(session, article)
    rows.sort(key=lambda r: (r.read_at is None, r.read_at or utcnow()))
    return render_template("knowledge/awareness.html", article=article, rows=rows, summary=summarise(article, rows))
