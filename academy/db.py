"""Database glue: declarative base, engine and per-request session, Alembic helpers.

One unit of work per request or CLI command: views and commands get the session from
:func:`get_session`, call services (which flush, never commit) and commit once. The
session is closed, and anything uncommitted rolled back, when the app context ends.

SQLite runs with foreign keys on, WAL journaling and a busy timeout, and with the
driver's own transaction handling switched off so SAVEPOINTs work (SQLAlchemy's
documented recipe for pysqlite). A web request that may write (POST, PUT, PATCH, DELETE)
begins IMMEDIATE, taking SQLite's write lock up front: a deferred transaction that has read
and then writes fails at once ("database is locked", without waiting for the busy timeout)
when another connection committed in between, which concurrent requests do (an autosave
racing a submit). Reads and commands keep deferred transactions, so readers never wait for
a writer, and code that opens a second session while the first has read cannot block on
itself. Production runs on PostgreSQL.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp stored in UTC and always returned timezone-aware.

    SQLite keeps no zone, PostgreSQL keeps ``timestamptz``; either way Python sees an
    aware UTC datetime. Naive datetimes are refused so local times never sneak in.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware UTC datetime is required")
        value = value.astimezone(dt.timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime}


class DatabaseUnavailable(RuntimeError):
    """The configured database cannot be reached; the message is one readable line."""


# Execution option: this transaction will write, so SQLite should take the write lock at BEGIN.
WRITE_INTENT = "academy_write_intent"
_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def make_engine(url: str) -> Engine:
    """Create the engine for ``url`` with the per-dialect settings Academy relies on."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 30})

        @sa.event.listens_for(engine, "connect")
        def _sqlite_on_connect(dbapi_connection, _record):
            dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @sa.event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE_INTENT) else "BEGIN")

        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def describe_url(url: str) -> str:
    """The URL without its password, for messages."""
    return sa.engine.make_url(url).render_as_string(hide_password=True)


def check_connection(engine: Engine) -> None:
    """Raise :class:`DatabaseUnavailable` with one clear line if ``engine`` cannot connect."""
    if engine.url.get_backend_name() == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        Path(engine.url.database).parent.mkdir(parents=True, exist_ok=True)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", exc) or exc).strip().splitlines()[0]
        raise DatabaseUnavailable(
            f"cannot reach the database at {engine.url.render_as_string(hide_password=True)}: {reason}"
        ) from None


def init_app(app: Flask) -> None:
    """Create the engine and session factory and close the session after each request."""
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["academy.engine"] = engine
    app.extensions["academy.sessionmaker"] = sessionmaker(bind=engine, expire_on_commit=False)

    @app.teardown_appcontext
    def _close_session(_exc):
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


def get_engine() -> Engine:
    return current_app.extensions["academy.engine"]


def get_session() -> Session:
    """The unit-of-work session for the current request or command."""
    if "db_session" not in g:
        session = current_app.extensions["academy.sessionmaker"]()
        if has_request_context() and request.method in _WRITE_METHODS and not session.in_transaction():
            session.connection(execution_options={WRITE_INTENT: True})
        g.db_session = session
    return g.db_session
