"""The shape every question format parses into, and the checks that shape must pass.

A parsed question is a plain dict (DESIGN.md section 4, "Quizzes"), so it goes to JSON and back
unchanged. Keys common to every type:

- ``title`` (str), ``category`` (str, e.g. ``"$course$/Onboarding/Billing"``, or ``None`` for the
  default category), ``type`` (one of ``QUESTION_TYPES``), ``format`` (one of ``FORMATS``),
  ``text`` (str, unescaped), ``general_feedback`` (str), ``line`` (1-based line where the question
  starts in its file);
- optional: ``id`` (str), ``tags`` (list of str), ``missing_word`` (``True`` when the answers sat
  inside the text, which then holds ``MISSING_WORD`` where they were).

Keys by type:

- ``multichoice``: ``single`` (bool), ``answers`` ``[{"text", "fraction", "feedback"}]``;
- ``truefalse``: ``correct`` (bool), ``feedback_true``, ``feedback_false`` (feedback shown to
  whoever answers true, or false);
- ``shortanswer``: ``answers`` as for multichoice;
- ``matching``: ``pairs`` ``[{"question", "answer"}]`` (an empty question is an extra, wrong
  answer);
- ``numerical``: ``numerical`` ``[{"value", "tolerance", "fraction", "feedback"}]``;
- ``essay`` and ``description``: nothing more.

Fractions are numbers in [-1, 1]. This module is pure: no Flask, no database.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

QUESTION_TYPES = ("multichoice", "truefalse", "shortanswer", "matching", "numerical", "essay", "description")
FORMATS = ("moodle", "html", "markdown", "plain")
MISSING_WORD = "_____"
TITLE_LENGTH = 40

# How close to 100 % the weights of a several-answers multichoice must add up (33.333 x 3).
_WEIGHT_SLACK = 0.001


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in an imported file, where it is, and whether it is only an unsupported type."""

    path: str
    line: int
    message: str
    unsupported: str | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class ParseResult:
    """What a format parser returns: every question it read and every problem it found."""

    questions: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def blocking(self, skip_unsupported: bool) -> list[Problem]:
        """The problems that stop an import: all of them, or all but unsupported types when skipping."""
        if not skip_unsupported:
            return list(self.problems)
        return [problem for problem in self.problems if problem.unsupported is None]


def default_title(text: str) -> str:
    """A title made from the start of the text, as Moodle names questions that have none."""
    plain = re.sub(r"<[^>]*>", " ", text)
    plain = " ".join(plain.split())
    if len(plain) <= TITLE_LENGTH:
        return plain
    cut = plain[:TITLE_LENGTH]
    space = cut.rfind(" ")
    if space > TITLE_LENGTH // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def new_question(qtype: str, text: str, line: int, **fields) -> dict:
    """A question dict of type ``qtype`` with the common keys filled in; ``fields`` add or override."""
    question = {
        "title": "",
        "category": None,
        "type": qtype,
        "format": "moodle",
        "text": text,
        "general_feedback": "",
        "line": line,
    }
    question.update(fields)
    if not question["title"]:
        question["title"] = default_title(question["text"]) or qtype
    return question


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _percent(fraction: float) -> str:
    return f"{fraction * 100:g}%"


def _check_fraction(where: str, fraction, messages: list[str], allow_negative: bool = True) -> bool:
    if not _is_number(fraction):
        messages.append(f"{where}: the fraction {fraction!r} is not a number")
        return False
    low = -1.0 if allow_negative else 0.0
    if not low <= fraction <= 1.0:
        bounds = "-100% and 100%" if allow_negative else "0% and 100%"
        messages.append(f"{where}: the weight {_percent(fraction)} is not between {bounds}")
        return False
    return True


def _check_answers(question: dict, messages: list[str], allow_negative: bool) -> list[float]:
    answers = question.get("answers")
    if not isinstance(answers, list) or not answers:
        messages.append("the question has no answers")
        return []
    fractions = []
    for number, answer in enumerate(answers, 1):
        where = f"answer {number}"
        if not isinstance(answer, dict):
            messages.append(f"{where} is not an object")
            continue
        if not isinstance(answer.get("text"), str) or not answer["text"].strip():
            messages.append(f"{where} has no text")
        if not isinstance(answer.get("feedback", ""), str):
            messages.append(f"{where}: the feedback is not text")
        if _check_fraction(where, answer.get("fraction"), messages, allow_negative):
            fractions.append(answer["fraction"])
    return fractions


