"""Knowledge-base pages as readers, trainers and supervisors use them."""
from __future__ import annotations

import sqlalchemy as sa

from academy.accounts.models import Role
from academy.knowledge import services
from academy.knowledge.models import Acknowledgement, Article, ArticleRead, Feedback
from tests.factories import published_article

EDIT = {"title": "Refunds", "kind": "policy", "product": "billing", "tags": "refunds, billing", "summary": "",
        "body_md": "Money back within 5 days.", "verify_every_days": "180", "change_note": "", "action": "draft"}


def test_reading_an_article_records_the_read_and_shows_translations(client, login, db, users):
    reader = login(users[Role.SPECIALIST])
    article = published_article(db, "refunds", "en", title="Refunds")
    published_article(db, "refunds", "cs", title="Vrácení peněz")
    page = client.get("/kb/en/refunds").get_data(as_text=True)
    assert "Refunds" in page and 'hreflang="cs"' in page
    assert db.scalar(sa.select(ArticleRead).where(ArticleRead.user_id == reader.id,
                                                 ArticleRead.article_id == article.id)) is not None


def test_drafts_are_hidden_from_specialists_but_shown_to_trainers(client, login, db, users):
    services.create_article(db, slug="secret-plan", lang="en", author=None,
                            fields=services.ArticleFields(title="Secret plan", body_md="Not yet."))
    login(users[Role.SPECIALIST])
    assert client.get("/kb/en/secret-plan").status_code == 404
    login(users[Role.TRAINER])
    assert client.get("/kb/en/secret-plan").status_code == 200


def test_acknowledging_a_policy_clears_the_badge(client, login, db, users):
    reader = login(users[Role.SPECIALIST])
    reader.created_at = reader.created_at.replace(year=2020)
    published_article(db, "escalation", kind="policy", requires_acknowledgement=True)
    page = client.get("/kb/en/escalation").get_data(as_text=True)
    assert "I have read and will follow this" in page
    assert 'class="nav-badge"' in client.get("/").get_data(as_text=True)
    assert client.post("/kb/en/escalation/acknowledge").status_code == 302
    assert db.scalar(sa.select(Acknowledgement).where(Acknowledgement.user_id == reader.id)) is not None
    assert 'class="nav-badge"' not in client.get("/").get_data(as_text=True)
    assert "I have read and will follow this" not in client.get("/kb/en/escalation").get_data(as_text=True)


def test_feedback_is_stored_with_its_reason(client, login, db, users):
    login(users[Role.SPECIALIST])
    published_article(db)
    client.post("/kb/en/refunds/feedback", data={"helpful": "no", "reason": "Missing the CZK limit"})
    feedback = db.scalar(sa.select(Feedback))
    assert (feedback.is_helpful, feedback.reason) == (False, "Missing the CZK limit")


def test_a_trainer_writes_reviews_and_publishes_an_article(client, login, db, users):
    login(users[Role.TRAINER])
    response = client.post("/kb/new", data={**EDIT, "slug": "refunds", "lang": "en", "action": "review"})
    assert response.status_code == 302
    article = db.scalar(sa.select(Article).where(Article.slug == "refunds"))
    assert article.status == "in_review"
    assert client.post("/kb/en/refunds/revisions/1/publish").status_code == 302
    db.refresh(article)
    assert article.status == "published" and article.current_revision.number == 1


