"""Spaced refreshers: questions a learner got wrong after first contact come back in short
refresher quizzes until they are remembered.

Each such question becomes a ``RefresherCard`` scheduled with FSRS (the ``fsrs`` package, the
scheduler Anki uses): every answer is a review, rated from the server's grade; FSRS keeps the
card's memory (stability, difficulty) in ``RefresherCard.memory`` and says when it is due again.

Choices, and why:

- The wrong answer that creates a card is its first review (rated like any other answer), so
  the card starts with the memory that answer showed. One learning and one relearning step of
  a day: a question answered wrongly always comes back the next day; a right answer then hands
  the card to FSRS's day intervals, which grow as the learner keeps getting it right.
- Ratings: right (Good), partly right (Hard: FSRS counts it as recalled, with a smaller gain),
  wrong (Again: a lapse). The same mapping holds for quiz attempts and refreshers, so an answer
  weighs the same wherever it is given. Easy is never used: a grade says nothing about effort.
- A card is due from the start of the (UTC) day it falls due, as in Anki: a question due at
  16:00 is offered in the morning of that day, when the learner opens Academy.
- No fuzzing: the few cards a learner has are easier to follow with exact intervals.
- Intervals stop at 180 days: policies and products change; a forgotten question should come
  back at least twice a year.
- Essays and descriptions are never cards (nothing to grade on the spot); a question deleted
  from the bank takes its cards with it.

Reviews arrive in time order: a review at or before the card's last one is ignored, which makes
the attempt receiver idempotent (a signal sent twice reviews once). No Flask here.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from fsrs import Card, Rating, Scheduler
from sqlalchemy.orm import Session

from academy.accounts.models import User
from academy.accounts.phase import AFTER
from academy.db import utcnow
from academy.domain_errors import DomainError
from academy.quizzes import attempts, grading, services
from academy.quizzes.models import Attempt, AttemptState, Question, RefresherCard

QUIZ_SIZE = 5
UNGRADED_TYPES = ("essay", "description")
RATINGS = {"correct": Rating.Good, "partial": Rating.Hard, "wrong": Rating.Again}
SCHEDULER = Scheduler(learning_steps=(dt.timedelta(days=1),), relearning_steps=(dt.timedelta(days=1),),
                      maximum_interval=180, enable_fuzzing=False)


def rating_for(state: str) -> Rating | None:
    """The FSRS rating of a graded answer; None for states that say nothing about memory."""
    return RATINGS.get(state)


def end_of_day(now: dt.datetime) -> dt.datetime:
    """The start of the next UTC day: cards due before it are due today."""
    today = now.astimezone(dt.timezone.utc).date()
    return dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), dt.timezone.utc)


def is_due(card: RefresherCard, now: dt.datetime | None = None) -> bool:
    return card.due_at < end_of_day(now or utcnow())


def days_until(due_at: dt.datetime, now: dt.datetime | None = None) -> int:
    """Calendar days (UTC) from ``now`` to ``due_at``: 0 today, 1 tomorrow."""
    now = now or utcnow()
    return (due_at.astimezone(dt.timezone.utc).date() - now.astimezone(dt.timezone.utc).date()).days


def review_card(card: RefresherCard, rating: Rating, at: dt.datetime) -> bool:
    """Apply one review to ``card``; False (and nothing changed) when ``at`` is not after its
    last review: FSRS reviews go forward in time, and a repeated event must count once."""
    at = at.astimezone(dt.timezone.utc)
    if card.last_reviewed_at is not None and at <= card.last_reviewed_at:
        return False
    memory = Card.from_dict(card.memory) if card.memory else Card(card_id=card.question_id, due=at)
    was_learnt = card.reviews > 0
    memory, _log = SCHEDULER.review_card(memory, rating, at)
    card.memory = memory.to_dict()
    card.due_at = memory.due
    card.last_reviewed_at = at
    card.reviews += 1
    if rating == Rating.Again and was_learnt:
        card.lapses += 1
    return True


def _attempt_time(attempt: Attempt) -> dt.datetime:
    return attempt.submitted_at or utcnow()


def schedule_attempt(session: Session, attempt: Attempt) -> list[RefresherCard]:
    """Turn a finished attempt made after first contact into reviews: a question answered
    wrongly or partly gets a card (or, if it has one, a lapse or a hard review); a right
    answer to a question that has a card is a good review. Returns the cards it changed."""
    if attempt.phase != AFTER or attempt.state != AttemptState.FINISHED:
        return []
    worst: dict[int, str] = {}
    order = ("correct", "partial", "wrong")
    for response in attempt.responses:
        if response.question_id is None or (response.question or {}).get("type") in UNGRADED_TYPES:
            continue
        if response.state not in order:
            continue
        known = worst.get(response.question_id)
        if known is None or order.index(response.state) > order.index(known):
            worst[response.question_id] = response.state
    if not worst:
        return []
    questions = {q.id: q for q in session.scalars(sa.select(Question).where(Question.id.in_(worst)))}
    cards = {c.question_id: c for c in session.scalars(sa.select(RefresherCard).where(
        RefresherCard.user_id == attempt.user_id, RefresherCard.question_id.in_(worst)))}
    at, changed = _attempt_time(attempt), []
    for question_id, state in sorted(worst.items()):
        question = questions.get(question_id)
        if question is None or question.type in UNGRADED_TYPES:
            continue
        card = cards.get(question_id)
        if card is None:
            if state == "correct":
                continue
            card = RefresherCard(user_id=attempt.user_id, question_id=question_id, memory={}, reviews=0, lapses=0)
            session.add(card)
        if review_card(card, RATINGS[state], at):
            changed.append(card)
    session.flush()
    return changed


def on_attempt_finished(attempt: Attempt, session: Session, **_kwargs) -> None:
    """Receiver of ``academy.signals.attempt_finished``."""
    schedule_attempt(session, attempt)


def _gradable():
    return Question.type.not_in(UNGRADED_TYPES)


def due_cards(session: Session, user: User, now: dt.datetime | None = None,
              limit: int = QUIZ_SIZE) -> list[RefresherCard]:
    """The user's cards due today, the longest overdue first (at most ``limit``)."""
    stmt = (sa.select(RefresherCard).join(Question, Question.id == RefresherCard.question_id)
            .where(RefresherCard.user_id == user.id, RefresherCard.due_at < end_of_day(now or utcnow()), _gradable())
            .order_by(RefresherCard.due_at, RefresherCard.id).limit(limit))
    return list(session.scalars(stmt))


