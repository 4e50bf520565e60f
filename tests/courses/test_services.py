"""Enrolment, lesson completion and course completion: whichever item comes last completes
the course; locked modules and courses wait for what they require."""
from __future__ import annotations

import itertools

import pytest
import sqlalchemy as sa

from academy import signals
from academy.accounts import services as account_services
from academy.accounts.models import Role
from academy.courses import progress, services
from academy.courses.models import CohortEnrollment, Enrollment, LessonCompletion
from academy.domain_errors import DomainError, Forbidden
from academy.knowledge import services as knowledge_services
from academy.knowledge.models import Article
from tests import factories
from tests.courses.helpers import COURSE, pass_quiz, synced_course

ONE_MODULE = """title: Short
language: en
modules:
  - id: only
    title: Only
    lessons: [01-role.md]
    articles: [refunds]
    quiz: {file: basics.gift, category: $course$/Basics/Role}
"""


def _read(db, user, slug, lang="en"):
    article = db.scalar(sa.select(Article).where(Article.slug == slug, Article.lang == lang))
    knowledge_services.record_read(db, user, article)


@pytest.fixture
def completed(db):
    """Collect course_completed signals sent during the test."""
    received = []

    def receiver(enrollment, **kwargs):
        received.append(enrollment)

    signals.course_completed.connect(receiver)
    yield received
    signals.course_completed.disconnect(receiver)


def test_a_learner_enrols_themself_once(db, tmp_path, users):
    learner = users[Role.SPECIALIST]
    course = synced_course(db, tmp_path)
    enrollment = services.enrol(db, course, learner, by=learner)
    assert (enrollment.enrolled_by_id, enrollment.phase, enrollment.completed_at) == (
        learner.id, "before_first_contact", None)
    assert services.enrol(db, course, learner, by=learner) is enrollment
    assert db.scalar(sa.select(sa.func.count()).select_from(Enrollment)) == 1


def test_only_trainers_and_admins_enrol_other_people(db, tmp_path, users):
    course = synced_course(db, tmp_path)
    with pytest.raises(Forbidden):
        services.enrol(db, course, users["other_specialist"], by=users[Role.SPECIALIST])
    with pytest.raises(Forbidden):
        services.enrol(db, course, users["other_specialist"], by=users[Role.SUPERVISOR])
    enrollment = services.enrol(db, course, users["other_specialist"], by=users[Role.TRAINER])
    assert enrollment.enrolled_by_id == users[Role.TRAINER].id


def test_a_cohort_is_enrolled_in_its_own_languages_and_so_is_anyone_who_joins_later(db, tmp_path, users):
    course = synced_course(db, tmp_path, with_translation=True)
    cohort = factories.CohortFactory()
    czech = factories.SpecialistFactory(cohort=cohort, language="cs")
    english = factories.SpecialistFactory(cohort=cohort, language="en")
    factories.SpecialistFactory(cohort=cohort, is_active=False)
    added = services.enrol_cohort(db, course, cohort, by=users[Role.TRAINER])
    assert {(e.user_id, e.course.lang, e.cohort_id) for e in added} == {
        (czech.id, "cs", cohort.id), (english.id, "en", cohort.id)}
    assert db.scalar(sa.select(sa.func.count()).select_from(CohortEnrollment)) == 1

    joiner = account_services.create_user(db, email="new.hire@lumen.example", role="specialist", language="de",
                                          cohort=cohort)
    enrollment = progress.enrollment_in(db, joiner, "basics")
    assert enrollment is not None and enrollment.course.lang == "en" and enrollment.cohort_id == cohort.id
    assert enrollment.enrolled_by_id == users[Role.TRAINER].id

    mover = factories.SpecialistFactory()
    account_services.update_user(db, mover, acting=users[Role.ADMIN], name=mover.name, role="specialist",
                                 language="en", cohort=cohort, hired_at=None, is_active=True)
    assert progress.enrollment_in(db, mover, "basics") is not None
    # Giving the course to the same cohort again changes nothing.
    assert services.enrol_cohort(db, course, cohort, by=users[Role.TRAINER]) == []


ITEMS = ("lesson", "article", "quiz")


@pytest.mark.parametrize("order", list(itertools.permutations(ITEMS)), ids="-".join)
def test_the_course_completes_on_whichever_item_comes_last(db, tmp_path, users, completed, order):
    learner = users[Role.SPECIALIST]
    course = synced_course(db, tmp_path, course=ONE_MODULE)
    enrollment = services.enrol(db, course, learner, by=learner)
    module = course.modules[0]
    actions = {
        "lesson": lambda: services.complete_lesson(db, module.lessons[0], learner),
        "article": lambda: _read(db, learner, "refunds", "cs"),  # any language version counts
        "quiz": lambda: pass_quiz(db, learner, module.quiz),
    }
    for number, item in enumerate(order, start=1):
        assert enrollment.completed_at is None
        assert progress.course_status(db, learner, course).percent == round(100 * (number - 1) / 3)
        actions[item]()
    assert enrollment.completed_at is not None and len(enrollment.certificate_code) == 14
    assert completed == [enrollment]
    assert progress.course_status(db, learner, course).percent == 100


def test_a_failed_attempt_does_not_pass_the_quiz(db, tmp_path, users):
    learner = users[Role.SPECIALIST]
    course = synced_course(db, tmp_path, course=ONE_MODULE)
    enrollment = services.enrol(db, course, learner, by=learner)
    services.complete_lesson(db, course.modules[0].lessons[0], learner)
    _read(db, learner, "refunds")
    pass_quiz(db, learner, course.modules[0].quiz, passed=False)
    assert enrollment.completed_at is None
    assert progress.course_status(db, learner, course).next_step().kind == "quiz"


