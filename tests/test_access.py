"""Every registered route, for every role: the server refuses what the role may not do.

EXPECTED must name every endpoint. A new route that is missing here fails
``test_every_route_has_an_expected_rule``; a route that forgets its access decorator is
refused to everyone and fails the walk below for the roles that should get in.
"""
from __future__ import annotations

import re
import tempfile

import pytest
import sqlalchemy as sa
from flask import Blueprint

from academy import create_app
from academy.accounts import services
from academy.accounts.models import Role
from academy.db import utcnow
from academy.quizzes import services as quiz_services
from academy.quizzes.models import Question, Quiz, RefresherCard
from tests import factories
from tests.factories import published_article

ANON = "anonymous"
SPECIALIST, TRAINER, SUPERVISOR, ADMIN = (r.value for r in Role)
EVERYONE = {SPECIALIST, TRAINER, SUPERVISOR, ADMIN}
STAFF = {TRAINER, SUPERVISOR, ADMIN}
PUBLIC = "public"

EXPECTED = {
    "static": PUBLIC,
    "accounts.login": PUBLIC,
    "accounts.logout": EVERYONE,
    "accounts.account": EVERYONE,
    "accounts.account_language": EVERYONE,
    "accounts.account_password": EVERYONE,
    "accounts.account_token_create": EVERYONE,
    "accounts.account_token_revoke": EVERYONE,
    "accounts.users": {ADMIN},
    "accounts.user_create": {ADMIN},
    "accounts.user_edit": {ADMIN},
    "accounts.user_password": {ADMIN},
    "accounts.user_token_revoke": {ADMIN},
    "accounts.cohorts": STAFF,
    "accounts.cohort": STAFF,
    "accounts.cohort_edit": {ADMIN},
    "accounts.cohort_delete": {ADMIN},
    "accounts.team": {SUPERVISOR, ADMIN},
    "home.index": EVERYONE,
    "knowledge.home": EVERYONE,
    "knowledge.article": EVERYONE,
    "knowledge.acknowledge": EVERYONE,
    "knowledge.feedback": EVERYONE,
    "knowledge.history": EVERYONE,
    "knowledge.compare": EVERYONE,
    "knowledge.changes_since_read": EVERYONE,
    "knowledge.whats_new": EVERYONE,
    "knowledge.manage": {TRAINER, ADMIN},
    "knowledge.create": {TRAINER, ADMIN},
    "knowledge.edit": {TRAINER, ADMIN},
    "knowledge.workflow": {TRAINER, ADMIN},
    "knowledge.restore": {TRAINER, ADMIN},
    "knowledge.archive": {TRAINER, ADMIN},
    "knowledge.verify": {TRAINER, ADMIN},
    "knowledge.verification": {TRAINER, ADMIN},
    "knowledge.updates": STAFF,
    "knowledge.awareness": STAFF,
    "courses.catalogue": EVERYONE,
    "courses.course": EVERYONE,
    "courses.enrol": EVERYONE,
    "courses.module": EVERYONE,
    "courses.lesson": EVERYONE,
    "courses.lesson_done": EVERYONE,
    "courses.certificate": EVERYONE,
    "courses.manage": {TRAINER, ADMIN},
    "courses.create": {TRAINER, ADMIN},
    "courses.edit": {TRAINER, ADMIN},
    "courses.module_create": {TRAINER, ADMIN},
    "courses.module_edit": {TRAINER, ADMIN},
    "courses.module_move": {TRAINER, ADMIN},
    "courses.module_delete": {TRAINER, ADMIN},
    "courses.lesson_create": {TRAINER, ADMIN},
    "courses.lesson_edit": {TRAINER, ADMIN},
    "courses.lesson_move": {TRAINER, ADMIN},
    "courses.lesson_delete": {TRAINER, ADMIN},
    "courses.learners": {TRAINER, ADMIN},
    "courses.enrol_learners": {TRAINER, ADMIN},
    "courses.enrol_cohort": {TRAINER, ADMIN},
    "quizzes.bank": {TRAINER, ADMIN},
    "quizzes.upload": {TRAINER, ADMIN},
    "quizzes.question": {TRAINER, ADMIN},
    "quizzes.export": {TRAINER, ADMIN},
    "quizzes.question_edit": {TRAINER, ADMIN},
    "quizzes.question_new": {TRAINER, ADMIN},
    "quizzes.question_delete": {TRAINER, ADMIN},
    "quizzes.statistics": STAFF,
    "quizzes.statistics_csv": STAFF,
    "quizzes.refresher": {SPECIALIST},
    "quizzes.refresher_answer": {SPECIALIST},
    "quizzes.quiz": EVERYONE,
    "quizzes.attempt_start": {SPECIALIST, TRAINER, ADMIN},
    "quizzes.attempt": {SPECIALIST, TRAINER, ADMIN},
    "quizzes.attempt_save": {SPECIALIST, TRAINER, ADMIN},
    "quizzes.attempt_check": {SPECIALIST, TRAINER, ADMIN},
    "quizzes.attempt_submit": {SPECIALIST, TRAINER, ADMIN},
    "quizzes.attempt_review": EVERYONE,
    "quizzes.quiz_settings": {TRAINER, ADMIN},
    "quizzes.grading_queue": {TRAINER, ADMIN},
    "quizzes.grade_response": {TRAINER, ADMIN},
    "practice.index": EVERYONE,
    "practice.start": EVERYONE,
    "practice.session": EVERYONE,
    "practice.message": EVERYONE,
    "practice.action": EVERYONE,
    "practice.report": EVERYONE,
    "practice.review_queue": {TRAINER, ADMIN},
    "practice.review_page": {TRAINER, ADMIN},
    "practice.review_override": {TRAINER, ADMIN},
    "practice.review_comment": {TRAINER, ADMIN},
    "practice.review_label": {TRAINER, ADMIN},
    "practice.review_done": {TRAINER, ADMIN},
    "search.search_page": EVERYONE,
    "search.analytics": {TRAINER, ADMIN},
    "search.analytics_csv": {TRAINER, ADMIN},
    "api.search": EVERYONE,
    "api.articles": EVERYONE,
    "api.article": EVERYONE,
    "api.whats_new": EVERYONE,
    "api.me": EVERYONE,
    "api.practice_start": EVERYONE,
    "api.practice_session": EVERYONE,
    "api.practice_message": EVERYONE,
    "api.practice_action": EVERYONE,
    "api.openapi": PUBLIC,
}


