"""The demo data puts both cohorts on the shipped onboarding course at different points."""
from __future__ import annotations

import sqlalchemy as sa

from academy import content, demo
from academy.accounts.models import User
from academy.accounts.services import find_user_by_email
from academy.courses import progress
from academy.courses.models import Enrollment
from tests.conftest import REPOSITORY


def test_the_demo_enrols_the_cohorts_in_onboarding_with_some_lessons_done(db):
    content.sync_content(db, REPOSITORY)
    demo.load(db)
    nina = find_user_by_email(db, "nina.novakova@lumen.example")
    enrollment = progress.enrollment_in(db, nina, "onboarding")
    assert enrollment is not None and enrollment.course.lang == "cs" and enrollment.cohort_id == nina.cohort_id
    status = progress.course_status(db, nina, enrollment.course)
    first = status.modules[0]
    assert len(first.done_lessons) == 2 and not first.complete
    assert status.next_step().kind == "article"
    in_cohorts = db.scalar(sa.select(sa.func.count()).select_from(User).where(User.cohort_id.is_not(None)))
    assert db.scalar(sa.select(sa.func.count()).select_from(Enrollment)) == in_cohorts == 6
