"""The search log and the figures trainers read from it."""
from __future__ import annotations

import csv
import datetime as dt
import io

from academy.db import utcnow
from academy.search import querylog
from academy.search.models import SearchLog
from tests import factories


def log(db, user, query, results, opened=None, at=None):
    entry = querylog.log_search(db, user.id if user else None, query, "en", {"kind": "policy", "product": None},
                                results, "web")
    if at is not None:
        entry.created_at = at
    if opened:
        querylog.log_open(db, entry.id, user.id if user else None, opened, "en", 1)
    db.flush()
    return entry


def test_log_search_normalises_the_query_and_keeps_set_filters(db):
    user = factories.SpecialistFactory()
    entry = querylog.log_search(db, user.id, "  Refund   POLICY ", "cs", {"kind": "policy", "tag": ""}, 4, "api")
    assert db.get(SearchLog, entry.id) is entry
    assert (entry.query, entry.normalized_query, entry.lang, entry.filters, entry.result_count, entry.source) == (
        "  Refund   POLICY ", "refund policy", "cs", {"kind": "policy"}, 4, "api")


def test_log_open_records_the_first_result_opened_by_the_same_user_only(db):
    user, other = factories.SpecialistFactory(), factories.SpecialistFactory()
    entry = querylog.log_search(db, user.id, "refund", "en", {}, 3)
    assert querylog.log_open(db, entry.id, other.id, "refunds", "en", 1) is None
    assert entry.opened_slug is None
    assert querylog.log_open(db, entry.id, user.id, "refunds", "en", 2) is entry
    querylog.log_open(db, entry.id, user.id, "vouchers", "en", 3)
    assert (entry.opened_slug, entry.opened_lang, entry.opened_rank) == ("refunds", "en", 2)
    assert entry.opened_at is not None
    assert querylog.log_open(db, 10**9, user.id, "refunds", "en", 1) is None


def test_anonymous_log_rows_cannot_be_claimed(db):
    entry = querylog.log_search(db, None, "refund", "en", {}, 3)
    assert querylog.log_open(db, entry.id, None, "refunds", "en", 1) is None


def test_trainer_figures_group_by_normalised_query(db):
    user = factories.SpecialistFactory()
    for _ in range(3):
        log(db, user, "Refund", 4)
    log(db, user, "refund ", 2, opened="refunds")
    log(db, user, "voucher", 0)
    log(db, user, "Voucher", 0)
    log(db, user, "router reset", 5)
    log(db, user, "router reset", 7)

    top = querylog.top_queries(db)
    assert [(row.query, row.searches, row.avg_results, row.opened) for row in top] == [
        ("refund", 4, 3.5, 1), ("router reset", 2, 6.0, 0), ("voucher", 2, 0.0, 0)]
    assert [row.query for row in querylog.zero_result_queries(db)] == ["voucher"]
    assert [row.query for row in querylog.unopened_queries(db)] == ["router reset"]
    assert len(querylog.top_queries(db, limit=1)) == 1


def test_trainer_figures_respect_the_period(db):
    user = factories.SpecialistFactory()
    now = utcnow()
    log(db, user, "old", 1, at=now - dt.timedelta(days=40))
    log(db, user, "recent", 1, at=now - dt.timedelta(days=2))
    since, until = now - dt.timedelta(days=30), now
    assert [row.query for row in querylog.top_queries(db, since, until)] == ["recent"]
    assert [row.query for row in querylog.top_queries(db, until=since)] == ["old"]


def test_csv_export_has_a_header_and_defuses_formulas(db):
    rows = [querylog.QueryStats("refund", 4, 3.5, 1), querylog.QueryStats("=cmd|' /c calc'!a0", 1, 0.0, 0)]
    parsed = list(csv.reader(io.StringIO(querylog.export_csv(rows))))
    assert parsed == [["query", "searches", "avg_results", "opened"], ["refund", "4", "3.50", "1"],
                      ["'=cmd|' /c calc'!a0", "1", "0.00", "0"]]


def test_normalize_query():
    assert querylog.normalize_query("  Vrácení\tPENĚZ  ") == "vrácení peněz"
    assert len(querylog.normalize_query("x " * 600)) == 500
