"""Index writes through the outbox: applying, the after-commit hook, catching up, rows
committed out of id order, and several processes publishing at once."""
from __future__ import annotations

import datetime as dt
import multiprocessing

import sqlalchemy as sa

from sqlalchemy.orm import Session

from academy.db import utcnow
from academy.search import index, indexer, searcher
from academy.search.index import OutboxState, advance
from academy.search.models import IndexOutbox
from tests.search.helpers import make_article, publish_from_worker, scratch_engine, set_status


def state_of(index_dir):
    return index.read_state(index.current_generation(index_dir))


def all_applied(db, index_dir):
    """Every outbox row is applied (``through`` itself may wait below ids that PostgreSQL
    sequences skipped in earlier, rolled-back tests)."""
    state = state_of(index_dir)
    return all(state.is_applied(row_id) for row_id in db.scalars(sa.select(IndexOutbox.id)))


def doc_count(index_dir):
    ix = index.open_generation(index.current_generation(index_dir))
    with ix.reader() as reader:
        return reader.doc_count()


def test_apply_pending_indexes_new_rows_once_and_records_the_position(db, index_dir):
    article = make_article(db, slug="refunds", title="Refunds", body="refund")
    assert indexer.apply_pending(db, index_dir) == 1
    assert all_applied(db, index_dir)
    assert indexer.apply_pending(db, index_dir) == 0
    set_status(db, article, "archived")
    assert indexer.apply_pending(db, index_dir) == 1
    assert doc_count(index_dir) == 0


def test_commit_applies_the_outbox_in_the_same_process(db, search_app, index_dir):
    with search_app.app_context():
        make_article(db, slug="refunds", title="Refunds", body="refund")
        db.commit()
    assert all_applied(db, index_dir)
    assert doc_count(index_dir) == 1


def test_rolled_back_outbox_rows_are_not_applied_by_a_later_commit(db, search_app, index_dir):
    with search_app.app_context():
        nested = db.begin_nested()
        make_article(db, slug="gone", title="Gone", body="gone")
        nested.rollback()
        db.commit()
    assert doc_count(index_dir) == 0


def test_search_catches_up_with_rows_committed_elsewhere(db, find, index_dir):
    before = doc_count(index_dir)
    make_article(db, slug="refunds", title="Refunds", body="refund")  # no apply, no commit hook
    assert [hit.slug for hit in find("refund").results] == ["refunds"]
    assert doc_count(index_dir) == before + 1


def test_searcher_is_reused_until_the_index_changes(db, find):
    make_article(db, slug="one", title="Refund one", body="refund")
    find("refund")
    holders = list(searcher._searchers.values())
    assert len(holders) == 1
    first = holders[0].opened  # the searcher and its posting cache
    find("refund")
    assert holders[0].opened is first
    make_article(db, slug="two", title="Refund two", body="refund")
    assert find("refund").total == 2
    assert holders[0].opened is not first


def test_row_committed_after_a_higher_id_is_still_applied(db, index_dir):
    # PostgreSQL hands out ids at insert and shows rows at commit: id N+1 can be seen
    # before id N. The index must not move past N while N may still come.
    first = make_article(db, slug="first", title="Refund first", body="refund")
    second = make_article(db, slug="second", title="Refund second", body="refund")
    db.execute(sa.delete(IndexOutbox))
    base = state_of(index_dir).through
    db.add(IndexOutbox(id=base + 2, entity="article", entity_id=second.id, operation="upsert"))
    db.flush()
    indexer.apply_pending(db, index_dir)
    assert state_of(index_dir) == OutboxState(through=base, above=frozenset({base + 2}))
    db.add(IndexOutbox(id=base + 1, entity="article", entity_id=first.id, operation="upsert"))
    db.flush()
    assert indexer.apply_pending(db, index_dir) == 1
    assert state_of(index_dir) == OutboxState(through=base + 2)
    assert doc_count(index_dir) == 2


