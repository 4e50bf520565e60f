"""Quizzes: the question bank, its formats (GIFT, Aiken, Moodle XML), quizzes, attempts and grading."""
from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from academy import navigation
    from academy.quizzes.cli import quiz_group
    from academy.quizzes.views import bp

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
