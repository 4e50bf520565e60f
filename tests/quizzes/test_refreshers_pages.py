"""Spaced refreshers in the browser's place: the refresher quiz page, answering a question
(graded and rescheduled on the server, only on one's own cards), and the home-page panel."""
from __future__ import annotations

import datetime as dt

import pytest

from academy.accounts.models import Role
from academy.db import utcnow
from academy.quizzes import refreshers
from academy.quizzes.refresher_views import comes_back, panel_context
from tests.quizzes.test_refreshers import bank, bank_question, cards_of, finished_attempt


@pytest.fixture
def questions(db):
    return bank(db)


@pytest.fixture
def learner(users, login):
    specialist = users[Role.SPECIALIST]
    specialist.first_contact_at = utcnow() - dt.timedelta(days=60)
    return login(specialist)


@pytest.fixture
def due(db, questions, learner):
    """Two cards of the learner, due since yesterday (wrong answers three days ago)."""
    three_days_ago = utcnow() - dt.timedelta(days=3)
    finished_attempt(db, learner, {questions["Refund window"]: "wrong", questions["Goodwill limit"]: "wrong"},
                     at=three_days_ago)
    return cards_of(db, learner)


def answer(card, value) -> dict:
    """The form the refresher page posts for ``card`` (its fields are named after the card)."""
    return {f"q{card.id}": value}


def _state(card):
    return dict(card.memory), card.due_at, card.reviews, card.lapses


def test_the_refresher_shows_the_due_questions_without_their_answer_key(client, due):
    response = client.get("/quizzes/refresher")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 questions are due today." in page
    assert "How many days does a customer have to ask for a refund?" in page
    assert "Up to how many EUR may you credit alone?" in page
    assert all(f'value="{index}"' in page for index in range(3))
    for secret in ("Right: 14 days", "another provider", "Yes, 20 EUR", "100 %", "fraction"):
        assert secret not in page
    card = due["Refund window"]
    assert f'action="/quizzes/refresher/{card.id}#card-{card.id}"' in page


def test_at_most_five_questions_are_shown_at_a_time(client, db, questions, learner):
    titles = ["Refund window", "Hotline hours", "Goodwill limit", "Channels", "Router lights"]
    finished_attempt(db, learner, {questions[t]: "wrong" for t in titles}, at=utcnow() - dt.timedelta(days=3))
    finished_attempt(db, learner, {bank_question(db, "Roaming"): "wrong"}, at=utcnow() - dt.timedelta(days=2))
    page = client.get("/quizzes/refresher").get_data(as_text=True)
    assert "6 questions are due today. Here are the first 5." in page
    assert page.count('class="card refresher-question"') == 5
    assert "Roaming?" not in page