def _routes():
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SECRET_KEY": "x", "INSTANCE_DIR": tmp, "DATABASE_URL": "sqlite://"})
        return sorted(
            (rule.endpoint, rule.rule, method)
            for rule in app.url_map.iter_rules()
            for method in rule.methods - {"HEAD", "OPTIONS"}
        )


ROUTES = _routes()


def test_every_route_has_an_expected_rule():
    assert {endpoint for endpoint, _, _ in ROUTES} == set(EXPECTED)


@pytest.fixture
def url_values(db, users, tmp_path):
    other = users["other_specialist"]
    cohort = factories.CohortFactory()
    token, _secret = services.issue_token(db, other, "theirs")
    published_article(db, "refunds", "en", requires_acknowledgement=True, kind="policy")
    course = _course_completed_by(db, other)
    return {"course_slug": course.slug, "course_id": course.id, "module_id": course.modules[0].id,
            "lesson_id": course.modules[0].lessons[0].id,
            "user_id": other.id, "cohort_id": cohort.id, "token_id": token.id, "filename": "academy.css",
            "lang": "en", "slug": "refunds", "number": 1, "question_id": _question(db).id, "quiz_id": _quiz(db).id,
            "card_id": _refresher_card(db, users[Role.SPECIALIST]).id, **_attempts(db, users),
            "session_id": _practice_session(db, users[Role.SPECIALIST], tmp_path).id}


def _practice_session(db, user, directory):
    """A finished practice session of the specialist's on the small test scenario."""
    from academy.practice import services as practice
    from tests.practice.conftest import load_test_scenario

    session, _engine = practice.start_session(db, user, load_test_scenario(db, directory), seed=1)
    practice.act(db, session, "end", {})
    db.flush()
    return session


def _course_completed_by(db, learner):
    """A course with a module and a lesson; the other specialist completed it."""
    from academy.courses.models import Course, Enrollment, Lesson, Module

    course = Course(slug="basics", lang="en", title="Basics", modules=[Module(
        key="role", position=0, title="The role", required_articles=[],
        lessons=[Lesson(key="01-role.md", position=0, title="Your role", body_md="Text", body_html="<p>Text</p>")])])
    db.add(course)
    db.add(Enrollment(course=course, user=learner, phase="before_first_contact", completed_at=utcnow(),
                      certificate_code="ABCD-EFGH-IJKL"))
    db.flush()
    return course


def _question(db):
    quiz_services.import_questions(db, [{"title": "Hotline hours", "category": None, "type": "truefalse",
                                         "format": "moodle", "text": "The hotline is open 24/7.",
                                         "general_feedback": "", "correct": True, "feedback_true": "",
                                         "feedback_false": ""}], source="test")
    return db.scalar(sa.select(Question))


