"""Quiz statistics on a small, hand-computed set of attempts: scores, facility, standard
deviation, discrimination and answer distributions, the first-attempt and phase filters, and
the page (with no attempts, with data, as CSV) for the roles that may see it."""
from __future__ import annotations

import csv
import io
import math

import pytest
import sqlalchemy as sa

from academy.accounts.models import Role
from academy.quizzes import grading, services
from academy.quizzes import statistics as st
from academy.quizzes.models import Attempt, AttemptState, Question, Quiz, QuizResponse
from tests import factories

BEFORE, AFTER = "before_first_contact", "after_first_contact"
CHOICE = {"title": "Refund window", "category": None, "type": "multichoice", "format": "moodle",
          "text": "How many days?", "general_feedback": "", "single": True,
          "answers": [{"text": "14 days", "fraction": 1.0, "feedback": ""},
                      {"text": "30 days", "fraction": 0.0, "feedback": ""},
                      {"text": "7 days", "fraction": -0.5, "feedback": ""}]}
TRUTH = {"title": "Hotline hours", "category": None, "type": "truefalse", "format": "moodle",
         "text": "Open 24/7.", "general_feedback": "", "correct": True, "feedback_true": "", "feedback_false": ""}
SHORT = {"title": "Fax", "category": None, "type": "shortanswer", "format": "moodle", "text": "Which device?",
         "general_feedback": "", "answers": [{"text": "fax", "fraction": 1.0, "feedback": ""}]}
INTRO = {"title": "Intro", "category": None, "type": "description", "format": "moodle", "text": "Read this.",
         "general_feedback": ""}

# Four learners' first attempts (answers to CHOICE, TRUTH, SHORT): points 3, 2, 1, 0.
TABLE = [(0, "true", "Fax"), (0, "false", "fax "), (1, "true", "printer"), (2, "false", "")]


def bank(db) -> list:
    services.import_questions(db, [CHOICE, TRUTH, SHORT, INTRO], source="stats.gift")
    return [db.scalar(sa.select(Question).where(Question.title == q["title"]))
            for q in (CHOICE, TRUTH, SHORT, INTRO)]


def take(db, quiz, user, questions, answers, *, number=1, phase=BEFORE, state=AttemptState.FINISHED) -> Attempt:
    """An attempt with one response per question, graded as the attempt pages grade."""
    attempt = Attempt(quiz=quiz, user_id=user.id, number=number, state=state, phase=phase, seed=1)
    db.add(attempt)
    points = possible = 0.0
    for slot, (question, answer) in enumerate(zip(questions, answers), 1):
        parsed = services.as_parsed(question)
        result = grading.grade(parsed, answer)
        db.add(QuizResponse(attempt=attempt, slot=slot, question_id=question.id, question=parsed, answer=answer,
                            fraction=result.fraction, state=result.state, max_points=1.0))
        points += result.fraction
        possible += result.max_fraction
    attempt.points, attempt.max_points = points, possible
    attempt.score = points / possible if possible else 0.0
    db.flush()
    return attempt


def answered(db, user, question, answer) -> Attempt:
    """One finished attempt in which ``user`` answered ``question`` (used by other tests)."""
    quiz = Quiz(title=f"Quiz on {question.title}")
    db.add(quiz)
    attempt = take(db, quiz, user, [question], [answer])
    db.commit()
    return attempt


@pytest.fixture
def quiz(db):
    quiz = Quiz(title="Billing basics")
    db.add(quiz)
    db.flush()
    return quiz


@pytest.fixture
def data(db, quiz):
    """TABLE as first attempts (the first learner's after first contact), a second, perfect
    attempt by the last learner, and one attempt still in progress."""
    questions = bank(db)
    learners = [factories.SpecialistFactory() for _ in TABLE]
    for index, (learner, row) in enumerate(zip(learners, TABLE)):
        take(db, quiz, learner, questions, [*row, None], phase=AFTER if index == 0 else BEFORE)
    take(db, quiz, learners[3], questions, [0, "true", "FAX", None], number=2, phase=AFTER)
    take(db, quiz, factories.SpecialistFactory(), questions, [1, "false", "x", None], state=AttemptState.IN_PROGRESS)
    db.commit()
    return questions