def test_a_right_answer_is_graded_on_the_server_and_pushed_back_by_days(client, db, due):
    card = due["Refund window"]
    before = card.reviews
    response = client.post(f"/quizzes/refresher/{card.id}", data=answer(card, "0"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Correct" in page and "Right: 14 days from the contract." in page
    assert "You answered: <strong>14 days</strong>" in page and "The right answer" not in page
    db.refresh(card)
    assert card.reviews == before + 1 and not refreshers.is_due(card)
    assert f"This question comes back {comes_back(card.due_at)}." in page
    assert comes_back(card.due_at).startswith("in ") or comes_back(card.due_at) == "tomorrow"
    assert "1 question is due today." in page  # the other one is still there
    assert "How many days does a customer" in page  # in the answered block only
    assert page.count('class="card refresher-question"') == 1


def test_a_wrong_answer_comes_back_tomorrow_and_counts_as_a_lapse(client, db, due):
    card = due["Goodwill limit"]
    response = client.post(f"/quizzes/refresher/{card.id}", data=answer(card, "25"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Incorrect" in page
    assert "You answered: <strong>25</strong>" in page and "The right answer: <strong>20</strong>" in page
    assert "This question comes back tomorrow." in page
    db.refresh(card)
    assert card.lapses == 1 and refreshers.days_until(card.due_at) == 1


def test_the_last_answer_of_the_day_says_when_the_next_question_is_due(client, db, due):
    for card, value in ((due["Refund window"], "0"), (due["Goodwill limit"], "20")):
        page = client.post(f"/quizzes/refresher/{card.id}", data=answer(card, value)).get_data(as_text=True)
    assert "You are done for today. Your next refresher question is due in " in page


def test_an_answer_that_cannot_be_read_gets_a_message_and_changes_nothing(client, db, due):
    card = due["Goodwill limit"]
    before = _state(card)
    response = client.post(f"/quizzes/refresher/{card.id}", data=answer(card, "twenty"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your answer could not be read: &#39;twenty&#39; is not a number" in page
    assert 'value="twenty"' in page  # what was typed is kept
    typed_html = client.post(f"/quizzes/refresher/{card.id}", data=answer(card, "<b>20</b>")).get_data(as_text=True)
    assert "&#39;&lt;b&gt;20&lt;/b&gt;&#39; is not a number" in typed_html and "<b>20</b>" not in typed_html
    blank = client.post(f"/quizzes/refresher/{card.id}", data={})
    assert blank.status_code == 400 and "Choose or type an answer, then check it." in blank.get_data(as_text=True)
    choice = due["Refund window"]
    out_of_range = client.post(f"/quizzes/refresher/{choice.id}", data=answer(choice, "7"))
    assert out_of_range.status_code == 400 and "there is no answer number 7" in out_of_range.get_data(as_text=True)
    db.refresh(card)
    assert _state(card) == before


def test_an_answer_sent_twice_counts_once(client, db, due):
    card = due["Refund window"]
    assert client.post(f"/quizzes/refresher/{card.id}", data=answer(card, "0")).status_code == 200
    db.refresh(card)
    after_first = _state(card)
    again = client.post(f"/quizzes/refresher/{card.id}", data=answer(card, "0"))
    assert again.status_code == 400 and "This question is not due yet" in again.get_data(as_text=True)
    db.refresh(card)
    assert _state(card) == after_first


def test_a_learner_cannot_answer_anyone_elses_card(client, db, questions, users, due, login):
    other = users["other_specialist"]
    other.first_contact_at = utcnow() - dt.timedelta(days=60)
    finished_attempt(db, other, {questions["Hotline hours"]: "wrong"}, at=utcnow() - dt.timedelta(days=3))
    theirs = cards_of(db, other)["Hotline hours"]
    before = _state(theirs)
    assert client.post(f"/quizzes/refresher/{theirs.id}", data=answer(theirs, "false")).status_code == 404
    assert client.post("/quizzes/refresher/999999", data={"q999999": "false"}).status_code == 404
    assert "The hotline is open around the clock." not in client.get("/quizzes/refresher").get_data(as_text=True)
    db.refresh(theirs)
    assert _state(theirs) == before


def test_answering_needs_the_csrf_token(app, client, db, due):
    card = due["Refund window"]
    before = _state(card)
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(f"/quizzes/refresher/{card.id}", data=answer(card, "0"))
    assert response.status_code == 400
    db.refresh(card)
    assert _state(card) == before


def test_the_home_panel_counts_the_due_questions_and_links_to_the_refresher(client, due):
    page = client.get("/").get_data(as_text=True)
    assert "2 refresher questions due" in page and 'href="/quizzes/refresher"' in page


def test_the_home_panel_gives_the_next_date_when_nothing_is_due(client, db, due):
    for card in due.values():
        card.due_at = utcnow() + dt.timedelta(days=4)
    db.flush()
    page = client.get("/").get_data(as_text=True)
    assert "Nothing to refresh today. Your next refresher question is due in 4 days" in page
    assert 'href="/quizzes/refresher"' not in page


def test_the_home_panel_is_not_shown_without_cards_or_to_staff(client, db, users, learner, due, login):
    assert panel_context(db, users[Role.TRAINER]) is None
    assert panel_context(db, users["other_specialist"]) is None
    context = panel_context(db, learner)
    assert context["due"] == 2 and context["next_due"] is None
    login(users["other_specialist"])
    assert "refresher" not in client.get("/").get_data(as_text=True).lower()


def test_with_no_cards_the_refresher_page_says_so(client, learner, questions):
    page = client.get("/quizzes/refresher").get_data(as_text=True)
    assert "You have no refresher questions." in page


def test_due_dates_in_words(app):
    now = dt.datetime(2026, 10, 5, 14, 0, tzinfo=dt.timezone.utc)
    with app.test_request_context():
        assert comes_back(now + dt.timedelta(hours=3), now) == "today"
        assert comes_back(now + dt.timedelta(hours=11), now) == "tomorrow"
        assert comes_back(now + dt.timedelta(days=4), now) == "in 4 days"
        assert comes_back(now + dt.timedelta(days=60), now) == "in 2 months"
