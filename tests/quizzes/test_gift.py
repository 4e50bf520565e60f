"""GIFT: every feature of docs.moodle.org's "GIFT format" page, the problems an import reports, and
round trips through ``dump``. Pure functions: no app, no database."""
from __future__ import annotations

from pathlib import Path

import pytest

from academy.quizzes import gift
from academy.quizzes.questions import ParseResult, Problem


def only(text: str) -> dict:
    """The one question in ``text``, which must parse without problems."""
    result = gift.parse(text)
    assert result.problems == []
    assert len(result.questions) == 1
    return result.questions[0]


def problems(text: str) -> list[tuple[int, str]]:
    result = gift.parse(text, "quiz.gift")
    return [(problem.line, problem.message) for problem in result.problems]


def without_lines(questions: list[dict]) -> list[dict]:
    return [{key: value for key, value in question.items() if key != "line"} for question in questions]


def round_trip(questions: list[dict]) -> list[dict]:
    result = gift.parse(gift.dump(questions))
    assert result.problems == [], gift.dump(questions)
    return result.questions


# --- The JSON shape, one question of each type --------------------------------------------------

def test_multichoice_has_the_documented_shape():
    text = """$CATEGORY: $course$/Onboarding/Billing

::Refund window::How many days does a customer have to ask for a refund? {
    =30 days # Correct.
    ~14 days # That is the exchange window.
    ~60 days
    ####Refunds article, section 2.
}
"""
    assert only(text) == {
        "title": "Refund window", "category": "$course$/Onboarding/Billing",
        "type": "multichoice", "single": True, "format": "moodle",
        "text": "How many days does a customer have to ask for a refund?",
        "general_feedback": "Refunds article, section 2.",
        "answers": [{"text": "30 days", "fraction": 1.0, "feedback": "Correct."},
                    {"text": "14 days", "fraction": 0.0, "feedback": "That is the exchange window."},
                    {"text": "60 days", "fraction": 0.0, "feedback": ""}],
        "line": 3,
    }


def test_truefalse_has_the_documented_shape():
    assert only("::Router lights::A steady red DSL light means the line is down.{T}") == {
        "title": "Router lights", "category": None, "type": "truefalse", "format": "moodle",
        "text": "A steady red DSL light means the line is down.", "general_feedback": "",
        "correct": True, "feedback_true": "", "feedback_false": "", "line": 1,
    }


def test_shortanswer_has_the_documented_shape():
    assert only("Which tier handles outages? {=Tier 2 =second tier#Yes, the specialists.}") == {
        "title": "Which tier handles outages?", "category": None, "type": "shortanswer",
        "format": "moodle", "text": "Which tier handles outages?", "general_feedback": "",
        "answers": [{"text": "Tier 2", "fraction": 1.0, "feedback": ""},
                    {"text": "second tier", "fraction": 1.0, "feedback": "Yes, the specialists."}],
        "line": 1,
    }


def test_matching_has_the_documented_shape():
    text = """::Tiers::Match each tier with who works it. {
    =Tier 1 -> the help desk
    =Tier 2 -> product specialists
    =Tier 3 -> engineering
}"""
    assert only(text) == {
        "title": "Tiers", "category": None, "type": "matching", "format": "moodle",
        "text": "Match each tier with who works it.", "general_feedback": "",
        "pairs": [{"question": "Tier 1", "answer": "the help desk"},
                  {"question": "Tier 2", "answer": "product specialists"},
                  {"question": "Tier 3", "answer": "engineering"}],
        "line": 1,
    }


def test_numerical_has_the_documented_shape():
    assert only("::SLA::Within how many hours must a P1 ticket get a reply?{#4:0.5#Four hours.}") == {
        "title": "SLA", "category": None, "type": "numerical", "format": "moodle",
        "text": "Within how many hours must a P1 ticket get a reply?", "general_feedback": "",
        "numerical": [{"value": 4.0, "tolerance": 0.5, "fraction": 1.0, "feedback": "Four hours."}],
        "line": 1,
    }


def test_essay_has_the_documented_shape():
    assert only("::Angry caller::Describe how you calm an angry caller.{}") == {
        "title": "Angry caller", "category": None, "type": "essay", "format": "moodle",
        "text": "Describe how you calm an angry caller.", "general_feedback": "", "line": 1,
    }


def test_description_has_the_documented_shape():
    assert only("::Intro::The next questions are about refunds.") == {
        "title": "Intro", "category": None, "type": "description", "format": "moodle",
        "text": "The next questions are about refunds.", "general_feedback": "", "line": 1,
    }