def test_position_passes_a_gap_only_once_it_is_old():
    now = utcnow()
    young, old = now - dt.timedelta(seconds=5), now - index.GAP_GRACE - dt.timedelta(seconds=1)
    state = OutboxState(through=10)
    assert advance(state, [(11, young), (13, young)], {11, 13}, now) == OutboxState(11, frozenset({13}))
    assert advance(state, [(11, young), (13, old)], {11, 13}, now) == OutboxState(13)
    assert advance(state, [(12, young)], {12}, now) == OutboxState(10, frozenset({12}))
    assert advance(state, [(11, young), (12, young)], {12}, now) == OutboxState(10, frozenset({12}))


def test_index_ahead_of_the_database_is_rebuilt(db, find, index_dir, caplog):
    make_article(db, slug="refunds", title="Refunds", body="refund")
    find("refund")
    generation = index.current_generation(index_dir)
    state = index.read_state(generation)
    index.write_state(generation, OutboxState(through=state.through + 1000))
    assert find("refund").total == 1
    assert index.current_generation(index_dir) != generation
    assert "rebuilding it from the database" in caplog.text


def test_several_processes_publishing_at_once_lose_nothing(tmp_path):
    workers, per_worker = 4, 6
    with scratch_engine(tmp_path, "search_workers") as engine:
        url = engine.url.render_as_string(hide_password=False)
        index_dir = tmp_path / "shared-index"
        with Session(engine) as session:
            index.rebuild(session, index_dir)
        context = multiprocessing.get_context("spawn")
        barrier = context.Barrier(workers)
        processes = [
            context.Process(target=publish_from_worker,
                            args=(url, tmp_path / f"instance-{n}", index_dir, n, per_worker, barrier))
            for n in range(workers)
        ]
        for process in processes:
            process.start()
        for process in processes:
            process.join(timeout=120)
        assert [process.exitcode for process in processes] == [0] * workers
        with Session(engine) as session:
            assert indexer.apply_pending(session, index_dir) == 0  # the workers left nothing behind
            result = searcher.search(session, "zeppelinwharf", limit=100, index_dir=index_dir)
        searcher.close_searchers()
        expected = {f"worker-{w}-{n}" for w in range(workers) for n in range(per_worker)}
        assert result.total == workers * per_worker
        assert sorted(hit.slug for hit in result.results) == sorted(expected)
        assert doc_count(index_dir) == workers * per_worker


def test_search_checks_the_outbox_at_most_once_per_interval_unless_told_otherwise(db, find, index_dir, monkeypatch):
    monkeypatch.setattr(indexer, "CATCH_UP_INTERVAL", 3600.0)
    make_article(db, slug="first", title="Refund first", body="refund")
    db.commit()
    assert find("refund").total == 1  # applies the row, so ...
    assert find("refund").total == 1  # ... the next search checks again, and finds nothing new
    statements = []
    engine = db.get_bind()

    def count(conn, cursor, statement, *args):
        if "index_outbox" in statement:
            statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        find("refund")
        assert statements == []  # checked a moment ago, nothing changed since
        # A row another process committed but could not apply (no flush in this process):
        db.execute(sa.insert(IndexOutbox).values(entity="article", entity_id=make_quiet_article(db).id,
                                                 operation="upsert", created_at=utcnow()))
        assert find("refund").total == 1  # not seen yet ...
        monkeypatch.setattr(indexer, "CATCH_UP_INTERVAL", 0.0)
        assert find("refund").total == 2  # ... but once the interval has passed
        assert statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def make_quiet_article(db):
    """An article written without an outbox row (as another process's rows look here)."""
    from academy.knowledge.models import Article, Revision

    now = utcnow()
    article = Article(slug="quiet", lang="en", kind="guide", product="", title="Refund quiet", summary="",
                      tags=[], status="published", published_at=now)
    db.add(article)
    db.flush()
    revision = Revision(article_id=article.id, number=1, title="Refund quiet", summary="", tags=[],
                        body_md="refund", body_html="<p>refund</p>", state="published", published_at=now)
    db.add(revision)
    db.flush()
    article.current_revision_id = revision.id
    db.flush()
    return article
