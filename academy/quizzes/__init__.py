"""Quizzes: the question bank, its formats (GIFT, Aiken, Moodle XML), quizzes, attempts and grading."""
from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from academy import navigation, signals
    from academy.home import panels
    from academy.quizzes import refresher_views, refreshers  # the refresher routes join bp before it is registered
    from academy.quizzes import editor_views  # noqa: F401  (the question editor's routes join bp)
    from academy.quizzes import statistics_views  # noqa: F401  (the quiz statistics routes join bp)
    from academy.quizzes.cli import quiz_group
    from academy.quizzes.views import bp
    from academy.quizzes import attempt_manage, attempt_views  # noqa: F401  (the attempt and grading routes join bp)

    app.register_blueprint(bp)
    types = {"multichoice": _l("Multiple choice"), "truefalse": _l("True/false"), "shortanswer": _l("Short answer"),
             "matching": _l("Matching"), "numerical": _l("Numerical"), "essay": _l("Essay"),
             "description": _l("Description")}
    app.jinja_env.globals["question_type_label"] = lambda name: types.get(name, name)
    states = {"correct": _l("Correct"), "partial": _l("Partly correct"), "wrong": _l("Incorrect"),
              "needs_grading": _l("A trainer grades this answer"), "not_answered": _l("Not answered")}
    app.jinja_env.globals["grade_state_label"] = lambda state: states.get(state, state)
    app.jinja_env.filters["percent"] = lambda fraction: f"{fraction * 100:.1f}".rstrip("0").rstrip(".") + " %"
    app.cli.add_command(quiz_group)
    navigation.register(app, navigation.NavItem(_l("Question bank"), "quizzes.bank", 30, "/quizzes"))
    signals.attempt_finished.connect(refreshers.on_attempt_finished)
    panels.register(app, panels.Panel("quizzes/_refresher_panel.html", refresher_views.panel_context, 20))
