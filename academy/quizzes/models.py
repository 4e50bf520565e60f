"""The question bank: categories and questions."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

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
