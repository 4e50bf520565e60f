"""Courses in a real browser: a new learner enrols in the onboarding course, reads its first
lesson, marks it done and sees the progress bar move; a learner completes a one-lesson
course and opens the printable certificate; a trainer edits a lesson. Selectors use the
page's structure (form actions, the progress element), not its words."""
from __future__ import annotations

import re
import uuid

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from academy import demo
from academy.accounts import services as account_services
from academy.courses import authoring
from academy.courses.models import Course
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser
PASSWORD = "a-long-browser-password"


def _session(live_app):
    return live_app.extensions["academy.sessionmaker"]()


def _new_learner(live_app) -> str:
    """A specialist in no cohort (so enrolled in nothing), English interface."""
    email = f"learner.{uuid.uuid4().hex[:8]}@lumen.example"
    with live_app.app_context():
        session = _session(live_app)
        try:
            account_services.create_user(session, email=email, role="specialist", name="Lea Learner",
                                         password=PASSWORD, language="en")
            session.commit()
        finally:
            session.close()
    return email


@pytest.fixture
def short_course(live_app):
    """A course with one module of one lesson, made in the trainer's editor services."""
    slug = f"short-{uuid.uuid4().hex[:6]}"
    with live_app.app_context():
        session = _session(live_app)
        try:
            course = authoring.create_course(session, slug=slug, lang="en", title="Tone of voice")
            module = authoring.add_module(session, course, key="tone", title="Finding the tone")
            lesson = authoring.add_lesson(session, module, title="Calm and clear")
            authoring.update_lesson(session, lesson, title="Calm and clear", minutes=3,
                                    body_md="Speak **slowly**, name the next step, and see [[escalation]].")
            authoring.update_course(session, course, title=course.title, description="How to sound calm.",
                                    before_first_contact=False, is_published=True, requires=[])
            session.commit()
            return slug
        finally:
            session.close()


def _progress(page) -> int:
    return int(page.locator(".course-status progress, .lesson-status progress").first.get_attribute("value"))


def test_a_learner_enrols_reads_a_lesson_marks_it_done_and_the_progress_bar_moves(page, sign_in, live_app):
    with live_app.app_context():
        session = _session(live_app)
        has_onboarding = session.scalar(sa.select(Course.id).where(Course.slug == "onboarding")) is not None
        session.close()
    if not has_onboarding:
        pytest.skip("the shipped content has no onboarding course")
    sign_in(_new_learner(live_app), PASSWORD)
    page.locator('nav[aria-label="Main"] a[href="/courses"]').click()
    page.wait_for_url(re.compile(r"/courses$"))
    screenshot(page, "courses-catalogue-new-learner")
    page.locator('a[href^="/courses/onboarding"]').first.click()
    page.wait_for_url(re.compile(r"/courses/onboarding"))
    page.locator('form[action="/courses/onboarding/enrol"] button').click()
    expect(page.locator(".flash--success")).to_be_visible()
    expect(page.locator(".course-status progress")).to_have_attribute("value", "0")
    screenshot(page, "course-enrolled")

    page.locator(".module-list a").first.click()
    page.wait_for_url(re.compile(r"/courses/onboarding/modules/\d+$"))
    screenshot(page, "course-module")
    page.locator(".check-list a[href*='/lessons/']").first.click()
    page.wait_for_url(re.compile(r"/courses/onboarding/lessons/\d+$"))
    expect(page.locator(".lesson-body")).not_to_be_empty()
    before = _progress(page)
    page.locator("form[action$='/done'] button").click()
    expect(page.locator(".lesson-status .badge--ok")).to_be_visible()
    after = _progress(page)
    assert after > before
    expect(page.locator("form[action$='/done']")).to_have_count(0)
    screenshot(page, "course-lesson-done")

    page.goto("/")
    expect(page.locator("#courses-panel-h")).to_be_visible()
    expect(page.locator(".course-panel progress").first).to_have_attribute("value", str(after))
    screenshot(page, "home-with-courses")


