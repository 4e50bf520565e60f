"""The home page: what each person should do next, by role."""
from flask import Flask
from flask_babel import lazy_gettext as _l

from academy import navigation


def init_app(app: Flask) -> None:
    from academy.home.views import bp

    app.register_blueprint(bp)
    navigation.register(app, navigation.NavItem(_l("Home"), "home.index", 0, "/"))
