"""Search fixtures: search wired into the session app, and a fresh index directory per
test (the index is derived from the database, and each test's rows are rolled back)."""
from __future__ import annotations

import pytest

from academy.search import index, searcher, setup


@pytest.fixture(scope="session")
def search_app(app):
    setup.init_app(app)  # a no-op once create_app wires search itself
    return app


@pytest.fixture
def index_dir(search_app, db, tmp_path):
    path = tmp_path / "index"
    previous = search_app.config.get("SEARCH_INDEX_DIR")
    search_app.config["SEARCH_INDEX_DIR"] = path
    index.rebuild(db, path)
    yield path
    searcher.close_searchers()
    search_app.config["SEARCH_INDEX_DIR"] = previous


@pytest.fixture
def find(db, index_dir):
    """``find(query, **filters)``: search as the web does, against this test's index."""

    def run(query, **options):
        return searcher.search(db, query, index_dir=index_dir, **options)

    return run