# --- Multiple choice ------------------------------------------------------------------------------

def test_several_right_answers_with_weights_make_a_several_answer_question():
    question = only("""Which count as escalation tiers? {
    ~%50%Tier 2
    ~%50%Tier 3
    ~%-100%Tier 0
}""")
    assert question["single"] is False
    assert [answer["fraction"] for answer in question["answers"]] == [0.5, 0.5, -1.0]


def test_decimal_weights_that_add_up_to_100_are_accepted():
    question = only("Which lights are normal? {~%33.33333%Power ~%33.33333%DSL ~%33.33333%WLAN ~%-100%Red}")
    assert question["answers"][0]["fraction"] == pytest.approx(1 / 3, abs=1e-6)


def test_one_right_answer_may_sit_beside_partly_right_ones():
    question = only("A caller wants a refund on day 31. You {=escalate to billing ~%50%ask a lead ~refuse}")
    assert question["single"] is True
    assert [answer["fraction"] for answer in question["answers"]] == [1.0, 0.5, 0.0]


def test_answers_may_be_written_on_separate_indented_lines():
    question = only("Japanese characters originally came from what country? {\n    ~India\n    =China\n    ~Korea}")
    assert [answer["text"] for answer in question["answers"]] == ["India", "China", "Korea"]


def test_answer_text_in_percent_signs_without_digits_is_text_not_a_weight():
    question = only("Where does Windows keep roaming profiles? {=%APPDATA% ~%TEMP%}")
    assert [(answer["text"], answer["fraction"]) for answer in question["answers"]] == [
        ("%APPDATA%", 1.0), ("%TEMP%", 0.0)]


def test_answer_texts_may_contain_arrows_and_colons():
    question = only("Where is the firewall switch? {=Settings -> Security ~Settings -> Network ~Ports: 443}")
    assert question["type"] == "multichoice"
    assert question["answers"][2]["text"] == "Ports: 443"


# --- True/false -------------------------------------------------------------------------------

@pytest.mark.parametrize("mark, correct", [("T", True), ("TRUE", True), ("F", False), ("FALSE", False)])
def test_true_false_is_written_t_true_f_or_false(mark, correct):
    question = only(f"Refunds are paid in cash. {{{mark}}}")
    assert question["type"] == "truefalse"
    assert question["correct"] is correct


def test_true_false_feedback_comes_wrong_answer_first_then_right_answer():
    # docs.moodle.org: {TRUE#feedback for a wrong answer#feedback for a right answer}
    question = only("A blinking WLAN light means traffic. {T#No: blinking is normal traffic.#Yes, all is well.}")
    assert question["feedback_true"] == "Yes, all is well."
    assert question["feedback_false"] == "No: blinking is normal traffic."


def test_false_statement_feedback_goes_to_the_answers_it_follows():
    question = only("Refunds can be asked for up to a year. {FALSE#No, 30 days only.#Right, 30 days.}")
    assert question["correct"] is False
    assert question["feedback_true"] == "No, 30 days only."
    assert question["feedback_false"] == "Right, 30 days."


def test_true_false_with_only_the_wrong_answer_feedback():
    question = only("Tier 1 may refund. {F#Only billing refunds.}")
    assert (question["feedback_true"], question["feedback_false"]) == ("Only billing refunds.", "")


# --- Short answer -------------------------------------------------------------------------------

def test_short_answer_accepts_several_answers_with_weights():
    question = only("Which team owns refunds? {=Billing =%50%Finance#Close: Finance pays, Billing decides.}")
    assert question["type"] == "shortanswer"
    assert [(answer["text"], answer["fraction"]) for answer in question["answers"]] == [
        ("Billing", 1.0), ("Finance", 0.5)]
    assert question["answers"][1]["feedback"] == "Close: Finance pays, Billing decides."


# --- Matching -----------------------------------------------------------------------------------

def test_matching_pair_texts_are_unescaped_and_answers_may_contain_arrows():
    question = only("Match {=Light\\: red -> line down =Light\\: green -> synced =Reset -> hold 10 s -> release}")
    assert question["pairs"][0] == {"question": "Light: red", "answer": "line down"}
    assert question["pairs"][2] == {"question": "Reset", "answer": "hold 10 s -> release"}


# --- Numerical ----------------------------------------------------------------------------------

