"""Course pages as learners use them: the catalogue, a course, a module, a lesson, enrolling,
marking a lesson done, the certificate, and the home-page panel."""
from __future__ import annotations

import sqlalchemy as sa

from academy.accounts.models import Role
from academy.courses import services
from academy.courses.models import Course, Enrollment, LessonCompletion
from tests import factories
from tests.courses.helpers import pass_quiz, synced_course

ONE_MODULE = """title: Short
language: en
modules:
  - id: only
    title: Only
    lessons: [01-role.md]
"""


def test_the_catalogue_lists_my_courses_with_progress_first_then_the_others(client, login, db, tmp_path, users):
    learner = login(users[Role.SPECIALIST])
    course = synced_course(db, tmp_path, with_translation=True, extra_courses={"short": {
        "course.yaml": ONE_MODULE, "01-role.md": "# Hi\n\nText\n"}})
    services.enrol(db, course, learner, by=learner)
    services.complete_lesson(db, course.modules[0].lessons[0], learner)
    db.commit()
    page = client.get("/courses").get_data(as_text=True)
    mine, others = page.split('id="mine-h"')[1].split('id="others-h"')
    assert "Basics" in mine and 'value="17"' in mine and "17 %" in mine
    assert "Read the lesson “Keeping records”" in mine
    assert "Short" in others and "Basics" not in others


def test_the_catalogue_shows_each_course_in_the_users_language(client, login, db, tmp_path):
    login(factories.SpecialistFactory(language="cs"))
    synced_course(db, tmp_path, with_translation=True)
    page = client.get("/courses").get_data(as_text=True)
    assert "Základy" in page and "Basics" not in page


def test_unpublished_courses_are_hidden_from_learners_but_not_from_staff(client, login, db, tmp_path, users):
    course = synced_course(db, tmp_path)
    course.is_published = False
    db.commit()
    login(users[Role.SPECIALIST])
    assert "Basics" not in client.get("/courses").get_data(as_text=True)
    assert client.get("/courses/basics").status_code == 404
    login(users[Role.TRAINER])
    assert "Basics" in client.get("/courses").get_data(as_text=True)
    assert client.get("/courses/basics").status_code == 200


