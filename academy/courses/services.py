"""Course operations for learners and the people who enrol them: finding the right language
version, enrolling (oneself, by a trainer, or a whole cohort, including people who join the
cohort later), completing lessons, and completing the course with a certificate. They take
a session and plain values, flush, and raise a DomainError on a violation; the caller
commits.

Completion is re-checked whenever one of its items happens (a lesson done, an article read,
a quiz attempt finished, a required course completed), so a course completes on whichever
item comes last. A completed enrolment stays completed: its certificate was issued.
"""
from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from academy import signals
from academy.accounts.models import Cohort, Role, User
from academy.accounts.phase import phase_of
from academy.courses import progress
from academy.courses.models import CohortEnrollment, Course, Enrollment, Lesson, LessonCompletion, Module
from academy.db import utcnow
from academy.domain_errors import DomainError, Forbidden, NotFound

ENROLLERS = (Role.TRAINER, Role.ADMIN)
STAFF = (Role.TRAINER, Role.SUPERVISOR, Role.ADMIN)
ORIGINAL_LANGUAGE = "en"


# --- finding courses -----------------------------------------------------------------------

def visible_to(course: Course, user: User) -> bool:
    """Learners see published courses; staff see every course."""
    return course.is_published or user.role in STAFF


def versions_of(session: Session, slug: str) -> list[Course]:
    return list(session.scalars(sa.select(Course).where(Course.slug == slug).order_by(Course.lang)))


def pick_version(versions: list[Course], lang: str | None) -> Course | None:
    """The version in ``lang``, else English, else the first."""
    by_lang = {course.lang: course for course in versions}
    return by_lang.get(lang or "") or by_lang.get(ORIGINAL_LANGUAGE) or (versions[0] if versions else None)


def course_for(session: Session, user: User, slug: str, lang: str | None = None) -> Course:
    """The version of course ``slug`` to show ``user``: the language asked for, else the one
    they are enrolled in, else their own language, else English, else any."""
    versions = [c for c in versions_of(session, slug) if visible_to(c, user)]
    if not versions:
        raise NotFound(_l("No such course."))
    by_lang = {course.lang: course for course in versions}
    if lang in by_lang:
        return by_lang[lang]
    enrollment = progress.enrollment_in(session, user, slug)
    if enrollment is not None and enrollment.course in versions:
        return enrollment.course
    return pick_version(versions, user.language)


def module_in(session: Session, user: User, slug: str, module_id: int) -> Module:
    module = session.get(Module, module_id)
    if module is None or module.course.slug != slug or not visible_to(module.course, user):
        raise NotFound(_l("No such module."))
    return module


def lesson_in(session: Session, user: User, slug: str, lesson_id: int) -> Lesson:
    lesson = session.get(Lesson, lesson_id)
    if lesson is None or lesson.module.course.slug != slug or not visible_to(lesson.module.course, user):
        raise NotFound(_l("No such lesson."))
    return lesson


@dataclass
class CatalogueEntry:
    course: Course                          # the version shown
    versions: list[Course]
    status: progress.CourseStatus | None    # None when the user is not enrolled


def catalogue(session: Session, user: User) -> tuple[list[CatalogueEntry], list[CatalogueEntry]]:
    """(the user's courses with their progress, unfinished first; the others they can see)."""
    by_slug: dict[str, list[Course]] = {}
    for course in session.scalars(sa.select(Course).order_by(Course.slug, Course.lang)):
        if visible_to(course, user):
            by_slug.setdefault(course.slug, []).append(course)
    enrolled: dict[str, Enrollment] = {}
    for enrollment in session.scalars(sa.select(Enrollment).where(Enrollment.user_id == user.id)
                                      .order_by(Enrollment.id)):
        enrolled.setdefault(enrollment.course.slug, enrollment)  # the first, as progress.enrollment_in
    mine, others = [], []
    for slug, versions in by_slug.items():
        enrollment = enrolled.get(slug)
        if enrollment is not None:
            course = enrollment.course if enrollment.course in versions else pick_version(versions, user.language)
            mine.append(CatalogueEntry(course, versions, progress.course_status(session, user, course, enrollment)))
        else:
            others.append(CatalogueEntry(pick_version(versions, user.language), versions, None))
    mine.sort(key=lambda e: (e.status.enrollment.completed_at is not None, e.course.title.lower()))
    others.sort(key=lambda e: e.course.title.lower())
    return mine, others


