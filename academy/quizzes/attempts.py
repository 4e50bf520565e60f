"""Quiz attempts: who may take a quiz, drawing an attempt's questions, saving answers as they
are given, checking one answer at once (immediate feedback), submitting, and the time limit.

Rules kept here, on the server, whatever the browser does:

- the questions, their order and the answer order are fixed when the attempt starts (a
  snapshot of each question in its ``QuizResponse``), so a reload, or an edit of the bank
  while someone is answering, never changes an attempt or its grading;
- an answer is stored exactly as given once the grading module can read it; one it cannot
  read is refused with a sentence saying why, and the stored answer stays as it was;
- only ``quizzes.grading`` decides what is correct, from the snapshot; the answer key never
  leaves the server before the attempt is submitted (in immediate mode, a checked answer's
  own feedback does);
- the time limit is the server's: an attempt past ``deadline_at`` (plus ``GRACE`` for a
  request already on its way) takes no more answers, and is submitted with the answers saved
  so far the next time anyone loads it.

Services flush and raise ``DomainError``; the caller commits. ``attempt_finished`` is sent
when an attempt becomes finished, inside the caller's transaction.
"""
from __future__ import annotations

import datetime as dt
import json
import random
import secrets
from collections.abc import Iterable, Mapping

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, aliased

from academy import signals
from academy.accounts.models import Role, User
from academy.accounts.phase import phase_of
from academy.courses import progress
from academy.courses.models import Course, Enrollment, Module
from academy.db import utcnow
from academy.domain_errors import Conflict, DomainError, Forbidden
from academy.quizzes import grading, services
from academy.quizzes.models import Attempt, AttemptState, Behaviour, Question, QuestionCategory, Quiz, QuizResponse

# A save or submit sent in the last second arrives a little after the deadline.
GRACE = dt.timedelta(seconds=5)
# Longer answers are refused rather than stored: an essay of 20,000 characters is ten pages.
MAX_ANSWER_CHARS = 20_000
AUTHORS = (Role.TRAINER, Role.ADMIN)
STAFF = (Role.TRAINER, Role.SUPERVISOR, Role.ADMIN)
GRADED_BY_TRAINER = "essay"
NOT_ANSWERED = "not_answered"


class InvalidAnswers(DomainError):
    """Several answers of one form could not be read; ``problems`` maps slot to message."""

    def __init__(self, problems: dict[int, str]):
        super().__init__(_l("Some answers could not be saved. Correct the marked questions and save again."))
        self.problems = problems


# --- who may do what -----------------------------------------------------------------------------

def _enrolled_modules(user: User):
    """Modules of the courses ``user`` is enrolled in, in any language version (courses
    enrol by slug, so a learner may follow another language's version of the same course)."""
    enrolled = aliased(Course)
    return (sa.select(Module).join(Course, Module.course_id == Course.id)
            .join(enrolled, enrolled.slug == Course.slug)
            .join(Enrollment, Enrollment.course_id == enrolled.id).where(Enrollment.user_id == user.id))


def modules_with(session: Session, quiz: Quiz, user: User | None = None) -> list[Module]:
    """The course modules that use ``quiz`` (for a learner, those of their own courses)."""
    stmt = sa.select(Module)
    if user is not None and user.role == Role.SPECIALIST:
        stmt = _enrolled_modules(user)
    return list(session.scalars(stmt.where(Module.quiz_id == quiz.id).order_by(Module.id)).unique())


def is_enrolled_for(session: Session, quiz: Quiz, user: User) -> bool:
    """Whether ``user`` is enrolled in a course with a module that uses ``quiz``."""
    return bool(modules_with(session, quiz, user)) if user.role == Role.SPECIALIST else False


def is_unlocked_for(session: Session, quiz: Quiz, user: User) -> bool:
    """Whether a module of the learner's courses that uses ``quiz`` is open to them (its
    course's and module's prerequisites done, as courses.progress decides)."""
    return any(not progress.course_status(session, user, module.course).module(module).locked
               for module in modules_with(session, quiz, user))


def may_take(session: Session, quiz: Quiz, user: User) -> bool:
    """Learners take the quizzes of their courses once the module is open to them; trainers
    and admins may take any quiz, as a preview; supervisors only look."""
    if user.role in AUTHORS:
        return True
    return user.role == Role.SPECIALIST and is_unlocked_for(session, quiz, user)


