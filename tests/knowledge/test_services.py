"""Authoring, the publishing workflow, reading, acknowledging, what's new, verification."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from academy.domain_errors import Conflict, DomainError
from academy.knowledge import services, whatsnew
from academy.knowledge.models import ArticleStatus, RevisionState
from academy.search.models import IndexOutbox
from tests import factories
from tests.factories import published_article

UTC = dt.timezone.utc


def _fields(article, **changes):
    revision = article.revisions[-1]
    values = dict(title=revision.title, body_md=revision.body_md, kind=article.kind, product=article.product,
                  summary=revision.summary, tags=tuple(revision.tags),
                  requires_acknowledgement=article.requires_acknowledgement)
    values.update(changes)
    return services.ArticleFields(**values)


def test_every_save_creates_a_revision_and_publishing_makes_it_current(db):
    trainer = factories.TrainerFactory()
    article = services.create_article(db, slug="refunds", lang="en", author=trainer,
                                      fields=services.ArticleFields(title="Refunds", body_md="v1", kind="policy"))
    assert article.status == ArticleStatus.DRAFT and article.current_revision is None
    services.publish_revision(db, article, article.revisions[0], actor=trainer)
    second = services.save_revision(db, article, fields=_fields(article, body_md="v2"), author=trainer,
                                    based_on=1, change_note="Clarified", is_major=False)
    assert second.number == 2 and second.state == RevisionState.DRAFT
    assert article.current_revision.number == 1  # readers still see v1
    services.submit_for_review(db, article, second)
    services.publish_revision(db, article, second, actor=trainer)
    assert article.current_revision is second and second.body_html == "<p>v2</p>"


def test_saving_over_a_newer_revision_is_refused_and_overwrites_nothing(db):
    article = published_article(db)
    services.save_revision(db, article, fields=_fields(article, body_md="first trainer"), author=None, based_on=1)
    with pytest.raises(Conflict) as caught:
        services.save_revision(db, article, fields=_fields(article, body_md="second trainer"), author=None, based_on=1)
    assert "revision 2" in str(caught.value.message)
    assert [r.body_md for r in article.revisions] == ["Text of refunds in en.", "first trainer"]


def test_publishing_writes_an_index_outbox_row_in_the_same_transaction(db):
    before = db.scalar(sa.select(sa.func.count()).select_from(IndexOutbox))
    article = published_article(db)
    rows = db.scalars(sa.select(IndexOutbox).order_by(IndexOutbox.id)).all()[before:]
    assert [(r.entity, r.entity_id, r.operation) for r in rows] == [("article", article.id, "upsert")]
    services.archive_article(db, article)
    assert db.scalars(sa.select(IndexOutbox).order_by(IndexOutbox.id.desc())).first().operation == "delete"


def test_restoring_an_old_revision_makes_a_new_draft(db):
    article = published_article(db, body="original")
    services.publish_revision(db, article, services.save_revision(
        db, article, fields=_fields(article, body_md="changed"), author=None, based_on=1), actor=None)
    restored = services.restore_revision(db, article, 1, author=None)
    assert (restored.number, restored.body_md, restored.state) == (3, "original", RevisionState.DRAFT)
    assert "Restored from revision 1" in restored.change_note


def test_a_translation_is_outdated_after_a_major_revision_of_the_original(db):
    now = dt.datetime(2026, 11, 1, tzinfo=UTC)
    original = published_article(db, "refunds", "en")
    translation = published_article(db, "refunds", "cs")
    assert not services.is_translation_outdated(db, translation)
    minor = services.save_revision(db, original, fields=_fields(original, body_md="minor"), author=None, based_on=1)
    services.publish_revision(db, original, minor, actor=None, now=now + dt.timedelta(days=400))
    assert not services.is_translation_outdated(db, translation)
    major = services.save_revision(db, original, fields=_fields(original, body_md="major"), author=None,
                                   based_on=2, is_major=True)
    services.publish_revision(db, original, major, actor=None, now=now + dt.timedelta(days=401))
    assert services.is_translation_outdated(db, translation)


def test_a_major_revision_asks_everyone_to_acknowledge_again(db):
    reader = factories.SpecialistFactory()
    policy = published_article(db, "escalation", requires_acknowledgement=True, kind="policy")
    assert services.needs_acknowledgement(db, reader, policy)
    services.acknowledge_article(db, reader, policy)
    assert not services.needs_acknowledgement(db, reader, policy)
    minor = services.save_revision(db, policy, fields=_fields(policy, body_md="typo fixed"), author=None, based_on=1)
    services.publish_revision(db, policy, minor, actor=None)
    assert not services.needs_acknowledgement(db, reader, policy)
    major = services.save_revision(db, policy, fields=_fields(policy, body_md="new rule"), author=None, based_on=2,
                                   is_major=True)
    services.publish_revision(db, policy, major, actor=None)
    assert services.needs_acknowledgement(db, reader, policy)


def test_acknowledging_an_article_that_asks_for_none_is_refused(db):
    with pytest.raises(DomainError):
        services.acknowledge_article(db, factories.SpecialistFactory(), published_article(db))


def test_whats_new_lists_updates_since_the_reader_joined_and_clears_on_reading(db):
    joined = dt.datetime(2026, 10, 1, tzinfo=UTC)
    reader = factories.SpecialistFactory(created_at=joined, language="de")
    old = published_article(db, "old-news", "de")
    old.last_major_at = joined - dt.timedelta(days=30)
    fresh = published_article(db, "fibre-max-2500", "de", is_new_offering=True, kind="product")
    english_only = published_article(db, "family-bundle", "en")
    published_article(db, "refunds", "en")
    published_article(db, "refunds", "de")
    db.flush()
    slugs = {(u.article.slug, u.article.lang) for u in whatsnew.updates_for(db, reader)}
    assert slugs == {("fibre-max-2500", "de"), ("family-bundle", "en"), ("refunds", "de")}
    services.record_read(db, reader, fresh)
    assert whatsnew.count_for(db, reader) == 2
    services.record_read(db, reader, english_only)
    major = services.save_revision(db, english_only, fields=_fields(english_only, body_md="more"), author=None,
                                   based_on=1, is_major=True)
    services.publish_revision(db, english_only, major, actor=None)
    [update] = [u for u in whatsnew.updates_for(db, reader) if u.article.slug == "family-bundle"]
    assert update.last_read_number == 1 and not update.is_first_publication


def test_awareness_reports_who_read_and_how_long_after_publication(db):
    published = dt.datetime(2026, 11, 2, 8, tzinfo=UTC)
    fast = factories.SpecialistFactory(name="Fast Reader")
    slow = factories.SpecialistFactory(name="Slow Reader")
    factories.SpecialistFactory(name="German Reader", language="de")
    factories.SpecialistFactory(name="Estonian Reader", language="et")
    policy = published_article(db, "refunds", requires_acknowledgement=True, kind="policy")
    published_article(db, "refunds", "de")  # German readers follow their own translation
    policy.last_major_at = published
    services.record_read(db, fast, policy, now=published + dt.timedelta(hours=2))
    services.acknowledge_article(db, fast, policy, now=published + dt.timedelta(hours=3))
    rows = {r.user.name: r for r in whatsnew.awareness(db, policy)}
    assert set(rows) == {"Fast Reader", "Slow Reader", "Estonian Reader"}
    assert rows["Fast Reader"].delay(published) == dt.timedelta(hours=2)
    assert rows["Fast Reader"].acknowledged_at == published + dt.timedelta(hours=3)
    assert rows["Slow Reader"].read_at is None and rows["Slow Reader"].user is slow


def test_articles_past_their_interval_are_queued_for_their_owner(db):
    owner = factories.TrainerFactory()
    now = dt.datetime(2026, 11, 22, tzinfo=UTC)
    due = published_article(db, "refunds", author=owner, verify_every_days=30)
    due.published_at = now - dt.timedelta(days=31)
    fresh = published_article(db, "escalation", author=owner, verify_every_days=30)
    fresh.published_at = now - dt.timedelta(days=5)
    assert services.verification_queue(db, owner=owner, now=now) == [due]
    services.verify_article(db, due, actor=owner, now=now)
    assert services.verification_queue(db, owner=owner, now=now) == []
