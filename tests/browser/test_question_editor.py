"""The question editor and quiz statistics in a real browser: a trainer edits a question
(more answer rows without JavaScript, an error next to its field, then saved), and reads the
statistics of a quiz twelve learners took, charts and all, on a page whose CSP allows no
inline styles."""
from __future__ import annotations

import random

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from academy import demo
from academy.quizzes import services
from academy.quizzes.models import Question, QuestionCategory, Quiz
from tests.browser.conftest import screenshot
from tests.quizzes.test_statistics import take

pytestmark = pytest.mark.browser

TITLES = ("What verification needs", "Say which item was wrong", "Record field for the nature",
          "Fax scanning time", "Nature of a contact", "Card numbers")


def _trainer():
    return next((email, password) for role, email, password in demo.LOGINS if role == "trainer")


def _rows(live_app, work):
    session = live_app.extensions["academy.sessionmaker"]()
    with live_app.app_context():
        try:
            result = work(session)
            session.commit()
            return result
        finally:
            session.close()


@pytest.fixture
def question_id(live_app):
    def add(session):
        services.import_questions(session, [{
            "title": "Escalation tiers", "category": "Browser/Editor", "type": "multichoice", "format": "moodle",
            "text": "Which tier handles a billing dispute?", "general_feedback": "", "single": True,
            "answers": [{"text": "Tier 1", "fraction": 0.0, "feedback": ""},
                        {"text": "Tier 2", "fraction": 1.0, "feedback": "Right."}]}], source="browser.gift")
        return session.scalar(sa.select(Question.id).join(QuestionCategory).where(
            QuestionCategory.path == "Browser/Editor", Question.title == "Escalation tiers"))

    return _rows(live_app, add)


def test_a_trainer_edits_a_multiple_choice_question_in_the_browser(page, sign_in, question_id):
    sign_in(*_trainer())
    page.goto(f"/quizzes/bank/{question_id}")
    page.get_by_role("link", name="Edit", exact=True).click()
    expect(page.get_by_role("heading", name="Edit “Escalation tiers”")).to_be_visible()
    expect(page.locator(".edit-row")).to_have_count(4)
    page.get_by_role("button", name="Blanks for 3 more answers").click()
    expect(page.locator(".edit-row")).to_have_count(7)

    page.get_by_label("Title").fill("Escalation tiers for disputes")
    page.locator("#answers-2-text").fill("Tier 3")
    page.locator("#answers-2-fraction").select_option(label="-50 %")
    page.locator("#answers-1-fraction").select_option(label="50 %")
    page.get_by_role("button", name="Save question").click()
    expect(page.locator("#rows-error")).to_contain_text("One answer must be worth 100 %")
    screenshot(page, "question-editor-error")

    page.locator("#answers-1-fraction").select_option(label="100 %")
    page.get_by_role("button", name="Save question").click()
    expect(page.locator(".flash--success")).to_contain_text("Question “Escalation tiers for disputes” saved.")
    expect(page.get_by_role("cell", name="Tier 3")).to_be_visible()
    page.get_by_role("link", name="Edit", exact=True).click()
    screenshot(page, "question-editor")


def _right(question: dict):
    if question["type"] == "multichoice":
        return max(range(len(question["answers"])), key=lambda i: question["answers"][i]["fraction"])
    if question["type"] == "truefalse":
        return "true" if question["correct"] else "false"
    if question["type"] == "shortanswer":
        return max(question["answers"], key=lambda a: a["fraction"])["text"].replace("*", "")
    if question["type"] == "numerical":
        return str(question["numerical"][0]["value"])
    return {str(i): pair["answer"] for i, pair in enumerate(question["pairs"]) if pair["question"]}


def _wrong(question: dict, rng: random.Random):
    if question["type"] == "multichoice":
        return rng.choice([i for i, a in enumerate(question["answers"]) if a["fraction"] <= 0])
    if question["type"] == "truefalse":
        return "false" if question["correct"] else "true"
    if question["type"] == "shortanswer":
        return rng.choice(["no idea", "category", ""])
    if question["type"] == "numerical":
        return str(question["numerical"][0]["value"] + rng.choice([1, 10, 100]))
    answers = [pair["answer"] for pair in question["pairs"]]
    return {str(i): rng.choice(answers) for i, pair in enumerate(question["pairs"]) if pair["question"]}


@pytest.fixture
def quiz_id(live_app):
    """A quiz of six onboarding questions taken by twelve learners of varying skill."""
    from tests import factories

    def add(session):
        questions = session.scalars(sa.select(Question).where(Question.title.in_(TITLES))
                                    .where(Question.source_file.like("%basics.en.gift"))).all()
        quiz = Quiz(title="Onboarding basics check")
        session.add(quiz)
        rng = random.Random(7)
        for number in range(12):
            learner = factories.SpecialistFactory.build(email=f"stats{number}@lumen.example")
            session.add(learner)
            session.flush()
            skill = 0.25 + number / 16
            answers = []
            for question in questions:
                parsed = services.as_parsed(question)
                answers.append(_right(parsed) if rng.random() < skill else _wrong(parsed, rng))
            take(session, quiz, learner, questions, answers,
                 phase="after_first_contact" if number % 3 == 0 else "before_first_contact")
        return quiz.id

    return _rows(live_app, add)


def test_a_trainer_reads_the_statistics_of_a_quiz(page, sign_in, quiz_id):
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
            else None)
    sign_in(*_trainer())
    page.goto(f"/quizzes/{quiz_id}/statistics")
    expect(page.get_by_role("heading", name="Statistics: Onboarding basics check")).to_be_visible()
    expect(page.locator(".stats")).to_contain_text("12 attempts counted")
    expect(page.get_by_role("img", name="Score distribution")).to_be_visible()
    expect(page.get_by_role("img", name="Facility index per question")).to_be_visible()
    bars = page.locator("svg .chart__bar--hard, svg .chart__bar--fair, svg .chart__bar--easy")
    expect(bars).to_have_count(len(TITLES))
    screenshot(page, "quiz-statistics")
    page.get_by_label("Phase").select_option(label="After first customer contact")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".stats")).to_contain_text("4 attempts counted")
    assert not refused, refused
