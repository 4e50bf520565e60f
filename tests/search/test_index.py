"""Full rebuilds, and an index that is missing or damaged being rebuilt on the next search."""
from __future__ import annotations

import logging
import os
import shutil
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from academy.search import index, indexer, schema, searcher
from academy.search.models import IndexOutbox
from tests.search.helpers import make_article, scratch_engine


def files_of(index_dir):
    return [path for path in index_dir.rglob("*") if path.is_file()]


def test_rebuild_indexes_every_published_article_and_records_the_outbox_position(db, index_dir):
    for number in range(3):
        make_article(db, slug=f"live-{number}", title="Refund", body="refund")
    make_article(db, slug="draft", title="Refund", body="refund", status="draft")
    report = index.rebuild(db, index_dir)
    assert report.articles == 3
    state = index.read_state(index.current_generation(index_dir))
    assert all(state.is_applied(row_id) for row_id in db.scalars(sa.select(IndexOutbox.id)))


def test_rebuild_swaps_in_a_new_generation_and_keeps_only_the_previous_one(db, index_dir):
    make_article(db, slug="refunds", title="Refund", body="refund")
    generations = [index.rebuild(db, index_dir).generation for _ in range(3)]
    assert index.current_generation(index_dir) == generations[-1]
    remaining = sorted(path.name for path in index_dir.iterdir() if path.is_dir())
    assert remaining == [generations[-2].name, generations[-1].name]


def test_missing_index_is_rebuilt_on_the_next_search_with_a_warning(db, find, index_dir, caplog):
    make_article(db, slug="refunds", title="Refund", body="refund")
    assert find("refund").total == 1
    shutil.rmtree(index_dir)
    with caplog.at_level(logging.WARNING, logger="academy.search.index"):
        assert find("refund").total == 1
    assert "rebuilding it from the database" in caplog.text


@pytest.mark.parametrize("damage", ["truncate", "garble", "empty"])
def test_damaged_index_files_are_rebuilt_on_the_next_search(db, find, index_dir, caplog, damage):
    make_article(db, slug="refunds", title="Refund", body="refund")
    assert find("refund").total == 1
    for path in files_of(index_dir):
        size = path.stat().st_size
        if damage == "truncate":
            os.truncate(path, size // 2)
        elif damage == "garble":
            path.write_bytes(os.urandom(size))
        else:
            path.write_bytes(b"")
    with caplog.at_level(logging.WARNING, logger="academy.search.index"):
        assert [hit.slug for hit in find("refund").results] == ["refunds"]
    assert "rebuilding it from the database" in caplog.text


def test_garbled_segment_is_caught_by_its_checksum_when_opened(db, find, index_dir, caplog):
    make_article(db, slug="refunds", title="Refund", body="refund")
    assert find("refund").total == 1
    searcher.close_searchers()
    index._verified.clear()  # as in a freshly started worker
    generation = index.current_generation(index_dir)
    segment = max(generation.glob("*.seg"), key=lambda path: path.stat().st_size)
    data = bytearray(segment.read_bytes())
    data[len(data) // 2] ^= 0xFF
    segment.write_bytes(bytes(data))
    with caplog.at_level(logging.WARNING, logger="academy.search.index"):
        assert find("refund").total == 1
    assert "checksum" in caplog.text


def test_index_of_another_schema_version_is_rebuilt(db, find, index_dir, caplog):
    make_article(db, slug="refunds", title="Refund", body="refund")
    find("refund")
    generation = index.current_generation(index_dir)
    state = index.read_state(generation)
    index.write_state(generation, index.OutboxState(state.through, state.above, schema.SCHEMA_VERSION - 1))
    searcher.close_searchers()
    with caplog.at_level(logging.WARNING, logger="academy.search.index"):
        assert find("refund").total == 1
    assert "schema" in caplog.text


def test_a_bug_is_raised_rather_than_taken_for_damage(db, find, index_dir, monkeypatch):
    make_article(db, slug="refunds", title="Refund", body="refund")
    find("refund")
    generation = index.current_generation(index_dir)

    def broken(self, root):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(schema.QueryBuilder, "build", broken)
    with pytest.raises(ZeroDivisionError):
        find("refund")
    assert index.current_generation(index_dir) == generation  # not rebuilt


def test_threads_search_while_another_thread_publishes(tmp_path):
    # gunicorn gthread workers: several threads share the process's searcher.
    with scratch_engine(tmp_path, "search_threads") as engine:
        index_dir = tmp_path / "index"
        with Session(engine) as session:
            for number in range(5):
                make_article(session, slug=f"old-{number}", title="Refund", body="refund")
            session.commit()
            index.rebuild(session, index_dir)
        errors, totals = [], []

        def search_many():
            with Session(engine) as session:
                for _ in range(25):
                    try:
                        totals.append(searcher.search(session, "refund", index_dir=index_dir).total)
                    except Exception as exc:
                        errors.append(exc)
                    session.rollback()

        def publish():
            with Session(engine) as session:
                for number in range(5):
                    make_article(session, slug=f"new-{number}", title="Refund", body="refund")
                    session.commit()
                    indexer.apply_pending(session, index_dir)

        threads = [threading.Thread(target=search_many) for _ in range(4)] + [threading.Thread(target=publish)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert set(totals) <= set(range(5, 11))
        with Session(engine) as session:
            assert searcher.search(session, "refund", index_dir=index_dir).total == 10
        searcher.close_searchers()
