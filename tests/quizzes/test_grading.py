"""Grading: Moodle-compatible scores for every question type, decided from the stored question
alone, and readable errors for responses that cannot be read. Pure functions: no app, no database."""
from __future__ import annotations

import unicodedata

import pytest

from academy.quizzes import gift, grading
from academy.quizzes.grading import Grade, ResponseError
from academy.quizzes.questions import QUESTION_TYPES


def only(text: str) -> dict:
    result = gift.parse(text)
    assert result.problems == []
    assert len(result.questions) == 1
    return result.questions[0]


REFUND = only("""::Refund window::How many days does a customer have to ask for a refund? {
    =30 days#Right: 30 calendar days from the invoice date.
    ~14 days#That is the complaint deadline.
    ~%-50%Never#Refunds are always possible within the window.
    ~60 days
}""")

CHANNELS = only("""::Escalation data::Which details must every escalation to Tier 2 include? {
    ~%50%The ticket number#Needed to find the case.
    ~%50%The customer's verified identity#Needed before anyone acts.
    ~%-100%The customer's password#Never ask for or record a password.
    ~%-50%Your opinion of the customer#Keep records factual.
    ~The weather
}""")

PHISHING = only("::Phishing::A bank never asks for a PIN by e-mail. {TRUE#Wrong: no bank does.#Right: report it.}")

SECURITY_SCREEN = only("""::Security screen::Which key combination opens the Windows security screen? {
    =%50%*Alt*Del*#Nearly: Ctrl is needed too.
    =Ctrl*Alt*Del*#Right.
    =%0%Alt*F4#That closes the window.
}""")

PRICE = only("""::Plan price::A plan costs 14 EUR a month. What does a year cost, in EUR? {#
    =168:0.5#Right: 12 x 14.
    =%50%170:5#Close: check the multiplication.
}""")

ROUTING = only("""::Routing::Match each request to the team that handles it. {
    =Double charge -> Billing
    =Router keeps dropping -> Technical support
    =Lost password -> Identity desk
    =Data deletion request -> Privacy office
    = -> Sales
}""")

ESSAY = only("::Calming down::Describe how you calm an upset caller in three steps. {}")
NOTICE = only("::Section::The next questions are about billing.")


# --- the registry -----------------------------------------------------------------------------------

def test_every_question_type_has_a_grader():
    assert set(grading.TYPES) == set(QUESTION_TYPES)
    for name, qtype in grading.TYPES.items():
        assert qtype.name == name
        assert isinstance(qtype, grading.QuestionType)


def test_registering_a_name_twice_is_refused():
    class Again(grading.QuestionType):
        name = "essay"

    with pytest.raises(ValueError, match="already registered"):
        grading.register(Again)


def test_unknown_question_type_is_reported():
    with pytest.raises(grading.UnknownQuestionType, match="'cloze'"):
        grading.grade({"type": "cloze"}, "x")


def test_blank_responses_are_not_answered_for_every_type():
    for question in (REFUND, CHANNELS, PHISHING, SECURITY_SCREEN, PRICE, ROUTING, ESSAY):
        blank = grading.TYPES[question["type"]].blank_response(question)
        assert grading.grade(question, blank) == Grade(0.0, "not_answered", [], 1.0)


def test_grade_ignores_anything_the_browser_says_about_correctness():
    with pytest.raises(ResponseError):
        grading.grade(REFUND, {"answer": 1, "correct": True, "fraction": 1})
    assert grading.grade(REFUND, 1).fraction == 0.0


def test_grade_checks_its_fraction_and_state():
    with pytest.raises(ValueError, match="between 0 and 1"):
        Grade(1.5, "correct")
    with pytest.raises(ValueError, match="unknown grade state"):
        Grade(1.0, "great")


# --- multichoice, one answer ----------------------------------------------------------------------

def test_single_choice_right_answer_scores_its_fraction_with_feedback():
    assert grading.grade(REFUND, 0) == Grade(1.0, "correct", ["Right: 30 calendar days from the invoice date."])


def test_single_choice_wrong_answer_scores_nothing_with_its_feedback():
    assert grading.grade(REFUND, 1) == Grade(0.0, "wrong", ["That is the complaint deadline."])


def test_single_choice_negative_fraction_is_floored_at_zero():
    grade = grading.grade(REFUND, 2)
    assert grade.fraction == 0.0 and grade.state == "wrong"
    assert grade.feedback == ["Refunds are always possible within the window."]


