"""Demo activity on the shipped onboarding course: the trainer gave it to both hiring
cohorts (each person gets their own language's version where there is one), and people
are at different points: the demo specialist finished the lessons of the first module,
colleagues are ahead or behind. Skipped when the course is not in the content."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from academy.accounts import services as account_services
from academy.accounts.models import Role, User
from academy.accounts.phase import phase_of
from academy.courses import progress, services
from academy.courses.models import Course
from academy.db import utcnow
from academy.domain_errors import DomainError
from academy.knowledge import services as knowledge_services
from academy.knowledge.models import Article, ArticleStatus

ONBOARDING = "onboarding"
# How far each demo person got: lessons done in the first module (or all of them: -1), and
# whether they read the module's required articles.
PROGRESS = {
    "nina.novakova@lumen.example": (2, False),
    "lukas.weber@lumen.example": (1, False),
    "ruta.kazlauskaite@lumen.example": (-1, True),
    "olivia.brooks@lumen.example": (-1, True),
    "petr.dvorak@lumen.example": (-1, True),
}


def load(session: Session) -> None:
    course = session.scalar(sa.select(Course).where(Course.slug == ONBOARDING).order_by(Course.lang).limit(1))
    if course is None:
        return
    now = utcnow()
    trainer = session.scalar(sa.select(User).where(User.role == Role.TRAINER).order_by(User.id).limit(1))
    if trainer is None:
        return
    for cohort in account_services.list_cohorts(session):
        for enrollment in services.enrol_cohort(session, course, cohort, by=trainer):
            enrollment.enrolled_at = dt.datetime.combine(cohort.starts_on, dt.time(9), dt.timezone.utc)
            enrollment.phase = phase_of(enrollment.user, enrollment.enrolled_at)
    for email, (lessons, reads) in PROGRESS.items():
        user = account_services.find_user_by_email(session, email)
        enrollment = progress.enrollment_in(session, user, ONBOARDING) if user else None
        if enrollment is None:
            continue
        first = enrollment.course.modules[0] if enrollment.course.modules else None
        if first is None:
            continue
        done = first.lessons if lessons < 0 else first.lessons[:lessons]
        # People already on the phones did their lessons in their first week.
        start = enrollment.enrolled_at + dt.timedelta(days=2) if user.first_contact_at else now - dt.timedelta(days=3)
        for number, lesson in enumerate(done):
            try:
                services.complete_lesson(session, lesson, user, now=start + dt.timedelta(days=number, hours=2))
            except DomainError:
                break  # the module is locked for them
        if reads:
            _read_required(session, user, first.required_articles or [], enrollment.course.lang, now)
    session.flush()


def _read_required(session: Session, user: User, slugs: list[str], lang: str, now: dt.datetime) -> None:
    for slug in slugs:
        versions = {a.lang: a for a in session.scalars(sa.select(Article).where(
            Article.slug == slug, Article.status == ArticleStatus.PUBLISHED))}
        article = versions.get(user.language) or versions.get(lang) or versions.get("en")
        if article is not None:
            knowledge_services.record_read(session, user, article, now=now - dt.timedelta(hours=3))
