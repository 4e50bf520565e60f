"""Spaced refreshers, the scheduling side: which answers make cards, how later answers move
them (FSRS), what is due, and that a repeated signal counts once."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from fsrs import State

from academy import signals
from academy.accounts.models import Role
from academy.accounts.phase import AFTER, BEFORE
from academy.domain_errors import DomainError
from academy.quizzes import refreshers
from academy.quizzes import services as quiz_services
from academy.quizzes.models import Attempt, AttemptState, Question, Quiz, QuizResponse, RefresherCard

MONDAY = dt.datetime(2026, 10, 5, 14, 0, tzinfo=dt.timezone.utc)
FRACTIONS = {"correct": 1.0, "partial": 0.5, "wrong": 0.0, "needs_grading": 0.0, "not_answered": 0.0}
QUESTIONS = [
    {"title": "Refund window", "type": "multichoice", "single": True,
     "text": "How many days does a customer have to ask for a refund?",
     "answers": [{"text": "14 days", "fraction": 1.0, "feedback": "Right: 14 days from the contract."},
                 {"text": "30 days", "fraction": 0.0, "feedback": "That is another provider's rule."},
                 {"text": "7 days", "fraction": 0.0, "feedback": "Longer than that."}]},
    {"title": "Hotline hours", "type": "truefalse", "text": "The hotline is open around the clock.",
     "correct": False, "feedback_true": "It closes at 22:00.", "feedback_false": "Right, 7:00 to 22:00."},
    {"title": "Goodwill limit", "type": "numerical", "text": "Up to how many EUR may you credit alone?",
     "numerical": [{"value": 20.0, "tolerance": 0.0, "fraction": 1.0, "feedback": "Yes, 20 EUR."}]},
    {"title": "Channels", "type": "shortanswer", "text": "Which channel answers within 4 working hours?",
     "answers": [{"text": "fax", "fraction": 1.0, "feedback": ""}]},
    {"title": "Upset caller", "type": "essay", "text": "Describe how you calm an upset caller."},
    {"title": "A scenario", "type": "description", "text": "The next questions are about one call."},
    {"title": "Router lights", "type": "truefalse", "text": "A red light means no power.", "correct": False,
     "feedback_true": "", "feedback_false": ""},
]


def bank(db) -> dict[str, Question]:
    """The test question bank, by title."""
    parsed = [{"category": "Billing", "format": "plain", "general_feedback": "", **q} for q in QUESTIONS]
    quiz_services.import_questions(db, parsed, source="refreshers.gift")
    return {q.title: q for q in db.scalars(sa.select(Question))}


def finished_attempt(db, user, answers: dict[Question, str], *, at=MONDAY, phase=AFTER,
                     state=AttemptState.FINISHED) -> Attempt:
    """A graded attempt of ``user`` with one response per question, in the given states."""
    quiz = db.scalar(sa.select(Quiz).where(Quiz.title == "Basics")) or Quiz(title="Basics", source_file="x.gift")
    number = 1 + (db.scalar(sa.select(sa.func.count(Attempt.id)).where(Attempt.user_id == user.id)) or 0)
    attempt = Attempt(quiz=quiz, user_id=user.id, number=number, state=state, phase=phase, seed=1,
                      started_at=at - dt.timedelta(minutes=20), submitted_at=at)
    for slot, (question, grade_state) in enumerate(answers.items()):
        attempt.responses.append(QuizResponse(
            slot=slot, question_id=question.id, question=quiz_services.as_parsed(question), answer="x",
            fraction=FRACTIONS[grade_state], state=grade_state))
    db.add(attempt)
    db.flush()
    if state == AttemptState.FINISHED:  # as quizzes.attempts does once everything is graded
        signals.attempt_finished.send(attempt, session=db)
    return attempt


def cards_of(db, user) -> dict[str, RefresherCard]:
    return {db.get(Question, c.question_id).title: c
            for c in db.scalars(sa.select(RefresherCard).where(RefresherCard.user_id == user.id))}


@pytest.fixture
def questions(db):
    return bank(db)


@pytest.fixture
def learner(users):
    specialist = users[Role.SPECIALIST]
    specialist.first_contact_at = MONDAY - dt.timedelta(days=30)
    return specialist


def test_wrong_and_partial_answers_after_first_contact_become_cards_due_the_next_day(db, questions, learner):
    q = questions
    finished_attempt(db, learner, {q["Refund window"]: "wrong", q["Hotline hours"]: "partial",
                                   q["Goodwill limit"]: "correct", q["Channels"]: "not_answered"})
    cards = cards_of(db, learner)
    assert set(cards) == {"Refund window", "Hotline hours"}
    assert cards["Refund window"].due_at == MONDAY + dt.timedelta(days=1)
    assert cards["Hotline hours"].due_at == MONDAY + dt.timedelta(days=1, hours=12)  # Hard on the day step
    assert all(c.reviews == 1 and c.lapses == 0 and c.last_reviewed_at == MONDAY for c in cards.values())
    assert cards["Refund window"].memory["state"] == State.Learning


def test_answers_before_first_contact_make_no_cards(db, questions, learner):
    finished_attempt(db, learner, {questions["Refund window"]: "wrong"}, phase=BEFORE)
    assert cards_of(db, learner) == {}


def test_an_attempt_still_waiting_for_a_trainer_makes_no_cards(db, questions, learner):
    finished_attempt(db, learner, {questions["Refund window"]: "wrong"}, state=AttemptState.NEEDS_GRADING)
    assert cards_of(db, learner) == {}


def test_essays_descriptions_and_deleted_questions_never_become_cards(db, questions, learner):
    attempt = finished_attempt(db, learner, {questions["Upset caller"]: "wrong", questions["A scenario"]: "wrong",
                                             questions["Router lights"]: "wrong"}, state=AttemptState.IN_PROGRESS)
    db.delete(questions["Router lights"])
    db.flush()
    db.refresh(attempt.responses[2])
    assert attempt.responses[2].question_id is None
    attempt.state = AttemptState.FINISHED
    signals.attempt_finished.send(attempt, session=db)
    assert cards_of(db, learner) == {}


def test_the_finished_signal_makes_the_cards_and_a_second_signal_changes_nothing(db, questions, learner):
    attempt = finished_attempt(db, learner, {questions["Refund window"]: "wrong"})
    card = cards_of(db, learner)["Refund window"]
    memory, due = dict(card.memory), card.due_at
    signals.attempt_finished.send(attempt, session=db)
    assert refreshers.schedule_attempt(db, attempt) == []
    assert (card.reviews, card.lapses, card.memory, card.due_at) == (1, 0, memory, due)
    assert db.scalar(sa.select(sa.func.count(RefresherCard.id))) == 1


def test_a_repeat_wrong_answer_is_a_lapse_and_brings_the_question_back_the_next_day(db, questions, learner):
    q = questions["Refund window"]
    finished_attempt(db, learner, {q: "wrong"})
    finished_attempt(db, learner, {q: "correct"}, at=MONDAY + dt.timedelta(days=1))
    card = cards_of(db, learner)["Refund window"]
    learnt_until = card.due_at
    assert learnt_until > MONDAY + dt.timedelta(days=2) and card.memory["state"] == State.Review
    again = MONDAY + dt.timedelta(days=5)
    finished_attempt(db, learner, {q: "wrong"}, at=again)
    assert (card.reviews, card.lapses) == (3, 1)
    assert card.due_at == again + dt.timedelta(days=1)
    assert card.memory["state"] == State.Relearning


def test_a_right_answer_to_a_carded_question_is_a_good_review_and_pushes_it_back(db, questions, learner):
    q = questions["Hotline hours"]
    finished_attempt(db, learner, {q: "wrong"})
    card = cards_of(db, learner)["Hotline hours"]
    first_due, stability = card.due_at, card.memory["stability"]
    finished_attempt(db, learner, {q: "correct"}, at=first_due)
    assert card.reviews == 2 and card.lapses == 0
    assert card.memory["stability"] > stability
    assert refreshers.days_until(card.due_at, first_due) >= 2


def test_a_right_answer_to_a_question_without_a_card_makes_none(db, questions, learner):
    finished_attempt(db, learner, {questions["Hotline hours"]: "correct"})
    assert cards_of(db, learner) == {}


def test_an_older_attempt_arriving_after_a_newer_review_is_ignored(db, questions, learner):
    q = questions["Refund window"]
    finished_attempt(db, learner, {q: "wrong"}, at=MONDAY + dt.timedelta(days=2))
    card = cards_of(db, learner)["Refund window"]
    finished_attempt(db, learner, {q: "wrong"}, at=MONDAY)
    assert card.reviews == 1 and card.last_reviewed_at == MONDAY + dt.timedelta(days=2)


def test_the_worst_answer_counts_when_a_question_appears_twice_in_an_attempt(db, questions, learner):
    q = questions["Refund window"]
    attempt = finished_attempt(db, learner, {q: "correct"}, state=AttemptState.IN_PROGRESS)
    attempt.responses.append(QuizResponse(slot=5, question_id=q.id, question=quiz_services.as_parsed(q),
                                          fraction=0.0, state="wrong"))
    attempt.state = AttemptState.FINISHED
    db.flush()
    refreshers.schedule_attempt(db, attempt)
    assert cards_of(db, learner)["Refund window"].reviews == 1


def _card(db, user, question, due_at):
    card = RefresherCard(user_id=user.id, question_id=question.id, due_at=due_at, memory={}, reviews=0, lapses=0)
    db.add(card)
    db.flush()
    return card


def test_due_cards_are_the_longest_overdue_first_and_at_most_five(db, questions, learner, users):
    now = MONDAY
    titles = ["Refund window", "Hotline hours", "Goodwill limit", "Channels", "Router lights"]
    made = {title: _card(db, learner, questions[title], now - dt.timedelta(days=index + 1))
            for index, title in enumerate(titles)}
    later_today = _card(db, learner, questions["Upset caller"], now + dt.timedelta(hours=3))  # an essay: skipped
    extra = bank_question(db, "Roaming")
    made["Roaming"] = _card(db, learner, extra, now + dt.timedelta(hours=9))  # later today: due
    _card(db, learner, bank_question(db, "Tomorrow"), now + dt.timedelta(days=1))
    _card(db, users["other_specialist"], questions["Channels"], now - dt.timedelta(days=30))
    due = refreshers.due_cards(db, learner, now)
    assert [c.id for c in due] == [made[t].id for t in reversed(titles)]
    assert later_today not in due
    everything = refreshers.due_cards(db, learner, now, limit=50)
    assert [c.id for c in everything][-1] == made["Roaming"].id and len(everything) == 6
    assert refreshers.outlook(db, learner, now) == refreshers.Outlook(due=6, next_due_at=None)


def bank_question(db, title):
    quiz_services.import_questions(db, [{"title": title, "category": "Billing", "type": "truefalse", "format": "plain",
                                         "text": f"{title}?", "general_feedback": "", "correct": True,
                                         "feedback_true": "", "feedback_false": ""}], source="more.gift")
    return db.scalar(sa.select(Question).where(Question.title == title))


def test_the_outlook_gives_the_next_due_date_when_nothing_is_due_and_none_without_cards(db, questions, learner):
    assert refreshers.outlook(db, learner, MONDAY) is None
    _card(db, learner, questions["Upset caller"], MONDAY - dt.timedelta(days=1))
    assert refreshers.outlook(db, learner, MONDAY) is None  # essays are never offered
    soon = _card(db, learner, questions["Channels"], MONDAY + dt.timedelta(days=3))
    _card(db, learner, questions["Hotline hours"], MONDAY + dt.timedelta(days=8))
    assert refreshers.outlook(db, learner, MONDAY) == refreshers.Outlook(due=0, next_due_at=soon.due_at)


def test_answering_rates_right_good_partial_hard_and_wrong_again(db, questions, learner):
    q = questions["Refund window"]
    finished_attempt(db, learner, {q: "wrong"})
    card = cards_of(db, learner)["Refund window"]
    due = card.due_at
    result = refreshers.answer_card(db, card, "1", now=due)  # "30 days"
    assert result.grade.state == "wrong" and card.reviews == 2
    assert card.due_at == due + dt.timedelta(days=1)
    result = refreshers.answer_card(db, card, "0", now=card.due_at)
    assert result.grade.state == "correct" and card.memory["state"] == State.Review and card.reviews == 3
    assert refreshers.rating_for("partial").name == "Hard"
    assert refreshers.rating_for("not_answered") is None


def test_an_answer_that_cannot_be_read_or_a_card_not_due_changes_nothing(db, questions, learner):
    finished_attempt(db, learner, {questions["Goodwill limit"]: "wrong"})
    card = cards_of(db, learner)["Goodwill limit"]
    before = (dict(card.memory), card.due_at, card.reviews)
    with pytest.raises(DomainError) as error:
        refreshers.answer_card(db, card, "twenty", now=card.due_at)
    assert error.value.field == "answer" and "twenty" in str(error.value.message)
    with pytest.raises(DomainError, match="Choose or type"):
        refreshers.answer_card(db, card, "  ", now=card.due_at)
    with pytest.raises(DomainError, match="not due"):
        refreshers.answer_card(db, card, "20", now=MONDAY + dt.timedelta(hours=2))
    assert (card.memory, card.due_at, card.reviews) == before


def test_a_card_is_due_from_the_start_of_its_day_in_utc():
    card = RefresherCard(due_at=dt.datetime(2026, 10, 6, 16, 0, tzinfo=dt.timezone.utc))
    assert not refreshers.is_due(card, dt.datetime(2026, 10, 5, 23, 59, tzinfo=dt.timezone.utc))
    assert refreshers.is_due(card, dt.datetime(2026, 10, 6, 0, 0, tzinfo=dt.timezone.utc))
    assert refreshers.days_until(card.due_at, MONDAY) == 1


def test_multiple_choice_answers_are_shuffled_the_same_way_until_the_next_review(db, questions, learner):
    finished_attempt(db, learner, {questions["Refund window"]: "wrong"})
    card = cards_of(db, learner)["Refund window"]
    parsed = {"type": "multichoice", "answers": [{"text": str(n)} for n in range(8)]}
    order = refreshers.answer_order(card, parsed)
    assert sorted(order) == list(range(8)) and order == refreshers.answer_order(card, parsed)
    orders = set()
    for reviews in range(2, 6):
        card.reviews = reviews
        orders.add(tuple(refreshers.answer_order(card, parsed)))
    assert orders - {tuple(order)}