def test_single_choice_answer_without_feedback_gives_no_feedback():
    assert grading.grade(REFUND, 3).feedback == []


def test_single_choice_partial_answer_is_partial():
    question = only("::VPN::The VPN drops every hour. What do you check first? {=The client version "
                    "~%50%The Wi-Fi signal#Possible, but check the client first. ~Nothing}")
    assert grading.grade(question, 1) == Grade(0.5, "partial", ["Possible, but check the client first."])


def test_single_choice_accepts_the_index_as_form_text():
    assert grading.grade(REFUND, " 0 ").state == "correct"


@pytest.mark.parametrize("raw, message", [
    (4, "no answer number 4: this question has 4"),
    (-1, "no answer number -1"),
    ("first", "by its number"),
    (True, "by its number"),
    (1.0, "by its number"),
    ([0], "one answer only"),
])
def test_single_choice_malformed_responses_are_refused(raw, message):
    with pytest.raises(ResponseError, match=message):
        grading.grade(REFUND, raw)


# --- multichoice, several answers ----------------------------------------------------------------

def test_several_choices_add_up_their_weights():
    assert CHANNELS["single"] is False
    grade = grading.grade(CHANNELS, [1, 0])
    assert grade == Grade(1.0, "correct", ["Needed to find the case.", "Needed before anyone acts."])


def test_several_choices_half_right_is_partial():
    assert grading.grade(CHANNELS, [0]).fraction == pytest.approx(0.5)
    assert grading.grade(CHANNELS, [0]).state == "partial"
    assert grading.grade(CHANNELS, [0, 4]).fraction == pytest.approx(0.5)


def test_several_choices_negative_weights_subtract():
    assert grading.grade(CHANNELS, [0, 1, 3]).fraction == pytest.approx(0.5)


def test_several_choices_negative_total_is_floored_at_zero():
    grade = grading.grade(CHANNELS, [0, 2])
    assert grade.fraction == 0.0 and grade.state == "wrong"
    assert "Never ask for or record a password." in grade.feedback


def test_several_choices_total_is_capped_at_one():
    question = {"type": "multichoice", "single": False, "answers": [
        {"text": "Restart the router", "fraction": 0.6, "feedback": ""},
        {"text": "Check the cable", "fraction": 0.6, "feedback": ""},
    ]}
    assert grading.grade(question, [0, 1]).fraction == 1.0


def test_choosing_every_answer_does_not_pay():
    assert grading.grade(CHANNELS, [0, 1, 2, 3, 4]).fraction == 0.0


def test_several_choices_accept_form_values_and_a_lone_index():
    assert grading.grade(CHANNELS, ["0", "1"]).state == "correct"
    assert grading.grade(CHANNELS, "1").fraction == pytest.approx(0.5)
    assert grading.normalise_response(CHANNELS, ("1", 0)) == [0, 1]


@pytest.mark.parametrize("raw, message", [
    ([0, 0], "chosen more than once"),
    ([0, 5], "no answer number 5"),
    ({"0": True}, "list of answer numbers"),
    ([None], "by its number"),
])
def test_several_choices_malformed_responses_are_refused(raw, message):
    with pytest.raises(ResponseError, match=message):
        grading.grade(CHANNELS, raw)


# --- true/false ------------------------------------------------------------------------------------

def test_true_false_right_value_scores_one_with_its_feedback():
    assert grading.grade(PHISHING, True) == Grade(1.0, "correct", ["Right: report it."])


def test_true_false_wrong_value_scores_zero_with_its_feedback():
    assert grading.grade(PHISHING, False) == Grade(0.0, "wrong", ["Wrong: no bank does."])


def test_true_false_false_statement():
    question = only("::Passwords::Agents may ask a caller for their password to speed things up. {F}")
    assert grading.grade(question, False).state == "correct"
    assert grading.grade(question, True).state == "wrong"


@pytest.mark.parametrize("raw, expected", [("true", True), ("False", False), ("1", True), ("0", False), (" T ", True)])
def test_true_false_accepts_form_values(raw, expected):
    assert grading.normalise_response(PHISHING, raw) is expected


@pytest.mark.parametrize("raw", ["yes", 1, 0.0, [True]])
def test_true_false_malformed_responses_are_refused(raw):
    with pytest.raises(ResponseError, match="answer true or false"):
        grading.grade(PHISHING, raw)