def may_view(session: Session, quiz: Quiz, user: User) -> bool:
    """Staff see every quiz; a learner sees the quizzes of their courses and those they took."""
    if user.role in STAFF or is_enrolled_for(session, quiz, user):
        return True
    return session.scalar(sa.select(Attempt.id).where(Attempt.quiz_id == quiz.id, Attempt.user_id == user.id)
                          .limit(1)) is not None


def may_review(attempt: Attempt, user: User) -> bool:
    """The learner reviews their own attempts; staff review anyone's."""
    return attempt.user_id == user.id or user.role in STAFF


def attempts_of(session: Session, quiz: Quiz, user: User) -> list[Attempt]:
    return list(session.scalars(sa.select(Attempt).where(Attempt.quiz_id == quiz.id, Attempt.user_id == user.id)
                                .order_by(Attempt.number)))


def attempts_left(session: Session, quiz: Quiz, user: User) -> int | None:
    """How many more attempts ``user`` may start (None: no limit). Previews by trainers and
    admins are never limited."""
    if quiz.attempts_allowed is None or user.role in AUTHORS:
        return None
    return max(0, quiz.attempts_allowed - len(attempts_of(session, quiz, user)))


# --- which questions ------------------------------------------------------------------------------

def source_names(source_file: str) -> list[str]:
    """The spellings a quiz file is stored under: ``quizzes/x.gift`` by the content sync,
    ``x.gift`` by an upload on the bank page; a course names it either way."""
    name = source_file.strip()
    bare = name.removeprefix("quizzes/")
    return sorted({name, bare, "quizzes/" + bare})


def questions_from(session: Session, source_file: str | None, category_path: str | None) -> list[Question]:
    """The bank's questions from a quiz file and/or a category with its subcategories, in the
    order of their file (then category and title), descriptions included."""
    if not (source_file or "").strip() and not (category_path or "").strip():
        return []
    stmt = sa.select(Question).join(QuestionCategory)
    if (source_file or "").strip():
        stmt = stmt.where(Question.source_file.in_(source_names(source_file)))
    if (category_path or "").strip():
        path = category_path.strip().rstrip("/")
        stmt = stmt.where(sa.or_(QuestionCategory.path == path,
                                 QuestionCategory.path.startswith(path + "/", autoescape=True)))
    # Sorted here rather than in SQL: SQLite and PostgreSQL put NULL lines at opposite ends.
    return sorted(session.scalars(stmt), key=lambda q: (q.source_file or "", q.source_line or 0,
                                                        q.category.path, q.title, q.id))


def questions_for(session: Session, quiz: Quiz) -> list[Question]:
    return questions_from(session, quiz.source_file, quiz.category_path)


def draw(questions: list[Question], count: int | None, seed: int, shuffle: bool) -> list[tuple[Question, list]]:
    """The questions of one attempt with their answer order, decided by ``seed`` alone.

    ``count`` questions (all when None) are drawn at random among those that can be answered
    and shown in their file order. A description is never drawn by itself: it comes along
    before the drawn questions that follow it in its file, since it introduces them (a
    scenario the next questions refer to). The order is a list of answer indexes for
    multiple choice and the list of offered answers for matching; empty otherwise."""
    rng = random.Random(seed)
    answerable = [q for q in questions if q.type != "description"]
    if count is None or count >= len(answerable):
        chosen = {q.id for q in answerable}
    else:
        chosen = {q.id for q in rng.sample(answerable, count)}
    shown: list[Question] = []
    intro, intro_file = None, None
    for question in questions:
        if question.type == "description":
            intro, intro_file = question, question.source_file
            continue
        if question.source_file != intro_file:
            intro = None
        if question.id in chosen:
            if intro is not None:
                shown.append(intro)
                intro = None
            shown.append(question)
    return [(question, answer_order(question.type, question.data, rng, shuffle)) for question in shown]


def answer_order(qtype: str, data: dict, rng: random.Random, shuffle: bool) -> list:
    if qtype == "multichoice":
        order = list(range(len(data.get("answers", []))))
    elif qtype == "matching":
        order = sorted({pair["answer"].strip() for pair in data.get("pairs", [])})
    else:
        return []
    if shuffle:
        rng.shuffle(order)
    return order


