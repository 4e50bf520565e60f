"""Signing in and out: one message for every failure, rate limiting, CSRF, sessions."""
from __future__ import annotations

import pytest

from academy.accounts.models import Role
from tests import factories
from tests.factories import PASSWORD

FAILED = "The e-mail or password is not correct."


def _sign_in(client, email, password, **extra):
    return client.post("/login", data={"email": email, "password": password, **extra})


def test_signing_in_with_the_right_password_opens_the_home_page(client, users):
    user = users[Role.TRAINER]
    response = _sign_in(client, user.email.upper(), PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert f"Welcome, {user.name}" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("case", ["wrong password", "unknown e-mail", "deactivated"])
def test_every_failed_sign_in_gets_the_same_message(client, db, users, case):
    user = users[Role.SPECIALIST]
    email, password = user.email, PASSWORD
    if case == "wrong password":
        password = "not the password"
    elif case == "unknown e-mail":
        email = "nobody@lumen.example"
    else:
        user.is_active = False
        db.flush()
    response = _sign_in(client, email, password)
    assert response.status_code == 200
    assert FAILED in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_sign_in_follows_next_only_within_the_site(client, users):
    user = users[Role.ADMIN]
    response = client.post("/login?next=/admin/users", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/admin/users"
    client.post("/logout")
    response = client.post("/login?next=https://evil.example/", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_eleventh_failed_sign_in_within_a_minute_is_rate_limited(client, users):
    email = users[Role.SPECIALIST].email
    for _ in range(10):
        assert _sign_in(client, email, "wrong password").status_code == 200
    response = _sign_in(client, email, PASSWORD)
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)


def test_successful_sign_ins_do_not_count_towards_the_limit(client, users):
    user = users[Role.SPECIALIST]
    for _ in range(12):
        assert _sign_in(client, user.email, PASSWORD).status_code == 302
        client.post("/logout")


def test_a_form_without_csrf_token_gets_the_400_page_and_changes_nothing(app, client, login, db, users):
    app.config["WTF_CSRF_ENABLED"] = True
    user = login(users[Role.SPECIALIST])
    response = client.post("/account/language", data={"language": "de"})
    assert response.status_code == 400
    assert "The form had expired" in response.get_data(as_text=True)
    db.refresh(user)
    assert user.language == "en"


def test_sign_out_ends_the_session(client, login, users):
    login(users[Role.SPECIALIST])
    assert client.get("/").status_code == 200
    assert client.post("/logout").headers["Location"] == "/login"
    assert client.get("/").status_code == 302


def test_a_password_change_signs_out_other_sessions(app, client, login, db, users):
    user = login(users[Role.SPECIALIST])
    other_device = app.test_client()
    with other_device.session_transaction() as session:
        session["_user_id"] = user.get_id()
    response = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "a brand new secret", "confirm": "a brand new secret"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # this device stays signed in
    assert other_device.get("/").status_code == 302


def test_a_wrong_current_password_is_named_on_its_field(client, login, users):
    login(users[Role.SPECIALIST])
    response = client.post("/account/password", data={
        "current_password": "nope", "new_password": "a brand new secret", "confirm": "a brand new secret"})
    assert response.status_code == 400
    assert 'id="current_password-error"' in response.get_data(as_text=True)


def test_deactivating_a_user_signs_them_out(client, login, db, users):
    user = login(factories.SpecialistFactory())
    assert client.get("/").status_code == 200
    user.is_active = False
    user.session_version += 1
    db.flush()
    assert client.get("/").status_code == 302