# --- short answer ------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["Ctrl+Alt+Del", "ctrl alt del", "CTRL-ALT-DEL", "  Ctrl +  Alt + Del  ", "CtrlAltDel"])
def test_short_answer_wildcard_and_case_insensitive(typed):
    assert grading.grade(SECURITY_SCREEN, typed) == Grade(1.0, "correct", ["Right."])


def test_short_answer_best_matching_answer_wins():
    # "Ctrl+Alt+Delete" matches *Alt*Del* (50 %, listed first) and Ctrl*Alt*Del* (100 %).
    assert grading.grade(SECURITY_SCREEN, "Ctrl+Alt+Delete") == Grade(1.0, "correct", ["Right."])
    assert grading.grade(SECURITY_SCREEN, "Alt+Delete") == Grade(0.5, "partial", ["Nearly: Ctrl is needed too."])


def test_short_answer_zero_weight_match_gives_its_feedback():
    assert grading.grade(SECURITY_SCREEN, "Alt+F4") == Grade(0.0, "wrong", ["That closes the window."])


def test_short_answer_no_match_is_wrong_without_feedback():
    assert grading.grade(SECURITY_SCREEN, "Ctrl+Shift+Esc") == Grade(0.0, "wrong", [])


def test_short_answer_without_wildcard_must_match_whole():
    question = only("::Ticket queue::Which queue takes invoice disputes? {=Billing}")
    assert grading.grade(question, "billing").state == "correct"
    assert grading.grade(question, "Billing team").state == "wrong"
    assert grading.grade(question, "Bill").state == "wrong"


def test_short_answer_inner_whitespace_is_collapsed():
    question = only("::Team::Who handles lost passwords? {=Identity desk}")
    assert grading.grade(question, "identity \t  DESK").state == "correct"
    assert grading.grade(question, "identitydesk").state == "wrong"


def test_short_answer_escaped_star_is_a_literal_star():
    question = only(r"::Star code::Which code diverts calls on the office phones? {=\*21\*}")
    assert question["answers"][0]["text"] == r"\*21\*"
    assert grading.grade(question, "*21*").state == "correct"
    assert grading.grade(question, "x21y").state == "wrong"
    assert grading.grade(question, "*2122*").state == "wrong"


def test_short_answer_wildcard_matches_an_empty_run_and_keeps_order():
    assert grading.wildcard_match("err*404", "ERR404")
    assert grading.wildcard_match("err*404", "error 404")
    assert not grading.wildcard_match("err*404", "404 err")
    assert not grading.wildcard_match("a*a", "a")
    assert grading.wildcard_match("*", "anything at all")


def test_short_answer_special_regex_characters_are_literal():
    question = only("::Path::Where are user settings kept? {=C:\\\\Users\\\\(name)\\\\AppData*}")
    assert grading.grade(question, r"c:\users\(name)\appdata\roaming").state == "correct"
    assert grading.grade(question, r"c:\users\name\appdata").state == "wrong"


def test_short_answer_unicode_composition_and_case_do_not_matter():
    question = only("::Reklamace::Jak se česky řekne 'complaint'? {=Reklamace#Správně. =Stížnost}")
    decomposed = unicodedata.normalize("NFD", "STÍŽNOST")
    assert decomposed != "STÍŽNOST"
    assert grading.grade(question, decomposed).state == "correct"
    assert grading.grade(question, "REKLAMACE").feedback == ["Správně."]


def test_short_answer_long_response_with_many_wildcards_is_fast():
    question = only("::Many::Type anything with the letters in order. {=a*b*c*d*e*f*g*h}")
    assert grading.grade(question, "a" * 20000 + "x").state == "wrong"


@pytest.mark.parametrize("raw", [42, ["Billing"], {"text": "Billing"}])
def test_short_answer_malformed_responses_are_refused(raw):
    with pytest.raises(ResponseError, match="as text"):
        grading.grade(SECURITY_SCREEN, raw)


# --- numerical ------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["168", "168.0", " 168 ", "168,4", "167.5", "168.5", 168, 168.5, "1.68e2", "+168"])
def test_numerical_within_tolerance_is_right(typed):
    assert grading.grade(PRICE, typed) == Grade(1.0, "correct", ["Right: 12 x 14."])


