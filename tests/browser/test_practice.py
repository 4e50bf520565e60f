"""Practice in a real browser with practice.js: Nina (Czech UI, so elements are found by id,
class and role rather than English text) plays the shipped refund-over-limit call well and
badly; a trainer overrides a criterion of the bad session and the score changes. A letter
scenario shows the letter view; a phone-width screen keeps everything usable."""
from __future__ import annotations

import hashlib
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from academy import demo
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

SCENARIO = "Charged twice: 189 EUR back, now"


def _login(role: str) -> tuple[str, str]:
    return next((email, password) for r, email, password in demo.LOGINS if r == role)


def _start(page, title: str = SCENARIO) -> int:
    page.goto("/practice")
    page.locator(".scenario-card", has_text=title).locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/practice/sessions/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def _say(page, text: str) -> None:
    """Type a message and press Enter (practice.js sends it); wait for it in the conversation."""
    agent_turns = page.locator("#practice-conversation .turn--agent")
    before = agent_turns.count()
    page.locator("#text").fill(text)
    page.locator("#text").press("Enter")
    expect(agent_turns).to_have_count(before + 1)
    expect(agent_turns.last).to_contain_text(text)


def _record(page, nature: str, resolution: str, escalated: bool) -> None:
    page.locator("#nature").select_option(nature)
    page.locator("#resolution").select_option(resolution)
    page.locator("#escalated").set_checked(escalated)
    page.locator("#summary").fill("Double charge of 189 EUR.")
    page.locator(".practice-record button[type=submit]").click()
    expect(page.locator(".practice-record .flash--success")).to_be_visible()


def _end(page) -> None:
    page.locator(".practice-end button[type=submit]").click()
    page.wait_for_url(re.compile(r"/practice/sessions/\d+/report$"))


def _score(page) -> int:
    return int(page.locator(".attempt-result__score").inner_text().split("/")[0].strip())


def test_a_trainee_handles_the_refund_call_well_and_passes(page, sign_in):
    sign_in(*_login("specialist"))
    _start(page)
    expect(page.locator("#practice-conversation .turn--customer").first).to_contain_text("189 euros")
    expect(page.locator("#practice-clock")).to_be_visible()
    _say(page, "Good morning, Lumen customer care, Petra speaking.")
    _say(page, "I understand how frustrating that must be.")
    _say(page, "Could you give me your account number, please?")
    expect(page.locator("#practice-conversation .turn--customer").last).to_contain_text("448120")

    page.locator("#query").fill("refund limit")
    page.locator(".kb-search button[type=submit]").click()
    result = page.locator(".kb-result__open", has_text="Refunds and credits")
    expect(result).to_be_visible()
    screenshot(page, "practice-phone-search")
    result.click()
    expect(page.locator(".kb-opened h3")).to_have_text("Refunds and credits")
    screenshot(page, "practice-phone-article")

    _say(page, "I'm only allowed to refund up to 150 euros myself, so my supervisor has to approve it.")
    page.locator(".practice-escalate summary").click()
    page.locator("#note").fill("Double charge of 189 EUR, above my limit; please call him back today.")
    page.locator(".practice-escalate button[type=submit]").click()
    expect(page.locator("#practice-conversation .turn--system")).to_have_count(1)
    _say(page, "Is there anything else I can help you with? Have a nice day.")
    expect(page.locator("#practice-composer form")).to_have_count(0)   # the customer is done
    expect(page.locator(".practice-status__outcome")).to_be_visible()
    screenshot(page, "practice-phone-screen")

    _record(page, "complaint", "escalated", True)
    _end(page)
    expect(page.locator(".practice-result--passed")).to_be_visible()
    assert _score(page) >= 80
    expect(page.locator("svg.mood-chart")).to_be_visible()
    expect(page.locator(".kb-events li")).to_have_count(2)     # the search and the opened article
    screenshot(page, "practice-report-passed")


def test_refunding_directly_fails_the_escalation_criterion_and_a_trainer_overrides_a_criterion(page, sign_in):
    sign_in(*_login("specialist"))
    session_id = _start(page)
    _say(page, "Good morning, Lumen customer care, Petra speaking.")
    _say(page, "I'll refund the 189 euros to you right now.")
    _say(page, "Is there anything else I can help you with? Have a nice day.")
    _record(page, "complaint", "resolved", False)
    _end(page)
    expect(page.locator(".practice-result--failed")).to_be_visible()
    escalation = page.locator(".rubric__row", has_text="Escalation judgement")
    expect(escalation).to_have_class(re.compile(r"rubric__row--missed"))
    expect(page.locator(".practice-result__why")).to_contain_text("Escalation judgement")
    before = _score(page)
    screenshot(page, "practice-report-failed")

    page.locator(".user-menu button[type=submit]").click()
    sign_in(*_login("trainer"))
    page.goto("/practice/review")
    page.locator(f'a[href="/practice/review/{session_id}"]').click()
    row = page.locator("#criterion-empathy")
    row.locator("summary").click()
    row.locator("select[name=met]").select_option("yes")
    row.locator("textarea[name=reason]").fill("He acknowledged the anger in his own words.")
    row.get_by_role("button", name=re.compile("Override")).click()
    expect(page.locator(".flash--success")).to_be_visible()
    after = _score(page)
    assert after > before                                         # empathy weighs 15 of the weights
    expect(page.locator("#criterion-empathy .rubric__override")).to_contain_text("own words")
    screenshot(page, "practice-review")


def _add_letter_scenario(app) -> None:
    """An e-mail variant of the shipped refund scenario, so the letter view is tested with the call's known replies."""
    from academy.practice.models import Scenario, ScenarioVersion

    with app.app_context():
        session = app.extensions["academy.sessionmaker"]()
        try:
            if session.scalar(sa.select(Scenario).where(Scenario.key == "refund-letter")):
                return
            shipped = session.scalar(sa.select(Scenario).where(Scenario.key == "refund-over-limit"))
            source = shipped.current_version.source.replace("id: refund-over-limit", "id: refund-letter") \
                .replace("channel: phone", "channel: email").replace(SCENARIO, "Charged twice: a letter")
            scenario = Scenario(key="refund-letter", lang="en", title="Charged twice: a letter", channel="email",
                                course=shipped.course, difficulty=2, path=shipped.path.replace("refund-over-limit",
                                                                                               "refund-letter"))
            version = ScenarioVersion(revision=1, source=source, library_source=shipped.current_version.library_source,
                                      source_hash=hashlib.sha256(source.encode()).hexdigest())
            scenario.versions.append(version)
            session.add(scenario)
            session.flush()
            scenario.current_version = version
            session.commit()
        finally:
            session.close()


def test_a_letter_is_answered_in_one_reply_and_the_screen_fits_a_phone(page, sign_in, live_app):
    _add_letter_scenario(live_app)
    sign_in(*_login("trainer"))
    _start(page, "Charged twice: a letter")
    expect(page.locator(".letters .letter--customer")).to_have_count(1)
    page.locator("#text").fill("Dear Mr Keller,\n\nI am sorry about the double charge. Could you give me your "
                               "account number, please?\n\nKind regards,\nJonas")
    page.locator("#composer button[type=submit]").click()
    expect(page.locator(".letters .letter--agent")).to_have_count(1)
    expect(page.locator(".letters .letter--customer").last).to_contain_text("448120")
    screenshot(page, "practice-letter-screen")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the practice screen scrolls sideways on a phone ({width}px)"
    expect(page.locator("#text")).to_be_visible()
    screenshot(page, "practice-letter-phone")
