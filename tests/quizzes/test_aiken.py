"""The Aiken format: one-answer questions read as Moodle does, every mistake named with its line."""
from __future__ import annotations

import pytest

from academy.quizzes import aiken

PATH = "quizzes/billing.aiken.txt"

GOOD = """\
How many days does a customer have to ask for a refund?
A) 14 days
B) 30 days
C) 90 days
ANSWER: B

Which channel do we answer first when the queue is full?
A. Phone
B. E-mail
C. Chat
D. Post
ANSWER: A
"""


def parse(text: str, **options):
    return aiken.parse(text, PATH, **options)


def messages(result) -> list[tuple[int, str]]:
    return [(problem.line, problem.message) for problem in result.problems]


def test_a_good_file_gives_one_answer_multichoice_questions():
    result = parse(GOOD)
    assert result.ok
    first, second = result.questions
    assert first == {
        "title": "How many days does a customer have to…",
        "category": None,
        "type": "multichoice",
        "single": True,
        "format": "plain",
        "text": "How many days does a customer have to ask for a refund?",
        "general_feedback": "",
        "answers": [
            {"text": "14 days", "fraction": 0.0, "feedback": ""},
            {"text": "30 days", "fraction": 1.0, "feedback": ""},
            {"text": "90 days", "fraction": 0.0, "feedback": ""},
        ],
        "line": 1,
    }
    assert second["line"] == 7
    assert [answer["fraction"] for answer in second["answers"]] == [1.0, 0.0, 0.0, 0.0]
    assert second["title"] == "Which channel do we answer first when…"


def test_questions_go_to_the_category_the_caller_names():
    result = parse(GOOD, category="$course$/Onboarding/Billing")
    assert {question["category"] for question in result.questions} == {"$course$/Onboarding/Billing"}


def test_questions_need_no_blank_line_between_them_and_may_have_one_before_their_options():
    text = ("Can we refund in cash?\n\nA) Yes\nB) No\nANSWER: B\n"
            "Who approves refunds over 500 EUR?\nA) The agent\nB) A supervisor\n\nANSWER: B\n")
    result = parse(text)
    assert result.ok, result.problems
    assert [(question["line"], question["text"]) for question in result.questions] == [
        (1, "Can we refund in cash?"), (6, "Who approves refunds over 500 EUR?")]


def test_windows_and_old_mac_line_ends_a_byte_order_mark_and_spaces_are_fine():
    text = ("\ufeff  Is the hotline open on Sundays?  \r\nA)   Yes \r\nB)\tNo\r\nANSWER:B\r\r\n"
            "Second?\rA) x\rB) y\rANSWER: a\r")
    result = parse(text)
    assert result.ok, result.problems
    first, second = result.questions
    assert first["text"] == "Is the hotline open on Sundays?"
    assert [answer["text"] for answer in first["answers"]] == ["Yes", "No"]
    assert first["answers"][1]["fraction"] == 1.0
    assert second["line"] == 6 and second["answers"][0]["fraction"] == 1.0


def test_markup_and_non_ascii_text_are_kept_as_written():
    text = "Co řekneš zákazníkovi, který píše „vrácení <peněz> & hned“?\nA) Počkejte\nB) Ověřím objednávku\nANSWER: B\n"
    (question,) = parse(text).questions
    assert question["text"] == "Co řekneš zákazníkovi, který píše „vrácení <peněz> & hned“?"
    assert question["format"] == "plain"


def test_bytes_are_read_as_utf8_with_or_without_a_byte_order_mark():
    data = "Platba kartou?\nA) Ano\nB) Ne\nANSWER: A\n".encode()
    assert aiken.parse_bytes(data, PATH).questions == aiken.parse_bytes(b"\xef\xbb\xbf" + data, PATH).questions
    assert aiken.parse_bytes(data, PATH).questions[0]["text"] == "Platba kartou?"


