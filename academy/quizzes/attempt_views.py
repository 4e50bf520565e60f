"""Learner pages of a quiz: its introduction, answering an attempt (each answer saved as it is
given, by attempt.js or the Save button), checking an answer in immediate mode, submitting
after a confirmation, and the review. A learner only ever reaches their own attempts; the
server alone grades, and a page of an attempt whose time ran out submits it first."""
from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.accounts import access
from academy.accounts.models import Role, User
from academy.db import get_session, utcnow
from academy.domain_errors import DomainError
from academy.quizzes import attempt_display, attempts
from academy.quizzes.models import REVIEW_OPTIONS, Attempt, AttemptState, Behaviour, Quiz
from academy.quizzes.views import bp

TAKERS = access.roles(Role.SPECIALIST, Role.TRAINER, Role.ADMIN)


def _quiz(quiz_id: int) -> Quiz:
    session = get_session()
    quiz = session.get(Quiz, quiz_id)
    if quiz is None or not attempts.may_view(session, quiz, current_user):
        abort(404)
    return quiz


def _locked(model, row_id: int) -> None:
    """Start a transaction holding ``model``'s row (see attempts.lock_row): the read-only one
    of the sign-in check ends first, so the lock is the new transaction's first statement."""
    session = get_session()
    session.commit()
    attempts.lock_row(session, model, row_id)


def _own_attempt(attempt_id: int, *, for_update: bool = False) -> Attempt:
    if for_update:
        _locked(Attempt, attempt_id)
    attempt = get_session().get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)
    return attempt


def _closed_by_clock(attempt: Attempt) -> bool:
    """Submit ``attempt`` if its time ran out, holding its row so a save or submit under way
    goes first (see _locked), and commit; whether this request submitted it."""
    if attempt.state != AttemptState.IN_PROGRESS or not attempts.is_expired(attempt, utcnow()):
        return False
    session = get_session()
    _locked(Attempt, attempt.id)
    session.refresh(attempt)
    closed = attempts.close_if_expired(session, attempt, utcnow())
    session.commit()
    return closed


def _time_up(attempt: Attempt) -> bool:
    """Submit the learner's ``attempt`` if its time ran out, and tell them; whether it did."""
    if not _closed_by_clock(attempt):
        return False
    flash(_("Time is up: your attempt was submitted with the answers you had saved."), "warning")
    return True


def _module_link(module) -> str:
    return url_for("courses.module", course_slug=module.course.slug, module_id=module.id)


@bp.app_template_global()
def attempt_state_label(state: str) -> str:
    return {AttemptState.IN_PROGRESS: _("In progress"), AttemptState.NEEDS_GRADING: _("Waiting for grading"),
            AttemptState.FINISHED: _("Finished")}.get(state, state)


@bp.app_template_filter("points")
def points(value: float | None) -> str:
    """Points as people write them: 2, 2.5, 2.83 (two decimals at most)."""
    return "—" if value is None else f"{round(value, 2):g}"


@bp.app_template_filter("clock")
def clock(seconds: int) -> str:
    """Seconds as m:ss, or h:mm:ss from an hour on."""
    hours, rest = divmod(max(0, int(seconds)), 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


@bp.route("/<int:quiz_id>")
@access.signed_in
def quiz(quiz_id: int):
    session = get_session()
    quiz = _quiz(quiz_id)
    if attempts.close_expired(session, utcnow(), quiz):
        session.commit()
    available = [q for q in attempts.questions_for(session, quiz) if q.type != "description"]
    mine = attempts.attempts_of(session, quiz, current_user)
    modules = attempts.modules_with(session, quiz, current_user)
    return render_template(
        "quizzes/quiz.html", quiz=quiz, attempts=mine, may_take=attempts.may_take(session, quiz, current_user),
        left=attempts.attempts_left(session, quiz, current_user),
        open_attempt=next((a for a in mine if a.state == AttemptState.IN_PROGRESS), None),
        question_count=min(quiz.question_count or len(available), len(available)),
        modules=[(m, _module_link(m)) for m in modules])


@bp.route("/<int:quiz_id>/attempts", methods=["POST"])
@TAKERS
def attempt_start(quiz_id: int):
    session = get_session()
    quiz = _quiz(quiz_id)
    if not attempts.may_take(session, quiz, current_user):
        abort(404)
    _locked(User, current_user.id)
    try:
        attempt = attempts.start_attempt(session, quiz, current_user, utcnow())
        session.commit()
    except DomainError as error:
        session.rollback()
        flash(error.message, "error")
        return redirect(url_for("quizzes.quiz", quiz_id=quiz.id))
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))


