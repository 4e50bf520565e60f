"""The question bank in a real browser: a trainer uploads a GIFT file with errors and
sees every error with its line; after fixing it, the questions are in the bank."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from academy import demo
from tests.browser.conftest import screenshot
from tests.quizzes.test_bank_cli import BROKEN, GIFT

pytestmark = pytest.mark.browser


def _trainer():
    return next((email, password) for role, email, password in demo.LOGINS if role == "trainer")


def test_a_trainer_uploads_a_gift_file_with_errors_and_sees_every_error_with_its_line(page, sign_in):
    sign_in(*_trainer())
    page.goto("/quizzes/bank")
    page.set_input_files("input[type=file]", files=[{"name": "broken.gift", "mimeType": "text/plain",
                                                     "buffer": BROKEN.encode("utf-8")}])
    page.get_by_role("button", name="Upload").click()
    problems = page.locator(".problem-list li")
    expect(problems.first).to_be_visible()
    texts = problems.all_inner_texts()
    assert any(t.startswith("broken.gift:1") for t in texts) and any(t.startswith("broken.gift:7") for t in texts)
    screenshot(page, "bank-upload-errors")

    page.set_input_files("input[type=file]", files=[{"name": "billing-refunds.gift", "mimeType": "text/plain",
                                                     "buffer": GIFT.encode("utf-8")}])
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".flash--success")).to_contain_text("billing-refunds.gift: 3 added")
    expect(page.get_by_role("link", name="Refund window")).to_be_visible()