def test_the_scores_of_first_attempts_are_summarised_with_a_ten_band_histogram(db, quiz, data):
    report = st.quiz_report(db, quiz.id)
    assert report.finished == 5
    summary = report.summary
    assert summary.count == 4
    assert summary.mean == pytest.approx(0.5) and summary.median == pytest.approx(0.5)
    assert summary.histogram == (1, 0, 0, 1, 0, 0, 1, 0, 0, 1)


def test_facility_standard_deviation_and_discrimination_match_the_hand_computed_values(db, quiz, data):
    choice, truth, short = st.quiz_report(db, quiz.id).questions
    assert [q.title for q in (choice, truth, short)] == ["Refund window", "Hotline hours", "Fax"]
    assert choice.attempts == 4 and choice.facility == pytest.approx(0.5)
    assert choice.sd == pytest.approx(math.sqrt(1 / 3))
    # question points 1,1,0,0 against the rest of the attempt 2,1,1,0: r = 1 / sqrt(2)
    assert choice.discrimination == pytest.approx(100 / math.sqrt(2))
    # 1,0,1,0 against 2,2,0,0: no correlation at all
    assert truth.discrimination == pytest.approx(0.0)
    assert short.facility == pytest.approx(0.5) and short.discrimination == pytest.approx(100 / math.sqrt(2))


def test_answer_distributions_count_choices_and_group_typed_answers(db, quiz, data):
    choice, truth, short = st.quiz_report(db, quiz.id).questions
    assert [(a.label, a.count, a.share, a.is_right) for a in choice.answers] == [
        ("14 days", 2, 0.5, True), ("30 days", 1, 0.25, False), ("7 days", 1, 0.25, False)]
    assert [(a.label, a.count, a.is_right) for a in truth.answers] == [("true", 2, True), ("false", 2, False)]
    assert [(a.label, a.count, a.fraction) for a in short.answers] == [("Fax", 2, 1.0), ("printer", 1, 0.0)]
    assert short.unanswered == 1 and choice.unanswered == 0


def test_all_attempts_and_the_phase_filter_change_what_is_counted(db, quiz, data):
    everything = st.quiz_report(db, quiz.id, all_attempts=True)
    assert everything.summary.count == 5 and everything.summary.histogram[9] == 2
    after = st.quiz_report(db, quiz.id, phase=AFTER)
    assert after.summary.count == 2  # the first learner's only attempt, the last learner's first after contact
    before = st.quiz_report(db, quiz.id, phase=BEFORE)
    assert before.summary.count == 3 and before.summary.mean == pytest.approx(1 / 3)


def test_discrimination_is_undefined_with_too_few_attempts_or_no_spread():
    def attempt(n, fractions):
        return st.AttemptFacts(n, n, 1, BEFORE, sum(fractions) / 2, tuple(
            st.ResponseFacts(slot, slot, TRUTH | {"title": f"Q{slot}"}, "true", f) for slot, f in enumerate(fractions)))

    two = st.question_statistics([attempt(1, [1, 1]), attempt(2, [0, 0])])
    assert two[0].discrimination is None and two[0].why_no_discrimination == "too_few"
    same = st.question_statistics([attempt(1, [1, 1]), attempt(2, [1, 0]), attempt(3, [1, 1])])
    assert same[0].discrimination is None and same[0].why_no_discrimination == "no_spread"
    assert same[0].facility == 1.0 and same[0].sd == 0.0


def test_matching_items_show_how_many_matched_them_right():
    pairs = {"title": "Channels", "type": "matching", "text": "Match.", "format": "moodle",
             "pairs": [{"question": "Fax", "answer": "4 hours"}, {"question": "Post", "answer": "2 days"},
                       {"question": "", "answer": "1 week"}]}
    responses = [{"0": "4 hours", "1": "2 days"}, {"0": "4 hours", "1": "1 week"}, None]
    attempts = [st.AttemptFacts(n, n, 1, BEFORE, 0.0, (st.ResponseFacts(1, 7, pairs, r, 0.0),))
                for n, r in enumerate(responses)]
    (matching,) = st.question_statistics(attempts)
    assert [(a.label, a.detail, a.count) for a in matching.answers] == [("Fax", "4 hours", 2), ("Post", "2 days", 1)]
    assert matching.unanswered == 1