def _attempt_page(attempt: Attempt, posted: dict | None = None, problems: dict | None = None, status: int = 200):
    """The attempt with every question, answers from the server (or as just posted when they
    are shown again with their problems). Only ``attempt_display.learner_view`` reaches the
    template: no credit, no feedback, no accepted answers."""
    posted, problems = posted or {}, problems or {}
    immediate = attempt.quiz.behaviour == Behaviour.IMMEDIATE
    items = []
    for response in attempt.responses:
        number = attempts.number_of(attempt, response.slot)
        view = attempt_display.learner_view(response, number, posted.get(response.slot))
        view["problem"] = problems.get(response.slot)
        view["locked"] = attempts.is_locked(response, attempt.quiz)
        if view["locked"]:
            view["answer_lines"] = attempt_display.answer_lines(response.question, response.answer, response.order)
        if immediate and response.state is not None:  # the learner checked this answer: its result is theirs
            view["checked"] = {"state": response.state, "fraction": response.fraction,
                               "feedback": list(response.feedback), "tries": response.tries}
        items.append(view)
    return render_template("quizzes/attempt.html", attempt=attempt, quiz=attempt.quiz, items=items,
                           immediate=immediate, seconds_left=attempts.seconds_left(attempt, utcnow()),
                           unanswered=attempts.unanswered(attempt)), status


@bp.route("/attempts/<int:attempt_id>")
@TAKERS
def attempt(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    if _time_up(attempt) or attempt.state != AttemptState.IN_PROGRESS:
        return redirect(url_for("quizzes.attempt_review", attempt_id=attempt.id))
    return _attempt_page(attempt)


def _json_error(message, status: int = 400, code: str = "invalid", field: str | None = None, **extra):
    return jsonify(error={"code": code, "message": str(message), "field": field}, **extra), status


def _posted_answers(attempt: Attempt) -> dict:
    """The answers a posted attempt form carries, by slot (questions still open only)."""
    return {r.slot: attempt_display.raw_from_form(r.question, r.slot, request.form) for r in attempts.open_slots(attempt)}


def _save_posted(attempt: Attempt):
    """Store the answers of the posted attempt form, all or none; the page to show again
    (400) when some cannot be read, else None."""
    session = get_session()
    posted = _posted_answers(attempt)
    try:
        attempts.save_answers(session, attempt, posted, utcnow())
    except attempts.InvalidAnswers as error:
        session.rollback()
        flash(error.message, "error")
        return _attempt_page(attempt, posted, error.problems, 400)
    return None


def _save_json(attempt: Attempt):
    session = get_session()
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or "slot" not in body or "answer" not in body:
        return _json_error(_('Send JSON like {"slot": 1, "answer": "..."}.'), code="bad_request")
    try:
        response = attempts.save_answer(session, attempt, body["slot"], body["answer"], utcnow())
    except DomainError as error:
        session.rollback()
        return _json_error(error.message, error.status, error.code, error.field)
    session.commit()
    return jsonify(saved=True, slot=response.slot, answered=response.answer is not None,
                   saved_at=response.saved_at.isoformat(), unanswered=len(attempts.unanswered(attempt)))


@bp.route("/attempts/<int:attempt_id>/answers", methods=["POST"])
@TAKERS
def attempt_save(attempt_id: int):
    """One answer as JSON (attempt.js, replying JSON), or the whole form (the Save button)."""
    attempt = _own_attempt(attempt_id, for_update=True)
    review = url_for("quizzes.attempt_review", attempt_id=attempt.id)
    if _time_up(attempt) or attempt.state != AttemptState.IN_PROGRESS:
        if request.is_json:
            return _json_error(_("This attempt has been submitted; its answers can no longer change."), 409,
                               "submitted", review_url=review)
        return redirect(review)
    if request.is_json:
        return _save_json(attempt)
    if request.form.get("answers") != "1":
        abort(400)
    page = _save_posted(attempt)
    if page is not None:
        return page
    get_session().commit()
    flash(_("Your answers are saved."), "success")
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>/check", methods=["POST"])
@TAKERS
def attempt_check(attempt_id: int):
    """Immediate mode: save the form, then grade the one answer whose Check was pressed."""
    session = get_session()
    attempt = _own_attempt(attempt_id, for_update=True)
    if _time_up(attempt) or attempt.state != AttemptState.IN_PROGRESS:
        return redirect(url_for("quizzes.attempt_review", attempt_id=attempt.id))
    slot = request.form.get("slot", type=int)
    if request.form.get("answers") == "1":
        page = _save_posted(attempt)
        if page is not None:
            return page
        session.commit()  # the answers are kept even when the check is refused
    try:
        attempts.check_answer(session, attempt, slot, utcnow())
    except DomainError as error:
        session.rollback()
        flash(error.message, "error")
        return _attempt_page(attempt, status=error.status)
    session.commit()
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id, _anchor=f"q{slot}"))


