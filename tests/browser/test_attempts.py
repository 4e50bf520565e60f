"""Taking a quiz in a real browser: the demo new hire opens the first onboarding quiz, answers
some questions (attempt.js saves each one as it changes), reloads and finds them kept,
answers the rest, submits after the confirmation and sees the review. Selectors use the
page's structure, not its words: Nina's interface is Czech."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from academy import demo
from academy.accounts.models import User
from academy.courses.models import Course, Enrollment, Module
from academy.db import utcnow
from academy.quizzes.models import Attempt, Quiz
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

QUIZ_FILE = "quizzes/onboarding-basics.en.gift"
CATEGORY = "$course$/Onboarding/The help-desk role"


def _specialist():
    return next((email, password) for role, email, password in demo.LOGINS if role == "specialist")


@pytest.fixture
def quiz_id(live_app):
    """The first onboarding module's quiz, with the demo new hire enrolled in its course (the
    course comes from the shipped content; it is added here when the content has none)."""
    with live_app.app_context():
        session = live_app.extensions["academy.sessionmaker"]()
        try:
            module = session.scalar(sa.select(Module).join(Quiz, Module.quiz_id == Quiz.id)
                                    .where(Quiz.source_file == QUIZ_FILE, Quiz.category_path == CATEGORY))
            if module is None:
                quiz = Quiz(title="The help-desk role", source_file=QUIZ_FILE, category_path=CATEGORY,
                            question_count=8, time_limit_seconds=15 * 60)
                module = Module(key="help-desk-role", position=0, title="The help-desk role", quiz=quiz)
                session.add(Course(slug="browser-onboarding", lang="en", title="New hire onboarding",
                                   modules=[module]))
                session.flush()
            learner = session.scalar(sa.select(User).where(User.email == _specialist()[0]))
            if session.scalar(sa.select(Enrollment).where(Enrollment.user_id == learner.id,
                                                          Enrollment.course_id == module.course_id)) is None:
                session.add(Enrollment(course_id=module.course_id, user_id=learner.id, phase="before_first_contact"))
            # Each run starts without attempts, so the quiz page offers a fresh start.
            for attempt in session.scalars(sa.select(Attempt).where(Attempt.quiz_id == module.quiz_id,
                                                                      Attempt.user_id == learner.id)):
                session.delete(attempt)
            session.commit()
            return module.quiz_id
        finally:
            session.close()


def _answer(block, index: int) -> None:
    """Give the question in ``block`` some answer, whatever its kind."""
    kind = block.get_attribute("data-kind")
    if kind == "single":
        block.locator("input[type=radio]").nth(index % block.locator("input[type=radio]").count()).check()
    elif kind == "multi":
        block.locator("input[type=checkbox]").first.check()
    elif kind == "matching":
        for select in block.locator("select").all():
            select.select_option(index=1)
    else:
        block.locator("input, textarea").first.fill("nature")


def _given(block):
    """What the question in ``block`` shows as answered, to compare before and after a reload."""
    kind = block.get_attribute("data-kind")
    if kind in ("single", "multi"):
        return [box.is_checked() for box in block.locator("input").all()]
    if kind == "matching":
        return [select.input_value() for select in block.locator("select").all()]
    return block.locator("input, textarea").first.input_value()


def _wait_until_saved(page) -> None:
    expect(page.locator("#save-status")).to_have_class(re.compile(r"save-status--ok"))


def test_a_new_hire_takes_a_quiz_reloads_midway_and_submits(page, sign_in, quiz_id):
    sign_in(*_specialist())
    page.goto(f"/quizzes/{quiz_id}")
    screenshot(page, "quiz-intro")
    page.locator(f'form[action="/quizzes/{quiz_id}/attempts"] button[type=submit]').click()
    expect(page).to_have_url(re.compile(r"/quizzes/attempts/\d+$"))
    expect(page.locator("#attempt-timer .attempt-timer__clock")).to_have_text(re.compile(r"^1[45]:\d\d$"))

    blocks = page.locator(".answer[data-slot]")
    count = blocks.count()
    assert count == 8
    half = count // 2
    for index in range(half):
        _answer(blocks.nth(index), index)
    _wait_until_saved(page)
    before = [_given(blocks.nth(index)) for index in range(half)]
    screenshot(page, "attempt-half-answered")

    page.reload()
    blocks = page.locator(".answer[data-slot]")
    assert [_given(blocks.nth(index)) for index in range(half)] == before
    assert all(any(given) if isinstance(given, list) else given for given in before)  # each one answered

    for index in range(half, count):
        _answer(blocks.nth(index), index)
    _wait_until_saved(page)
    page.locator('#attempt-form button[formaction$="/submit"]').click()
    expect(page.locator(".confirm-submit")).to_be_visible()
    screenshot(page, "attempt-confirm")
    page.locator('.confirm-submit button[type=submit]').click()

    expect(page).to_have_url(re.compile(r"/quizzes/attempts/\d+/review$"))
    expect(page.locator(".attempt-result .badge")).to_be_visible()
    assert page.locator("section.question[id^=q]").count() == count
    screenshot(page, "attempt-review")

    page.goto(f"/quizzes/{quiz_id}")
    expect(page.locator("table.table tbody tr")).to_have_count(1)
    screenshot(page, "quiz-intro-after")


def test_when_the_time_is_up_the_page_submits_the_attempt_with_its_answers(page, sign_in, quiz_id, live_app):
    sign_in(*_specialist())
    page.goto(f"/quizzes/{quiz_id}")
    page.locator(f'form[action="/quizzes/{quiz_id}/attempts"] button[type=submit]').click()
    expect(page).to_have_url(re.compile(r"/quizzes/attempts/\d+$"))
    attempt_id = int(page.url.rsplit("/", 1)[1])
    with live_app.app_context():  # the clock runs out a few seconds from now
        session = live_app.extensions["academy.sessionmaker"]()
        try:
            attempt = session.get(Attempt, attempt_id)
            attempt.deadline_at = utcnow() + dt.timedelta(seconds=6)
            session.commit()
        finally:
            session.close()
    page.reload()
    _answer(page.locator(".answer[data-slot]").first, 0)
    expect(page).to_have_url(re.compile(rf"/quizzes/attempts/{attempt_id}/review$"), timeout=20_000)
    expect(page.locator(".flash--warning")).to_be_visible()
    screenshot(page, "attempt-time-up")
    with live_app.app_context():
        session = live_app.extensions["academy.sessionmaker"]()
        try:
            attempt = session.get(Attempt, attempt_id)
            assert attempt.state != "in_progress"
            assert sum(r.answer is not None for r in attempt.responses) == 1
        finally:
            session.close()