def test_numerical_exact_value_has_zero_tolerance():
    assert only("How many days is the refund window? {#30}")["numerical"] == [
        {"value": 30.0, "tolerance": 0.0, "fraction": 1.0, "feedback": ""}]


def test_numerical_range_becomes_midpoint_and_half_width():
    assert only("Pick a tier number that exists. {#1..3}")["numerical"] == [
        {"value": 2.0, "tolerance": 1.0, "fraction": 1.0, "feedback": ""}]


def test_numerical_negative_and_decimal_values():
    answers = only("Lowest line attenuation in dB? {#-5.5..-1.5}")["numerical"]
    assert (answers[0]["value"], answers[0]["tolerance"]) == (-3.5, 2.0)


def test_numerical_several_answers_with_weights():
    question = only("""When did the new refund policy start? {#
    =2019:0      # Correct, 2019.
    =%50%2019:2  # Close: it was 2019.
}""")
    assert question["numerical"] == [
        {"value": 2019.0, "tolerance": 0.0, "fraction": 1.0, "feedback": "Correct, 2019."},
        {"value": 2019.0, "tolerance": 2.0, "fraction": 0.5, "feedback": "Close: it was 2019."},
    ]


def test_numerical_weights_as_in_the_docs():
    question = only("Reply target in hours? {#=%100%5:0 =%50%5:2}")
    assert [answer["fraction"] for answer in question["numerical"]] == [1.0, 0.5]


# --- Essay, description, missing word -------------------------------------------------------------

def test_essay_with_general_feedback():
    assert only("Write the reply to a refund refusal. {####Be kind and cite the policy.}") \
        ["general_feedback"] == "Be kind and cite the policy."


def test_text_without_answer_block_is_a_description():
    assert only("Read the escalation article before these questions.")["type"] == "description"


def test_answers_inside_the_text_make_a_missing_word_question():
    question = only("The DSL light turns {~green =red ~blue} when the line is down.")
    assert question["text"] == "The DSL light turns _____ when the line is down."
    assert question["missing_word"] is True
    assert question["type"] == "multichoice"


def test_answers_before_the_closing_full_stop_still_make_a_missing_word_question():
    question = only("A refund is paid within {=5} working days.")
    assert question["text"] == "A refund is paid within _____ working days."
    assert question["missing_word"] is True


def test_answers_at_the_very_start_make_a_missing_word_question():
    question = only("{=Billing ~Sales} owns the refund process.")
    assert question["text"] == "_____ owns the refund process."


def test_answers_at_the_end_do_not_make_a_missing_word_question():
    question = only("Who owns refunds? {=Billing ~Sales}   ")
    assert question["text"] == "Who owns refunds?"
    assert "missing_word" not in question


def test_missing_word_answer_block_may_span_lines():
    question = only("The American holiday of Thanksgiving is celebrated on the {\n  ~second\n  ~third\n"
                    "  =fourth\n} Thursday of November.")
    assert question["text"] == "The American holiday of Thanksgiving is celebrated on the _____ Thursday of November."


# --- Feedback -----------------------------------------------------------------------------------

@pytest.mark.parametrize("block", [
    "{=Billing ~Sales ####See the refund article.}",
    "{T####See the refund article.}",
    "{=Billing####See the refund article.}",
    "{=a -> 1 =b -> 2 =c -> 3 ####See the refund article.}",
    "{#30####See the refund article.}",
    "{####See the refund article.}",
])
def test_every_answer_block_takes_general_feedback(block):
    assert only(f"Refund question {block}")["general_feedback"] == "See the refund article."


def test_general_feedback_in_the_docs_layout():
    question = only("""What's the answer to this multiple-choice question? {
~wrong answer#feedback comment on the wrong answer
~another wrong answer#feedback comment on this wrong answer
=right answer#Very good!
####This is general feedback
}""")
    assert question["answers"][2] == {"text": "right answer", "fraction": 1.0, "feedback": "Very good!"}
    assert question["general_feedback"] == "This is general feedback"


# --- Categories, titles, comments, ids and tags ---------------------------------------------------

def test_category_applies_to_the_questions_that_follow_it():
    result = gift.parse("""Before any category {T}

$CATEGORY: $course$/Onboarding/Billing

First {T}

Second {F}

$CATEGORY: $course$/Onboarding/Routers

Third {T}
""")
    assert [question["category"] for question in result.questions] == [
        None, "$course$/Onboarding/Billing", "$course$/Onboarding/Billing", "$course$/Onboarding/Routers"]


