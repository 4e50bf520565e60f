"""Applying the index outbox: the only way documents get into or out of the index.

A change to searchable content writes an :class:`~academy.search.models.IndexOutbox` row
in its own transaction. :func:`apply_pending` brings the current index generation up to
date with those rows under an exclusive ``flock`` on ``<index>/write.lock`` with ONE
Whoosh writer, so any number of processes (gunicorn workers, CLI commands) apply
without ever meeting Whoosh's ``LockError`` and without losing a row: whoever holds the
lock applies everything visible, and the others find nothing left to do.

When it runs:

* right after a commit that wrote outbox rows, in the same process (a SQLAlchemy
  ``after_commit`` hook, :func:`install_session_hooks`), so a single process is
  consistent at once;
* before a search answers, when the outbox holds rows the index has not applied
  (:func:`catch_up`, which asks the database at most every :data:`CATCH_UP_INTERVAL`
  unless this process wrote outbox rows or the index moved), so every worker sees what
  any other worker committed.

Each row is a hint, not an instruction: the article is read again and indexed if it is
published, removed otherwise. Applying a row twice, or rows out of order, therefore gives
the same index as applying them once in order.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session, selectinload

from academy.db import utcnow
from academy.knowledge.models import Article
from academy.search import index, schema
from academy.search.models import IndexOutbox

logger = logging.getLogger(__name__)

ARTICLE = "article"
_OUTBOX_WRITTEN = "academy.search.outbox_written"
BATCH = 500


def apply_pending(session: Session, index_dir: Path) -> int:
    """Apply outbox rows the index has not applied yet; return how many were applied.

    ``session`` only lends its connection source: rows and articles are read through a
    session of its own, so the caller's identity map is left alone. A missing or damaged
    index is rebuilt first (with a warning in the log).
    """
    index_dir = Path(index_dir)
    try:
        return _apply(session, index_dir)
    except index.IndexUnavailable:
        index.rebuild_if_needed(session, index_dir)
        return _apply(session, index_dir)


def _apply(session: Session, index_dir: Path) -> int:
    with index.write_lock(index_dir), Session(bind=session.get_bind()) as reader:
        generation = index.current_generation(index_dir)
        state = index.read_state(generation)
        rows = reader.execute(
            sa.select(IndexOutbox.id, IndexOutbox.entity, IndexOutbox.entity_id, IndexOutbox.created_at)
            .where(IndexOutbox.id > state.through).order_by(IndexOutbox.id)
        ).all()
        new = [row for row in rows if not state.is_applied(row.id)]
        if new:
            _write(index.open_generation(generation), reader, new)
            index.write_manifest(generation)
        applied = set(state.above) | {row.id for row in new}
        advanced = index.advance(state, [(row.id, row.created_at) for row in rows], applied, utcnow())
        if advanced != state:
            index.write_state(generation, advanced)
        return len(new)


def _write(ix, session: Session, rows) -> None:
    """Re-read the articles behind ``rows`` and update or delete their documents, all in
    one writer and one commit."""
    article_ids = sorted({row.entity_id for row in rows if row.entity == ARTICLE})
    if not article_ids:
        return
    writer = ix.writer()
    try:
        for start in range(0, len(article_ids), BATCH):
            chunk = article_ids[start:start + BATCH]
            articles = {
                article.id: article
                for article in session.scalars(
                    sa.select(Article).where(Article.id.in_(chunk)).options(selectinload(Article.current_revision))
                )
            }
            for article_id in chunk:
                article = articles.get(article_id)
                if schema.is_indexable(article):
                    writer.update_document(**schema.document_for(article))
                else:
                    writer.delete_by_term("id", str(article_id))
            session.expunge_all()
        writer.commit()
    except BaseException:
        writer.cancel()
        raise


# A search asks the database for unapplied outbox rows at most this often per process and
# index directory, unless something says there may be new ones (see :func:`catch_up`).
CATCH_UP_INTERVAL = 0.25  # seconds
_checked: dict[str, tuple[float, Path, index.OutboxState, int]] = {}
_outbox_writes = 0  # outbox rows flushed by this process so far (any session, any thread)


def catch_up(session: Session, index_dir: Path) -> int:
    """Before a search: apply what other processes committed, rebuild a missing or
    damaged index, and rebuild one that is ahead of the database (restored backup, or a
    new database beside an old index). One indexed query when nothing is pending.
    Returns how many rows were applied.

    The query is skipped when this process found nothing pending in this index less than
    :data:`CATCH_UP_INTERVAL` ago and nothing changed since: no outbox row flushed by this
    process (committed or not), the same generation at the same outbox position. Rows
    that other processes commit are applied by their own after-commit hook at once; this
    check only covers the ones they could not apply, within the interval.
    """
    index_dir = Path(index_dir)
    try:
        generation = index.current_generation(index_dir)
        state = index.read_state(generation)
    except index.IndexUnavailable:
        return apply_pending(session, index_dir)
    key = str(index_dir)
    writes = _outbox_writes
    now = time.monotonic()
    last = _checked.get(key)
    if (last is not None and now - last[0] < CATCH_UP_INTERVAL and last[1:] == (generation, state, writes)
            and not session.info.get(_OUTBOX_WRITTEN)):
        return 0
    newest = sa.select(sa.func.max(IndexOutbox.id)).scalar_subquery()
    ids = session.scalars(
        sa.select(IndexOutbox.id).where(sa.or_(IndexOutbox.id > state.through, IndexOutbox.id == newest))
    ).all()
    if any(not state.is_applied(row_id) for row_id in ids):
        _checked.pop(key, None)
        return apply_pending(session, index_dir)
    if ids and max(ids) < state.through:
        _checked.pop(key, None)
        index.rebuild_if_needed(session, index_dir, reason=lambda: _ahead_reason(session, index_dir))
        return 0
    _checked[key] = (now, generation, state, writes)
    return 0


def _ahead_reason(session: Session, index_dir: Path) -> str | None:
    try:
        through = index.read_state(index.current_generation(index_dir)).through
    except index.IndexUnavailable as exc:
        return str(exc)
    newest = session.scalar(sa.select(sa.func.max(IndexOutbox.id)))
    if newest is not None and newest < through:
        return f"it has applied outbox row {through} but the database ends at {newest}"
    return None


# ---------------------------------------------------------------- after-commit hook

def install_session_hooks() -> None:
    """Apply the outbox right after any commit that wrote outbox rows (once per process)."""
    if not event.contains(Session, "after_flush", _note_outbox_rows):
        event.listen(Session, "after_flush", _note_outbox_rows)
        event.listen(Session, "after_commit", _apply_after_commit)
        event.listen(Session, "after_rollback", _forget_outbox_rows)


def _note_outbox_rows(session: Session, _flush_context) -> None:
    global _outbox_writes
    if any(isinstance(obj, IndexOutbox) for obj in session.new):
        session.info[_OUTBOX_WRITTEN] = True
        _outbox_writes += 1  # tells catch_up to look again


def _forget_outbox_rows(session: Session) -> None:
    session.info.pop(_OUTBOX_WRITTEN, None)


def _apply_after_commit(session: Session) -> None:
    if not session.info.pop(_OUTBOX_WRITTEN, False):
        return
    if not has_app_context() or "academy.search" not in current_app.extensions:
        return
    index_dir = index.index_dir_for(current_app)
    try:
        apply_pending(session, index_dir)
    except Exception:  # the commit stands; the next search or commit applies the rows
        logger.warning("could not apply the index outbox after commit to %s", index_dir, exc_info=True)
