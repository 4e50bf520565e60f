"""The shared layout: error pages, security headers, navigation by role, languages."""
from __future__ import annotations

import pytest

from academy.accounts.models import Role


def test_an_unknown_url_gets_the_404_page_in_the_layout(client, login, users):
    login(users[Role.SPECIALIST])
    response = client.get("/no/such/page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Page not found" in page and 'aria-label="Main"' in page


def test_a_wrong_method_gets_405_not_500(client, login, users):
    login(users[Role.SPECIALIST])
    assert client.get("/logout").status_code == 405


def test_a_too_large_upload_gets_413(app, client, login, users):
    login(users[Role.SPECIALIST])
    app.config["MAX_CONTENT_LENGTH"] = 1024
    try:
        response = client.post("/account/tokens", data={"label": "x" * 5000})
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 16 * 1024 * 1024
    assert response.status_code == 413 and "File too large" in response.get_data(as_text=True)


def test_pages_carry_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_session_cookie_is_http_only_and_same_site(client, users):
    from tests.factories import PASSWORD

    response = client.post("/login", data={"email": users[Role.SPECIALIST].email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize(("role", "expected"), [
    (Role.SPECIALIST, ["/", "/kb/", "/courses", "/practice"]),
    (Role.TRAINER, ["/", "/kb/", "/courses", "/practice", "/quizzes/bank", "/cohorts"]),
    (Role.SUPERVISOR, ["/", "/kb/", "/courses", "/practice", "/team", "/cohorts"]),
    (Role.ADMIN, ["/", "/kb/", "/courses", "/practice", "/quizzes/bank", "/team", "/cohorts", "/admin/users"]),
])
def test_navigation_shows_the_roles_sections(client, login, users, role, expected):
    login(users[role])
    page = client.get("/").get_data(as_text=True)
    nav = page.split('aria-label="Main"')[1].split("</nav>")[0]
    assert [part.split('"')[0] for part in nav.split('href="')[1:]] == expected
