"""The quiz statistics page and its CSV (trainers, supervisors, admins): the numbers come from
``statistics``; the charts are SVG drawn by the template, with the same numbers in tables."""
from __future__ import annotations

from flask import Response, abort, render_template, request
from flask_login import current_user

from academy.accounts import access
from academy.accounts.models import Role
from academy.accounts.phase import PHASES
from academy.db import get_session
from academy.quizzes import statistics as quiz_statistics
from academy.quizzes.models import Quiz
from academy.quizzes.views import bp

READERS = access.roles(Role.TRAINER, Role.SUPERVISOR, Role.ADMIN)


def _load(quiz_id: int) -> Quiz:
    quiz = get_session().get(Quiz, quiz_id)
    if quiz is None:
        abort(404)
    return quiz


def _filters() -> tuple[bool, str | None]:
    """``?attempts=all`` (else each learner's first) and ``?phase=`` (else any phase)."""
    phase = request.args.get("phase")
    return request.args.get("attempts") == "all", phase if phase in PHASES else None


@bp.route("/<int:quiz_id>/statistics", endpoint="statistics")
@READERS
def statistics_page(quiz_id: int):
    quiz = _load(quiz_id)
    all_attempts, phase = _filters()
    report = quiz_statistics.quiz_report(get_session(), quiz.id, all_attempts=all_attempts, phase=phase)
    return render_template("quizzes/statistics.html", quiz=quiz, report=report, all_attempts=all_attempts,
                           phase=phase, phases=PHASES, bins=quiz_statistics.BINS,
                           min_attempts=quiz_statistics.MIN_ATTEMPTS_FOR_DISCRIMINATION,
                           rating=quiz_statistics.discrimination_rating,
                           can_open_bank=access.user_may_open(current_user, "quizzes.question"))


@bp.route("/<int:quiz_id>/statistics.csv")
@READERS
def statistics_csv(quiz_id: int):
    quiz = _load(quiz_id)
    all_attempts, phase = _filters()
    report = quiz_statistics.quiz_report(get_session(), quiz.id, all_attempts=all_attempts, phase=phase)
    name = f"quiz-{quiz.id}-statistics{'-all' if all_attempts else ''}{'-' + phase if phase else ''}.csv"
    return Response(quiz_statistics.export_csv(report.questions), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