def test_category_line_directly_above_a_question_still_applies():
    assert only("$CATEGORY: tom/dick/harry\nWho? {=Harry}")["category"] == "tom/dick/harry"


def test_empty_category_line_goes_back_to_the_default_category():
    result = gift.parse("$CATEGORY: Billing\n\nA {T}\n\n$CATEGORY:\n\nB {T}")
    assert [question["category"] for question in result.questions] == ["Billing", None]


def test_untitled_question_is_named_after_its_first_forty_characters():
    question = only("A customer calls because the router shows a red DSL light and no internet. {T}")
    assert question["title"].startswith("A customer calls because the router")
    assert len(question["title"]) <= 41


def test_short_untitled_question_is_named_after_its_whole_text():
    assert only("Refunds need a receipt. {T}")["title"] == "Refunds need a receipt."


def test_title_with_escaped_colon():
    assert only("::Tier\\: 2::Who handles it? {=Specialists}")["title"] == "Tier: 2"


def test_comment_lines_are_ignored_even_inside_a_question():
    question = only("""// Billing questions, reviewed 2024
::Refund window:: How many days? {
    // the policy says 30
    =30 days
    ~14 days
}""")
    assert [answer["text"] for answer in question["answers"]] == ["30 days", "14 days"]
    assert question["line"] == 2


def test_double_slashes_inside_a_line_are_not_a_comment():
    assert only("Open http://router.local for the lights. {T}")["text"] == "Open http://router.local for the lights."


def test_id_and_tag_comments_set_the_question_id_and_tags():
    question = only("// [id:refund-01] [tag:refunds]\n// [tag:billing]\nHow many days? {#30}")
    assert question["id"] == "refund-01"
    assert question["tags"] == ["refunds", "billing"]


def test_escaped_bracket_in_id_and_tags():
    question = only("// [id:tier\\]2] [tag:a\\]b]\nWho? {=Specialists}")
    assert (question["id"], question["tags"]) == ("tier]2", ["a]b"])


def test_questions_without_id_or_tags_have_no_such_keys():
    question = only("Who? {=Specialists}")
    assert "id" not in question and "tags" not in question


# --- Escapes, multi-line text, formats --------------------------------------------------------------

@pytest.mark.parametrize("written, read", [
    ("\\~", "~"), ("\\=", "="), ("\\#", "#"), ("\\{", "{"), ("\\}", "}"), ("\\:", ":"),
    ("\\\\", "\\"), ("\\n", "\n"), ("\\x", "\\x"),
])
def test_escapes_are_unescaped_in_text_and_answers(written, read):
    question = only(f"Text {written} here {{=answer {written} here#feedback {written} here}}")
    assert question["text"] == f"Text {read} here"
    assert question["answers"][0] == {"text": f"answer {read} here", "fraction": 1.0,
                                      "feedback": f"feedback {read} here"}


def test_escaped_braces_do_not_open_an_answer_block():
    question = only("Use the template \\{customer_name\\} in replies.")
    assert (question["type"], question["text"]) == ("description", "Use the template {customer_name} in replies.")


def test_multi_line_question_keeps_its_line_breaks_until_the_blank_line():
    result = gift.parse("::Lights::The customer reads out the lights:\nPower green, DSL red.\nWhy? {\n"
                        "=No sync\n~All fine\n}\n\nNext {T}")
    assert result.questions[0]["text"] == "The customer reads out the lights:\nPower green, DSL red.\nWhy?"
    assert result.questions[1]["line"] == 8


@pytest.mark.parametrize("fmt", ["moodle", "html", "markdown", "plain"])
def test_format_prefix_sets_the_text_format(fmt):
    question = only(f"::Q::[{fmt}]Is *this* <b>bold</b>? {{T}}")
    assert (question["format"], question["text"]) == (fmt, "Is *this* <b>bold</b>?")


def test_text_format_defaults_to_moodle_and_unknown_prefixes_stay_text():
    assert only("Is this fine? {T}")["format"] == "moodle"
    assert only("[urgent] Is this fine? {T}")["text"] == "[urgent] Is this fine?"


def test_answers_may_repeat_the_question_format_prefix():
    question = only("[html]<p>Which?</p>{=[html]<b>Billing</b>#[html]<i>yes</i> ~Sales}")
    assert question["answers"][0] == {"text": "<b>Billing</b>", "fraction": 1.0, "feedback": "<i>yes</i>"}


