"""Trainer pages that write the question bank: edit a question of any type, write a new one,
delete one nobody has answered. Forms and their rules are in ``editor``, the writes in
``services``; nothing is saved while anything on the form is wrong."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from academy.db import get_session
from academy.domain_errors import DomainError
from academy.forms import show_domain_error
from academy.quizzes import editor, services
from academy.quizzes.models import DEFAULT_CATEGORY, Question, QuestionCategory
from academy.quizzes.questions import QUESTION_TYPES
from academy.quizzes.views import AUTHORS, bp


def _load(question_id: int) -> Question:
    question = get_session().get(Question, question_id)
    if question is None:
        abort(404)
    return question


def _render(form: editor.QuestionEditForm, question: Question | None, status: int = 200):
    session = get_session()
    paths = session.scalars(sa.select(QuestionCategory.path).order_by(QuestionCategory.path)).all()
    used = services.responses_to(session, question) if question is not None else 0
    return render_template("quizzes/edit.html", form=form, question=question, qtype=form.qtype,
                           category_paths=paths, responses=used), status


def _save(form: editor.QuestionEditForm, question: Question | None):
    """Add rows, or validate and save; the page again (with its errors) unless saved."""
    if request.method == "POST" and request.form.get("add_rows"):
        form.add_rows()
        return _render(form, question)
    if not form.validate_on_submit():
        return _render(form, question, 400 if request.method == "POST" else 200)
    session = get_session()
    try:
        saved = services.save_question(session, form.question(), question)
    except DomainError as error:
        session.rollback()
        show_domain_error(form, error)
        return _render(form, question, 400)
    session.commit()
    flash(_("Question “%(title)s” saved.", title=saved.title), "success")
    return redirect(url_for("quizzes.question", question_id=saved.id))


@bp.route("/bank/<int:question_id>/edit", methods=["GET", "POST"])
@AUTHORS
def question_edit(question_id: int):
    question = _load(question_id)
    original = services.as_parsed(question)
    return _save(editor.edit_form(question.type, original), question)


@bp.route("/bank/new", methods=["GET", "POST"])
@AUTHORS
def question_new():
    """A new question of ``?type=`` in ``?category=``; without a known type, the type to choose."""
    qtype = request.args.get("type", "")
    category = (request.args.get("category") or "").strip() or DEFAULT_CATEGORY
    if qtype not in QUESTION_TYPES:
        return render_template("quizzes/edit.html", form=None, question=None, types=QUESTION_TYPES,
                               category=category), 400 if request.method == "POST" else 200
    return _save(editor.edit_form(qtype, category=category), None)


@bp.route("/bank/<int:question_id>/delete", methods=["POST"])
@AUTHORS
def question_delete(question_id: int):
    question = _load(question_id)
    if not request.form.get("confirm"):
        flash(_("Tick the box to confirm that the question should be deleted."), "error")
        return redirect(url_for("quizzes.question_edit", question_id=question_id) + "#delete-h")
    session = get_session()
    title, category_id = question.title, question.category_id
    try:
        services.delete_question(session, question)
    except DomainError as error:
        session.rollback()
        flash(error.message, "error")
        return redirect(url_for("quizzes.question_edit", question_id=question_id))
    session.commit()
    flash(_("Question “%(title)s” deleted.", title=title), "success")
    return redirect(url_for("quizzes.bank", category=category_id))
