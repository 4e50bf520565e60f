"""Quizzes: the question bank, its formats (GIFT, Aiken, Moodle XML), quizzes, attempts and grading."""
from flask import Flask


def init_app(app: Flask) -> None:
    from academy.quizzes.cli import quiz_group

    app.cli.add_command(quiz_group)
