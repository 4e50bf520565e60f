"""The search log: what people searched for, how many results they got and which one
they opened, and the figures trainers read from it to find gaps in the knowledge base
(queries asked often, queries that find nothing, queries whose results nobody opens).
"""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io

import sqlalchemy as sa
from sqlalchemy.orm import Session

from academy.db import utcnow
from academy.search.models import SearchLog

MAX_QUERY = 500  # SearchLog.query and normalized_query are String(500)
# Spreadsheet programs run cells starting with these as formulas; queries are user input.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def normalize_query(query: str) -> str:
    """Lower case, single spaces: "Refund  Policy " and "refund policy" count together."""
    return " ".join((query or "").lower().split())[:MAX_QUERY]


def log_search(session: Session, user_id: int | None, query: str, lang: str | None, filters: dict | None,
               result_count: int, source: str = "web") -> SearchLog:
    """Record one search; the caller commits with the rest of its unit of work."""
    entry = SearchLog(
        user_id=user_id,
        query=(query or "")[:MAX_QUERY],
        normalized_query=normalize_query(query),
        lang=lang or "",
        filters={key: value for key, value in (filters or {}).items() if value not in (None, "")},
        result_count=result_count,
        source=source,
    )
    session.add(entry)
    session.flush()
    return entry


def log_open(session: Session, log_id: int, user_id: int | None, slug: str, lang: str, rank: int | None) -> SearchLog | None:
    """Record that ``user_id`` opened result ``rank`` (1-based) of their search ``log_id``.

    Only the searcher's own log row is touched (None otherwise, so a forged id changes
    nothing), and only the first result opened counts: it shows what the search offered
    best, later clicks are reading on.
    """
    entry = session.get(SearchLog, log_id)
    if entry is None or entry.user_id is None or entry.user_id != user_id:
        return None
    if entry.opened_at is None:
        entry.opened_slug = slug
        entry.opened_lang = lang
        entry.opened_rank = rank
        entry.opened_at = utcnow()
        session.flush()
    return entry


@dataclasses.dataclass(frozen=True)
class QueryStats:
    query: str  # normalised
    searches: int
    avg_results: float
    opened: int  # searches after which a result was opened


def top_queries(session: Session, since: dt.datetime | None = None, until: dt.datetime | None = None,
                limit: int = 50) -> list[QueryStats]:
    """The most frequent queries in [since, until)."""
    return _stats(session, since, until, limit)


def zero_result_queries(session: Session, since: dt.datetime | None = None, until: dt.datetime | None = None,
                        limit: int = 50) -> list[QueryStats]:
    """Queries that found nothing: what the knowledge base lacks (or calls differently)."""
    return _stats(session, since, until, limit, where=[SearchLog.result_count == 0])


def unopened_queries(session: Session, since: dt.datetime | None = None, until: dt.datetime | None = None,
                     limit: int = 50) -> list[QueryStats]:
    """Queries that found results of which nobody ever opened one: the results do not
    look like the answer."""
    opened = sa.func.count(SearchLog.opened_at)
    return _stats(session, since, until, limit, where=[SearchLog.result_count > 0], having=[opened == 0])


def _stats(session, since, until, limit, where=(), having=()) -> list[QueryStats]:
    searches = sa.func.count(SearchLog.id)
    statement = (
        sa.select(SearchLog.normalized_query, searches, sa.func.avg(SearchLog.result_count),
                  sa.func.count(SearchLog.opened_at))
        .where(SearchLog.normalized_query != "", *where)
        .group_by(SearchLog.normalized_query)
        .having(*having)
        .order_by(searches.desc(), SearchLog.normalized_query)
        .limit(limit)
    )
    if since is not None:
        statement = statement.where(SearchLog.created_at >= since)
    if until is not None:
        statement = statement.where(SearchLog.created_at < until)
    return [QueryStats(query, count, round(float(average or 0), 2), opened)
            for query, count, average, opened in session.execute(statement)]


def export_csv(rows: list[QueryStats]) -> str:
    """The rows as CSV with a header; cells that a spreadsheet would run as a formula are
    prefixed with an apostrophe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["query", "searches", "avg_results", "opened"])
    for row in rows:
        query = "'" + row.query if row.query.startswith(_FORMULA_START) else row.query
        writer.writerow([query, row.searches, f"{row.avg_results:.2f}", row.opened])
    return buffer.getvalue()
