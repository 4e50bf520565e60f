"""Courses: modules of lessons, required reading, a quiz and practice; who is enrolled
(themselves, by a trainer, or with their cohort), what they completed, and a certificate when
the whole course is done. Course files live in ``courses/<slug>/`` (``courses.files``);
trainers also edit courses in the web UI (``courses.manage``)."""
from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from academy import navigation
    from academy.courses import manage, services  # noqa: F401  (manage adds the trainer routes to bp)
    from academy.courses.views import bp, home_panel
    from academy.home import panels

    app.register_blueprint(bp)
    services.connect_signals()
    navigation.register(app, navigation.NavItem(_l("Courses"), "courses.catalogue", 20, "/courses"))
    panels.register(app, panels.Panel("courses/_home_panel.html", home_panel, 15))
