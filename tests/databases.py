"""Scratch databases for tests: a temporary SQLite file, or a fresh PostgreSQL database
created next to the one ACADEMY_DATABASE_URL names and dropped afterwards."""
from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

import sqlalchemy as sa

from academy.db import DatabaseUnavailable, check_connection, make_engine


def base_url() -> str | None:
    """The database the suite runs on; None means a temporary SQLite file."""
    return os.environ.get("ACADEMY_DATABASE_URL") or None


def ensure_reachable(url: str) -> None:
    engine = make_engine(url)
    try:
        check_connection(engine)
    finally:
        engine.dispose()


@contextlib.contextmanager
def scratch_database(directory: Path, name: str):
    """Yield the URL of an empty database that is removed when the block ends."""
    url = base_url()
    if url is None or url.startswith("sqlite"):
        yield f"sqlite:///{directory / (name + '.db')}"
        return
    server = sa.engine.make_url(url)
    db_name = f"{server.database}_{name}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{db_name}"')
    try:
        yield server.set(database=db_name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        admin.dispose()


__all__ = ["DatabaseUnavailable", "base_url", "ensure_reachable", "scratch_database"]