def test_a_learner_enrols_reads_a_lesson_and_marks_it_done(client, login, db, tmp_path, users):
    learner = login(users[Role.SPECIALIST])
    course = synced_course(db, tmp_path)
    page = client.get("/courses/basics").get_data(as_text=True)
    assert "Enrol in this course" in page and "First steps." in page
    assert "Opens when you have completed: The role." in page  # the billing module is locked
    response = client.post("/courses/basics/enrol", data={"lang": "en"}, follow_redirects=True)
    assert "You are enrolled in “Basics”." in response.get_data(as_text=True)
    lesson = course.modules[0].lessons[0]
    page = client.get(f"/courses/basics/lessons/{lesson.id}").get_data(as_text=True)
    assert "You help customers." in page and "Mark as done" in page and 'value="0"' in page
    response = client.post(f"/courses/basics/lessons/{lesson.id}/done", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "“Your role” is done." in page and 'value="17"' in page and "Mark as done" not in page
    assert db.scalar(sa.select(LessonCompletion.user_id)) == learner.id


def test_a_locked_lessons_text_is_not_shown_and_it_cannot_be_marked_done(client, login, db, tmp_path, users):
    learner = login(users[Role.SPECIALIST])
    course = synced_course(db, tmp_path)
    services.enrol(db, course, learner, by=learner)
    db.commit()
    locked = course.modules[1].lessons[0]
    page = client.get(f"/courses/basics/lessons/{locked.id}").get_data(as_text=True)
    assert "Invoices come monthly." not in page and "Opens when you have completed: The role." in page
    response = client.post(f"/courses/basics/lessons/{locked.id}/done", follow_redirects=True)
    assert "This module is locked" in response.get_data(as_text=True)
    assert db.scalar(sa.select(LessonCompletion.id)) is None


def test_the_module_page_links_lessons_articles_and_the_quiz(client, login, db, tmp_path, users):
    learner = login(users[Role.SPECIALIST])
    course = synced_course(db, tmp_path)
    services.enrol(db, course, learner, by=learner)
    db.commit()
    module = course.modules[0]
    page = client.get(f"/courses/basics/modules/{module.id}").get_data(as_text=True)
    assert f'/courses/basics/lessons/{module.lessons[0].id}"' in page
    assert 'href="/kb/en/refunds"' in page
    assert f'href="/quizzes/{module.quiz_id}"' in page and "Pass with at least 50 %" in page


def test_a_lesson_of_another_course_or_an_unknown_one_is_404(client, login, db, tmp_path, users):
    login(users[Role.SPECIALIST])
    course = synced_course(db, tmp_path, extra_courses={"short": {"course.yaml": ONE_MODULE,
                                                                  "01-role.md": "# Hi\n\nText\n"}})
    lesson = course.modules[0].lessons[0]
    assert client.get(f"/courses/short/lessons/{lesson.id}").status_code == 404
    assert client.get("/courses/short/lessons/99999").status_code == 404
    assert client.get(f"/courses/short/modules/{course.modules[0].id}").status_code == 404
    assert client.get("/courses/nothing").status_code == 404


def _complete(db, learner, course):
    services.enrol(db, course, learner, by=learner)
    services.complete_lesson(db, course.modules[0].lessons[0], learner)
    db.commit()


def test_the_certificate_is_shown_only_to_the_learner_who_completed_the_course(client, login, db, tmp_path, users):
    learner, other = users[Role.SPECIALIST], users["other_specialist"]
    course = synced_course(db, tmp_path, course=ONE_MODULE)
    login(learner)
    services.enrol(db, course, learner, by=learner)
    db.commit()
    assert client.get("/courses/basics/certificate").status_code == 404  # not complete yet
    _complete(db, learner, course)
    enrollment = db.scalar(sa.select(Enrollment).where(Enrollment.user_id == learner.id))
    page = client.get("/courses/basics/certificate").get_data(as_text=True)
    assert learner.name in page and "Short" in page and enrollment.certificate_code in page
    assert 'src="/static/print.js"' in page
    login(other)
    assert client.get("/courses/basics/certificate").status_code == 404
    login(users[Role.ADMIN])
    assert client.get("/courses/basics/certificate").status_code == 404


def test_the_home_page_shows_my_unfinished_courses_and_the_next_step(client, login, db, tmp_path, users):
    learner = login(users[Role.SPECIALIST])
    assert "Your courses" not in client.get("/").get_data(as_text=True)
    course = synced_course(db, tmp_path)
    services.enrol(db, course, learner, by=learner)
    db.commit()
    page = client.get("/").get_data(as_text=True)
    panel = page.split('id="courses-panel-h"')[1].split("</section>")[0]
    assert "Basics" in panel and "Read the lesson “Your role”" in panel and "0 %" in panel


def test_the_next_step_can_be_the_quiz(client, login, db, tmp_path, users):
    learner = login(users[Role.SPECIALIST])
    course = synced_course(db, tmp_path)
    services.enrol(db, course, learner, by=learner)
    for lesson in course.modules[0].lessons:
        services.complete_lesson(db, lesson, learner)
    from academy.knowledge import services as knowledge_services
    from academy.knowledge.models import Article

    knowledge_services.record_read(db, learner, db.scalar(sa.select(Article).where(Article.slug == "refunds")))
    db.commit()
    page = client.get("/courses/basics").get_data(as_text=True)
    assert f'href="/quizzes/{course.modules[0].quiz_id}">Pass the quiz of “The role”' in page
    pass_quiz(db, learner, course.modules[0].quiz)
    db.commit()
    assert "Read the lesson “Billing”" in client.get("/courses/basics").get_data(as_text=True)
    assert db.scalar(sa.select(Course.id).where(Course.slug == "basics")) == course.id
