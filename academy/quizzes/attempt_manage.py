"""Trainer pages of quizzes: a quiz's settings, and the queue of essays waiting for a grade
(its count also shows on the trainer's home page)."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.accounts import access
from academy.accounts.models import Role
from academy.db import get_session, utcnow
from academy.domain_errors import DomainError
from academy.forms import show_domain_error
from academy.home import panels
from academy.quizzes import attempt_display, attempts, grading_queue
from academy.quizzes.grading_form import EssayGradeForm
from academy.quizzes.models import Question, QuestionCategory, Quiz
from academy.quizzes.quiz_settings import update_quiz
from academy.quizzes.settings_form import settings_form_for
from academy.quizzes.views import bp

AUTHORS = access.roles(Role.TRAINER, Role.ADMIN)


def _grading_panel(session, user) -> dict | None:
    if user.role not in attempts.AUTHORS:
        return None
    waiting = grading_queue.count_waiting(session)
    return {"waiting": waiting} if waiting else None


bp.record_once(lambda state: panels.register(state.app, panels.Panel("quizzes/_grading_panel.html",
                                                                     _grading_panel, 30)))


@bp.route("/<int:quiz_id>/settings", methods=["GET", "POST"])
@AUTHORS
def quiz_settings(quiz_id: int):
    session = get_session()
    quiz = session.get(Quiz, quiz_id)
    if quiz is None:
        abort(404)
    questions = attempts.questions_for(session, quiz)
    sources = [s for s in session.scalars(sa.select(Question.source_file).distinct()) if s]
    categories = list(session.scalars(sa.select(QuestionCategory.path).order_by(QuestionCategory.path)))
    form = settings_form_for(quiz, questions, sources, categories)
    status = 200
    if form.validate_on_submit():
        try:
            update_quiz(session, quiz, form.settings())
        except DomainError as error:
            session.rollback()
            show_domain_error(form, error)
            status = 400
        else:
            session.commit()
            flash(_("The quiz settings are saved. They apply to attempts started from now on."), "success")
            return redirect(url_for("quizzes.quiz_settings", quiz_id=quiz.id))
    elif form.is_submitted():
        status = 400
    return render_template("quizzes/settings.html", quiz=quiz, form=form, questions=questions), status


@bp.route("/grading", endpoint="grading_queue")
@AUTHORS
def grading_queue_page():
    session = get_session()
    if attempts.close_expired(session, utcnow()):
        session.commit()
    return render_template("quizzes/grading_queue.html", waiting=grading_queue.waiting(session))


@bp.route("/grading/<int:response_id>", methods=["GET", "POST"])
@AUTHORS
def grade_response(response_id: int):
    session = get_session()
    try:
        response = grading_queue.gradable_response(session, response_id)
    except DomainError:
        abort(404)
    form = EssayGradeForm(grade=round(response.fraction * 100, 2) if response.graded_at else None,
                          comment=response.grader_comment or "")
    status = 200
    if form.validate_on_submit():
        try:
            grading_queue.grade_essay(session, response, form.grade.data / 100, form.comment.data or "",
                                      current_user, utcnow())
        except DomainError as error:
            session.rollback()
            show_domain_error(form, error)
            status = error.status
        else:
            session.commit()
            flash(_("The grade is saved."), "success")
            following = grading_queue.waiting(session, limit=1)
            if following:
                return redirect(url_for("quizzes.grade_response", response_id=following[0].id))
            return redirect(url_for("quizzes.grading_queue"))
    elif form.is_submitted():
        status = 400
    attempt = response.attempt
    return render_template("quizzes/grade.html", response=response, attempt=attempt, form=form,
                           number=attempts.number_of(attempt, response.slot),
                           text_html=attempt_display.learner_view(response, 0)["text_html"],
                           is_open=grading_queue.is_open_for_grading(response),
                           waiting=grading_queue.count_waiting(session)), status