def test_windows_line_endings_and_byte_order_mark_are_accepted():
    result = gift.parse_bytes("\ufeff// c\r\nFirst {T}\r\n\r\nSecond {F}\r\n".encode(), "quiz.gift")
    assert result.problems == []
    assert [(question["text"], question["line"]) for question in result.questions] == [("First", 2), ("Second", 4)]


# --- Problems -----------------------------------------------------------------------------------

def test_import_stops_on_unclosed_brace_and_names_its_line():
    assert problems("Fine {T}\n\n::Lights:: What colour is the DSL light? {=red\n~green\n") == [
        (3, "'{' is never closed (write \\{ for a brace in text)")]


def test_stray_closing_brace_is_reported_at_its_line():
    assert problems("::Refund:: A refund takes\nfive days. }") == [
        (2, "stray '}' with no '{' before it (write \\} for a brace in text)")]


def test_brace_opened_twice_reports_the_first_one_unclosed():
    assert problems("Which light? {=red ~green\n{=blue}") == [(1, "'{' is never closed (write \\{ for a brace in text)")]


def test_multichoice_block_with_no_answers():
    assert problems("\n\nWhich tier? {~ ~}") == [(3, "the answer block has no answers")]


@pytest.mark.parametrize("block", ["{=}", "{#}", "{#   ####feedback only}"])
def test_blocks_with_no_answers(block):
    assert problems(f"Which tier? {block}") == [(1, "the answer block has no answers")]


def test_empty_answer_after_a_marker():
    assert problems("Which tier? {=Tier 2 ~ ~Tier 9}") == [(1, "'~' with no answer text after it")]


def test_text_before_the_first_answer_has_no_marker():
    assert problems("Which tier? {Tier 1 =Tier 2 ~Tier 9}") == [(1, "'Tier 1' has no '=' or '~' in front of it")]


def test_short_answer_without_equals_sign():
    assert problems("Which team? {Billing}") == [(1, "'Billing' has no '=' in front of it")]


def test_lower_case_true_gets_a_hint():
    assert problems("Refunds need a receipt. {true}") == [
        (1, "'true': true/false answers are written T, TRUE, F or FALSE")]


def test_equals_sign_with_a_partial_weight_in_multiple_choice():
    assert problems("Who refunds? {=%50%Billing ~Sales}") == [
        (1, "'=' marks a fully right answer; write a partly right one as '~%50%answer'")]


@pytest.mark.parametrize("weight, message", [
    ("%5o%", "the weight '%5o%' is not a number"),
    ("%1,5%", "the weight '%1,5%' is not a number"),
    ("%150%", "the weight '%150%' is not between -100 and 100"),
    ("%-101%", "the weight '%-101%' is not between -100 and 100"),
])
def test_bad_weights(weight, message):
    assert problems(f"Which tiers?\n{{\n~{weight}Tier 2\n~%50%Tier 3\n}}") == [(3, message)]


def test_weights_of_a_several_answer_question_must_add_up_to_100():
    assert problems("Which tiers? {~%50%Tier 2 ~%30%Tier 3 ~Tier 0}") == [
        (1, "the right answers' weights add up to 80%, not 100%")]


def test_multichoice_with_no_right_answer():
    assert problems("Which tier? {~Tier 8 ~Tier 9}") == [(1, "no answer is right: give one a positive weight")]


@pytest.mark.parametrize("block, message", [
    ("{#thirty}", "'thirty' is not a number"),
    ("{#30:a few}", "'a few' is not a number"),
    ("{#1..lots}", "'lots' is not a number"),
    ("{#=30:0 =%50%3O:2}", "'3O' is not a number"),
    ("{#5..1}", "the range '5..1' runs from high to low"),
    ("{#30:-1}", "answer 1: the tolerance -1 is below 0"),
])
def test_numerical_values_must_be_numbers(block, message):
    assert problems(f"How many days? {block}") == [(1, message)]


def test_numerical_catch_all_wrong_answer_is_reported():
    assert problems("How many days? {#30 ~#Read the refund article.}") == [
        (1, "'~' (Moodle's catch-all wrong answer) is not supported in numerical questions; "
            "put that advice in the general feedback (####)")]


def test_matching_needs_three_pairs():
    assert problems("Match the tiers. {\n=Tier 1 -> help desk\n=Tier 2 -> specialists\n}") == [
        (1, "a matching question needs at least 3 pairs, it has 2")]