def test_the_editor_preview_renders_without_saving(client, login, db, users):
    login(users[Role.TRAINER])
    response = client.post("/kb/new", data={**EDIT, "slug": "refunds", "lang": "en", "action": "preview",
                                             "body_md": "## Heading\n\n<script>x()</script>[[nowhere]]"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and '<h2 id="heading">' in page and "<script>x()" not in page
    assert "nowhere" in page and db.scalar(sa.select(sa.func.count()).select_from(Article)) == 0


def test_a_stale_edit_is_refused_and_the_authors_text_is_kept_on_the_page(client, login, db, users):
    login(users[Role.TRAINER])
    article = published_article(db)
    services.save_revision(db, article, fields=services.ArticleFields(title="Refunds", body_md="Other trainer"),
                           author=None, based_on=1)
    response = client.post("/kb/en/refunds/edit", data={**EDIT, "body_md": "My careful edit", "based_on": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "while you were editing" in page and "My careful edit" in page
    db.expire_all()
    assert [r.body_md for r in article.revisions][-1] == "Other trainer"


def test_history_diff_and_changes_since_read(client, login, db, users):
    reader = login(users[Role.SPECIALIST])
    article = published_article(db, body="Refunds take 14 days.")
    services.record_read(db, reader, article)
    revision = services.save_revision(db, article, fields=services.ArticleFields(title="Refunds",
                                      body_md="Refunds take 5 days."), author=None, based_on=1, is_major=True)
    services.publish_revision(db, article, revision, actor=None)
    assert "Revision history" in client.get("/kb/en/refunds/history").get_data(as_text=True)
    diff = client.get("/kb/en/refunds/diff?from=1&to=2").get_data(as_text=True)
    assert "<del>14</del><ins>5</ins>" in diff
    changes = client.get("/kb/en/refunds/changes").get_data(as_text=True)
    assert "What changed since you read it" in changes and "<del>14</del>" in changes


def test_specialists_cannot_see_unpublished_revisions_in_a_diff(client, login, db, users):
    login(users[Role.SPECIALIST])
    article = published_article(db)
    services.save_revision(db, article, fields=services.ArticleFields(title="Refunds", body_md="draft"),
                           author=None, based_on=1)
    assert client.get("/kb/en/refunds/diff?from=1&to=2").status_code == 404


def test_restore_and_archive_from_the_history_page(client, login, db, users):
    login(users[Role.TRAINER])
    article = published_article(db)
    assert client.post("/kb/en/refunds/revisions/1/restore").status_code == 302
    db.expire_all()
    assert len(article.revisions) == 2
    assert client.post("/kb/en/refunds/archive").status_code == 302
    db.refresh(article)
    assert article.status == "archived"
    login(users[Role.SPECIALIST])
    assert client.get("/kb/en/refunds").status_code == 404


def test_supervisor_sees_who_has_not_read_an_update(client, login, db, users):
    login(users[Role.SUPERVISOR])
    article = published_article(db, "escalation", kind="policy", requires_acknowledgement=True)
    services.record_read(db, users[Role.SPECIALIST], article)
    page = client.get("/kb/en/escalation/awareness").get_data(as_text=True)
    assert users[Role.SPECIALIST].name in page and users["other_specialist"].name in page
    assert "1 of 2 specialists have read it." in page
    assert "escalation" in client.get("/kb/updates").get_data(as_text=True)


def test_whats_new_page_lists_unread_updates(client, login, db, users):
    reader = login(users[Role.SPECIALIST])
    reader.created_at = reader.created_at.replace(year=2020)
    published_article(db, "fibre-max-2500", title="Lumen Fibre Max 2500", is_new_offering=True, kind="product")
    page = client.get("/kb/whats-new").get_data(as_text=True)
    assert "Lumen Fibre Max 2500" in page and "New offering" in page


def test_knowledge_home_browses_by_product_and_kind(client, login, db, users):
    login(users[Role.SPECIALIST])
    published_article(db, "refunds", title="Refunds", product="billing", kind="policy")
    published_article(db, "router-setup", title="Router setup", product="fibre", kind="guide")
    page = client.get("/kb/?product=fibre").get_data(as_text=True)
    chosen = page.split('id="chosen-h"')[1]
    assert "Router setup" in chosen and "Refunds" not in chosen
    assert "Refunds" in client.get("/kb/?kind=policy").get_data(as_text=True).split('id="chosen-h"')[1]


def test_an_unknown_revision_number_gets_the_404_page(client, login, db, users):
    login(users[Role.TRAINER])
    published_article(db)
    assert client.post("/kb/en/refunds/revisions/99/publish").status_code == 404
    assert client.get("/kb/en/refunds/diff?from=1&to=99").status_code == 404