@pytest.mark.parametrize(("text", "line", "message"), [
    pytest.param("Refund window?\nA) 14 days\nB) 30 days\n", 1, "has no 'ANSWER: X' line",
                 id="missing answer line at the end"),
    pytest.param("Refund window?\nA) 14 days\nB) 30 days\n\nWho escalates?\nA) Me\nB) You\nANSWER: B\n", 1,
                 "has no 'ANSWER: X' line", id="missing answer line before the next question"),
    pytest.param("Refund window?\nA) 14 days\nB) 30 days\nANSWER: D\n", 4, "ANSWER D is not one of the options (A, B)",
                 id="answer letter not an option"),
    pytest.param("Refund window?\nA) 30 days\nANSWER: A\n", 1, "has 1 option(s); it needs at least 2",
                 id="one option"),
    pytest.param("Refund window?\nANSWER: A\n", 1, "has 0 option(s); it needs at least 2", id="no options"),
    pytest.param("Refund window?\nA) 14 days\nC) 30 days\nANSWER: C\n", 3,
                 "option C is out of order: options go A, B, C, … and this one should be B", id="letter skipped"),
    pytest.param("Refund window?\nB) 14 days\nA) 30 days\nANSWER: A\n", 2, "option B is out of order",
                 id="letters reversed"),
    pytest.param("Refund window?\nA) 14 days\nB) 30 days\nB) 60 days\nANSWER: B\n", 4,
                 "option letter B is used twice (first on line 3)", id="letter used twice"),
    pytest.param("Refund window?\nA) 14 days\nB) 30 days\nANSWER: B\nBecause the policy says so.\n", 5,
                 "text after an ANSWER line must be a new question", id="text after the answer line"),
    pytest.param("Refund window?\nA) 14 days\nB) 30 days\nANSWER: B\nC) 90 days\n", 5,
                 "option C comes after the ANSWER line", id="option after the answer line"),
    pytest.param("Refund window?\nA) 14 days\nB) 30 days\nANSWER: B\nANSWER: A\n", 5,
                 "a second ANSWER line for the same question", id="second answer line"),
    pytest.param("ANSWER: A\n", 1, "an ANSWER line without a question", id="answer line alone"),
    pytest.param("Refund window?\nA) 14 days\nB) 30 days\nANSWER: A, B\n", 4,
                 "must name one option letter, e.g. 'ANSWER: B', not 'A, B'", id="several right answers"),
    pytest.param("Refund window?\nA) 14 days\nB) 30 days\nANSWER:\n", 4, "names no option", id="empty answer line"),
    pytest.param("Refund window?\na) 14 days\nb) 30 days\nANSWER: B\n", 2,
                 "option letters are capitals: write 'A)' instead of 'a)'", id="lower-case letters"),
    pytest.param("Refund window?\nA) 14 days\nB)\nANSWER: A\n", 3, "option B has no text", id="empty option"),
    pytest.param("A) 14 days\nB) 30 days\nANSWER: A\n", 1, "option A has no question line before it",
                 id="options without a question"),
    pytest.param("Billing quiz, part 1\n\nRefund window?\nA) 14 days\nB) 30 days\nANSWER: B\n", 1,
                 "question 'Billing quiz, part 1' has no options", id="a heading line"),
    pytest.param("Refund window?\nWhich is right?\nA) 14 days\nB) 30 days\nANSWER: B\n", 1,
                 "question 'Refund window?' has no options", id="question on two lines"),
])
def test_each_problem_names_its_line(text, line, message):
    result = parse(text)
    assert result.blocking(skip_unsupported=True), "a problem in the format is never skippable"
    assert any(problem.line == line and message in problem.message for problem in result.problems), result.problems
    assert all(str(problem).startswith(f"{PATH}:{problem.line}: ") for problem in result.problems)
    assert all(problem.unsupported is None for problem in result.problems)


def test_a_question_with_a_problem_is_left_out_and_the_rest_are_read():
    text = "Refund window?\nA) 14 days\nB) 30 days\nANSWER: E\n\n" + GOOD
    result = parse(text)
    assert not result.ok
    assert [question["line"] for question in result.questions] == [6, 12]


def test_every_problem_in_a_file_is_reported_not_only_the_first():
    text = """\
Refund window?
A) 14 days
C) 30 days
ANSWER: F
Because the policy says so.

Who approves a goodwill credit?
A) Any agent
B) A team lead
B) The customer

Is the chat open at night?
A) Yes
ANSWER: A
"""
    assert messages(parse(text)) == [
        (3, "option C is out of order: options go A, B, C, … and this one should be B"),
        (4, "ANSWER F is not one of the options (A, C)"),
        (5, "text after an ANSWER line must be a new question (a line followed by options and an ANSWER line) "
            "or a blank line"),
        (7, "question 'Who approves a goodwill credit?' has no 'ANSWER: X' line after its options"),
        (10, "option letter B is used twice (first on line 9)"),
        (12, "question 'Is the chat open at night?' has 1 option(s); it needs at least 2"),
    ]


def test_a_file_that_is_not_utf8_names_the_line_of_its_first_bad_byte_and_gives_no_questions():
    data = GOOD.encode() + "\nVrácení peněz?\nA) Ano\nB) Ne\nANSWER: C\n".encode("cp1250")
    result = aiken.parse_bytes(data, PATH)
    assert result.questions == []
    assert messages(result) == [
        (14, "the file is not UTF-8 text (byte 0xe1); save it as UTF-8"),
        (17, "ANSWER C is not one of the options (A, B)"),
    ]


def test_an_empty_file_has_no_questions_and_no_problems():
    assert parse("").questions == [] and parse("\n\n").ok