def test_matching_pair_without_arrow_and_with_feedback():
    assert problems("Match {\n=Tier 1 -> help desk\n=Tier 2\n=Tier 3 -> engineering#right\n}") == [
        (3, "the matching pair 'Tier 2' has no '->'"),
        (4, "matching pairs take no feedback; use the general feedback (####)"),
    ]


def test_empty_question_text():
    assert problems("::Refund window::{=30 days ~14 days}") == [(1, "the question text is empty")]


def test_title_without_closing_colons():
    assert problems("::Refund window How many days? {=30}") == [(1, "the title has no closing '::'")]


def test_second_answer_block_is_reported():
    assert problems("Press {=reset ~power} then wait\n{=10 ~60} seconds.") == [
        (2, "a second answer block: a question has one (write \\{ and \\} for braces in text)")]


def test_answer_in_another_format_than_the_question_is_reported():
    assert problems("[plain]Which? {=[html]<b>Billing</b> ~Sales}") == [
        (1, "answers and feedback use the question's text format [plain]; [html] here is not supported")]


def test_id_or_tag_comment_separated_from_its_question():
    assert problems("// [tag:refunds]\n\nHow many days? {#30}") == [
        (1, "this [id:...] or [tag:...] comment has no question after it (remove the blank line between them)")]


def test_two_different_ids_for_one_question():
    assert problems("// [id:a]\n// [id:b]\nWho? {=Billing}") == [(1, "the question has more than one id: a, b")]


def test_cloze_is_an_unsupported_question_type():
    result = gift.parse("Fine {T}\n\nThe DSL light is {1:MULTICHOICE:=red~green} when down.", "quiz.gift")
    assert result.problems == [Problem("quiz.gift", 3, "unsupported question type 'cloze' (embedded answers)", "cloze")]
    assert [question["text"] for question in result.questions] == ["Fine"]
    assert result.blocking(skip_unsupported=True) == []
    assert result.blocking(skip_unsupported=False) == result.problems


def test_every_problem_in_a_file_is_reported_and_good_questions_are_kept():
    text = """$CATEGORY: $course$/Onboarding/Routers

::Unclosed:: What colour is the DSL light when the line is down? {=red ~green
~amber

::Good:: A steady green DSL light means the line is synced. {T}

::Stray:: A reset takes ten seconds. }

::Weights:: Which lights matter? {~%abc1%DSL ~%150%Power =WLAN}

::Days:: How many days is the refund window? {#thirty}

::Pairs:: Match {=Tier 1 -> help desk =Tier 2 -> specialists}

::Empty::{=a ~b}

::Cloze:: The {1:MULTICHOICE:=red~green} light.

::Also good:: Which tier handles outages? {=Tier 2}
"""
    result = gift.parse(text, "routers.gift")
    assert [str(problem) for problem in result.problems] == [
        "routers.gift:3: '{' is never closed (write \\{ for a brace in text)",
        "routers.gift:8: stray '}' with no '{' before it (write \\} for a brace in text)",
        "routers.gift:10: the weight '%150%' is not between -100 and 100",
        "routers.gift:10: the weight '%abc1%' is not a number",
        "routers.gift:12: 'thirty' is not a number",
        "routers.gift:14: a matching question needs at least 3 pairs, it has 2",
        "routers.gift:16: the question text is empty",
        "routers.gift:18: unsupported question type 'cloze' (embedded answers)",
    ]
    assert [question["title"] for question in result.questions] == ["Good", "Also good"]
    assert not result.ok
    assert len(result.blocking(skip_unsupported=True)) == 7


def test_file_that_is_not_utf8_names_the_line_of_the_first_bad_byte():
    data = "First {T}\n\nZweite Frage: Rückerstattung {T}\n".encode("latin-1")
    result = gift.parse_bytes(data, Path("quizzes/billing.gift"))
    assert result.questions == []
    assert result.problems == [Problem("quizzes/billing.gift", 3, "the file is not UTF-8 text")]
    assert str(result.problems[0]) == "quizzes/billing.gift:3: the file is not UTF-8 text"


def test_utf8_text_outside_ascii_is_read():
    result = gift.parse_bytes("Rückerstattung binnen 30 Tagen? {T}".encode(), "de.gift")
    assert result.questions[0]["text"] == "Rückerstattung binnen 30 Tagen?"


def test_parse_result_is_ok_without_problems():
    assert ParseResult([], []).ok
    assert gift.parse("").questions == [] and gift.parse("").ok
    assert gift.parse("// only a comment\n\n\n").ok


