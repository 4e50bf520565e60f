"""Quiz attempt services: drawing the questions, saving answers as given, the time limit,
immediate feedback with penalties, grading on submit, essays to the trainer, pass or fail,
who may take a quiz. The helpers here (``make_quiz``, ``answer_all``) serve the page tests too."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from academy import signals
from academy.accounts.models import Role
from academy.courses.models import Course, Enrollment, Lesson, LessonCompletion, Module, Prerequisite
from academy.domain_errors import Conflict, DomainError, Forbidden
from academy.quizzes import attempts, gift, grading_queue, services
from academy.quizzes.models import Attempt, AttemptState, Question, Quiz

SOURCE = "quizzes/attempt-test.gift"
GIFT = """$CATEGORY: Onboarding/Attempts

::Scenario:: A caller is in a hurry and has no customer number.

::Refund window:: How many days does a customer have to withdraw? {
=14 days#Correct: 14 days from the contract.
~30 days#That is another provider's rule.
~7 days#Too short.
}

::Hotline hours:: The hotline is open 24/7. {T#The hotline never closes.#It is open around the clock.}

::Channels:: Which channels do we answer? {
~%50%Phone#Yes, phone.
~%50%Chat#Yes, chat.
~%-100%Carrier pigeon#We do not.
}

::Field name:: Which field of the record says what kind of contact it was? {=nature#Right: nature.}

::Goodwill limit:: Up to how many EUR may you credit without approval? {#20:0#Right, 20 EUR.}

::Nature:: Match each statement with its nature. {
=What does Fibre Max cost? -> Inquiry
=Please switch my plan. -> Request
=Nobody cares about my outage! -> Complaint
}

::Escalation:: Explain when you escalate a call. {}
"""
NOW = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.timezone.utc)


def import_bank(db, text: str = GIFT, source: str = SOURCE) -> dict[str, Question]:
    result = gift.parse(text, source)
    assert result.ok, result.problems
    services.import_questions(db, result.questions, source=source)
    return {q.title: q for q in db.scalars(sa.select(Question).where(Question.source_file == source))}


def make_quiz(db, learner=None, *, text: str = GIFT, **settings) -> Quiz:
    """A quiz over the test file, in a course module ``learner`` (if given) is enrolled in."""
    import_bank(db, text)
    values = {"title": "Onboarding check", "source_file": SOURCE, "pass_mark": 80.0, "shuffle_answers": False}
    values.update(settings)
    quiz = Quiz(**values)
    db.add(quiz)
    course = Course(slug=f"onboarding-{db.scalar(sa.select(sa.func.count()).select_from(Course))}", lang="en",
                    title="Onboarding")
    course.modules.append(Module(key="basics", position=1, title="Basics", quiz=quiz))
    db.add(course)
    db.flush()
    if learner is not None:
        enroll(db, course, learner)
    return quiz


def enroll(db, course, learner):
    db.add(Enrollment(course=course, user=learner, phase="before_first_contact"))
    db.flush()


def slot_of(attempt: Attempt, title: str) -> int:
    return next(r.slot for r in attempt.responses if r.question["title"] == title)


def response_of(attempt: Attempt, title: str):
    return next(r for r in attempt.responses if r.question["title"] == title)


RIGHT = {"Refund window": 0, "Hotline hours": "true", "Channels": [0, 1], "Field name": "Nature",
         "Goodwill limit": "20", "Nature": {"0": "Inquiry", "1": "Request", "2": "Complaint"},
         "Escalation": "When I cannot help and a colleague can."}


def answer_all(db, attempt: Attempt, answers: dict = RIGHT, now=NOW):
    for title, raw in answers.items():
        attempts.save_answer(db, attempt, slot_of(attempt, title), raw, now)


@pytest.fixture
def learner(users):
    return users[Role.SPECIALIST]


@pytest.fixture
def finished(db):
    """Attempts for which attempt_finished was sent."""
    sent = []

    def receive(attempt, session):
        sent.append(attempt)

    signals.attempt_finished.connect(receive)
    yield sent
    signals.attempt_finished.disconnect(receive)


# --- drawing -------------------------------------------------------------------------------------

def test_all_questions_are_drawn_in_file_order_with_the_scenario_first(db, learner):
    quiz = make_quiz(db, learner)
    attempt = attempts.start_attempt(db, quiz, learner, NOW)
    titles = [r.question["title"] for r in attempt.responses]
    assert titles == ["Scenario", "Refund window", "Hotline hours", "Channels", "Field name", "Goodwill limit",
                      "Nature", "Escalation"]
    assert [r.slot for r in attempt.responses] == list(range(1, 9))
    assert attempts.number_of(attempt, slot_of(attempt, "Refund window")) == 1
    assert attempt.number == 1 and attempt.phase == "before_first_contact" and attempt.deadline_at is None


def test_the_same_seed_draws_the_same_questions_and_answer_orders(db, learner):
    quiz = make_quiz(db, learner, question_count=3, shuffle_answers=True)
    questions = attempts.questions_for(db, quiz)
    first = [(q.title, order) for q, order in attempts.draw(questions, 3, 12345, True)]
    again = [(q.title, order) for q, order in attempts.draw(questions, 3, 12345, True)]
    assert first == again
    assert len([t for t, _ in first if t != "Scenario"]) == 3
    others = {tuple(t for t, _ in (attempts.draw(questions, 3, seed, True))) for seed in range(30)}
    assert len(others) > 1  # the seed does choose


def test_a_drawn_attempt_stores_its_seed_and_matches_a_redraw(db, learner):
    quiz = make_quiz(db, learner, question_count=4, shuffle_answers=True)
    attempt = attempts.start_attempt(db, quiz, learner, NOW, seed=777)
    redraw = attempts.draw(attempts.questions_for(db, quiz), 4, attempt.seed, True)
    assert [(r.question_id, r.order) for r in attempt.responses] == [(q.id, order) for q, order in redraw]


def test_shuffling_permutes_answers_and_matching_choices(db, learner):
    quiz = make_quiz(db, learner, shuffle_answers=True)
    orders = set()
    for seed in range(12):
        drawn = dict((q.title, order) for q, order in attempts.draw(attempts.questions_for(db, quiz), None, seed, True))
        assert sorted(drawn["Refund window"]) == [0, 1, 2]
        assert sorted(drawn["Nature"]) == ["Complaint", "Inquiry", "Request"]
        orders.add(tuple(drawn["Refund window"]))
    assert len(orders) > 1
    plain = dict((q.title, order) for q, order in attempts.draw(attempts.questions_for(db, quiz), None, 1, False))
    assert plain["Refund window"] == [0, 1, 2] and plain["Nature"] == ["Complaint", "Inquiry", "Request"]


def test_a_drawn_subset_never_draws_a_description_by_itself(db, learner):
    quiz = make_quiz(db, learner, question_count=2)
    for seed in range(20):
        drawn = attempts.draw(attempts.questions_for(db, quiz), 2, seed, False)
        assert len([q for q, _ in drawn if q.type != "description"]) == 2
        if drawn[0][0].type == "description":
            assert len(drawn) == 3


def test_a_category_quiz_takes_subcategories_too(db, learner):
    import_bank(db)
    import_bank(db, "$CATEGORY: Onboarding/Attempts/Deeper\n::Deep:: Deep question? {T}\n", "quizzes/deep.gift")
    import_bank(db, "$CATEGORY: Onboarding/Attemptsx\n::Elsewhere:: Not this one? {T}\n", "quizzes/other.gift")
    titles = {q.title for q in attempts.questions_from(db, None, "Onboarding/Attempts")}
    assert "Deep" in titles and "Refund window" in titles and "Elsewhere" not in titles


def test_a_quiz_file_is_found_with_or_without_the_quizzes_folder(db, learner):
    import_bank(db)
    assert attempts.questions_from(db, "attempt-test.gift", None)
    assert attempts.questions_from(db, SOURCE, None)


def test_the_question_snapshot_does_not_change_when_the_bank_does(db, learner):
    quiz = make_quiz(db, learner)
    attempt = attempts.start_attempt(db, quiz, learner, NOW)
    db.scalar(sa.select(Question).where(Question.title == "Hotline hours")).data = {"correct": False}
    db.flush()
    answer_all(db, attempt)
    attempts.submit(db, attempt, NOW)
    assert response_of(attempt, "Hotline hours").state == "correct"


# --- starting and resuming -----------------------------------------------------------------------

def test_starting_again_resumes_the_open_attempt(db, learner):
    quiz = make_quiz(db, learner)
    first = attempts.start_attempt(db, quiz, learner, NOW)
    assert attempts.start_attempt(db, quiz, learner, NOW + dt.timedelta(minutes=5)).id == first.id
    assert db.scalar(sa.select(sa.func.count()).select_from(Attempt)) == 1


def test_attempts_allowed_is_enforced_for_learners_but_not_for_trainer_previews(db, learner, users):
    quiz = make_quiz(db, learner, attempts_allowed=1)
    attempt = attempts.start_attempt(db, quiz, learner, NOW)
    attempts.submit(db, attempt, NOW)
    with pytest.raises(Conflict, match="all 1 attempts"):
        attempts.start_attempt(db, quiz, learner, NOW)
    trainer = users[Role.TRAINER]
    for _ in range(2):
        attempts.submit(db, attempts.start_attempt(db, quiz, trainer, NOW), NOW)
    assert len(attempts.attempts_of(db, quiz, trainer)) == 2


def test_only_enrolled_learners_trainers_and_admins_may_take_a_quiz(db, learner, users):
    quiz = make_quiz(db, learner)
    assert attempts.may_take(db, quiz, learner)
    assert not attempts.may_take(db, quiz, users["other_specialist"])
    assert attempts.may_take(db, quiz, users[Role.TRAINER]) and attempts.may_take(db, quiz, users[Role.ADMIN])
    assert not attempts.may_take(db, quiz, users[Role.SUPERVISOR])
    assert attempts.may_view(db, quiz, users[Role.SUPERVISOR])
    assert not attempts.may_view(db, quiz, users["other_specialist"])
    for outsider in (users["other_specialist"], users[Role.SUPERVISOR]):
        with pytest.raises(Forbidden):
            attempts.start_attempt(db, quiz, outsider, NOW)


def test_a_quiz_opens_once_its_modules_prerequisites_are_done(db, learner):
    quiz = make_quiz(db, learner)
    course = quiz_course(db, quiz)
    first = Module(key="intro", position=0, title="Intro",
                   lessons=[Lesson(key="01.md", position=0, title="Hello", body_md="Hi", body_html="<p>Hi</p>")])
    course.modules.append(first)
    db.flush()
    checked = db.scalar(sa.select(Module).where(Module.quiz_id == quiz.id))
    db.add(Prerequisite(course_id=course.id, module_id=checked.id, required_module_id=first.id))
    db.flush()
    assert attempts.may_view(db, quiz, learner) and not attempts.may_take(db, quiz, learner)
    with pytest.raises(Forbidden):
        attempts.start_attempt(db, quiz, learner, NOW)
    db.add(LessonCompletion(lesson_id=first.lessons[0].id, user_id=learner.id, phase="before_first_contact"))
    db.flush()
    assert attempts.may_take(db, quiz, learner)


def test_a_learner_enrolled_in_another_language_version_may_take_the_quiz(db, learner, users):
    quiz = make_quiz(db)
    czech = Course(slug=quiz_course(db, quiz).slug, lang="cs", title="Zaškolení")
    db.add(czech)
    db.flush()
    enroll(db, czech, learner)
    assert attempts.may_take(db, quiz, learner)
    assert not attempts.may_take(db, quiz, users["other_specialist"])


def test_a_quiz_without_questions_cannot_be_started(db, learner):
    quiz = make_quiz(db, learner, source_file="quizzes/missing.gift")
    with pytest.raises(DomainError, match="no questions"):
        attempts.start_attempt(db, quiz, learner, NOW)
    assert db.scalar(sa.select(sa.func.count()).select_from(Attempt)) == 0


def test_the_phase_is_the_learners_at_the_start(db, learner):
    learner.first_contact_at = NOW - dt.timedelta(days=1)
    quiz = make_quiz(db, learner)
    assert attempts.start_attempt(db, quiz, learner, NOW).phase == "after_first_contact"


# --- saving --------------------------------------------------------------------------------------

def test_answers_are_stored_as_given_and_a_blank_one_clears(db, learner):
    quiz = make_quiz(db, learner)
    attempt = attempts.start_attempt(db, quiz, learner, NOW)
    slot = slot_of(attempt, "Goodwill limit")
    attempts.save_answer(db, attempt, slot, " 20,0 ", NOW)
    assert response_of(attempt, "Goodwill limit").answer == " 20,0 "
    assert response_of(attempt, "Goodwill limit").saved_at == NOW
    attempts.save_answer(db, attempt, slot, "   ", NOW)
    assert response_of(attempt, "Goodwill limit").answer is None
    assert attempts.unanswered(attempt) == [1, 2, 3, 4, 5, 6, 7]


@pytest.mark.parametrize(("title", "raw", "message"), [
    ("Goodwill limit", "twenty", "Question 5: 'twenty' is not a number"),
    ("Refund window", 7, "Question 1: there is no answer number 7"),
    ("Refund window", [0, 1], "Question 1: choose one answer only"),
    ("Hotline hours", "maybe", "Question 2: answer true or false"),
    ("Channels", {"0": "x"}, "Question 3: the chosen answers must be a list"),
    ("Nature", {"0": "Nonsense"}, "Question 6: 'Nonsense' is not one of the answers offered"),
    ("Field name", ["nature"], "Question 4: type the answer as text"),
    ("Escalation", "x" * 20_001, "at most 20000 characters"),
])
def test_an_answer_that_cannot_be_read_is_refused_and_the_stored_one_kept(db, learner, title, raw, message):
    quiz = make_quiz(db, learner)
    attempt = attempts.start_attempt(db, quiz, learner, NOW)
    answer_all(db, attempt)
    with pytest.raises(DomainError) as error:
        attempts.save_answer(db, attempt, slot_of(attempt, title), raw, NOW)
    assert message in str(error.value.message)
    assert error.value.field == f"q{slot_of(attempt, title)}"
    assert response_of(attempt, title).answer == RIGHT[title]


@pytest.mark.parametrize("slot", [0, 99, "2", None, True])
def test_a_slot_the_attempt_does_not_have_is_refused(db, learner, slot):
    quiz = make_quiz(db, learner)
    attempt = attempts.start_attempt(db, quiz, learner, NOW)
    with pytest.raises(DomainError, match="no question in slot"):
        attempts.save_answer(db, attempt, slot, "x", NOW)


def test_a_description_takes_no_answer(db, learner):
    quiz = make_quiz(db, learner)
    attempt = attempts.start_attempt(db, quiz, learner, NOW)
    with pytest.raises(DomainError, match="not a question"):
        attempts.save_answer(db, attempt, slot_of(attempt, "Scenario"), "x", NOW)


def test_saving_a_whole_form_stores_all_or_nothing(db, learner):
    quiz = make_quiz(db, learner)
    attempt = attempts.start_attempt(db, quiz, learner, NOW)
    good, bad = slot_of(attempt, "Refund window"), slot_of(attempt, "Goodwill limit")
    with pytest.raises(attempts.InvalidAnswers) as error:
        attempts.save_answers(db, attempt, {good: "0", bad: "lots"}, NOW)
    assert list(error.value.problems) == [bad]
    assert response_of(attempt, "Refund window").answer is None
    attempts.save_answers(db, attempt, {good: "0", bad: "20"}, NOW)
    assert response_of(attempt, "Refund window").answer == "0"


def test_no_answer_changes_after_submitting(db, learner):
    quiz = make_quiz(db, learner)
    attempt = attempts.start_attempt(db, quiz, learner, NOW)
    attempts.submit(db, attempt, NOW)
    with pytest.raises(Conflict, match="submitted"):
        attempts.save_answer(db, attempt, slot_of(attempt, "Refund window"), 0, NOW)
    with pytest.raises(Conflict, match="already been submitted"):
        attempts.submit(db, attempt, NOW)


# --- the time limit -------------------------------------------------------------------------------

def test_the_deadline_is_kept_by_the_server_with_a_short_grace(db, learner):
    quiz = make_quiz(db, learner, time_limit_seconds=600)
    attempt = attempts.start_attempt(db, quiz, learner, NOW)
    assert attempt.deadline_at == NOW + dt.timedelta(minutes=10)
    assert attempts.seconds_left(attempt, NOW + dt.timedelta(minutes=4)) == 360
    slot = slot_of(attempt, "Refund window")
    attempts.save_answer(db, attempt, slot, 0, attempt.deadline_at + dt.timedelta(seconds=3))  # in flight
    with pytest.raises(Conflict, match="Time is up"):
        attempts.save_answer(db, attempt, slot, 1, attempt.deadline_at + dt.timedelta(seconds=30))
    assert response_of(attempt, "Refund window").answer == 0


def test_an_expired_attempt_is_submitted_with_its_saved_answers_when_loaded(db, learner, finished):
    quiz = make_quiz(db, learner, time_limit_seconds=600)
    attempt = attempts.start_attempt(db, quiz, learner, NOW)
    attempts.save_answer(db, attempt, slot_of(attempt, "Refund window"), 0, NOW)
    assert not attempts.close_if_expired(db, attempt, NOW + dt.timedelta(minutes=10, seconds=4))
    assert attempts.close_if_expired(db, attempt, NOW + dt.timedelta(hours=2))
    assert attempt.state == AttemptState.FINISHED and attempt.submitted_at == attempt.deadline_at
    assert response_of(attempt, "Refund window").state == "correct"
    assert response_of(attempt, "Hotline hours").state == "not_answered"
    assert attempt.passed is False and finished == [attempt]


def test_expired_attempts_are_closed_in_bulk_and_resuming_one_starts_afresh(db, learner):
    quiz = make_quiz(db, learner, time_limit_seconds=600)
    attempt = attempts.start_attempt(db, quiz, learner, NOW)
    assert attempts.close_expired(db, NOW + dt.timedelta(minutes=5), quiz) == 0
    later = NOW + dt.timedelta(hours=1)
    assert attempts.close_expired(db, later, quiz) == 1
    assert attempt.state == AttemptState.FINISHED
    assert attempts.start_attempt(db, quiz, learner, later).number == 2


# --- grading -------------------------------------------------------------------------------------

def test_deferred_grading_happens_on_submit_with_points_per_question(db, learner, finished):
    quiz = make_quiz(db, learner, text=GIFT.replace("::Escalation:: Explain when you escalate a call. {}", ""))
    refund = db.scalar(sa.select(Question).where(Question.title == "Refund window"))
    quiz.question_points = {str(refund.id): 4}
    attempt = attempts.start_attempt(db, quiz, learner, NOW)
    answers = dict(RIGHT, **{"Channels": [0, 2], "Nature": {"0": "Inquiry", "1": "Complaint", "2": "Complaint"}})
    del answers["Escalation"]
    answer_all(db, attempt, answers)
    assert all(r.state is None and r.fraction is None for r in attempt.responses)
    attempts.submit(db, attempt, NOW)
    assert response_of(attempt, "Refund window").max_points == 4
    assert response_of(attempt, "Channels").state == "wrong"      # 50 % - 100 % floors at 0
    assert response_of(attempt, "Nature").state == "partial"
    assert response_of(attempt, "Refund window").feedback == ["Correct: 14 days from the contract."]
    # 4 (refund) + 1 + 0 + 1 + 1 + 2/3 out of 9
    assert attempt.max_points == 9 and attempt.points == pytest.approx(7.6666667)
    assert attempt.score == pytest.approx(7.6666667 / 9)
    assert attempt.state == AttemptState.FINISHED and attempt.passed is True
    assert finished == [attempt]


def test_below_the_pass_mark_fails(db, learner):
    quiz = make_quiz(db, learner, pass_mark=100)
    attempt = attempts.start_attempt(db, quiz, learner, NOW)
    answer_all(db, attempt, dict(RIGHT, **{"Escalation": ""}))
    attempts.submit(db, attempt, NOW)
    assert attempt.state == AttemptState.FINISHED and attempt.passed is False


def test_an_essay_sends_the_attempt_to_the_trainers_queue(db, learner, users, finished):
    quiz = make_quiz(db, learner)
    attempt = attempts.start_attempt(db, quiz, learner, NOW)
    answer_all(db, attempt)
    attempts.submit(db, attempt, NOW)
    essay = response_of(attempt, "Escalation")
    assert attempt.state == AttemptState.NEEDS_GRADING and attempt.passed is None
    assert essay.state == "needs_grading" and essay.fraction is None
    assert grading_queue.waiting(db) == [essay] and grading_queue.count_waiting(db) == 1
    assert finished == []

    trainer = users[Role.TRAINER]
    grading_queue.grade_essay(db, essay, 0.5, "  Mention the supervisor.  ", trainer, NOW)
    assert essay.state == "partial" and essay.grader_comment == "Mention the supervisor."
    assert essay.graded_by_id == trainer.id
    assert attempt.state == AttemptState.FINISHED and attempt.points == pytest.approx(6.5)
    assert attempt.passed is True and finished == [attempt]
    assert grading_queue.count_waiting(db) == 0
    with pytest.raises(Conflict):
        grading_queue.grade_essay(db, essay, 1.0, "", trainer, NOW)


def test_an_unanswered_essay_does_not_wait_for_a_trainer(db, learner):
    quiz = make_quiz(db, learner)
    attempt = attempts.start_attempt(db, quiz, learner, NOW)
    attempts.submit(db, attempt, NOW)
    assert attempt.state == AttemptState.FINISHED and response_of(attempt, "Escalation").state == "not_answered"


@pytest.mark.parametrize("fraction", [-0.1, 1.5, float("nan")])
def test_an_essay_grade_outside_0_to_100_percent_is_refused(db, learner, users, fraction):
    quiz = make_quiz(db, learner)
    attempt = attempts.start_attempt(db, quiz, learner, NOW)
    answer_all(db, attempt)
    attempts.submit(db, attempt, NOW)
    with pytest.raises(DomainError):
        grading_queue.grade_essay(db, response_of(attempt, "Escalation"), fraction, "", users[Role.TRAINER], NOW)
    assert attempt.state == AttemptState.NEEDS_GRADING


def test_the_essays_wait_oldest_first(db, learner, users):
    quiz = make_quiz(db, learner)
    enroll(db, quiz_course(db, quiz), users["other_specialist"])
    for person, minutes in ((users["other_specialist"], 30), (learner, 10)):
        attempt = attempts.start_attempt(db, quiz, person, NOW)
        answer_all(db, attempt)
        attempts.submit(db, attempt, NOW + dt.timedelta(minutes=minutes))
    assert [r.attempt.user for r in grading_queue.waiting(db)] == [learner, users["other_specialist"]]


def quiz_course(db, quiz):
    return db.scalar(sa.select(Module).where(Module.quiz_id == quiz.id)).course


# --- immediate feedback ----------------------------------------------------------------------------

def test_immediate_mode_checks_one_answer_with_a_penalty_per_retry(db, learner):
    quiz = make_quiz(db, learner, behaviour="immediate", penalty=0.25)
    attempt = attempts.start_attempt(db, quiz, learner, NOW)
    slot = slot_of(attempt, "Refund window")
    attempts.save_answer(db, attempt, slot, 1, NOW)
    checked = attempts.check_answer(db, attempt, slot, NOW)
    assert (checked.state, checked.tries, checked.fraction) == ("wrong", 1, 0.0)
    assert checked.feedback == ["That is another provider's rule."]
    assert attempts.check_answer(db, attempt, slot, NOW).tries == 1  # unchanged: no new try
    attempts.save_answer(db, attempt, slot, 2, NOW)
    assert checked.state is None and checked.feedback == []              # the old result no longer applies
    assert attempts.check_answer(db, attempt, slot, NOW).tries == 2
    attempts.save_answer(db, attempt, slot, 0, NOW)
    checked = attempts.check_answer(db, attempt, slot, NOW)
    assert (checked.state, checked.tries, checked.fraction) == ("correct", 3, 0.5)
    with pytest.raises(Conflict, match="already answered correctly"):
        attempts.save_answer(db, attempt, slot, 1, NOW)
    attempts.submit(db, attempt, NOW)
    assert checked.fraction == 0.5 and checked.tries == 3


def test_immediate_mode_penalty_never_goes_below_zero_and_unchecked_answers_count_as_a_try(db, learner):
    quiz = make_quiz(db, learner, behaviour="immediate", penalty=0.6)
    attempt = attempts.start_attempt(db, quiz, learner, NOW)
    slot = slot_of(attempt, "Refund window")
    for raw in (1, 2, 1):
        attempts.save_answer(db, attempt, slot, raw, NOW)
        attempts.check_answer(db, attempt, slot, NOW)
    attempts.save_answer(db, attempt, slot, 0, NOW)   # changed after the last check, not checked
    attempts.save_answer(db, attempt, slot_of(attempt, "Hotline hours"), "true", NOW)  # never checked
    attempts.submit(db, attempt, NOW)
    refund = response_of(attempt, "Refund window")
    assert (refund.state, refund.tries, refund.fraction) == ("correct", 4, 0.0)
    hotline = response_of(attempt, "Hotline hours")
    assert (hotline.state, hotline.tries, hotline.fraction) == ("correct", 1, 1.0)


def test_checking_is_refused_in_deferred_mode_for_essays_and_blank_answers(db, learner):
    deferred = attempts.start_attempt(db, make_quiz(db, learner), learner, NOW)
    with pytest.raises(DomainError, match="after you submit"):
        attempts.check_answer(db, deferred, slot_of(deferred, "Refund window"), NOW)
    quiz = db.scalar(sa.select(Quiz).where(Quiz.id == deferred.quiz_id))
    quiz.behaviour = "immediate"
    with pytest.raises(DomainError, match="graded by a trainer"):
        attempts.check_answer(db, deferred, slot_of(deferred, "Escalation"), NOW)
    with pytest.raises(DomainError, match="before checking"):
        attempts.check_answer(db, deferred, slot_of(deferred, "Refund window"), NOW)
