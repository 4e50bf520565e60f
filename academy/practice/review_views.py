"""Trainer review pages: the queue of finished sessions nobody has reviewed, and the review
of one session (override a criterion, comment on a turn, label a mis-read reply, mark it
reviewed). Trainers and admins only; the rules live in ``practice.review``."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.accounts import access
from academy.accounts.models import Role
from academy.db import get_session
from academy.domain_errors import DomainError, NotFound
from academy.practice import review
from academy.practice.forms import CommentForm, LabelForm, OverrideForm, ReviewedForm
from academy.practice.models import PracticeSession
from academy.practice.views import bp, report_context

REVIEWERS = access.roles(Role.TRAINER, Role.ADMIN)


@bp.route("/review")
@REVIEWERS
def review_queue():
    return render_template("practice/review_queue.html", items=review.queue(get_session()))


def _practice(session_id: int) -> PracticeSession:
    try:
        practice = review.session_for_review(get_session(), session_id, current_user)
    except NotFound:
        abort(404)
    if practice.ended_at is None:
        flash(_("This session is still going on; it can be reviewed once the trainee ends it."), "info")
        abort(redirect(url_for("practice.session", session_id=practice.id)))
    return practice


@bp.route("/review/<int:session_id>")
@REVIEWERS
def review_page(session_id: int):
    session = get_session()
    practice = _practice(session_id)
    context = report_context(session, practice)
    return render_template("practice/review.html", **context, labels=review.labels_of(session, practice),
                           override_form=OverrideForm(formdata=None), comment_form=CommentForm(formdata=None),
                           label_form=LabelForm(formdata=None), reviewed_form=ReviewedForm())


def _back(practice: PracticeSession, anchor: str = ""):
    return redirect(url_for("practice.review_page", session_id=practice.id) + anchor)


def _apply(form, operation, success) -> bool:
    """Validate ``form``, run the review operation, commit; flash what happened either way
    (``success`` is a callable, so the message can say what the operation changed)."""
    session = get_session()
    if not form.validate_on_submit():
        for name, errors in form.errors.items():
            flash(f"{getattr(form, name).label.text}: {errors[0]}", "error")
        return False
    try:
        operation()
    except DomainError as error:
        session.rollback()
        flash(error.message, "error")
        return False
    session.commit()
    flash(success(), "success")
    return True


@bp.route("/review/<int:session_id>/override", methods=["POST"])
@REVIEWERS
def review_override(session_id: int):
    practice = _practice(session_id)
    form = OverrideForm()
    _apply(form, lambda: review.override_criterion(get_session(), practice, current_user, form.criterion.data,
                                                   form.met.data == "yes", form.reason.data),
           lambda: _("The criterion is overridden: the score is now %(score)d, %(result)s.", score=practice.score,
                     result=_("passed") if practice.passed else _("not passed")))
    return _back(practice, "#rubric")


@bp.route("/review/<int:session_id>/comment", methods=["POST"])
@REVIEWERS
def review_comment(session_id: int):
    practice = _practice(session_id)
    form = CommentForm()
    _apply(form, lambda: review.comment(get_session(), practice, current_user, form.turn.data, form.text.data),
           lambda: _("Your comment is saved; the trainee sees it on their report."))
    return _back(practice, f"#turn-{form.turn.data}" if form.turn.data else "#comments")


@bp.route("/review/<int:session_id>/label", methods=["POST"])
@REVIEWERS
def review_label(session_id: int):
    practice = _practice(session_id)
    form = LabelForm()
    _apply(form, lambda: review.label_reply(get_session(), practice, current_user, form.turn.data, form.moves.data),
           lambda: _("The reply is labelled with the moves it makes; it joins the matcher's evaluation set."))
    return _back(practice, f"#turn-{form.turn.data}" if form.turn.data else "")


@bp.route("/review/<int:session_id>/reviewed", methods=["POST"])
@REVIEWERS
def review_done(session_id: int):
    practice = _practice(session_id)
    if _apply(ReviewedForm(), lambda: review.mark_reviewed(get_session(), practice, current_user),
              lambda: _("The session is marked as reviewed.")):
        return redirect(url_for("practice.review_queue"))
    return _back(practice)