def _quiz(db):
    quiz = Quiz(title="Billing basics")
    db.add(quiz)
    db.flush()
    return quiz


def _attempts(db, users):
    """The quiz in a course the specialist is enrolled in, drawing the test question and an
    essay. The specialist submitted one attempt (its essay waits for a grade) and has a second
    one open: ``attempt_id`` is the open one, ``response_id`` the waiting essay."""
    from academy.courses.models import Course, Enrollment, Module
    from academy.quizzes import attempts

    quiz_services.import_questions(db, [{"title": "Escalation", "category": None, "type": "essay",
                                         "format": "moodle", "text": "When do you escalate?",
                                         "general_feedback": ""}], source="test")
    quiz = db.scalar(sa.select(Quiz).order_by(Quiz.id.desc()))
    quiz.source_file = "test"
    learner = users[Role.SPECIALIST]
    course = Course(slug="quiz-course", lang="en", title="Quiz course",
                    modules=[Module(key="check", position=0, title="Check", quiz=quiz)])
    db.add_all([course, Enrollment(course=course, user=learner, phase="before_first_contact")])
    db.flush()
    submitted = attempts.start_attempt(db, quiz, learner, utcnow())
    essay = next(r for r in submitted.responses if r.question["type"] == "essay")
    attempts.save_answer(db, submitted, essay.slot, "When I cannot help.", utcnow())
    attempts.submit(db, submitted, utcnow())
    return {"attempt_id": attempts.start_attempt(db, quiz, learner, utcnow()).id, "response_id": essay.id}


def _refresher_card(db, user):
    """A card of the specialist's, due now: the walk posts an empty answer to it."""
    card = RefresherCard(user_id=user.id, question_id=db.scalar(sa.select(Question.id)), due_at=utcnow(), memory={})
    db.add(card)
    db.flush()
    return card


def _fill(rule: str, values: dict) -> str:
    def value(match: re.Match) -> str:
        converter, name = match.group(1) or "", match.group(2)
        if converter.startswith("any("):  # the first of the allowed words
            return converter[4:].split(",")[0].strip(" )")
        assert name in values, f"no test value for <{name}> in {rule}"
        return str(values[name])

    return re.sub(r"<(?:([^<>]+):)?(\w+)>", value, rule)


@pytest.mark.parametrize("role", [ANON, SPECIALIST, TRAINER, SUPERVISOR, ADMIN])
@pytest.mark.parametrize(("endpoint", "rule", "method"), ROUTES)
def test_route_access_by_role(client, db, login, users, url_values, endpoint, rule, method, role):
    headers = {}
    if role != ANON:
        user = users[Role(role)]
        if rule.startswith("/api/"):  # the API takes bearer tokens, never the session cookie
            headers["Authorization"] = "Bearer " + services.issue_token(db, user)[1]
        else:
            login(user)
    response = client.open(_fill(rule, url_values), method=method, headers=headers)
    response.close()  # static files are streamed
    expected = EXPECTED[endpoint]
    # Refusal sends the visitor to sign in and back ("next="); signing out also lands on /login.
    refused_to_login = response.status_code == 302 and "/login?next=" in response.headers["Location"]
    if expected == PUBLIC or (role != ANON and role in expected):
        assert response.status_code not in (401, 403) and not refused_to_login, response.status_code
    elif role == ANON:
        assert response.status_code == 401 if rule.startswith("/api/") else refused_to_login
    else:
        assert response.status_code == 403


def test_a_route_without_an_access_rule_is_refused_even_to_admins(tmp_path, database_url, db, users):
    from tests.conftest import make_test_app

    app = make_test_app(tmp_path, database_url)
    forgotten = Blueprint("forgotten", __name__)
    forgotten.add_url_rule("/forgotten", "page", lambda: "secret")
    app.register_blueprint(forgotten)
    app.extensions["academy.sessionmaker"] = lambda: db
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = users[Role.ADMIN].get_id()
    assert client.get("/forgotten").status_code == 403


def test_a_specialist_cannot_revoke_another_specialists_token(client, login, db, users, url_values):
    login(users[Role.SPECIALIST])
    response = client.post(f"/account/tokens/{url_values['token_id']}/revoke", follow_redirects=True)
    assert b"No such token" in response.data
    assert all(token.is_active for token in users["other_specialist"].tokens)


def test_a_specialists_account_page_shows_only_their_own_tokens(client, login, db, users, url_values):
    login(users[Role.SPECIALIST])
    page = client.get("/account").get_data(as_text=True)
    assert "theirs" not in page
    assert users["other_specialist"].email not in page