def _validate_multichoice(question: dict, messages: list[str]) -> None:
    single = question.get("single")
    if not isinstance(single, bool):
        messages.append("'single' must be true or false")
    answers = question.get("answers")
    fractions = _check_answers(question, messages, allow_negative=True)
    if isinstance(answers, list) and len(answers) == 1:
        messages.append("a multiple-choice question needs at least 2 answers")
    if not fractions:
        return
    if max(fractions) <= 0:
        messages.append("no answer is right: give one a positive weight")
    elif single is True and max(fractions) < 1:
        messages.append(f"the best answer is worth {_percent(max(fractions))}; "
                        "a one-answer question needs an answer worth 100%")
    elif single is False:
        total = sum(fraction for fraction in fractions if fraction > 0)
        if abs(total - 1) > _WEIGHT_SLACK:
            messages.append(f"the right answers' weights add up to {_percent(total)}, not 100%")


def _validate_shortanswer(question: dict, messages: list[str]) -> None:
    fractions = _check_answers(question, messages, allow_negative=False)
    if fractions and max(fractions) < 1:
        messages.append("no answer is worth 100%")


def _validate_truefalse(question: dict, messages: list[str]) -> None:
    if not isinstance(question.get("correct"), bool):
        messages.append("'correct' must be true or false")
    for key in ("feedback_true", "feedback_false"):
        if not isinstance(question.get(key), str):
            messages.append(f"'{key}' must be text")


def _validate_matching(question: dict, messages: list[str]) -> None:
    pairs = question.get("pairs")
    if not isinstance(pairs, list):
        messages.append("a matching question needs 'pairs'")
        return
    asked = 0
    for number, pair in enumerate(pairs, 1):
        if not isinstance(pair, dict) or not isinstance(pair.get("question"), str) \
                or not isinstance(pair.get("answer"), str):
            messages.append(f"pair {number} needs a 'question' and an 'answer' text")
            continue
        if not pair["answer"].strip():
            messages.append(f"pair {number} has no answer")
        if pair["question"].strip():
            asked += 1
    if asked < 2:
        messages.append(f"a matching question needs at least 2 pairs, it has {asked}")


def _validate_numerical(question: dict, messages: list[str]) -> None:
    answers = question.get("numerical")
    if not isinstance(answers, list) or not answers:
        messages.append("the question has no numerical answers")
        return
    fractions = []
    for number, answer in enumerate(answers, 1):
        where = f"answer {number}"
        if not isinstance(answer, dict):
            messages.append(f"{where} is not an object")
            continue
        if not _is_number(answer.get("value")):
            messages.append(f"{where}: the value {answer.get('value')!r} is not a number")
        tolerance = answer.get("tolerance")
        if not _is_number(tolerance):
            messages.append(f"{where}: the tolerance {tolerance!r} is not a number")
        elif tolerance < 0:
            messages.append(f"{where}: the tolerance {tolerance:g} is below 0")
        if not isinstance(answer.get("feedback", ""), str):
            messages.append(f"{where}: the feedback is not text")
        if _check_fraction(where, answer.get("fraction"), messages, allow_negative=False):
            fractions.append(answer["fraction"])
    if fractions and max(fractions) < 1:
        messages.append("no answer is worth 100%")


_BY_TYPE = {
    "multichoice": _validate_multichoice,
    "truefalse": _validate_truefalse,
    "shortanswer": _validate_shortanswer,
    "matching": _validate_matching,
    "numerical": _validate_numerical,
}


def validate(question: dict) -> list[str]:
    """Readable messages for everything in ``question`` that breaks the shape above (none: it is fine)."""
    messages: list[str] = []
    qtype = question.get("type")
    if qtype not in QUESTION_TYPES:
        return [f"unknown question type {qtype!r}"]
    if question.get("format") not in FORMATS:
        messages.append(f"unknown text format {question.get('format')!r}")
    text = question.get("text")
    if not isinstance(text, str) or not text.strip():
        messages.append("the question text is empty")
    elif question.get("missing_word") and MISSING_WORD not in text:
        messages.append(f"a missing-word question needs {MISSING_WORD} in its text")
    if not isinstance(question.get("title"), str) or not question["title"].strip():
        messages.append("the question has no title")
    category = question.get("category")
    if category is not None and not isinstance(category, str):
        messages.append("the category must be text")
    if not isinstance(question.get("general_feedback", ""), str):
        messages.append("the general feedback must be text")
    tags = question.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(tag, str) and tag.strip() for tag in tags):
        messages.append("tags must be a list of non-empty texts")
    if "id" in question and (not isinstance(question["id"], str) or not question["id"].strip()):
        messages.append("the id must be non-empty text")
    check = _BY_TYPE.get(qtype)
    if check is not None:
        check(question, messages)
    return messages
