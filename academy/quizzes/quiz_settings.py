"""Changing how a quiz is taken: where its questions come from, how many are drawn, the pass
mark, attempts, time limit, feedback behaviour, what learners see on review and each
question's points. Changes apply to attempts started afterwards: an attempt keeps the
questions and points it started with."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from academy.db import utcnow
from academy.domain_errors import DomainError
from academy.quizzes.attempts import questions_from
from academy.quizzes.models import REVIEW_OPTIONS, Behaviour, Quiz

MAX_POINTS = 100.0


@dataclass(frozen=True)
class QuizSettings:
    title: str
    source_file: str | None
    category_path: str | None
    question_count: int | None
    pass_mark: float
    attempts_allowed: int | None
    shuffle_answers: bool
    time_limit_seconds: int | None
    behaviour: str
    penalty: float  # 0..1 of a question's points per extra try
    review: dict[str, bool] = field(default_factory=dict)
    question_points: dict[str, float] = field(default_factory=dict)  # question id -> points


def _number(value, low: float, high: float) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) \
        and low <= value <= high


def update_quiz(session: Session, quiz: Quiz, settings: QuizSettings) -> Quiz:
    """Apply ``settings`` to ``quiz`` after checking them all; flushes, the caller commits."""
    title = settings.title.strip()
    if not title or len(title) > 300:
        raise DomainError(_l("Give the quiz a title of at most 300 characters."), field="title")
    source = (settings.source_file or "").strip() or None
    category = (settings.category_path or "").strip() or None
    if source is None and category is None:
        raise DomainError(_l("Choose a quiz file or a bank category to draw the questions from."), field="source_file")
    questions = questions_from(session, source, category)
    answerable = [q for q in questions if q.type != "description"]
    if not answerable:
        raise DomainError(_l("The bank has no questions in this file and category."),
                          field="source_file" if source else "category_path")
    if settings.question_count is not None and not 1 <= settings.question_count <= len(answerable):
        raise DomainError(_l("Draw between 1 and %(num)d questions: that is how many there are.", num=len(answerable)),
                          field="question_count")
    if not _number(settings.pass_mark, 0, 100):
        raise DomainError(_l("The pass mark is a percentage between 0 and 100."), field="pass_mark")
    if settings.attempts_allowed is not None and settings.attempts_allowed < 1:
        raise DomainError(_l("Allow at least one attempt, or leave it empty for no limit."), field="attempts_allowed")
    if settings.time_limit_seconds is not None and settings.time_limit_seconds < 60:
        raise DomainError(_l("A time limit is at least one minute, or empty for none."), field="time_limit")
    if settings.behaviour not in {b.value for b in Behaviour}:
        raise DomainError(_l("Unknown feedback behaviour."), field="behaviour")
    if not _number(settings.penalty, 0, 1):
        raise DomainError(_l("The penalty is a percentage between 0 and 100."), field="penalty")
    unknown = set(settings.review) - set(REVIEW_OPTIONS)
    if unknown:
        raise DomainError(_l("Unknown review option %(name)s.", name=sorted(unknown)[0]), field="review")
    ids = {str(q.id) for q in answerable}
    for key, value in settings.question_points.items():
        if key in ids and not _number(value, 0, MAX_POINTS):
            raise DomainError(_l("Points are a number between 0 and %(max)d.", max=int(MAX_POINTS)),
                              field=f"points_{key}")
    quiz.title, quiz.source_file, quiz.category_path = title, source, category
    quiz.question_count, quiz.pass_mark = settings.question_count, float(settings.pass_mark)
    quiz.attempts_allowed, quiz.shuffle_answers = settings.attempts_allowed, bool(settings.shuffle_answers)
    quiz.time_limit_seconds, quiz.behaviour, quiz.penalty = settings.time_limit_seconds, settings.behaviour, \
        float(settings.penalty)
    quiz.review = {option: bool(settings.review.get(option)) for option in REVIEW_OPTIONS}
    quiz.question_points = {key: float(value) for key, value in sorted(settings.question_points.items())
                            if key in ids and float(value) != 1.0}
    quiz.updated_at = utcnow()
    session.flush()
    return quiz