# --- enrolment ------------------------------------------------------------------------------

def enrol(session: Session, course: Course, user: User, by: User | None, *,
          cohort: Cohort | None = None) -> Enrollment:
    """Enrol ``user`` in ``course``. ``by`` is the user themself, a trainer or admin, or None
    for an enrolment that comes with a cohort. Someone already enrolled in any language
    version keeps that enrolment. A learner cannot enrol themself in a course whose
    required courses they have not completed; a trainer can (the course waits for them)."""
    existing = progress.enrollment_in(session, user, course.slug)
    if existing is not None:
        return existing
    if not user.is_active:
        raise DomainError(_l("%(name)s is deactivated and cannot be enrolled.", name=user.name))
    if by is not None and by.id != user.id and by.role not in ENROLLERS:
        raise Forbidden(_l("Only trainers and admins enrol other people."))
    if by is not None and by.id == user.id:
        if not visible_to(course, user):
            raise NotFound(_l("No such course."))
        status = progress.course_status(session, user, course)
        if status.missing_courses:
            raise DomainError(_l("Complete %(courses)s first.",
                                 courses=", ".join(f"“{title}”" for _slug, title in status.missing_courses)))
    enrollment = Enrollment(course=course, user=user, enrolled_by=by, cohort=cohort, phase=phase_of(user))
    session.add(enrollment)
    session.flush()
    check_completion(session, enrollment)  # done earlier in another way (e.g. another language)
    return enrollment


def enrol_cohort(session: Session, course: Course, cohort: Cohort, *, by: User) -> list[Enrollment]:
    """Give ``course`` to a whole cohort: every active member now (each in their own
    language's version when there is one), and anyone who joins the cohort later. Returns
    the enrolments that are new."""
    if by.role not in ENROLLERS:
        raise Forbidden(_l("Only trainers and admins enrol other people."))
    given = session.scalar(sa.select(CohortEnrollment).join(Course, CohortEnrollment.course_id == Course.id).where(
        CohortEnrollment.cohort_id == cohort.id, Course.slug == course.slug))
    if given is None:
        session.add(CohortEnrollment(course=course, cohort=cohort, enrolled_by_id=by.id))
        session.flush()
    return _enrol_members(session, course.slug, cohort, [m for m in cohort.members if m.is_active], by=by)


def _enrol_members(session: Session, slug: str, cohort: Cohort, members: list[User], *,
                   by: User | None) -> list[Enrollment]:
    versions = [c for c in versions_of(session, slug) if c.is_published] or versions_of(session, slug)
    added = []
    for member in members:
        if progress.enrollment_in(session, member, slug) is None:
            added.append(enrol(session, pick_version(versions, member.language), member, by=by, cohort=cohort))
    return added


def enrol_cohort_joiner(session: Session, user: User, cohort: Cohort) -> list[Enrollment]:
    """Enrol someone who just joined ``cohort`` in the courses given to that cohort."""
    given = session.scalars(sa.select(CohortEnrollment).where(CohortEnrollment.cohort_id == cohort.id)
                            .order_by(CohortEnrollment.id))
    added = []
    for item in given:
        for enrollment in _enrol_members(session, item.course.slug, cohort, [user] if user.is_active else [], by=None):
            enrollment.enrolled_by_id = item.enrolled_by_id  # who gave the course to the cohort
            added.append(enrollment)
    session.flush()
    return added


def cohorts_given(session: Session, slug: str) -> list[CohortEnrollment]:
    return list(session.scalars(sa.select(CohortEnrollment).join(Course, CohortEnrollment.course_id == Course.id)
                                .where(Course.slug == slug).order_by(CohortEnrollment.enrolled_at)))


def enrollments_of(session: Session, slug: str) -> list[Enrollment]:
    """Everyone enrolled in any language version of a course."""
    return list(session.scalars(sa.select(Enrollment).join(Course, Enrollment.course_id == Course.id)
                                .where(Course.slug == slug).order_by(Enrollment.enrolled_at)))


