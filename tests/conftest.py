"""Fixtures: ``app`` (one per session, schema built by the Alembic migrations), ``db``
(each test inside a transaction that is rolled back, the app's sessions joined to it in
savepoint mode so views really commit), ``client``, ``runner``, ``login``."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy.orm import sessionmaker

from academy import create_app, schema
from academy.accounts.models import Role
from academy.extensions import limiter
from tests import databases, factories

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
REPOSITORY = Path(__file__).resolve().parent.parent


def _database_or_skip(url: str) -> None:
    try:
        databases.ensure_reachable(url)
    except databases.DatabaseUnavailable as exc:
        if IN_CI:
            pytest.exit(f"CI needs the database: {exc}", returncode=3)
        pytest.skip(f"database unreachable, skipping: {exc}")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = databases.base_url() or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    _database_or_skip(url)
    return url


def make_test_app(instance_dir, database_url, **overrides):
    config = {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "INSTANCE_DIR": instance_dir,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "CONTENT_DIR": REPOSITORY,  # the shipped articles/ and courses/
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def app(tmp_path_factory, database_url):
    app = make_test_app(tmp_path_factory.mktemp("instance"), database_url)
    with app.app_context():
        schema.upgrade(app.extensions["academy.engine"])
    yield app
    app.extensions["academy.engine"].dispose()


@pytest.fixture
def db(app):
    engine = app.extensions["academy.engine"]
    connection = engine.connect()
    transaction = connection.begin()
    original = app.extensions["academy.sessionmaker"]
    maker = sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    app.extensions["academy.sessionmaker"] = maker
    session = maker()
    factories.bind(session)
    limiter.reset()
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        yield session
    finally:
        session.close()
        app.extensions["academy.sessionmaker"] = original
        transaction.rollback()
        connection.close()


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def runner(app, db):
    return app.test_cli_runner()


@pytest.fixture
def login(client):
    """Sign ``user`` in on the test client (without the password form) and return it."""

    def sign_in(user):
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return user

    return sign_in


@pytest.fixture
def users(db):
    """One active user per role, plus a second specialist."""
    return {
        Role.SPECIALIST: factories.SpecialistFactory(name="Sam Specialist"),
        Role.TRAINER: factories.TrainerFactory(),
        Role.SUPERVISOR: factories.SupervisorFactory(),
        Role.ADMIN: factories.AdminFactory(),
        "other_specialist": factories.SpecialistFactory(name="Olga Other"),
    }


@pytest.fixture(autouse=True)
def _search_index_per_test(app, tmp_path):
    """Each test gets its own search index: rows are rolled back after every test, so an
    index shared across tests would keep documents the database no longer has."""
    app.config["SEARCH_INDEX_DIR"] = tmp_path / "search-index"
    yield
    from academy.search import searcher

    searcher.close_searchers()
    app.config.pop("SEARCH_INDEX_DIR", None)