def test_a_module_stays_locked_until_the_module_it_requires_is_complete(db, tmp_path, users):
    learner = users[Role.SPECIALIST]
    course = synced_course(db, tmp_path)
    services.enrol(db, course, learner, by=learner)
    role, billing = course.modules
    status = progress.course_status(db, learner, course)
    assert status.module(billing).waiting_for == [role] and status.module(billing).locked
    with pytest.raises(DomainError):
        services.complete_lesson(db, billing.lessons[0], learner)
    assert db.scalar(sa.select(LessonCompletion.id)) is None
    for lesson in role.lessons:
        services.complete_lesson(db, lesson, learner)
    _read(db, learner, "refunds")
    pass_quiz(db, learner, role.quiz)
    status = progress.course_status(db, learner, course)
    assert status.module(role).complete and not status.module(billing).locked
    assert status.next_step().lesson == billing.lessons[0]
    services.complete_lesson(db, billing.lessons[0], learner)
    _read(db, learner, "escalation")
    assert progress.enrollment_in(db, learner, "basics").completed_at is not None


def test_a_course_waits_for_the_courses_it_requires(db, tmp_path, users, completed):
    learner = users[Role.SPECIALIST]
    advanced_yaml = ("title: Advanced\nlanguage: en\nrequires: [basics]\nmodules:\n"
                     "  - {id: a, title: A, articles: [escalation]}\n")
    basics = synced_course(db, tmp_path, course=ONE_MODULE, extra_courses={"advanced": {"course.yaml": advanced_yaml}})
    advanced = db.scalar(sa.select(basics.__class__).where(basics.__class__.slug == "advanced"))
    with pytest.raises(DomainError, match="Complete “Short” first"):
        services.enrol(db, advanced, learner, by=learner)
    later = services.enrol(db, advanced, learner, by=users[Role.TRAINER])  # a trainer may plan ahead
    _read(db, learner, "escalation")
    assert later.completed_at is None and progress.course_status(db, learner, advanced).locked
    services.enrol(db, basics, learner, by=learner)
    services.complete_lesson(db, basics.modules[0].lessons[0], learner)
    _read(db, learner, "refunds")
    pass_quiz(db, learner, basics.modules[0].quiz)
    # Completing the required course completes the one that was only waiting for it.
    assert later.completed_at is not None
    assert sorted(e.course.slug for e in completed) == ["advanced", "basics"]


def test_lessons_need_an_enrolment_and_count_once_with_the_learners_phase(db, tmp_path, users):
    learner = users[Role.SPECIALIST]
    course = synced_course(db, tmp_path)
    lesson = course.modules[0].lessons[0]
    with pytest.raises(DomainError, match="Enrol"):
        services.complete_lesson(db, lesson, learner)
    services.enrol(db, course, learner, by=learner)
    learner.first_contact_at = learner.created_at
    assert services.complete_lesson(db, lesson, learner) is True
    assert services.complete_lesson(db, lesson, learner) is False
    assert db.scalar(sa.select(LessonCompletion.phase)) == "after_first_contact"


def test_a_module_completed_in_another_language_counts(db, tmp_path, users):
    learner = factories.SpecialistFactory(language="cs")
    english = synced_course(db, tmp_path, with_translation=True)
    czech = services.course_for(db, learner, "basics")
    assert czech.lang == "cs"
    services.enrol(db, czech, learner, by=learner)
    services.complete_lesson(db, czech.modules[0].lessons[0], learner)
    _read(db, learner, "refunds", "cs")
    status = progress.course_status(db, learner, english)
    assert status.module(english.modules[0]).done_elsewhere and status.module(english.modules[0]).complete


def test_the_certificate_is_only_for_the_learner_who_completed(db, tmp_path, users):
    learner, other = users[Role.SPECIALIST], users["other_specialist"]
    course = synced_course(db, tmp_path, course=ONE_MODULE)
    enrollment = services.enrol(db, course, learner, by=learner)
    with pytest.raises(DomainError):
        services.certificate_of(db, learner, "basics")
    services.complete_lesson(db, course.modules[0].lessons[0], learner)
    _read(db, learner, "refunds")
    pass_quiz(db, learner, course.modules[0].quiz)
    assert services.certificate_of(db, learner, "basics") is enrollment
    with pytest.raises(DomainError):
        services.certificate_of(db, other, "basics")


def test_removing_the_last_missing_item_completes_enrolments(db, tmp_path, users):
    from academy.courses import authoring

    learner = users[Role.SPECIALIST]
    course = synced_course(db, tmp_path, course=COURSE)
    enrollment = services.enrol(db, course, learner, by=learner)
    role = course.modules[0]
    for lesson in role.lessons:
        services.complete_lesson(db, lesson, learner)
    _read(db, learner, "refunds")
    pass_quiz(db, learner, role.quiz)
    authoring.delete_module(db, course.modules[1])
    assert enrollment.completed_at is not None


def test_a_joiner_is_enrolled_even_when_the_trainer_who_gave_the_course_left(db, tmp_path, users):
    course = synced_course(db, tmp_path)
    cohort = factories.CohortFactory()
    trainer = users[Role.TRAINER]
    services.enrol_cohort(db, course, cohort, by=trainer)
    trainer.role = "specialist"
    joiner = account_services.create_user(db, email="joiner@lumen.example", role="specialist", cohort=cohort)
    enrollment = progress.enrollment_in(db, joiner, "basics")
    assert enrollment is not None and enrollment.enrolled_by_id == trainer.id
