"""Spaced refreshers in a real browser: a specialist past first contact sees the due questions
on the home page, opens the refresher, answers one and learns when it comes back."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from academy.accounts import services
from academy.accounts.models import Role
from academy.db import utcnow
from academy.quizzes.models import Question
from tests.browser.conftest import screenshot
from tests.quizzes.test_refreshers import finished_attempt

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "rasa.refresher@lumen.example", "refresh-me-please"
TITLES = ("Say which item was wrong", "An approximate invoice amount", "What verification needs")


@pytest.fixture
def learner_with_due_questions(live_app):
    """A specialist on the phones for two months who got three onboarding questions wrong
    three days ago (the demo's own logins are still in onboarding)."""
    session = live_app.extensions["academy.sessionmaker"]()
    with live_app.app_context():
        try:
            user = services.find_user_by_email(session, EMAIL) or services.create_user(
                session, email=EMAIL, role=Role.SPECIALIST, name="Rasa Refresher", password=PASSWORD)
            user.first_contact_at = utcnow() - dt.timedelta(days=60)
            questions = session.scalars(sa.select(Question).where(Question.title.in_(TITLES))
                                        .where(Question.source_file.like("%.en.gift"))).all()
            assert len(questions) == len(TITLES)
            finished_attempt(session, user, {q: "wrong" for q in questions}, at=utcnow() - dt.timedelta(days=3))
            session.commit()
        finally:
            session.close()
    return EMAIL, PASSWORD


def test_a_specialist_answers_a_due_refresher_question_from_the_home_page(page, sign_in, learner_with_due_questions):
    sign_in(*learner_with_due_questions)
    panel = page.locator(".refresher-panel")
    expect(panel).to_contain_text("3 refresher questions due")
    screenshot(page, "refresher-home-panel")

    panel.get_by_role("link", name="Start the refresher").click()
    questions = page.locator(".refresher-question")
    expect(questions).to_have_count(3)
    screenshot(page, "refresher-page")

    first = questions.filter(has_text="date of birth does not match")
    first.get_by_label("True").check()
    first.get_by_role("button", name="Check").click()
    answered = page.locator(".refresher-answered")
    expect(answered).to_contain_text("Incorrect")
    expect(answered).to_contain_text("You answered: True")
    expect(answered).to_contain_text("The right answer: False")
    expect(answered).to_contain_text("This question comes back tomorrow.")
    expect(page.locator(".refresher-question")).to_have_count(2)
    screenshot(page, "refresher-answered")
