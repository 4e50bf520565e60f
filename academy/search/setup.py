"""Wiring search into the app: the after-commit outbox hook, the ``academy search`` and
``academy index`` commands, and the ``academy init`` step that builds a missing index.

Nothing is created at start-up: the index directory appears on the first write, search
or ``academy init``, and a missing one is rebuilt from the database then.
"""
from __future__ import annotations

from flask import Flask, current_app

from academy.search import cli, index, indexer


def init_app(app: Flask) -> None:
    """Register search with ``app`` (idempotent)."""
    if "academy.search" in app.extensions:
        return
    app.extensions["academy.search"] = {}  # its presence tells the after-commit hook search is on
    indexer.install_session_hooks()
    app.extensions.setdefault("academy.init_steps", []).append(build_index_step)
    app.cli.add_command(cli.search_command)
    app.cli.add_command(cli.index_group)


def build_index_step(session) -> str | None:
    """``academy init``: build the index when it is missing or damaged, else apply the
    outbox. Returns a line for the user when something was built."""
    index_dir = index.index_dir_for(current_app)
    if index.damage(index_dir) is None:
        indexer.apply_pending(session, index_dir)
        return None
    report = index.rebuild(session, index_dir)
    return f"Search index built: {report.articles} article(s) in {report.seconds:.1f} s."
