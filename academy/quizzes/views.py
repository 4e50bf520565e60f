"""Trainer pages of the question bank: browse and search by category, preview a question,
upload a question file (every problem listed, nothing imported on failure), export."""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from academy.accounts import access
from academy.accounts.models import Role
from academy.db import get_session
from academy.quizzes import formats, grading, services
from academy.quizzes.display import question_html
from academy.quizzes.forms import QuestionUploadForm
from academy.quizzes.models import Question, QuestionCategory

bp = Blueprint("quizzes", __name__, url_prefix="/quizzes")
AUTHORS = access.roles(Role.TRAINER, Role.ADMIN)


def _bank_page(form: QuestionUploadForm, problems=(), status: int = 200):
    session = get_session()
    category_id = request.args.get("category", type=int)
    query = (request.args.get("q") or "").strip()
    categories = session.execute(
        sa.select(QuestionCategory, sa.func.count(Question.id)).outerjoin(Question)
        .group_by(QuestionCategory.id).order_by(QuestionCategory.path)).all()
    stmt = sa.select(Question).join(QuestionCategory).order_by(QuestionCategory.path, Question.title).limit(500)
    if category_id:
        stmt = stmt.where(Question.category_id == category_id)
    if query:
        pattern = f"%{query.lower()}%"
        stmt = stmt.where(sa.or_(sa.func.lower(Question.title).like(pattern), sa.func.lower(Question.text).like(pattern)))
    return render_template("quizzes/bank.html", categories=categories, questions=session.scalars(stmt).all(),
                           category_id=category_id, query=query, form=form, problems=problems,
                           export_formats=formats.EXPORT_FORMATS), status


@bp.route("/bank")
@AUTHORS
def bank():
    return _bank_page(QuestionUploadForm())


@bp.route("/bank/upload", methods=["POST"])
@AUTHORS
def upload():
    form = QuestionUploadForm()
    if not form.validate_on_submit():
        return _bank_page(form, status=400)
    upload = form.file.data
    name = Path(upload.filename or "upload").name
    result = formats.read(Path(name), upload.read(), name)
    problems = sorted(result.blocking(form.skip_unsupported.data) + services.duplicate_titles(result.questions, name))
    if problems:
        flash(_("%(name)s was not imported: fix the problems below and upload it again.", name=name), "error")
        return _bank_page(form, problems, status=400)
    session = get_session()
    report = services.import_questions(session, result.questions, source=name)
    session.commit()
    flash(_("%(name)s: %(added)d added, %(updated)d updated, %(unchanged)d unchanged.", name=name,
            added=len(report.created), updated=len(report.updated), unchanged=report.unchanged), "success")
    return redirect(url_for("quizzes.bank"))


def _response_from_form(parsed: dict):
    """What the learner's form sent, in the raw shape grading.normalise_response reads."""
    if parsed["type"] == "multichoice" and not parsed.get("single"):
        return request.form.getlist("answer")
    if parsed["type"] == "matching":
        return {key.removeprefix("pair-"): value for key, value in request.form.items() if key.startswith("pair-")}
    return request.form.get("answer")


@bp.route("/bank/<int:question_id>", methods=["GET", "POST"])
@AUTHORS
def question(question_id: int):
    """The question with its answer key, and a form to try it as a learner would: the
    server grades the answer and shows the learner's feedback."""
    question = get_session().get(Question, question_id)
    if question is None:
        abort(404)
    parsed = services.as_parsed(question)
    result, error, response = None, None, None
    if request.method == "POST":
        response = _response_from_form(parsed)
        try:
            result = grading.grade(parsed, response)
        except grading.ResponseError as exc:
            error = str(exc)
    choices = sorted({pair["answer"] for pair in parsed.get("pairs", [])})
    return render_template("quizzes/question.html", question=question, parsed=parsed, result=result, error=error,
                           response=response, matching_choices=choices,
                           text_html=question_html(question.text, question.format)), 400 if error else 200


@bp.route("/bank/export")
@AUTHORS
def export():
    kind = request.args.get("format", "gift")
    if kind not in formats.EXPORT_FORMATS:
        abort(400)
    category = request.args.get("category") or None
    questions = services.export_questions(get_session(), category)
    if not questions:
        flash(_("There are no questions to export."), "info")
        return redirect(url_for("quizzes.bank"))
    extension = "gift" if kind == "gift" else "xml"
    return Response(formats.write(questions, kind), mimetype="text/plain" if kind == "gift" else "application/xml",
                    headers={"Content-Disposition": f'attachment; filename="question-bank.{extension}"'})
