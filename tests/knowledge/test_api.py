"""/api/v1/articles, /articles/<slug> and /whats-new."""
from __future__ import annotations

import pytest

from academy.accounts import services as accounts
from academy.accounts.models import Role
from academy.knowledge import services
from tests.factories import published_article


@pytest.fixture
def bearer(db, users):
    def headers(role=Role.SPECIALIST):
        return {"Authorization": "Bearer " + accounts.issue_token(db, users[role])[1]}
    return headers


def test_articles_lists_published_articles_and_filters_by_update_time(client, db, bearer):
    old = published_article(db, "refunds")
    old.updated_at = old.updated_at.replace(year=2025)
    published_article(db, "escalation", "cs")
    services.create_article(db, slug="draft-only", lang="en", author=None,
                            fields=services.ArticleFields(title="Draft", body_md="x"))
    body = client.get("/api/v1/articles", headers=bearer()).json
    assert {(a["slug"], a["lang"]) for a in body["articles"]} == {("refunds", "en"), ("escalation", "cs")}
    recent = client.get("/api/v1/articles?updated_since=2026-01-01T00:00:00Z", headers=bearer()).json
    assert [a["slug"] for a in recent["articles"]] == ["escalation"]


def test_a_bad_updated_since_is_a_400_naming_the_field(client, bearer):
    response = client.get("/api/v1/articles?updated_since=yesterday", headers=bearer())
    assert response.status_code == 400 and response.json["error"]["field"] == "updated_since"


def test_one_article_in_the_callers_language_with_its_html(client, db, users, bearer):
    users[Role.SPECIALIST].language = "cs"
    published_article(db, "refunds", "en", title="Refunds")
    published_article(db, "refunds", "cs", title="Vrácení peněz", body="**Do 5 dnů**")
    body = client.get("/api/v1/articles/refunds", headers=bearer()).json
    assert body["lang"] == "cs" and body["title"] == "Vrácení peněz"
    assert body["body_html"] == "<p><strong>Do 5 dnů</strong></p>" and body["translations"] == ["cs", "en"]
    assert client.get("/api/v1/articles/refunds?lang=en", headers=bearer()).json["title"] == "Refunds"


def test_a_missing_article_or_language_is_a_json_404(client, db, bearer):
    published_article(db, "refunds", "en")
    assert client.get("/api/v1/articles/nothing", headers=bearer()).status_code == 404
    response = client.get("/api/v1/articles/refunds?lang=et", headers=bearer())
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"
    assert client.get("/api/v1/articles/refunds?lang=xx", headers=bearer()).json["error"]["field"] == "lang"


def test_whats_new_returns_unread_updates_and_pending_acknowledgements(client, db, users, bearer):
    reader = users[Role.SPECIALIST]
    reader.created_at = reader.created_at.replace(year=2020)
    published_article(db, "escalation", kind="policy", requires_acknowledgement=True)
    published_article(db, "fibre-max-2500", kind="product", is_new_offering=True)
    first = client.get("/api/v1/whats-new", headers=bearer()).json
    assert first["since"] is None
    assert {u["slug"] for u in first["updates"]} == {"escalation", "fibre-max-2500"}
    assert [p["slug"] for p in first["pending_acknowledgements"]] == ["escalation"]
    assert all(u["since_last_look"] for u in first["updates"])
    second = client.get("/api/v1/whats-new", headers=bearer()).json
    assert second["since"] is not None and not any(u["since_last_look"] for u in second["updates"])