# --- Dump and round trips -------------------------------------------------------------------------

EVERY_FEATURE = r"""// Help-desk onboarding quiz
$CATEGORY: $course$/Onboarding/Billing

// [id:refund-window] [tag:refunds] [tag:billing]
::Refund window::How many days does a customer have to ask for a refund? {
    =30 days # Correct.
    ~14 days # That is the exchange window.
    ~%50%30 working days # Close: calendar days.
    ####Refunds article, section 2.
}

::Refund owners::Which teams may approve a refund? {
    ~%50%Billing
    ~%50%Team leads
    ~%-100%Tier 1 agents # No: they hand over.
}

::Receipt::Refunds need a receipt.{TRUE#No\: the policy says so.#Yes.####Policy 4.1}

A refund is paid within {=5 =five =%50%a week #Close.} working days.

$CATEGORY: $course$/Onboarding/Routers

::Lights::[markdown]Match each **light** with its meaning. {
    =DSL red -> no sync
    =DSL blinking -> training the line
    =WLAN off -> radio disabled
    = -> power fault
}

::Reset::How many seconds do you hold the reset button? {#
    =10:0 # Ten.
    =%50%10:5
    ####Then wait two minutes.
}

::Range::Name a tier that exists. {#1..3}

::Escalate::[html]<p>Write the escalation note for a \{P1\} outage\: who, what, when.</p>{####Cite the tier\~2 rota.}

Read the escalation article before continuing\: it explains tiers.

::Escapes::Literal \~ \= \# \{ \} \: \\ and a\nline break? {=yes \= sure#fine \# really ~no}
"""


def test_every_feature_survives_a_round_trip():
    original = gift.parse(EVERY_FEATURE, "every.gift")
    assert original.problems == []
    assert len(original.questions) == 10
    assert without_lines(round_trip(original.questions)) == without_lines(original.questions)


def test_dumped_text_is_stable():
    dumped = gift.dump(gift.parse(EVERY_FEATURE).questions)
    assert gift.dump(gift.parse(dumped).questions) == dumped


def test_dump_writes_readable_gift():
    question = only("// [id:r1] [tag:refunds]\n::Refund window::How many days? {=30 days#Correct. ~14 days ####See policy.}")
    question["category"] = "$course$/Billing"
    assert gift.dump([question]) == (
        "$CATEGORY: $course$/Billing\n\n"
        "// [id:r1] [tag:refunds]\n"
        "::Refund window::How many days? {\n"
        "\t=30 days#Correct.\n"
        "\t~14 days\n"
        "\t####See policy.\n"
        "}\n"
    )


def base(qtype: str, **fields) -> dict:
    question = {"title": f"A {qtype}", "category": None, "type": qtype, "format": "moodle",
                "text": "How should you handle a refund request?", "general_feedback": "", "line": 1}
    question.update(fields)
    return question


ANSWERS = [{"text": "Check the window", "fraction": 1.0, "feedback": "Yes."},
           {"text": "Refund at once", "fraction": 0.0, "feedback": ""}]