def test_a_question_edited_between_attempts_is_counted_once_with_its_answers_by_text():
    old = CHOICE | {"answers": [{"text": "14 days", "fraction": 1.0}, {"text": "30 days", "fraction": 0.0}]}
    new = CHOICE | {"text": "How many days now?",
                    "answers": [{"text": "30 days", "fraction": 0.0}, {"text": "14 days", "fraction": 1.0}]}
    attempts = [st.AttemptFacts(1, 1, 1, BEFORE, 1.0, (st.ResponseFacts(1, 5, old, 0, 1.0),)),
                st.AttemptFacts(2, 2, 1, BEFORE, 1.0, (st.ResponseFacts(1, 5, new, "1", 1.0),))]
    (question,) = st.question_statistics(attempts)
    assert question.text == "How many days now?" and question.attempts == 2
    assert [(a.label, a.count) for a in question.answers] == [("30 days", 0), ("14 days", 2)]


def test_summarise_puts_band_edges_in_the_upper_band_and_100_percent_in_the_last():
    assert st.summarise([0.1, 0.3, 0.7, 1.0, 0.0999]).histogram == (1, 1, 0, 1, 0, 0, 0, 1, 0, 1)
    assert st.summarise([]) == st.ScoreSummary(0, None, None, (0,) * 10)


def test_the_statistics_page_with_no_attempts_says_so(client, login, db, users, quiz):
    login(users[Role.SUPERVISOR])
    response = client.get(f"/quizzes/{quiz.id}/statistics")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nobody has finished this quiz yet." in page and "<svg" not in page


def test_the_statistics_page_shows_the_figures_charts_and_distributions(client, login, db, users, quiz, data):
    login(users[Role.TRAINER])
    page = client.get(f"/quizzes/{quiz.id}/statistics").get_data(as_text=True)
    assert "Statistics: Billing basics" in page
    assert "(of 5 finished)" in page and "<strong>50 %</strong>" in page
    assert page.count('<svg class="chart"') == 2 and "<title id=\"histogram-title\">" in page
    assert "style=" not in page.split("<main", 1)[1]
    assert "70.7 %" in page and "Very good" in page and "0.0 %" in page
    assert "Right answer" in page and "printer" in page and "Not answered: 1 learner." in page
    assert f'href="/quizzes/bank/{data[0].id}"' in page
    few = client.get(f"/quizzes/{quiz.id}/statistics?phase={AFTER}").get_data(as_text=True)
    assert "Not enough attempts (needs 3)" in few
    none = client.get(f"/quizzes/{quiz.id}/statistics?phase={AFTER}&attempts=first&x=1")
    assert none.status_code == 200


def test_supervisors_see_statistics_without_links_into_the_question_bank(client, login, db, users, quiz, data):
    login(users[Role.SUPERVISOR])
    page = client.get(f"/quizzes/{quiz.id}/statistics").get_data(as_text=True)
    assert "Refund window" in page and f'href="/quizzes/bank/{data[0].id}"' not in page


def test_the_per_question_table_downloads_as_csv(client, login, db, users, quiz, data):
    login(users[Role.ADMIN])
    response = client.get(f"/quizzes/{quiz.id}/statistics.csv?attempts=all")
    assert response.mimetype == "text/csv"
    assert "statistics-all.csv" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["title"] for row in rows] == ["Refund window", "Hotline hours", "Fax"]
    assert rows[0]["attempts"] == "5" and rows[0]["facility_percent"] == "60.00"


def test_statistics_of_a_missing_quiz_are_not_found(client, login, users):
    login(users[Role.TRAINER])
    assert client.get("/quizzes/999999/statistics").status_code == 404


def test_the_csv_defuses_titles_a_spreadsheet_would_run_as_formulas():
    question = st.QuestionStatistics(1, "=HYPERLINK(\"x\")", "essay", "", 3, 0.5, None, None, "too_few", "none")
    (row,) = list(csv.DictReader(io.StringIO(st.export_csv([question]))))
    assert row["title"] == "'=HYPERLINK(\"x\")" and row["sd_percent"] == "" and row["facility_percent"] == "50.00"
