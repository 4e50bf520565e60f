"""Academy: training and knowledge onboarding for help-desk and customer-service teams."""
from __future__ import annotations

from flask import Flask

from academy import config as config_module


def create_app(overrides: dict | None = None) -> Flask:
    """Build the application: read settings, initialise extensions, register domains.

    It touches neither the database nor the network; ``academy init`` creates the schema.
    """
    app = Flask(__name__)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.config.update(config_module.from_environment())
    if overrides:
        app.config.update(overrides)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config_module.secret_key_for(app.config["INSTANCE_DIR"])
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)

    from academy import db, errors, i18n, navigation, security
    from academy.extensions import csrf, limiter

    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    navigation.init_app(app)

    from academy import accounts, api, courses, home, knowledge, practice, quizzes, search

    accounts.init_app(app)
    home.init_app(app)
    knowledge.init_app(app)
    search.init_app(app)
    quizzes.init_app(app)
    courses.init_app(app)
    practice.init_app(app)
    api.init_app(app)

    from academy.cli import register_commands

    register_commands(app)
    return app
