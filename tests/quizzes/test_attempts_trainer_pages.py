"""The trainer's side of attempts: a quiz's settings form (every setting, clear field errors,
nothing saved when anything is wrong) and the grading queue with its home-page panel."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from academy.accounts.models import Role
from academy.quizzes import attempts
from academy.quizzes.models import AttemptState, Question
from tests.quizzes.test_attempts import NOW, SOURCE, answer_all, make_quiz, response_of


@pytest.fixture
def trainer(users, login):
    return login(users[Role.TRAINER])


def settings_form(quiz, **changes):
    """Everything the settings page posts, each question worth 1 point, with ``changes``."""
    session = sa.inspect(quiz).session
    form = {f"points_{q.id}": "1" for q in attempts.questions_for(session, quiz) if q.type != "description"}
    form.update({"title": quiz.title, "source_file": SOURCE, "category_path": "", "question_count": "",
            "pass_mark": "80", "attempts_allowed": "", "time_limit": "", "behaviour": "deferred", "penalty": "33.33",
            "review_responses": "y", "review_correctness": "y", "review_points": "y", "review_feedback": "y",
            "review_general_feedback": "y"})
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def submitted_with_essay(db, users):
    learner = users[Role.SPECIALIST]
    quiz = make_quiz(db, learner)
    attempt = attempts.start_attempt(db, quiz, learner, NOW)
    answer_all(db, attempt)
    attempts.submit(db, attempt, NOW)
    db.flush()
    return attempt


def test_the_settings_page_shows_every_setting_and_a_points_field_per_question(client, db, users, trainer):
    quiz = make_quiz(db, users[Role.SPECIALIST])
    page = client.get(f"/quizzes/{quiz.id}/settings").get_data(as_text=True)
    for label in ("Quiz file", "Bank category", "Questions per attempt", "Pass mark (%)", "Attempts allowed",
                  "Time limit (minutes)", "Shuffle the answers", "Learners see how they did", "Penalty per extra try",
                  "The right answers", "Points per question"):
        assert label in page, label
    refund = db.scalar(sa.select(Question).where(Question.title == "Refund window"))
    assert f'name="points_{refund.id}"' in page
    assert page.count('name="points_') == 7  # the description has no points


def test_saving_the_settings_changes_the_quiz(client, db, users, trainer):
    quiz = make_quiz(db, users[Role.SPECIALIST])
    refund = db.scalar(sa.select(Question).where(Question.title == "Refund window"))
    reply = client.post(f"/quizzes/{quiz.id}/settings", data=settings_form(
        quiz, title="Basics check", question_count="3", pass_mark="70", attempts_allowed="2", time_limit="20",
        behaviour="immediate", penalty="25", shuffle_answers="y", review_right_answer="y", review_feedback=None,
        **{f"points_{refund.id}": "2.5"}))
    assert reply.status_code == 302
    db.expire_all()
    assert (quiz.title, quiz.question_count, quiz.pass_mark, quiz.attempts_allowed) == ("Basics check", 3, 70, 2)
    assert (quiz.time_limit_seconds, quiz.behaviour, quiz.penalty, quiz.shuffle_answers) == (1200, "immediate", .25, True)
    assert quiz.review["right_answer"] is True and quiz.review["feedback"] is False
    assert quiz.question_points == {str(refund.id): 2.5}
    attempt = attempts.start_attempt(db, quiz, users[Role.SPECIALIST], NOW)
    if any(r.question["title"] == "Refund window" for r in attempt.responses):
        assert response_of(attempt, "Refund window").max_points == 2.5


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"pass_mark": "150"}, "pass_mark", "Number must be between 0 and 100."),
    ({"question_count": "many"}, "question_count", "Not a valid integer value."),
    ({"question_count": "9"}, "question_count", "Draw between 1 and 7 questions"),
    ({"time_limit": "0"}, "time_limit", "Number must be between 1 and 1440."),
    ({"source_file": ""}, "source_file", "Choose a quiz file or a bank category"),
    ({"category_path": "Elsewhere"}, "category_path", "Not a valid choice"),
    ({"title": ""}, "title", "This field is required."),
])
def test_bad_settings_are_refused_next_to_their_field_and_nothing_changes(client, db, users, trainer, changes,
                                                                          field, message):
    quiz = make_quiz(db, users[Role.SPECIALIST])
    reply = client.post(f"/quizzes/{quiz.id}/settings", data=settings_form(quiz, **changes))
    page = reply.get_data(as_text=True)
    assert reply.status_code == 400
    error = page[page.index(f'id="{field}-error"'):]
    assert message in error[:300]
    db.expire_all()
    assert quiz.pass_mark == 80 and quiz.question_count is None and quiz.title == "Onboarding check"


def test_bad_points_are_refused_next_to_their_question(client, db, users, trainer):
    quiz = make_quiz(db, users[Role.SPECIALIST])
    refund = db.scalar(sa.select(Question).where(Question.title == "Refund window"))
    reply = client.post(f"/quizzes/{quiz.id}/settings", data=settings_form(quiz, **{f"points_{refund.id}": "-1"}))
    assert reply.status_code == 400
    assert f'id="points_{refund.id}-error"' in reply.get_data(as_text=True)


def test_the_grading_queue_lists_waiting_essays_and_grading_one_finishes_the_attempt(client, db, users, trainer):
    attempt = submitted_with_essay(db, users)
    essay = response_of(attempt, "Escalation")
    home = client.get("/").get_data(as_text=True)
    assert "1 written answer is waiting for a grade." in home
    assert "/quizzes/grading" in client.get("/quizzes/bank").get_data(as_text=True)
    queue = client.get("/quizzes/grading").get_data(as_text=True)
    assert users[Role.SPECIALIST].name in queue and "Escalation" in queue
    page = client.get(f"/quizzes/grading/{essay.id}").get_data(as_text=True)
    assert "When I cannot help and a colleague can." in page and "100 % gives the full 1 point of this question." in page

    bad = client.post(f"/quizzes/grading/{essay.id}", data={"grade": "120", "comment": ""})
    assert bad.status_code == 400 and 'id="grade-error"' in bad.get_data(as_text=True)
    assert attempt.state == AttemptState.NEEDS_GRADING

    done = client.post(f"/quizzes/grading/{essay.id}", data={"grade": "50", "comment": "Name the supervisor."})
    assert done.status_code == 302 and done.headers["Location"].endswith("/quizzes/grading")
    db.expire_all()
    assert attempt.state == AttemptState.FINISHED and essay.fraction == 0.5 and attempt.passed is True
    assert "No essays are waiting" in client.get("/quizzes/grading").get_data(as_text=True)
    assert "written answer is waiting" not in client.get("/").get_data(as_text=True)
    again = client.post(f"/quizzes/grading/{essay.id}", data={"grade": "100"})
    assert again.status_code == 409
    db.expire_all()
    assert essay.fraction == 0.5


def test_the_learner_sees_the_trainers_grade_and_comment(client, db, users, login):
    attempt = submitted_with_essay(db, users)
    login(users[Role.SPECIALIST])
    waiting = client.get(f"/quizzes/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "Waiting for grading" in waiting and "A trainer grades your written answers" in waiting
    login(users[Role.TRAINER])
    client.post(f"/quizzes/grading/{response_of(attempt, 'Escalation').id}", data={"grade": "100", "comment": "Spot on."})
    login(users[Role.SPECIALIST])
    review = client.get(f"/quizzes/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "Passed" in review and "Spot on." in review


def test_only_essays_of_submitted_attempts_can_be_graded(client, db, users, trainer):
    attempt = submitted_with_essay(db, users)
    assert client.get(f"/quizzes/grading/{response_of(attempt, 'Refund window').id}").status_code == 404
    open_one = attempts.start_attempt(db, attempt.quiz, users[Role.SPECIALIST], NOW)
    db.flush()
    assert client.get(f"/quizzes/grading/{response_of(open_one, 'Escalation').id}").status_code == 404
