"""Accounts: the people who use Academy, their roles and cohorts, how they sign in
(password sessions for the web, hashed bearer tokens for the API) and the server-side
permission check every route goes through.
"""

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from academy import navigation
    from academy.accounts import auth, cli, manage  # noqa: F401  (manage adds routes to bp)
    from academy.accounts.views import bp

    from academy.accounts.forms import ROLE_CHOICES

    auth.init_app(app)
    labels = dict(ROLE_CHOICES)
    app.jinja_env.globals["role_label"] = lambda role: labels.get(role, role)
    app.jinja_env.globals["role_choices"] = ROLE_CHOICES
    app.register_blueprint(bp)
    app.cli.add_command(cli.users)
    navigation.register(app, navigation.NavItem(_l("Team"), "accounts.team", 60, "/team"))
    navigation.register(app, navigation.NavItem(_l("Cohorts"), "accounts.cohorts", 70, "/cohorts"))
    navigation.register(app, navigation.NavItem(_l("Admin"), "accounts.users", 90, "/admin"))
