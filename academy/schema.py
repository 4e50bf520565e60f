"""Schema management through Alembic: where the migrations live, what revision a database
is at, and upgrading it. The app never calls ``create_all``; ``academy init`` upgrades.
"""
from __future__ import annotations

import importlib
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

# Every domain's models module, imported so Base.metadata is complete for Alembic.
MODEL_MODULES = (
    "academy.accounts.models", "academy.knowledge.models", "academy.search.models", "academy.quizzes.models",
    "academy.courses.models", "academy.practice.models",
)


def import_all_models() -> None:
    for name in MODEL_MODULES:
        importlib.import_module(name)


def migrations_dir() -> Path:
    """The Alembic script directory: the repository's ``migrations/`` in a checkout,
    or the copy packed into the wheel as ``academy/_migrations``."""
    package = Path(__file__).resolve().parent
    for candidate in (package.parent / "migrations", package / "_migrations"):
        if (candidate / "env.py").exists():
            return candidate
    raise FileNotFoundError("Alembic migrations directory not found next to the academy package")


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision(engine: Engine) -> str:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Upgrade to the newest revision; return (revision before, revision after)."""
    before = current_revision(engine)
    command.upgrade(alembic_config(engine), "head")
    return before, current_revision(engine)