def test_a_learner_completes_a_course_and_opens_the_printable_certificate(page, sign_in, live_app, short_course):
    sign_in(_new_learner(live_app), PASSWORD)
    page.goto(f"/courses/{short_course}")
    page.locator(f'form[action="/courses/{short_course}/enrol"] button').click()
    page.locator(".module-list a").first.click()
    page.locator(".check-list a").first.click()
    expect(page.locator(".lesson-body strong")).to_have_text("slowly")
    page.locator("form[action$='/done'] button").click()
    expect(page.locator(".flash--success")).to_contain_text("Course complete")
    expect(page.locator(".lesson-status progress")).to_have_attribute("value", "100")
    page.locator(f'a[href="/courses/{short_course}/certificate"]').first.click()
    expect(page.locator(".certificate__name")).to_have_text("Lea Learner")
    expect(page.locator(".certificate__course")).to_have_text("Tone of voice")
    expect(page.locator(".certificate__code code")).to_have_text(re.compile(r"^[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$"))
    expect(page.locator("button[data-print]")).to_be_visible()  # print.js shows the button
    screenshot(page, "course-certificate")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    screenshot(page, "course-certificate-print")


def _trainer():
    return next((email, password) for role, email, password in demo.LOGINS if role == "trainer")


def test_a_trainer_edits_a_lesson_with_a_preview(page, sign_in, short_course):
    sign_in(*_trainer())
    page.goto("/courses/manage")
    screenshot(page, "courses-manage")
    page.locator(f'tr:has(a[href="/courses/{short_course}?lang=en"]) a[href^="/courses/manage/"]').first.click()
    page.wait_for_url(re.compile(r"/courses/manage/\d+$"))
    screenshot(page, "course-edit")
    page.locator(".manage-list a").first.click()
    page.wait_for_url(re.compile(r"/courses/manage/modules/\d+$"))
    screenshot(page, "course-module-edit")
    page.locator(".manage-list a").first.click()
    page.wait_for_url(re.compile(r"/courses/manage/lessons/\d+$"))
    page.locator("#body_md").fill("## Pace\n\nPause after every question.")
    page.locator('button[value="preview"]').click()
    expect(page.locator(".preview .prose h2")).to_contain_text("Pace")
    screenshot(page, "course-lesson-edit-preview")
    page.locator('button[value="save"]').click()
    expect(page.locator(".flash--success")).to_be_visible()
    page.goto(f"/courses/{short_course}")
    page.locator(".module-list a").first.click()
    page.locator(".check-list a").first.click()
    expect(page.locator(".lesson-body h2")).to_contain_text("Pace")


def test_a_trainer_sees_the_demo_cohorts_progress_in_onboarding(page, sign_in, live_app):
    with live_app.app_context():
        session = _session(live_app)
        course_id = session.scalar(sa.select(Course.id).where(Course.slug == "onboarding", Course.lang == "en"))
        session.close()
    if course_id is None:
        pytest.skip("the shipped content has no onboarding course")
    sign_in(*_trainer())
    page.goto(f"/courses/manage/{course_id}/learners")
    rows = page.locator("table tbody tr")
    expect(rows.filter(has_text="Nina Nováková").first).to_be_visible()
    assert rows.count() >= 6
    screenshot(page, "course-learners")


def test_the_demo_new_hire_sees_her_course_in_her_language(page, sign_in):
    email, password = next((e, p) for role, e, p in demo.LOGINS if role == "specialist")
    sign_in(email, password)
    expect(page.locator(".course-panel progress")).to_have_count(1)
    page.goto("/courses")
    expect(page.locator(".course-cards .course-card")).to_have_count(1)
    expect(page.locator(".course-cards h3 a")).to_have_attribute("href", "/courses/onboarding?lang=cs")
    screenshot(page, "courses-catalogue-demo-specialist")
