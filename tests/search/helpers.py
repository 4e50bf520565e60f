"""Helpers for search tests: articles written straight through the ORM (with their outbox
row, as the knowledge services do), and the worker that the multi-process test spawns."""
from __future__ import annotations

import contextlib

import markdown

from academy.db import utcnow
from academy.knowledge.models import Article, Revision
from academy.search import outbox


def make_article(session, *, slug, title, body="", lang="en", summary="", tags=(), kind="guide", product="",
                 status="published") -> Article:
    """An article with one revision, published unless ``status`` says otherwise, and the
    outbox row that tells the indexer about it (flushed, not committed)."""
    now = utcnow()
    article = Article(slug=slug, lang=lang, kind=kind, product=product, title=title, summary=summary,
                      tags=list(tags), status=status)
    session.add(article)
    session.flush()
    revision = Revision(article_id=article.id, number=1, title=title, summary=summary, tags=list(tags),
                        body_md=body, body_html=markdown.markdown(body), state="published" if status == "published" else "draft",
                        published_at=now if status == "published" else None)
    session.add(revision)
    session.flush()
    if status == "published":
        article.current_revision_id = revision.id
        article.published_at = now
    outbox.enqueue(session, "article", article.id)
    session.flush()
    return article


def set_status(session, article, status) -> None:
    """Change an article's status and tell the indexer, as a service would."""
    article.status = status
    outbox.enqueue(session, "article", article.id)
    session.flush()


@contextlib.contextmanager
def scratch_engine(directory, name):
    """An engine on an empty database of the suite's kind, migrated, dropped afterwards."""
    from academy import schema
    from academy.db import make_engine
    from tests import databases

    with databases.scratch_database(directory, name) as url:
        engine = make_engine(url)
        try:
            schema.upgrade(engine)
            yield engine
        finally:
            engine.dispose()


def test_config(database_url, instance_dir, index_dir) -> dict:
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "INSTANCE_DIR": instance_dir,
        "SEARCH_INDEX_DIR": index_dir,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
    }


def publish_from_worker(database_url, instance_dir, index_dir, worker, count, barrier) -> None:
    """Run in a spawned process: publish ``count`` articles, one commit each, through a
    real app (whose after-commit hook applies the outbox), then apply once more."""
    from academy import create_app
    from academy.db import get_session
    from academy.search import indexer, setup

    app = create_app(test_config(database_url, instance_dir, index_dir))
    setup.init_app(app)
    with app.app_context():
        session = get_session()
        barrier.wait(timeout=60)
        for number in range(count):
            make_article(session, slug=f"worker-{worker}-{number}", title=f"Concurrency probe {worker}/{number}",
                         body="Every worker publishes zeppelinwharf articles at the same time.")
            session.commit()
        indexer.apply_pending(session, index_dir)
        session.close()
    app.extensions["academy.engine"].dispose()
