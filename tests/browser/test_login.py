"""Signing in and out in a real browser, the menu each role sees, the admin creating a
user (CSRF tokens included) and the skip link for keyboard users."""
from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from academy import demo
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

# The main menu by href, not by text: the specialist's UI follows their profile language
# (Czech). Home, the knowledge base, courses and practice are for everyone; the rest depends
# on the role.
EVERYONE = ["/", "/kb/", "/courses", "/practice"]
NAV = {
    "specialist": EVERYONE,
    "trainer": EVERYONE + ["/quizzes/bank", "/cohorts"],
    "supervisor": EVERYONE + ["/team", "/cohorts"],
    "admin": EVERYONE + ["/quizzes/bank", "/team", "/cohorts", "/admin/users"],
}


def _at(path: str) -> re.Pattern:
    """The page URL has exactly ``path`` on the live server (any query string, e.g. ?next=)."""
    return re.compile(r"^https?://[^/?#]+" + re.escape(path) + r"(\?[^#]*)?$")


def _login_of(role: str) -> tuple[str, str]:
    return next((email, password) for r, email, password in demo.LOGINS if r == role)


def test_every_role_in_the_demo_has_a_browser_check():
    assert {role for role, _, _ in demo.LOGINS} == set(NAV)


@pytest.mark.parametrize(("role", "email", "password"), demo.LOGINS, ids=[login[0] for login in demo.LOGINS])
def test_each_demo_user_signs_in_and_sees_exactly_their_roles_menu(page, sign_in, role, email, password):
    sign_in(email, password)
    screenshot(page, f"home-{role}")

    expect(page).to_have_url(_at("/"))
    name, language = demo.NAMES[email]
    # aria-label is translated too: "Main" for English users, the catalog's word otherwise.
    nav = page.locator('nav[aria-label="Main"]') if language == "en" else page.locator("header nav.main-nav")
    expect(nav).to_have_count(1)
    expect(nav).to_be_visible()
    hrefs = nav.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == NAV[role]
    expect(page.locator(".user-menu__name")).to_contain_text(name)


def test_a_wrong_password_is_refused(page, sign_in):
    email, _password = _login_of("trainer")
    sign_in(email, "not-the-password")

    expect(page).to_have_url(_at("/login"))
    expect(page.get_by_text("The e-mail or password is not correct.")).to_be_visible()
    expect(page.locator('form[action="/logout"]')).to_have_count(0)


@pytest.mark.parametrize("role", ["specialist", "admin"])
def test_sign_out_ends_the_session(page, sign_in, role):
    sign_in(*_login_of(role))
    expect(page).to_have_url(_at("/"))

    page.locator('form[action="/logout"]').get_by_role("button").click()
    expect(page).to_have_url(_at("/login"))
    expect(page.get_by_label("E-mail")).to_be_visible()

    page.goto("/")
    expect(page).to_have_url(_at("/login"))
    expect(page.locator('form[action="/logout"]')).to_have_count(0)


def test_the_admin_creates_a_user_through_the_ui(page, sign_in):
    sign_in(*_login_of("admin"))
    email = f"new.colleague.{uuid.uuid4().hex[:8]}@lumen.example"

    page.locator('nav[aria-label="Main"]').get_by_role("link", name="Admin").click()
    page.wait_for_url(re.compile(r"/admin/users$"))
    page.get_by_role("link", name="New user").click()
    page.wait_for_url(re.compile(r"/admin/users/new$"))
    # The form carries a CSRF token; a real browser has to send it back.
    expect(page.locator('main form[method="post"] input[name="csrf_token"]')).to_have_count(1)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Name", exact=True).fill("Nora Newcomer")
    page.get_by_label("Role").select_option("trainer")
    page.get_by_label("Initial password").fill("a-long-initial-password")
    page.get_by_role("button", name="Create user").click()

    page.wait_for_url(re.compile(r"/admin/users/\d+$"))
    expect(page.locator(".flash--success")).to_contain_text("created")
    expect(page.locator(".flash--success")).to_contain_text(email)
    screenshot(page, "admin-user-created")

    page.goto("/admin/users")
    row = page.locator("table tbody tr", has_text=email)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Nora Newcomer")
    expect(row).to_contain_text("Trainer")


def _settle(page):
    """Wait two frames: Chromium applies ``autofocus`` at a rendering update after load, so a
    Tab pressed right after ``goto`` would race it. A person always sees the settled page."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def _expect_skip_link_focused(page):
    focused = page.locator(":focus")
    expect(focused).to_have_text("Skip to content")
    expect(focused).to_have_attribute("href", "#content")


def test_the_first_tab_on_the_login_page_reaches_the_skip_link(page):
    page.goto("/login")
    _settle(page)
    page.keyboard.press("Tab")

    _expect_skip_link_focused(page)


def test_the_skip_link_is_the_first_tab_stop_and_jumps_to_the_content(page, sign_in):
    sign_in(*_login_of("trainer"))
    _settle(page)
    page.keyboard.press("Tab")
    _expect_skip_link_focused(page)

    page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_have_id("content")
