"""The knowledge base in a real browser: searching from the header in each of the five
languages, opening a result, acknowledging a policy and watching the badge drop."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from academy import demo
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

# A query typed the way a hurried agent types it (no diacritics where the language has
# them, another inflection than the title's), and the article it must find.
QUERIES = [
    ("en", "refund", "Refunds and credits"),
    ("cs", "vraceni penez", "Vrácení peněz a dobropisy"),
    ("de", "Rückerstattung", "Erstattungen und Gutschriften"),
    ("lt", "grazinimas", "Pinigų grąžinimas ir kreditai"),
    ("et", "huvitis", "Tagasimaksed ja hüvitised"),
]


def _specialist():
    return next((email, password) for role, email, password in demo.LOGINS if role == "specialist")


def _badge(page) -> int:
    badge = page.locator("nav.main-nav .nav-badge")
    if badge.count() == 0:
        return 0
    return int(re.search(r"\d+", badge.first.inner_text()).group())


@pytest.mark.parametrize(("lang", "query", "title"), QUERIES, ids=[q[0] for q in QUERIES])
def test_search_from_the_header_finds_the_article_in_its_language(page, sign_in, lang, query, title):
    sign_in(*_specialist())
    box = page.locator("header input[type=search]")
    box.fill(query)
    box.press("Enter")
    page.wait_for_load_state()
    first = page.locator("ol.results > li h2 a").filter(has_text=title).first
    expect(first).to_be_visible()
    expect(first).to_have_attribute("lang", lang)
    screenshot(page, f"search-{lang}")
    first.click()
    expect(page.locator("h1")).to_have_text(title)
    expect(page).to_have_url(re.compile(rf"/kb/{lang}/refunds\b"))


def test_acknowledging_a_policy_makes_the_badge_count_drop(page, sign_in):
    sign_in(*_specialist())
    page.goto("/kb/")
    before = _badge(page)
    assert before > 0
    page.goto("/kb/cs/escalation")
    acknowledge = page.locator(".ack-box button")
    expect(acknowledge).to_be_visible()
    acknowledge.click()
    page.wait_for_load_state()
    expect(page.locator(".ack-box")).to_have_count(0)
    assert _badge(page) == before - 1
    screenshot(page, "acknowledged")