@dataclass(frozen=True)
class Outlook:
    """What the home page says: how many cards are due today, else when the next one is."""

    due: int
    next_due_at: dt.datetime | None


def outlook(session: Session, user: User, now: dt.datetime | None = None) -> Outlook | None:
    """None when the user has no cards to refresh."""
    row = session.execute(
        sa.select(sa.func.count(RefresherCard.id), sa.func.min(RefresherCard.due_at))
        .join(Question, Question.id == RefresherCard.question_id)
        .where(RefresherCard.user_id == user.id, _gradable())).one()
    count, first_due = row
    if not count:
        return None
    due = session.scalar(
        sa.select(sa.func.count(RefresherCard.id)).join(Question, Question.id == RefresherCard.question_id)
        .where(RefresherCard.user_id == user.id, RefresherCard.due_at < end_of_day(now or utcnow()), _gradable()))
    return Outlook(due=due, next_due_at=None if due else first_due)


def card_of(session: Session, user: User, card_id: int) -> RefresherCard | None:
    """The card if it is ``user``'s own; None for a missing card or anybody else's."""
    card = session.get(RefresherCard, card_id)
    return card if card is not None and card.user_id == user.id else None


def answer_order(card: RefresherCard, parsed: dict) -> list:
    """The shown order of a question's answers (multiple choice: answer numbers; matching: the
    answers offered), shuffled as in an attempt, since files often list the right answer
    first; fixed per card and review, so a page shown again keeps it."""
    return attempts.answer_order(parsed["type"], parsed, random.Random(f"{card.id}:{card.reviews}"), True)


@dataclass(frozen=True)
class Answered:
    card: RefresherCard
    grade: grading.Grade


def answer_card(session: Session, card: RefresherCard, raw, now: dt.datetime | None = None) -> Answered:
    """Grade ``raw`` (what the form sent) against the bank question on the server, rate it and
    reschedule the card. Raises DomainError, changing nothing, for an answer that cannot be
    read, a blank one, or a card that is not due (an answer sent twice counts once)."""
    now = now or utcnow()
    if not is_due(card, now):
        raise DomainError(_l("This question is not due yet; it is already scheduled."))
    question = session.get(Question, card.question_id)
    parsed = services.as_parsed(question)
    try:
        grade = grading.grade(parsed, raw)
    except grading.ResponseError as exc:
        raise DomainError(_l("Your answer could not be read: %(reason)s.", reason=str(exc)), field="answer") from exc
    if grade.state == "not_answered":
        raise DomainError(_l("Choose or type an answer, then check it."), field="answer")
    rating = rating_for(grade.state)
    if rating is None:  # an essay: only a trainer can grade it
        raise DomainError(_l("This question cannot be checked here."), field="answer")
    review_card(card, rating, now)
    session.flush()
    return Answered(card, grade)