@bp.route("/attempts/<int:attempt_id>/submit", methods=["POST"])
@TAKERS
def attempt_submit(attempt_id: int):
    """Without ``confirm``: save the posted answers and ask for confirmation, saying how many
    questions are unanswered. With it: grade and finish."""
    session = get_session()
    attempt = _own_attempt(attempt_id, for_update=True)
    review = url_for("quizzes.attempt_review", attempt_id=attempt.id)
    if _time_up(attempt) or attempt.state != AttemptState.IN_PROGRESS:
        return redirect(review)
    if request.form.get("answers") == "1":
        page = _save_posted(attempt)
        if page is not None:
            return page
    if request.form.get("confirm") != "1":
        session.commit()
        return render_template("quizzes/confirm_submit.html", attempt=attempt, quiz=attempt.quiz,
                               unanswered=attempts.unanswered(attempt),
                               seconds_left=attempts.seconds_left(attempt, utcnow()))
    attempts.submit(session, attempt, utcnow())
    session.commit()
    if request.form.get("time_up") == "1":  # sent by attempt.js when the countdown reached zero
        flash(_("Time is up: your attempt was submitted with the answers you had saved."), "warning")
    else:
        flash(_("Your attempt is submitted."), "success")
    return redirect(review)


@bp.route("/attempts/<int:attempt_id>/review")
@access.signed_in
def attempt_review(attempt_id: int):
    session = get_session()
    attempt = session.get(Attempt, attempt_id)
    if attempt is None or not attempts.may_review(attempt, current_user):
        abort(404)
    own = attempt.user_id == current_user.id
    _closed_by_clock(attempt)
    if own and attempt.state == AttemptState.IN_PROGRESS:
        return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))
    # Learners see what the quiz's review options allow; staff see everything.
    show = dict.fromkeys(REVIEW_OPTIONS, True) if not own or current_user.role in attempts.AUTHORS \
        else {option: bool((attempt.quiz.review or {}).get(option)) for option in REVIEW_OPTIONS}
    items = [{"response": r, "number": attempts.number_of(attempt, r.slot),
              "text_html": attempt_display.learner_view(r, 0)["text_html"],
              "answer": attempt_display.answer_lines(r.question, r.answer, r.order),
              "right": attempt_display.right_answer_lines(r.question)} for r in attempt.responses]
    return render_template("quizzes/review.html", attempt=attempt, quiz=attempt.quiz, items=items, show=show,
                           own=own)