# --- lessons and completion ---------------------------------------------------------------------

def complete_lesson(session: Session, lesson: Lesson, user: User, now: dt.datetime | None = None) -> bool:
    """Mark a lesson done (stamped with the learner's phase); True the first time."""
    course = lesson.module.course
    if progress.enrollment_in(session, user, course.slug) is None:
        raise DomainError(_l("Enrol in the course first."))
    status = progress.course_status(session, user, course).module(lesson.module)
    if status.locked:
        raise DomainError(_l("This module is locked until you complete what it needs first."))
    exists = session.scalar(sa.select(LessonCompletion.id).where(LessonCompletion.lesson_id == lesson.id,
                                                                 LessonCompletion.user_id == user.id))
    if exists is not None:
        return False
    now = now or utcnow()
    session.add(LessonCompletion(lesson_id=lesson.id, user_id=user.id, completed_at=now, phase=phase_of(user, now)))
    session.flush()
    signals.lesson_completed.send(lesson, session=session, user=user)
    return True


def _certificate_code() -> str:
    raw = secrets.token_hex(6).upper()
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def check_completion(session: Session, enrollment: Enrollment, now: dt.datetime | None = None) -> bool:
    """Complete the enrolment when everything in the course is done: set the date and the
    certificate code, and tell other domains. True when it became complete now."""
    if enrollment.completed_at is not None:
        return False
    status = progress.course_status(session, enrollment.user, enrollment.course, enrollment)
    if not status.complete:
        return False
    enrollment.completed_at = now or utcnow()
    enrollment.certificate_code = _certificate_code()
    session.flush()
    signals.course_completed.send(enrollment, session=session)
    return True


def recheck_user(session: Session, user: User) -> None:
    """Re-check every unfinished enrolment of ``user``."""
    for enrollment in session.scalars(sa.select(Enrollment).where(Enrollment.user_id == user.id,
                                                                  Enrollment.completed_at.is_(None))).all():
        check_completion(session, enrollment)


def recheck_course(session: Session, course: Course) -> None:
    """Re-check every unfinished enrolment in ``course`` (after its content changed)."""
    for enrollment in session.scalars(sa.select(Enrollment).where(Enrollment.course_id == course.id,
                                                                  Enrollment.completed_at.is_(None))).all():
        check_completion(session, enrollment)


def certificate_of(session: Session, user: User, slug: str) -> Enrollment:
    """The user's own completed enrolment in course ``slug``; NotFound otherwise, so nobody
    learns whether someone else completed it."""
    enrollment = progress.enrollment_in(session, user, slug)
    if enrollment is None or enrollment.completed_at is None:
        raise NotFound(_l("No certificate for this course."))
    return enrollment


# --- signal receivers ------------------------------------------------------------------------

def _on_attempt_finished(attempt, *, session: Session, **_ignored) -> None:
    if attempt.passed:
        recheck_user(session, attempt.user)


def _on_practice_finished(practice, *, session: Session, **_ignored) -> None:
    if practice.score is not None:
        recheck_user(session, practice.user)


def _on_article_read(article, *, session: Session, user: User, **_ignored) -> None:
    recheck_user(session, user)


def _on_lesson_completed(lesson, *, session: Session, user: User, **_ignored) -> None:
    enrollment = progress.enrollment_in(session, user, lesson.module.course.slug)
    if enrollment is not None:
        check_completion(session, enrollment)


def _on_course_completed(enrollment, *, session: Session, **_ignored) -> None:
    recheck_user(session, enrollment.user)  # courses that required this one may be done now


def _on_cohort_joined(user, *, session: Session, cohort: Cohort, **_ignored) -> None:
    enrol_cohort_joiner(session, user, cohort)


def connect_signals() -> None:
    """Listen to the events completion depends on (idempotent: blinker keeps one of each)."""
    signals.attempt_finished.connect(_on_attempt_finished)
    signals.article_read.connect(_on_article_read)
    signals.practice_finished.connect(_on_practice_finished)
    signals.lesson_completed.connect(_on_lesson_completed)
    signals.course_completed.connect(_on_course_completed)
    signals.cohort_joined.connect(_on_cohort_joined)
