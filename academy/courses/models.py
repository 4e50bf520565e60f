"""Courses: modules of lessons, required reading, a quiz and practice; who is enrolled and
what they have completed."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.accounts.models import Cohort, User
from academy.db import Base, utcnow
from academy.quizzes.models import Quiz

PHASE_CHECK = "phase IN ('before_first_contact', 'after_first_contact')"


class Course(Base):
    """One language version of a course (``courses/<slug>/course.yaml`` or
    ``course.<lang>.yaml``); versions sharing a slug are translations."""

    __tablename__ = "course"
    __table_args__ = (sa.UniqueConstraint("slug", "lang", name="uq_course_slug_lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), index=True)
    lang: Mapped[str] = mapped_column(sa.String(8))
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    before_first_contact: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    is_published: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # SHA-256 over the course file and every file it uses; an unchanged course is skipped.
    source_hash: Mapped[str | None] = mapped_column(sa.String(64))
    source_path: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    modules: Mapped[list[Module]] = relationship(
        back_populates="course", order_by="Module.position", cascade="all, delete-orphan", passive_deletes=True)
    enrollments: Mapped[list[Enrollment]] = relationship(
        back_populates="course", cascade="all, delete-orphan", passive_deletes=True)


class Module(Base):
    """A step of a course. It is complete when every lesson is done, every required article
    (by slug, in the course's language or any translation) has been read, the quiz is passed
    and the practice scenario reached ``practice_min_score`` (each only where set)."""

    __tablename__ = "course_module"
    __table_args__ = (sa.UniqueConstraint("course_id", "key", name="uq_course_module_course_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(120))   # stable id within the course
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(300))
    required_articles: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    quiz_id: Mapped[int | None] = mapped_column(sa.ForeignKey("quiz.id", ondelete="SET NULL"))
    practice_scenario: Mapped[str | None] = mapped_column(sa.String(120))
    practice_min_score: Mapped[int | None]

    course: Mapped[Course] = relationship(back_populates="modules")
    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="module", order_by="Lesson.position", cascade="all, delete-orphan", passive_deletes=True)
    quiz: Mapped[Quiz | None] = relationship()


class Lesson(Base):
    """A Markdown page of a module, rendered once when it is saved."""

    __tablename__ = "lesson"
    __table_args__ = (sa.UniqueConstraint("module_id", "key", name="uq_lesson_module_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("course_module.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(200))   # the file name in the course folder
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(300))
    body_md: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    minutes: Mapped[int | None]                         # estimated reading time

    module: Mapped[Module] = relationship(back_populates="lessons")


class Prerequisite(Base):
    """What must be complete before a course (``module_id`` null) or one of its modules can
    be started: another course by slug, or another module of the same course."""

    __tablename__ = "prerequisite"
    __table_args__ = (
        sa.CheckConstraint("(required_course_slug IS NULL) <> (required_module_id IS NULL)",
                           name="requires_one_thing"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int | None] = mapped_column(sa.ForeignKey("course_module.id", ondelete="CASCADE"))
    required_course_slug: Mapped[str | None] = mapped_column(sa.String(120))
    required_module_id: Mapped[int | None] = mapped_column(sa.ForeignKey("course_module.id", ondelete="CASCADE"))


class Enrollment(Base):
    """A learner on a course: enrolled by themselves, a trainer, or with their cohort."""

    __tablename__ = "enrollment"
    __table_args__ = (
        sa.UniqueConstraint("course_id", "user_id", name="uq_enrollment_course_user"),
        sa.CheckConstraint(PHASE_CHECK, name="phase_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    enrolled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    cohort_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cohort.id", ondelete="SET NULL"))
    enrolled_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    phase: Mapped[str] = mapped_column(sa.String(24))
    completed_at: Mapped[dt.datetime | None]
    # Printed on the certificate so it can be checked; set on completion.
    certificate_code: Mapped[str | None] = mapped_column(sa.String(32), unique=True)

    course: Mapped[Course] = relationship(back_populates="enrollments")
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    enrolled_by: Mapped[User | None] = relationship(foreign_keys=[enrolled_by_id])
    cohort: Mapped[Cohort | None] = relationship()


class CohortEnrollment(Base):
    """A course given to a whole cohort: its members are enrolled, and so is anyone who
    joins the cohort later."""

    __tablename__ = "cohort_enrollment"
    __table_args__ = (sa.UniqueConstraint("course_id", "cohort_id", name="uq_cohort_enrollment_course_cohort"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="CASCADE"), index=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    enrolled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    enrolled_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    course: Mapped[Course] = relationship()
    cohort: Mapped[Cohort] = relationship()


class LessonCompletion(Base):
    __tablename__ = "lesson_completion"
    __table_args__ = (
        sa.UniqueConstraint("lesson_id", "user_id", name="uq_lesson_completion_lesson_user"),
        sa.CheckConstraint(PHASE_CHECK, name="phase_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(sa.ForeignKey("lesson.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    completed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    phase: Mapped[str] = mapped_column(sa.String(24))
