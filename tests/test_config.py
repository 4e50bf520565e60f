"""Settings from the environment, the generated secret key, and SQLite's pragmas."""
from __future__ import annotations

import os
import stat

import sqlalchemy as sa

from academy import create_app
from academy.db import make_engine


def test_the_secret_key_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.setenv("ACADEMY_INSTANCE_DIR", str(tmp_path / "instance"))
    monkeypatch.delenv("ACADEMY_SECRET_KEY", raising=False)
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    key_file = tmp_path / "instance" / "secret_key"
    assert first == second and len(first) >= 48
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600


def test_environment_variables_configure_the_app(tmp_path, monkeypatch):
    monkeypatch.setenv("ACADEMY_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("ACADEMY_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("ACADEMY_DATABASE_URL", "postgresql+psycopg://u@db.internal/academy")
    monkeypatch.setenv("ACADEMY_SECURE_COOKIES", "1")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["DATABASE_URL"] == "postgresql+psycopg://u@db.internal/academy"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert not (tmp_path / "secret_key").exists()


def test_the_default_database_is_sqlite_in_the_instance_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ACADEMY_INSTANCE_DIR", str(tmp_path))
    monkeypatch.delenv("ACADEMY_DATABASE_URL", raising=False)
    assert create_app().config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'academy.db'}"


def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'pragmas.db'}")
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        engine.dispose()
