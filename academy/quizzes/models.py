"""The question bank: categories and questions."""
from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.accounts.models import User
from academy.db import Base, utcnow

DEFAULT_CATEGORY = "Default"


class QuestionCategory(Base):
    """A folder of the bank, by its Moodle-style path, e.g. ``$course$/Onboarding/Billing``."""

    __tablename__ = "question_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(sa.String(500), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    questions: Mapped[list[Question]] = relationship(back_populates="category", order_by="Question.title")


class Question(Base):
    """One question. ``data`` holds the type-specific part of the parsed question (answers,
    pairs, numerical answers, feedbacks) exactly as the formats produce it; the common part
    has columns. Titles are unique within a category: importing the same file again updates
    questions instead of duplicating them (enforced here and in quizzes.services)."""

    __tablename__ = "question"
    __table_args__ = (
        sa.UniqueConstraint("category_id", "title", name="uq_question_category_title"),
        sa.CheckConstraint(
            "type IN ('multichoice', 'truefalse', 'shortanswer', 'matching', 'numerical', 'essay', 'description')",
            name="type_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("question_category.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(sa.String(20))
    title: Mapped[str] = mapped_column(sa.String(255))
    text: Mapped[str] = mapped_column(sa.Text)
    format: Mapped[str] = mapped_column(sa.String(16), default="moodle", server_default="moodle")
    general_feedback: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    tags: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    source_file: Mapped[str | None] = mapped_column(sa.String(500))
    source_line: Mapped[int | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    category: Mapped[QuestionCategory] = relationship(back_populates="questions")


class Behaviour(enum.StrEnum):
    DEFERRED = "deferred"     # answers are graded when the attempt is submitted
    IMMEDIATE = "immediate"   # each answer can be checked at once; a retry costs ``penalty``


class AttemptState(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    NEEDS_GRADING = "needs_grading"  # submitted; an essay waits for a trainer
    FINISHED = "finished"            # submitted and fully graded


# What the learner sees on the review page after submitting (Moodle's review options).
REVIEW_OPTIONS = ("responses", "correctness", "points", "feedback", "general_feedback", "right_answer")
DEFAULT_REVIEW = {"responses": True, "correctness": True, "points": True, "feedback": True,
                  "general_feedback": True, "right_answer": False}


class Quiz(Base):
    """A quiz: which questions it draws and how it is taken.

    Questions come from a quiz file (those imported from ``source_file``) or from a bank
    category and its subcategories (``category_path``); ``question_count`` of them are drawn
    at random per attempt (all of them when unset). ``pass_mark`` is a percentage.
    ``question_points`` maps a question id (as a string) to its points when not 1.
    """

    __tablename__ = "quiz"
    __table_args__ = (
        sa.CheckConstraint("behaviour IN ('deferred', 'immediate')", name="behaviour_known"),
        sa.CheckConstraint("pass_mark >= 0 AND pass_mark <= 100", name="pass_mark_percent"),
        sa.CheckConstraint("penalty >= 0 AND penalty <= 1", name="penalty_fraction"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    source_file: Mapped[str | None] = mapped_column(sa.String(500))
    category_path: Mapped[str | None] = mapped_column(sa.String(500))
    question_count: Mapped[int | None]
    pass_mark: Mapped[float] = mapped_column(default=80.0, server_default="80")
    attempts_allowed: Mapped[int | None]  # None: unlimited
    shuffle_answers: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    time_limit_seconds: Mapped[int | None]
    behaviour: Mapped[str] = mapped_column(sa.String(16), default=Behaviour.DEFERRED, server_default="deferred")
    penalty: Mapped[float] = mapped_column(default=1 / 3, server_default="0.3333333")
    review: Mapped[dict] = mapped_column(sa.JSON, default=lambda: dict(DEFAULT_REVIEW))
    question_points: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    attempts: Mapped[list[Attempt]] = relationship(back_populates="quiz", cascade="all, delete-orphan",
                                                   passive_deletes=True)


class Attempt(Base):
    """One try at a quiz by one learner. The questions drawn, their order and the answer
    order are fixed when it starts (``QuizResponse`` rows), so a reload shows the same quiz.
    ``deadline_at`` is enforced on the server; ``phase`` is the learner's phase at the start."""

    __tablename__ = "attempt"
    __table_args__ = (
        sa.UniqueConstraint("quiz_id", "user_id", "number", name="uq_attempt_quiz_user_number"),
        sa.CheckConstraint("state IN ('in_progress', 'needs_grading', 'finished')", name="state_known"),
        sa.CheckConstraint("phase IN ('before_first_contact', 'after_first_contact')", name="phase_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(sa.ForeignKey("quiz.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    state: Mapped[str] = mapped_column(sa.String(16), default=AttemptState.IN_PROGRESS)
    phase: Mapped[str] = mapped_column(sa.String(24))
    seed: Mapped[int]
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    deadline_at: Mapped[dt.datetime | None]
    submitted_at: Mapped[dt.datetime | None]
    points: Mapped[float | None]       # earned, after penalties
    max_points: Mapped[float | None]
    score: Mapped[float | None]        # points / max_points, 0..1
    passed: Mapped[bool | None]

    quiz: Mapped[Quiz] = relationship(back_populates="attempts")
    user: Mapped[User] = relationship()
    responses: Mapped[list[QuizResponse]] = relationship(
        back_populates="attempt", order_by="QuizResponse.slot", cascade="all, delete-orphan", passive_deletes=True)


class QuizResponse(Base):
    """One question slot of an attempt and the answer given to it, saved as it is given.

    ``question`` is a snapshot of the parsed question when the attempt started, so editing
    the bank never changes an attempt under way or its grading; ``order`` is the shuffled
    answer order shown. ``answer`` is the raw response exactly as the learner gave it."""

    __tablename__ = "quiz_response"
    __table_args__ = (sa.UniqueConstraint("attempt_id", "slot", name="uq_quiz_response_attempt_slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("attempt.id", ondelete="CASCADE"), index=True)
    slot: Mapped[int]
    question_id: Mapped[int | None] = mapped_column(sa.ForeignKey("question.id", ondelete="SET NULL"), index=True)
    question: Mapped[dict] = mapped_column(sa.JSON)
    order: Mapped[list] = mapped_column(sa.JSON, default=list)
    max_points: Mapped[float] = mapped_column(default=1.0)
    answer: Mapped[dict | list | str | None] = mapped_column(sa.JSON)
    saved_at: Mapped[dt.datetime | None]
    tries: Mapped[int] = mapped_column(default=0, server_default="0")  # checks in immediate mode
    fraction: Mapped[float | None]     # after penalties, 0..1
    state: Mapped[str | None] = mapped_column(sa.String(16))
    feedback: Mapped[list] = mapped_column(sa.JSON, default=list)
    graded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    graded_at: Mapped[dt.datetime | None]
    grader_comment: Mapped[str | None] = mapped_column(sa.Text)

    attempt: Mapped[Attempt] = relationship(back_populates="responses")


class RefresherCard(Base):
    """A question a learner got wrong after first contact, scheduled to come back in a short
    refresher quiz. ``memory`` holds the scheduler's state for the card (FSRS)."""

    __tablename__ = "refresher_card"
    __table_args__ = (sa.UniqueConstraint("user_id", "question_id", name="uq_refresher_card_user_question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("question.id", ondelete="CASCADE"), index=True)
    due_at: Mapped[dt.datetime] = mapped_column(index=True)
    memory: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    reviews: Mapped[int] = mapped_column(default=0, server_default="0")
    lapses: Mapped[int] = mapped_column(default=0, server_default="0")
    last_reviewed_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