def points_of(quiz: Quiz, question: Question) -> float:
    if question.type == "description":
        return 0.0
    return float(quiz.question_points.get(str(question.id), 1.0))


# --- starting --------------------------------------------------------------------------------------

def lock_row(session: Session, model, row_id: int) -> None:
    """Hold row ``row_id`` of ``model`` for the rest of the transaction, so two requests
    changing the same attempt (an autosave and a submit) queue up instead of both acting on
    what they read. PostgreSQL locks the row (SELECT ... FOR UPDATE). SQLite has no row
    locks: a write that changes nothing takes its database write lock; as the first statement
    of a transaction it waits for the lock (busy timeout) rather than failing with "database
    is locked" because another request wrote after this one started reading."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(sa.update(model).where(model.id == row_id).values(id=model.id)
                        .execution_options(synchronize_session=False))
    else:
        session.execute(sa.select(model.id).where(model.id == row_id).with_for_update())


def open_attempt(session: Session, quiz: Quiz, user: User) -> Attempt | None:
    return session.scalar(sa.select(Attempt).where(Attempt.quiz_id == quiz.id, Attempt.user_id == user.id,
                                                   Attempt.state == AttemptState.IN_PROGRESS))


def start_attempt(session: Session, quiz: Quiz, user: User, now: dt.datetime | None = None,
                  seed: int | None = None) -> Attempt:
    """The attempt ``user`` should answer now: the open one if there is one (its deadline
    permitting), else a new one with its questions drawn, within the attempts allowed."""
    now = now or utcnow()
    if not may_take(session, quiz, user):
        raise Forbidden(_l("You can take this quiz once you are enrolled in its course and its module is open "
                           "to you."))
    lock_row(session, User, user.id)  # one start at a time per person
    current = open_attempt(session, quiz, user)
    if current is not None and not close_if_expired(session, current, now):
        return current
    left = attempts_left(session, quiz, user)
    if left == 0:
        raise Conflict(_l("You have used all %(num)d attempts allowed for this quiz.", num=quiz.attempts_allowed))
    seed = secrets.randbelow(2**31) if seed is None else seed
    slots = draw(questions_for(session, quiz), quiz.question_count, seed, quiz.shuffle_answers)
    if not any(question.type != "description" for question, _order in slots):
        raise DomainError(_l("This quiz has no questions yet. Tell your trainer."))
    number = (session.scalar(sa.select(sa.func.max(Attempt.number))
                             .where(Attempt.quiz_id == quiz.id, Attempt.user_id == user.id)) or 0) + 1
    deadline = now + dt.timedelta(seconds=quiz.time_limit_seconds) if quiz.time_limit_seconds else None
    attempt = Attempt(quiz=quiz, user=user, number=number, state=AttemptState.IN_PROGRESS,
                      phase=phase_of(user, now), seed=seed, started_at=now, deadline_at=deadline)
    for slot, (question, order) in enumerate(slots, start=1):
        attempt.responses.append(QuizResponse(slot=slot, question_id=question.id, question=services.as_parsed(question),
                                              order=order, max_points=points_of(quiz, question), feedback=[]))
    session.add(attempt)
    session.flush()
    return attempt


# --- the clock -------------------------------------------------------------------------------------

def is_expired(attempt: Attempt, now: dt.datetime) -> bool:
    """Past the deadline and the grace for a request in flight."""
    return attempt.deadline_at is not None and now > attempt.deadline_at + GRACE


def seconds_left(attempt: Attempt, now: dt.datetime) -> int | None:
    if attempt.deadline_at is None:
        return None
    return max(0, int((attempt.deadline_at - now).total_seconds()))


def close_if_expired(session: Session, attempt: Attempt, now: dt.datetime) -> bool:
    """Submit ``attempt`` with its saved answers if its time ran out; whether it did."""
    if attempt.state != AttemptState.IN_PROGRESS or not is_expired(attempt, now):
        return False
    submit(session, attempt, attempt.deadline_at)
    return True


def close_expired(session: Session, now: dt.datetime, quiz: Quiz | None = None) -> int:
    """Submit every attempt (of ``quiz``, or of all quizzes) whose time ran out; how many."""
    stmt = (sa.select(Attempt).where(Attempt.state == AttemptState.IN_PROGRESS, Attempt.deadline_at.is_not(None),
                                     Attempt.deadline_at < now - GRACE)
            # PostgreSQL: attempts another request is closing are left to it (SQLite ignores this).
            .with_for_update(skip_locked=True).execution_options(populate_existing=True))
    if quiz is not None:
        stmt = stmt.where(Attempt.quiz_id == quiz.id)
    closed = 0
    for attempt in session.scalars(stmt).all():
        closed += close_if_expired(session, attempt, now)
    return closed


def _ensure_open(attempt: Attempt, now: dt.datetime) -> None:
    if attempt.state != AttemptState.IN_PROGRESS:
        raise Conflict(_l("This attempt has been submitted; its answers can no longer change."))
    if is_expired(attempt, now):
        raise Conflict(_l("Time is up for this attempt; answers can no longer change."))


# --- answering -------------------------------------------------------------------------------------

def number_of(attempt: Attempt, slot: int) -> int:
    """The question number a learner sees for ``slot`` (descriptions are not numbered)."""
    return sum(1 for r in attempt.responses if r.slot <= slot and r.question["type"] != "description")


def response_at(attempt: Attempt, slot) -> QuizResponse:
    response = next((r for r in attempt.responses if r.slot == slot), None) \
        if isinstance(slot, int) and not isinstance(slot, bool) else None
    if response is None:
        raise DomainError(_l("This attempt has no question in slot %(slot)s.", slot=str(slot)[:20]), field="slot")
    return response


def is_locked(response: QuizResponse, quiz: Quiz) -> bool:
    """In immediate mode, an answer checked and found correct is final."""
    return quiz.behaviour == Behaviour.IMMEDIATE and response.state == "correct"


def _read(attempt: Attempt, response: QuizResponse, raw):
    """``raw`` in the canonical form of the question's type; DomainError naming the question
    when it cannot be read or is too long."""
    number = number_of(attempt, response.slot)
    field = f"q{response.slot}"
    if response.question["type"] == "description":
        raise DomainError(_l("Slot %(slot)d is text to read, not a question.", slot=response.slot), field=field)
    if len(json.dumps(raw, ensure_ascii=False, default=str)) > MAX_ANSWER_CHARS + 2:
        raise DomainError(_l("Question %(number)d: an answer can be at most %(max)d characters long.",
                             number=number, max=MAX_ANSWER_CHARS), field=field)
    try:
        return grading.normalise_response(response.question, raw)
    except grading.ResponseError as error:
        raise DomainError(_l("Question %(number)d: %(problem)s.", number=number, problem=str(error)),
                          field=field) from None


def _store(response: QuizResponse, raw, normalised, now: dt.datetime) -> None:
    old = grading.normalise_response(response.question, response.answer) if response.answer is not None else None
    response.answer = raw if normalised is not None else None
    response.saved_at = now
    if normalised != old:  # a checked answer that changed is no longer the one checked
        response.state, response.fraction, response.feedback = None, None, []


def save_answer(session: Session, attempt: Attempt, slot: int, raw, now: dt.datetime | None = None) -> QuizResponse:
    """Store the answer to ``slot`` as given (a blank one clears it)."""
    now = now or utcnow()
    _ensure_open(attempt, now)
    response = response_at(attempt, slot)
    if is_locked(response, attempt.quiz):
        raise Conflict(_l("Question %(number)d is already answered correctly.",
                          number=number_of(attempt, response.slot)), field=f"q{response.slot}")
    _store(response, raw, _read(attempt, response, raw), now)
    session.flush()
    return response


def save_answers(session: Session, attempt: Attempt, answers: Mapping[int, object],
                 now: dt.datetime | None = None) -> None:
    """Store the answers of a whole form (slot: raw), all or none: when any cannot be read,
    nothing is stored and InvalidAnswers lists each problem by slot. Answers already final
    (checked correct in immediate mode) are left alone."""
    now = now or utcnow()
    _ensure_open(attempt, now)
    readable, problems = [], {}
    for slot, raw in answers.items():
        response = response_at(attempt, slot)
        if is_locked(response, attempt.quiz) or response.question["type"] == "description":
            continue
        try:
            readable.append((response, raw, _read(attempt, response, raw)))
        except DomainError as error:
            problems[slot] = str(error.message)
    if problems:
        raise InvalidAnswers(problems)
    for response, raw, normalised in readable:
        _store(response, raw, normalised, now)
    session.flush()


def check_answer(session: Session, attempt: Attempt, slot: int, now: dt.datetime | None = None) -> QuizResponse:
    """Immediate mode: grade the saved answer to ``slot`` now. Each check of a changed answer
    is one more try, and each earlier try costs ``quiz.penalty`` (Moodle's interactive rule);
    checking an unchanged answer again changes nothing."""
    now = now or utcnow()
    _ensure_open(attempt, now)
    if attempt.quiz.behaviour != Behaviour.IMMEDIATE:
        raise DomainError(_l("This quiz shows how you did after you submit it."))
    response = response_at(attempt, slot)
    number = number_of(attempt, response.slot)
    if response.question["type"] in (GRADED_BY_TRAINER, "description"):
        raise DomainError(_l("Question %(number)d is graded by a trainer after you submit.", number=number))
    if response.state is not None:
        return response
    if response.answer is None:
        raise DomainError(_l("Answer question %(number)d before checking it.", number=number),
                          field=f"q{response.slot}")
    _grade_try(response, attempt.quiz)
    session.flush()
    return response


def _grade_try(response: QuizResponse, quiz: Quiz) -> None:
    result = grading.grade(response.question, response.answer)
    response.tries += 1
    response.fraction = grading.penalised(result.fraction, response.tries, quiz.penalty)
    response.state, response.feedback = result.state, list(result.feedback)


# --- submitting and totals -------------------------------------------------------------------------

def submit(session: Session, attempt: Attempt, now: dt.datetime | None = None) -> Attempt:
    """Grade every answer on the server and total the attempt. Essays wait for a trainer
    (the attempt is then ``needs_grading``); otherwise it is finished and passed or not."""
    now = now or utcnow()
    if attempt.state != AttemptState.IN_PROGRESS:
        raise Conflict(_l("This attempt has already been submitted."))
    immediate = attempt.quiz.behaviour == Behaviour.IMMEDIATE
    for response in attempt.responses:
        qtype = response.question["type"]
        if qtype == "description":
            response.state, response.fraction, response.feedback = None, 0.0, []
        elif response.answer is None or grading.normalise_response(response.question, response.answer) is None:
            response.state, response.fraction, response.feedback = NOT_ANSWERED, 0.0, []
        elif qtype == GRADED_BY_TRAINER:
            response.state, response.fraction, response.feedback = "needs_grading", None, []
        elif immediate:
            if response.state is None:  # changed since its last check, or never checked: one more try
                _grade_try(response, attempt.quiz)
        else:
            result = grading.grade(response.question, response.answer)
            response.state, response.fraction, response.feedback = result.state, result.fraction, list(result.feedback)
    attempt.submitted_at = now
    tally(session, attempt)
    return attempt


def tally(session: Session, attempt: Attempt) -> None:
    """Total ``attempt`` from its responses; finish it when nothing waits for a trainer, and
    then send ``attempt_finished`` (once: a finished attempt stays finished)."""
    grades = [grading.Grade(r.fraction or 0.0, r.state or NOT_ANSWERED, [], grading.max_fraction(r.question))
              for r in attempt.responses]
    earned, possible, percent = grading.score(grades, [r.max_points for r in attempt.responses])
    attempt.points, attempt.max_points = earned, possible
    attempt.score = round(earned / possible, 7) if possible else 0.0
    waiting = any(r.state == "needs_grading" for r in attempt.responses)
    was_finished = attempt.state == AttemptState.FINISHED
    if waiting:
        attempt.state, attempt.passed = AttemptState.NEEDS_GRADING, None
    else:
        attempt.state = AttemptState.FINISHED
        attempt.passed = percent + 1e-9 >= attempt.quiz.pass_mark
    session.flush()
    if attempt.state == AttemptState.FINISHED and not was_finished:
        signals.attempt_finished.send(attempt, session=session)


def unanswered(attempt: Attempt) -> list[int]:
    """The numbers of the questions still without an answer."""
    return [number_of(attempt, r.slot) for r in attempt.responses
            if r.question["type"] != "description" and r.answer is None]


def open_slots(attempt: Attempt) -> Iterable[QuizResponse]:
    """The responses a learner can still change."""
    return [r for r in attempt.responses if r.question["type"] != "description" and not is_locked(r, attempt.quiz)]
