"""The trainers' grading queue: essays of submitted attempts waiting for a grade, oldest
submission first, and grading one. The attempt is finished (and ``attempt_finished`` sent)
when its last essay gets its grade; until then a trainer may still change the grades given."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, joinedload

from academy.accounts.models import User
from academy.db import utcnow
from academy.domain_errors import Conflict, DomainError, NotFound
from academy.quizzes import attempts, grading
from academy.quizzes.models import Attempt, AttemptState, QuizResponse

WAITING = "needs_grading"
MAX_COMMENT = 5000


def _waiting():
    return (sa.select(QuizResponse).join(Attempt)
            .where(QuizResponse.state == WAITING, Attempt.state == AttemptState.NEEDS_GRADING))


def waiting(session: Session, limit: int = 500) -> list[QuizResponse]:
    """Essays waiting for a grade, the longest-waiting first."""
    stmt = (_waiting().options(joinedload(QuizResponse.attempt).joinedload(Attempt.user),
                               joinedload(QuizResponse.attempt).joinedload(Attempt.quiz))
            .order_by(Attempt.submitted_at, Attempt.id, QuizResponse.slot).limit(limit))
    return list(session.scalars(stmt))


def count_waiting(session: Session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(_waiting().subquery())) or 0


def gradable_response(session: Session, response_id: int) -> QuizResponse:
    """An essay answer of a submitted attempt, graded or not."""
    response = session.get(QuizResponse, response_id)
    if response is None or response.question["type"] != attempts.GRADED_BY_TRAINER \
            or response.attempt.state == AttemptState.IN_PROGRESS:
        raise NotFound(_l("No such essay to grade."))
    return response


def is_open_for_grading(response: QuizResponse) -> bool:
    """Grades can be given or changed until the attempt is finished."""
    return response.attempt.state == AttemptState.NEEDS_GRADING and response.state != attempts.NOT_ANSWERED


def grade_essay(session: Session, response: QuizResponse, fraction: float, comment: str, grader: User,
                now: dt.datetime | None = None) -> QuizResponse:
    """Give an essay ``fraction`` of its points with an optional comment; finish the attempt
    when no essay of it is left waiting."""
    if not is_open_for_grading(response):
        raise Conflict(_l("This attempt is already graded."))
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise DomainError(_l("The comment can be at most %(max)d characters long.", max=MAX_COMMENT), field="comment")
    try:
        result = grading.grade_manually(fraction, comment)
    except ValueError as error:
        raise DomainError(str(error), field="grade") from None
    response.fraction, response.state = result.fraction, result.state
    response.grader_comment = comment or None
    response.graded_by_id, response.graded_at = grader.id, now or utcnow()
    attempts.tally(session, response.attempt)
    return response