@pytest.mark.parametrize("typed", ["168.51", "167.49"])
def test_numerical_just_outside_tolerance_falls_to_the_next_answer(typed):
    assert grading.grade(PRICE, typed) == Grade(0.5, "partial", ["Close: check the multiplication."])


@pytest.mark.parametrize("typed", ["165", "175", "175,0"])
def test_numerical_tolerance_edges_are_included(typed):
    assert grading.grade(PRICE, typed).fraction == 0.5


@pytest.mark.parametrize("typed", ["164.99", "175.01", "-168", "0"])
def test_numerical_outside_every_tolerance_is_wrong(typed):
    assert grading.grade(PRICE, typed) == Grade(0.0, "wrong", [])


def test_numerical_exact_answer_with_decimals():
    question = only("::SLA::What share of tickets must be closed the same day (as a fraction)? {#0.85}")
    assert grading.grade(question, "0,85").state == "correct"
    assert grading.grade(question, ".85").state == "correct"
    assert grading.grade(question, "0.851").state == "wrong"


def test_numerical_decimal_tolerance_edge_survives_binary_rounding():
    question = only("::Uptime::Promised uptime in percent? {#99.9:0.1}")
    assert grading.grade(question, "99.8").state == "correct"
    assert grading.grade(question, "100").state == "correct"
    assert grading.grade(question, "99.79").state == "wrong"


def test_numerical_range_answer():
    question = only("::Hold time::How many minutes may a caller be kept on hold? {#2..4}")
    assert grading.grade(question, "2").state == "correct"
    assert grading.grade(question, "4").state == "correct"
    assert grading.grade(question, "4,5").state == "wrong"


@pytest.mark.parametrize("raw, message", [
    ("fourteen", "'fourteen' is not a number"),
    ("14 EUR", "'14 EUR' is not a number"),
    ("1,000.5", "one decimal separator"),
    ("1,2,3", "one decimal separator"),
    ("1e999", "too large"),
    (float("nan"), "finite"),
    (True, "type a number"),
    ([168], "type a number"),
])
def test_numerical_non_numbers_are_refused_with_a_message(raw, message):
    with pytest.raises(ResponseError, match=message):
        grading.grade(PRICE, raw)


def test_numerical_blank_is_not_answered():
    assert grading.grade(PRICE, "   ").state == "not_answered"


# --- matching ------------------------------------------------------------------------------------

def test_matching_all_pairs_right():
    response = {0: "Billing", 1: "Technical support", 2: "Identity desk", 3: "Privacy office"}
    assert grading.grade(ROUTING, response) == Grade(1.0, "correct", [])


def test_matching_partial_credit_counts_asked_pairs_only():
    response = {0: "Billing", 1: "Sales", 2: "Identity desk", 3: "Billing"}
    assert grading.grade(ROUTING, response) == Grade(0.5, "partial", [])


def test_matching_unanswered_pairs_count_as_wrong():
    assert grading.grade(ROUTING, {"2": "Identity desk", "3": ""}).fraction == 0.25


def test_matching_all_wrong():
    assert grading.grade(ROUTING, {0: "Sales", 1: "Sales", 2: "Sales", 3: "Sales"}).state == "wrong"


def test_matching_shared_answer_texts_are_both_right():
    question = only("::Tiers::Match each problem to its tier. {=Password reset -> Tier 1 "
                    "=Printer jam -> Tier 1 =Server outage -> Tier 3}")
    assert grading.grade(question, {0: "Tier 1", 1: "Tier 1", 2: "Tier 3"}).state == "correct"


@pytest.mark.parametrize("raw, message", [
    ({4: "Sales"}, "no item number 4 to match"),
    ({7: "Sales"}, "no item number 7: this question has 5"),
    ({"first": "Billing"}, "by its number"),
    ({0: "Marketing"}, "'Marketing' is not one of the answers"),
    ({0: 3}, "choose an answer from the list"),
    ({0: "Billing", "0": "Billing"}, "answered twice"),
    (["Billing"], "maps each item"),
])
def test_matching_malformed_responses_are_refused(raw, message):
    with pytest.raises(ResponseError, match=message):
        grading.grade(ROUTING, raw)


# --- essay and description --------------------------------------------------------------------------

