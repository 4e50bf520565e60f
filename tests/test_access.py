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
from academy.quizzes import services as quiz_services
from academy.quizzes.models import Question
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
    "quizzes.bank": {TRAINER, ADMIN},
    "quizzes.upload": {TRAINER, ADMIN},
    "quizzes.question": {TRAINER, ADMIN},
    "quizzes.export": {TRAINER, ADMIN},
    "search.search_page": EVERYONE,
    "search.analytics": {TRAINER, ADMIN},
    "search.analytics_csv": {TRAINER, ADMIN},
    "api.search": EVERYONE,
    "api.articles": EVERYONE,
    "api.article": EVERYONE,
    "api.whats_new": EVERYONE,
    "api.me": EVERYONE,
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
def url_values(db, users):
    other = users["other_specialist"]
    cohort = factories.CohortFactory()
    token, _secret = services.issue_token(db, other, "theirs")
    published_article(db, "refunds", "en", requires_acknowledgement=True, kind="policy")
    return {"user_id": other.id, "cohort_id": cohort.id, "token_id": token.id, "filename": "academy.css",
            "lang": "en", "slug": "refunds", "number": 1, "question_id": _question(db).id}


def _question(db):
    quiz_services.import_questions(db, [{"title": "Hotline hours", "category": None, "type": "truefalse",
                                         "format": "moodle", "text": "The hotline is open 24/7.",
                                         "general_feedback": "", "correct": True, "feedback_true": "",
                                         "feedback_false": ""}], source="test")
    return db.scalar(sa.select(Question))


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