ROUND_TRIPS = {
    "multichoice single": base("multichoice", single=True, answers=ANSWERS),
    "multichoice several": base("multichoice", single=False, answers=[
        {"text": "Billing", "fraction": 1 / 3, "feedback": ""},
        {"text": "Leads", "fraction": 2 / 3, "feedback": ""},
        {"text": "Tier 1", "fraction": -0.07, "feedback": "No."}]),
    "multichoice one right answer worth 100 among several": base("multichoice", single=False, answers=[
        {"text": "Billing", "fraction": 1.0, "feedback": ""},
        {"text": "Sales", "fraction": -1.0, "feedback": ""}]),
    "multichoice single with partial credit": base("multichoice", single=True, answers=[
        *ANSWERS, {"text": "Ask a lead", "fraction": 0.5, "feedback": "Partly."}]),
    "truefalse true": base("truefalse", correct=True, feedback_true="Right.", feedback_false="Wrong."),
    "truefalse false": base("truefalse", correct=False, feedback_true="Wrong.", feedback_false="Right."),
    "truefalse only right feedback": base("truefalse", correct=True, feedback_true="Right.", feedback_false=""),
    "truefalse only wrong feedback": base("truefalse", correct=False, feedback_true="Wrong.", feedback_false=""),
    "shortanswer": base("shortanswer", answers=[{"text": "Billing", "fraction": 1.0, "feedback": ""},
                                                {"text": "Finance", "fraction": 0.25, "feedback": "Close."}]),
    "matching": base("matching", pairs=[{"question": "Tier 1", "answer": "help desk"},
                                        {"question": "Tier 2", "answer": "specialists -> product"},
                                        {"question": "", "answer": "marketing"}]),
    "numerical": base("numerical", numerical=[
        {"value": 0.2, "tolerance": 0.09999999999999999, "fraction": 1.0, "feedback": "Yes."},
        {"value": -1e-05, "tolerance": 0.0, "fraction": 0.0, "feedback": ""},
        {"value": 1234567.5, "tolerance": 2.0, "fraction": 0.5, "feedback": ""}]),
    "essay": base("essay", general_feedback="Mention the 30 days."),
    "description": base("description", text="Refunds follow policy 4."),
    "missing word": base("shortanswer", text="Refunds take _____ days, not _____ weeks.", missing_word=True,
                         answers=[{"text": "30", "fraction": 1.0, "feedback": ""}]),
    "missing word at start": base("essay", text="_____ is what I would say.", missing_word=True),
    "general feedback": base("multichoice", single=True, answers=ANSWERS, general_feedback="See: policy #4 {v2}"),
    "html format": base("multichoice", single=True, format="html", text="<p>Which <b>first</b>?</p>",
                        answers=ANSWERS, general_feedback="<i>Policy</i>"),
    "markdown format": base("essay", format="markdown", text="Describe **the** steps."),
    "plain format": base("truefalse", format="plain", correct=True, feedback_true="", feedback_false=""),
    "category and ids": base("essay", category="$course$/Onboarding/Billing", id="refund]1",
                             tags=["refunds", "tier 1"]),
    "escapes everywhere": base("multichoice", single=True, title="Tier: 2 {x} ~y =z #w \\",
                               text="C:\\Users\\me ~ = # { } : and\nline two\n\nafter a blank line",
                               general_feedback="a#b", answers=[
                                   {"text": "a=b ~c", "fraction": 1.0, "feedback": "d#e {f}"},
                                   {"text": "::x::", "fraction": 0.0, "feedback": "\\n stays"}]),
    "texts that look like weights or formats": base("multichoice", single=True, text="[html] is a tag here",
                                                    answers=[
                                                        {"text": "%50% off", "fraction": 1.0, "feedback": "[plain]x"},
                                                        {"text": "%APPDATA%", "fraction": 0.0, "feedback": ""},
                                                        {"text": "[markdown]", "fraction": 0.0, "feedback": ""}]),
    "short answer that looks like a weight": base("shortanswer", answers=[
        {"text": "%20% discount", "fraction": 1.0, "feedback": ""}]),
    "true false that looks like a comment": base("truefalse", text="// is a comment marker", correct=True,
                                                 feedback_true="", feedback_false="//"),
}


@pytest.mark.parametrize("name", ROUND_TRIPS)
def test_dump_then_parse_gives_the_same_question(name):
    question = ROUND_TRIPS[name]
    assert without_lines(round_trip([question])) == without_lines([question])


def test_round_trip_keeps_categories_in_order_including_a_return_to_the_default():
    questions = [base("essay"), base("essay", category="Billing"), base("essay", category="Billing"),
                 base("essay", category="Routers"), base("essay")]
    assert [question["category"] for question in round_trip(questions)] == [None, "Billing", "Billing",
                                                                            "Routers", None]


def test_untitled_question_keeps_its_default_title_through_a_round_trip():
    question = only("A customer calls because the router shows a red DSL light and no internet. {T}")
    assert without_lines(round_trip([question])) == without_lines([question])


@pytest.mark.parametrize("question, message", [
    (base("description", general_feedback="x"), "general feedback"),
    (base("matching", pairs=[{"question": "Settings -> Wi-Fi", "answer": "radio"},
                             {"question": "DSL", "answer": "line"}, {"question": "Power", "answer": "mains"}]), "'->'"),
    (base("essay", text="Refunds take _____", missing_word=True), "missing-word"),
    (base("essay", text="No blank here", missing_word=True), "missing-word"),
    (base("essay", category="Billing\nRefunds"), "line break"),
    (base("multichoice", single=True, answers=[]), "not a valid question: the question has no answers"),
    (base("calculated"), "not a valid question: unknown question type 'calculated'"),
])
def test_dump_refuses_what_gift_cannot_hold(question, message):
    with pytest.raises(ValueError, match=message):
        gift.dump([question])
