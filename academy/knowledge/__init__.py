"""Knowledge base: articles in several languages with revisions, a draft -> in review ->
published workflow, verification by their owners, what's new for each reader, and
read-and-acknowledge for policies. Search lives in ``academy.search``.
"""
from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from flask_login import current_user

    from academy import navigation
    from academy.db import get_session
    from academy.knowledge import manage, oversight, whatsnew  # noqa: F401  (routes on bp)
    from academy.knowledge.views import bp

    from flask_babel import format_timedelta

    from academy.knowledge.forms import KIND_CHOICES

    app.register_blueprint(bp)
    kinds = {c.value: c.label for c in KIND_CHOICES}
    statuses = {"draft": _l("Draft"), "in_review": _l("In review"), "published": _l("Published"),
                "archived": _l("Archived")}
    app.jinja_env.globals.update(kind_label=lambda k: kinds.get(k, k), status_label=lambda s: statuses.get(s, s),
                                 state_label=lambda s: statuses.get(s, s))
    app.jinja_env.filters["format_timedelta"] = lambda value: format_timedelta(value, threshold=1.0)

    def unread_count() -> int:
        return whatsnew.count_for(get_session(), current_user)

    navigation.register(app, navigation.NavItem(_l("Knowledge base"), "knowledge.home", 10, "/kb", badge=unread_count))
