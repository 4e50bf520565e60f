"""The Alembic migrations build exactly the schema the models describe, and run down and
up again cleanly, on the database the suite runs on (SQLite or PostgreSQL)."""
from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from academy import schema
from academy.db import Base, make_engine
from tests.databases import scratch_database


def test_migrations_match_the_models(app):
    engine = app.extensions["academy.engine"]
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_migrations_downgrade_to_nothing_and_upgrade_again(tmp_path):
    with scratch_database(tmp_path, "migrate") as url:
        engine = make_engine(url)
        try:
            assert schema.upgrade(engine) == (None, schema.head_revision(engine))
            command.downgrade(schema.alembic_config(engine), "base")
            assert schema.current_revision(engine) is None
            schema.upgrade(engine)
            assert schema.current_revision(engine) == schema.head_revision(engine)
        finally:
            engine.dispose()
