"""The learner's quiz pages through the test client: starting, answers saved one by one (as
attempt.js sends them) or with the whole form, what the page never shows before submission,
bad input, CSRF, the time limit, confirming the submission, the review and ownership."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from academy.accounts.models import Role
from academy.db import utcnow
from academy.quizzes.models import Attempt, AttemptState, QuizResponse
from tests.quizzes.test_attempts import RIGHT, make_quiz, response_of, slot_of

# Every string here belongs to the answer key: none may reach the page before submission.
KEY = ["Correct: 14 days from the contract.", "That is another provider", "Too short.", "The hotline never closes",
       "It is open around the clock", "Yes, phone.", "We do not.", "Right: nature.", "the nature field",
       "Right, 20 EUR.", "fraction", "tolerance", "feedback"]


@pytest.fixture
def learner(users, login):
    return login(users[Role.SPECIALIST])


@pytest.fixture
def quiz(db, users):
    return make_quiz(db, users[Role.SPECIALIST], text=_with_alternative())


def _with_alternative():
    from tests.quizzes.test_attempts import GIFT
    return GIFT.replace("{=nature#Right: nature.}", "{=nature#Right: nature.\n=the nature field#Right: nature.}")


def start(client, quiz) -> Attempt:
    response = client.post(f"/quizzes/{quiz.id}/attempts")
    assert response.status_code == 302
    attempt_id = int(re.search(r"/quizzes/attempts/(\d+)$", response.headers["Location"]).group(1))
    return attempt_id


def attempt_of(db, attempt_id) -> Attempt:
    db.expire_all()
    return db.get(Attempt, attempt_id)


def save(client, attempt_id, slot, answer, **kwargs):
    return client.post(f"/quizzes/attempts/{attempt_id}/answers", json={"slot": slot, "answer": answer}, **kwargs)


def test_the_quiz_page_explains_the_quiz_and_starts_an_attempt(client, db, learner, quiz):
    quiz.time_limit_seconds, quiz.attempts_allowed = 900, 2
    db.flush()
    page = client.get(f"/quizzes/{quiz.id}").get_data(as_text=True)
    assert "7 questions." in page and "To pass, score at least 80 %." in page
    assert "Time limit: 15 minutes" in page and "2 attempts allowed." in page
    assert "Start the quiz" in page
    attempt_id = start(client, quiz)
    assert start(client, quiz) == attempt_id  # pressing Start again resumes
    page = client.get(f"/quizzes/{quiz.id}").get_data(as_text=True)
    assert "Continue attempt 1" in page and "In progress" in page


def test_the_attempt_page_shows_every_question_and_never_the_answer_key(client, db, learner, quiz):
    attempt_id = start(client, quiz)
    response = client.get(f"/quizzes/attempts/{attempt_id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "A caller is in a hurry" in page and "Question 7" in page and "Question 8" not in page
    assert "14 days" in page and "Carrier pigeon" in page and "Complaint" in page  # the choices, not their credit
    for secret in KEY:
        assert secret not in page, secret
    assert 'src="/static/attempt.js"' in page and "<script>" not in page
    assert 'data-save-url="/quizzes/attempts/%d/answers"' % attempt_id in page


def test_answers_saved_one_by_one_come_back_on_reload(client, db, learner, quiz):
    attempt_id = start(client, quiz)
    attempt = attempt_of(db, attempt_id)
    for title in ("Refund window", "Channels", "Goodwill limit", "Nature", "Hotline hours"):
        reply = save(client, attempt_id, slot_of(attempt, title), RIGHT[title])
        assert reply.status_code == 200 and reply.json["saved"] is True, reply.json
    assert reply.json["unanswered"] == 2
    page = client.get(f"/quizzes/attempts/{attempt_id}").get_data(as_text=True)
    refund, channels = slot_of(attempt, "Refund window"), slot_of(attempt, "Channels")
    assert f'name="q{refund}" value="0" checked' in page
    assert f'name="q{channels}" value="0" checked' in page and f'name="q{channels}" value="1" checked' in page
    assert f'name="q{slot_of(attempt, "Goodwill limit")}" value="20"' in page
    assert re.search(r'<option selected>Inquiry</option>', page)
    assert f'name="q{slot_of(attempt, "Hotline hours")}" value="true" checked' in page
    assert response_of(attempt_of(db, attempt_id), "Channels").answer == [0, 1]


@pytest.mark.parametrize(("body", "message"), [
    ("{not json", 'Send JSON like {"slot": 1, "answer": "..."}'),
    ('["slot", 2]', 'Send JSON like'),
    ('{"slot": 99, "answer": "x"}', "no question in slot 99"),
    ('{"slot": "two", "answer": "x"}', "no question in slot two"),
    ('{"slot": 6, "answer": "twenty"}', "Question 5: 'twenty' is not a number"),
    ('{"slot": 2, "answer": {"a": 1}}', "Question 1: the answer must be given by its number"),
    ('{"slot": 3, "answer": NaN}', "Question 2: answer true or false"),
])
def test_bad_answers_get_a_400_with_a_message_and_nothing_is_stored(client, db, learner, quiz, body, message):
    attempt_id = start(client, quiz)
    reply = client.post(f"/quizzes/attempts/{attempt_id}/answers", data=body, content_type="application/json")
    assert reply.status_code == 400
    assert message in reply.json["error"]["message"]
    assert all(r.answer is None and r.saved_at is None for r in attempt_of(db, attempt_id).responses)


def test_a_save_without_json_or_the_forms_marker_is_a_bad_request(client, db, learner, quiz):
    attempt_id = start(client, quiz)
    assert client.post(f"/quizzes/attempts/{attempt_id}/answers", data={"q2": "0"}).status_code == 400
    assert attempt_of(db, attempt_id).responses[1].answer is None


def test_the_save_button_stores_the_whole_form_or_shows_it_again_with_the_problems(client, db, learner, quiz):
    attempt_id = start(client, quiz)
    attempt = attempt_of(db, attempt_id)
    refund, limit, nature = (slot_of(attempt, t) for t in ("Refund window", "Goodwill limit", "Nature"))
    form = {"answers": "1", f"q{refund}": "0", f"q{limit}": "about twenty", f"q{nature}-0": "Inquiry"}
    reply = client.post(f"/quizzes/attempts/{attempt_id}/answers", data=form)
    page = reply.get_data(as_text=True)
    assert reply.status_code == 400
    assert "Question 5: &#39;about twenty&#39; is not a number" in page
    assert 'value="about twenty"' in page and f'name="q{refund}" value="0" checked' in page  # nothing typed is lost
    assert all(r.answer is None for r in attempt_of(db, attempt_id).responses)

    form[f"q{limit}"] = "20"
    reply = client.post(f"/quizzes/attempts/{attempt_id}/answers", data=form)
    assert reply.status_code == 302 and reply.headers["Location"].endswith(f"/quizzes/attempts/{attempt_id}")
    attempt = attempt_of(db, attempt_id)
    assert response_of(attempt, "Refund window").answer == "0"
    assert response_of(attempt, "Goodwill limit").answer == "20"
    assert response_of(attempt, "Nature").answer == {"0": "Inquiry"}
    assert response_of(attempt, "Channels").answer is None  # no box ticked: stays unanswered


def test_autosave_needs_the_csrf_token(app, client, db, learner, quiz):
    attempt_id = start(client, quiz)
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get(f"/quizzes/attempts/{attempt_id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    slot = slot_of(attempt_of(db, attempt_id), "Refund window")
    assert save(client, attempt_id, slot, 0).status_code == 400
    assert response_of(attempt_of(db, attempt_id), "Refund window").answer is None
    assert save(client, attempt_id, slot, 0, headers={"X-CSRFToken": token}).status_code == 200
    assert response_of(attempt_of(db, attempt_id), "Refund window").answer == 0


def test_submitting_asks_first_then_grades_and_shows_the_review(client, db, learner, quiz):
    attempt_id = start(client, quiz)
    attempt = attempt_of(db, attempt_id)
    save(client, attempt_id, slot_of(attempt, "Refund window"), 0)
    confirm = client.post(f"/quizzes/attempts/{attempt_id}/submit",
                          data={"answers": "1", f"q{slot_of(attempt, 'Refund window')}": "0",
                                f"q{slot_of(attempt, 'Goodwill limit')}": "20"})
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "5 questions are not answered: questions 2, 3, 4, 6, 7." in page
    assert attempt_of(db, attempt_id).state == AttemptState.IN_PROGRESS
    assert response_of(attempt_of(db, attempt_id), "Goodwill limit").answer == "20"  # saved on the way

    done = client.post(f"/quizzes/attempts/{attempt_id}/submit", data={"confirm": "1"})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/attempts/{attempt_id}/review")
    attempt = attempt_of(db, attempt_id)
    assert attempt.state == AttemptState.FINISHED and attempt.passed is False
    review = client.get(f"/quizzes/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "Not passed" in review and "28.6 %" in review and "2 / 7" in review
    assert "Correct: 14 days from the contract." in review  # feedback, per the default review options
    assert "The right answer" not in review                  # not shown by default
    assert client.get(f"/quizzes/attempts/{attempt_id}").headers["Location"].endswith("/review")
    assert client.post(f"/quizzes/attempts/{attempt_id}/submit", data={"confirm": "1"}).status_code == 302
    again = save(client, attempt_id, slot_of(attempt, "Refund window"), 1)
    assert again.status_code == 409 and again.json["review_url"].endswith("/review")


def test_the_review_follows_the_quizs_review_options(client, db, learner, quiz):
    quiz.review = {"responses": True, "correctness": False, "points": False, "feedback": False,
                   "general_feedback": False, "right_answer": True}
    db.flush()
    attempt_id = start(client, quiz)
    save(client, attempt_id, slot_of(attempt_of(db, attempt_id), "Refund window"), 1)
    client.post(f"/quizzes/attempts/{attempt_id}/submit", data={"confirm": "1"})
    review = client.get(f"/quizzes/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "The right answer" in review and "Your answer" in review and "30 days" in review
    assert "That is another provider" not in review and "Incorrect" not in review and "0 / 7" not in review


def test_another_learner_never_reaches_someone_elses_attempt(client, db, login, users, quiz):
    login(users[Role.SPECIALIST])
    attempt_id = start(client, quiz)
    login(users["other_specialist"])
    assert client.get(f"/quizzes/attempts/{attempt_id}").status_code == 404
    assert client.get(f"/quizzes/attempts/{attempt_id}/review").status_code == 404
    assert save(client, attempt_id, 2, 0).status_code == 404
    assert client.post(f"/quizzes/attempts/{attempt_id}/submit", data={"confirm": "1"}).status_code == 404
    assert client.post(f"/quizzes/attempts/{attempt_id}/check", data={"slot": "2"}).status_code == 404
    assert attempt_of(db, attempt_id).state == AttemptState.IN_PROGRESS
    # not enrolled: the quiz is not there for them
    assert client.get(f"/quizzes/{quiz.id}").status_code == 404
    assert client.post(f"/quizzes/{quiz.id}/attempts").status_code == 404


def test_a_supervisor_sees_the_quiz_and_reviews_but_takes_nothing(client, db, login, users, quiz):
    login(users[Role.SPECIALIST])
    attempt_id = start(client, quiz)
    client.post(f"/quizzes/attempts/{attempt_id}/submit", data={"confirm": "1"})
    login(users[Role.SUPERVISOR])
    page = client.get(f"/quizzes/{quiz.id}").get_data(as_text=True)
    assert "Supervisors see quizzes but do not take them." in page and "Start" not in page
    assert client.post(f"/quizzes/{quiz.id}/attempts").status_code == 403
    review = client.get(f"/quizzes/attempts/{attempt_id}/review").get_data(as_text=True)
    assert users[Role.SPECIALIST].name in review and "The right answer" in review


def test_a_trainer_previews_a_quiz_as_a_learner(client, db, login, users, quiz):
    login(users[Role.TRAINER])
    page = client.get(f"/quizzes/{quiz.id}").get_data(as_text=True)
    assert "Try the quiz as a learner" in page and "Settings" in page
    attempt_id = start(client, quiz)
    assert client.get(f"/quizzes/attempts/{attempt_id}").status_code == 200


def test_time_up_submits_the_attempt_when_its_page_is_loaded(client, db, learner, quiz):
    quiz.time_limit_seconds = 600
    db.flush()
    attempt_id = start(client, quiz)
    attempt = attempt_of(db, attempt_id)
    page = client.get(f"/quizzes/attempts/{attempt_id}").get_data(as_text=True)
    assert re.search(r'data-remaining="(59\d|600)"', page) and 'id="time-up-form"' in page
    save(client, attempt_id, slot_of(attempt, "Refund window"), 0)
    attempt.deadline_at = utcnow() - dt.timedelta(minutes=1)
    db.commit()
    late = save(client, attempt_id, slot_of(attempt, "Hotline hours"), "true")
    assert late.status_code == 409
    attempt = attempt_of(db, attempt_id)
    assert attempt.state == AttemptState.FINISHED and response_of(attempt, "Hotline hours").answer is None
    assert response_of(attempt, "Refund window").state == "correct"
    reload = client.get(f"/quizzes/attempts/{attempt_id}", follow_redirects=True).get_data(as_text=True)
    assert "Review of attempt 1" in reload


def test_an_expired_attempt_closes_when_anyone_opens_its_quiz_page(client, db, learner, quiz, login, users):
    quiz.time_limit_seconds = 600
    db.flush()
    attempt_id = start(client, quiz)
    attempt_of(db, attempt_id).deadline_at = utcnow() - dt.timedelta(hours=1)
    db.commit()
    login(users[Role.SUPERVISOR])
    client.get(f"/quizzes/{quiz.id}")
    assert attempt_of(db, attempt_id).state == AttemptState.FINISHED


def test_immediate_mode_checks_one_question_and_shows_only_its_feedback(client, db, learner, quiz):
    quiz.behaviour = "immediate"
    db.flush()
    attempt_id = start(client, quiz)
    attempt = attempt_of(db, attempt_id)
    refund, hotline = slot_of(attempt, "Refund window"), slot_of(attempt, "Hotline hours")
    page = client.get(f"/quizzes/attempts/{attempt_id}").get_data(as_text=True)
    assert page.count(">Check</button>") == 6  # not for the essay
    reply = client.post(f"/quizzes/attempts/{attempt_id}/check",
                        data={"answers": "1", "slot": str(refund), f"q{refund}": "1", f"q{hotline}": "true"})
    assert reply.status_code == 302 and reply.headers["Location"].endswith(f"#q{refund}")
    page = client.get(f"/quizzes/attempts/{attempt_id}").get_data(as_text=True)
    assert "That is another provider" in page and "Incorrect" in page
    assert "The hotline never closes" not in page  # saved, not checked
    assert response_of(attempt_of(db, attempt_id), "Hotline hours").answer == "true"
    blank = client.post(f"/quizzes/attempts/{attempt_id}/check",
                        data={"slot": str(slot_of(attempt, "Channels"))})
    assert blank.status_code == 400 and "Answer question 3 before checking it." in blank.get_data(as_text=True)


def test_a_check_that_is_refused_keeps_the_answers_posted_with_it(client, db, learner, quiz):
    quiz.behaviour = "immediate"
    db.flush()
    attempt_id = start(client, quiz)
    attempt = attempt_of(db, attempt_id)
    refund, channels = slot_of(attempt, "Refund window"), slot_of(attempt, "Channels")
    reply = client.post(f"/quizzes/attempts/{attempt_id}/check",
                        data={"answers": "1", "slot": str(channels), f"q{refund}": "0"})
    assert reply.status_code == 400
    assert response_of(attempt_of(db, attempt_id), "Refund window").answer == "0"


def test_unknown_quizzes_and_attempts_are_not_found(client, db, learner):
    assert client.get("/quizzes/999999").status_code == 404
    assert client.get("/quizzes/attempts/999999").status_code == 404
    assert client.get("/quizzes/attempts/999999/review").status_code == 404
    assert db.scalar(sa.select(sa.func.count()).select_from(QuizResponse)) == 0


def test_starting_beyond_the_attempts_allowed_explains_why(client, db, learner, quiz):
    quiz.attempts_allowed = 1
    db.flush()
    attempt_id = start(client, quiz)
    client.post(f"/quizzes/attempts/{attempt_id}/submit", data={"confirm": "1"})
    assert "You have used all your attempts." in client.get(f"/quizzes/{quiz.id}").get_data(as_text=True)
    refused = client.post(f"/quizzes/{quiz.id}/attempts", follow_redirects=True)
    assert "You have used all 1 attempts allowed for this quiz." in refused.get_data(as_text=True)
    assert db.scalar(sa.select(sa.func.count()).select_from(Attempt)) == 1


def test_a_learner_whose_module_is_locked_sees_the_quiz_but_cannot_start_it(client, db, learner, quiz):
    from academy.courses.models import Lesson, Module, Prerequisite

    module = db.scalar(sa.select(Module).where(Module.quiz_id == quiz.id))
    first = Module(course_id=module.course_id, key="intro", position=0, title="Intro",
                   lessons=[Lesson(key="01.md", position=0, title="Hi", body_md="Hi", body_html="<p>Hi</p>")])
    db.add(first)
    db.flush()
    db.add(Prerequisite(course_id=module.course_id, module_id=module.id, required_module_id=first.id))
    db.flush()
    page = client.get(f"/quizzes/{quiz.id}").get_data(as_text=True)
    assert "The quiz opens once you have done the earlier steps of its course." in page
    assert client.post(f"/quizzes/{quiz.id}/attempts").status_code == 404