def test_essay_needs_grading_until_a_trainer_grades_it():
    grade = grading.grade(ESSAY, "Listen, acknowledge, then act.")
    assert grade == Grade(0.0, "needs_grading", [], 1.0)
    assert grading.max_fraction(ESSAY) == 1.0


def test_essay_blank_is_not_answered():
    assert grading.grade(ESSAY, " \n ").state == "not_answered"


def test_essay_must_be_text():
    with pytest.raises(ResponseError, match="as text"):
        grading.grade(ESSAY, ["Listen"])


@pytest.mark.parametrize("fraction, state", [(1, "correct"), (0.7, "partial"), (0.0, "wrong")])
def test_manual_grade_sets_the_state(fraction, state):
    grade = grading.grade_manually(fraction, " Good structure. ")
    assert grade == Grade(float(fraction), state, ["Good structure."])


def test_manual_grade_without_comment_has_no_feedback():
    assert grading.grade_manually(0.5).feedback == []


@pytest.mark.parametrize("fraction", [-0.1, 1.01, "0.5", None, True, float("inf")])
def test_manual_grade_outside_zero_to_one_is_refused(fraction):
    with pytest.raises(ValueError, match="between 0 and 1"):
        grading.grade_manually(fraction)


def test_description_is_not_graded():
    assert grading.max_fraction(NOTICE) == 0.0
    grade = grading.grade(NOTICE, "whatever")
    assert grade.fraction == 0.0 and grade.state == "not_answered" and grade.max_fraction == 0.0


def test_max_fraction_of_graded_types_is_one():
    for question in (REFUND, CHANNELS, PHISHING, SECURITY_SCREEN, PRICE, ROUTING):
        assert grading.max_fraction(question) == 1.0


# --- penalties and scores ----------------------------------------------------------------------------

@pytest.mark.parametrize("fraction, tries, penalty, expected", [
    (1.0, 1, 0.3333333, 1.0),
    (1.0, 2, 0.3333333, 0.6666667),
    (1.0, 3, 0.3333333, 0.3333334),
    (1.0, 4, 0.3333333, 0.0000001),
    (1.0, 5, 0.3333333, 0.0),
    (0.5, 2, 0.1, 0.4),
    (0.0, 2, 0.1, 0.0),
    (1.0, 9, 0.0, 1.0),
])
def test_penalty_per_extra_try_is_floored_at_zero(fraction, tries, penalty, expected):
    assert grading.penalised(fraction, tries, penalty) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("fraction, tries, penalty", [(1.0, 0, 0.1), (1.0, 1.5, 0.1), (1.0, 2, 1.5), (2.0, 1, 0.1),
                                                      (1.0, 2, -0.1), (1.0, True, 0.1)])
def test_penalty_arguments_are_checked(fraction, tries, penalty):
    with pytest.raises(ValueError):
        grading.penalised(fraction, tries, penalty)


def test_score_combines_points_per_question():
    grades = [grading.grade(REFUND, 0), grading.grade(CHANNELS, [0]), grading.grade(PHISHING, False),
              grading.grade(NOTICE, None), grading.grade(ESSAY, "Listen first.")]
    assert grading.score(grades, [1, 2, 1, 5, 4]) == (2.0, 8.0, 25.0)


def test_score_of_nothing_possible_is_zero_percent():
    assert grading.score([grading.grade(NOTICE, None)], [1]) == (0.0, 0.0, 0.0)
    assert grading.score([], []) == (0.0, 0.0, 0.0)


def test_score_rounds_away_binary_noise():
    grades = [Grade(0.1, "partial"), Grade(0.2, "partial")]
    assert grading.score(grades, [1, 1]) == (0.3, 2.0, 15.0)


def test_score_checks_its_arguments():
    with pytest.raises(ValueError, match="1 grade"):
        grading.score([Grade(1.0, "correct")], [1, 2])
    with pytest.raises(ValueError, match="at least 0"):
        grading.score([Grade(1.0, "correct")], [-1])


def test_score_with_a_penalty_and_a_manual_grade():
    first_try = grading.grade(PRICE, "170")
    later = Grade(grading.penalised(grading.grade(PRICE, "168").fraction, 2, 0.25), "partial")
    essay = grading.grade_manually(0.5, "Missing the third step.")
    assert first_try.fraction == 0.5
    assert grading.score([first_try, later, essay], [2, 2, 4]) == (4.5, 8.0, 56.25)
