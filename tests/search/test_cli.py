"""``academy search`` and ``academy index rebuild`` through the CLI runner."""
from __future__ import annotations

import json

from academy.search import index
from tests.search.helpers import make_article


def test_search_prints_ranked_titles_with_slug_language_and_score(db, runner, index_dir):
    make_article(db, slug="refunds", title="Refunds", body="refund")
    make_article(db, slug="vouchers", title="Vouchers", body="A refund as a voucher.")
    result = runner.invoke(args=["search", "refund"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("1. Refunds (refunds.en) ")
    assert lines[1].startswith("2. Vouchers (vouchers.en) ")
    assert lines[-1] == "2 result(s)."


def test_search_json_has_the_api_shape_with_urls(db, runner, index_dir):
    make_article(db, slug="reklamace", lang="cs", kind="policy", title="Reklamace", body="Reklamace zboží.")
    result = runner.invoke(args=["search", "reklamaci", "--lang", "cs", "--kind", "policy", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["total"] == 1 and data["suggestion"] is None
    assert data["results"][0]["url"] == "/kb/cs/reklamace"
    assert data["results"][0]["title"] == "Reklamace"


def test_search_offers_the_spelling(db, runner, index_dir):
    make_article(db, slug="refunds", title="Refunds", body="refund")
    result = runner.invoke(args=["search", "refnud", "--limit", "1"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "Did you mean: refund"


def test_search_rejects_an_unknown_language(db, runner, index_dir):
    result = runner.invoke(args=["search", "refund", "--lang", "fr"])
    assert result.exit_code == 2
    assert "fr" in result.output


def test_index_rebuild_reports_the_article_count(db, runner, index_dir):
    for number in range(3):
        make_article(db, slug=f"refund-{number}", title="Refund", body="refund")
    before = index.current_generation(index_dir)
    result = runner.invoke(args=["index", "rebuild"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Indexed 3 article(s) in ")
    assert index.current_generation(index_dir) != before


def test_init_step_builds_a_missing_index(db, search_app, index_dir):
    from academy.search import setup

    make_article(db, slug="refunds", title="Refunds", body="refund")
    with search_app.app_context():
        search_app.config["SEARCH_INDEX_DIR"] = index_dir.parent / "fresh"
        try:
            assert setup.build_index_step(db).startswith("Search index built: 1 article(s)")
            assert setup.build_index_step(db) is None
        finally:
            search_app.config["SEARCH_INDEX_DIR"] = index_dir
