"""Grading: how much a response to a question is worth, decided from the stored question alone.

Each question type is a class with one small contract (``normalise_response``, ``grade``,
``blank_response``, ``max_fraction``), registered by name in ``TYPES``. Grading takes plain data
(the parsed question dict of ``quizzes.questions`` and what the trainee answered), never a
request: nothing the browser says about correctness is read. Scoring follows Moodle:

- multichoice, one answer: the chosen answer's fraction, a negative one floored at 0;
- multichoice, several answers: the sum of the chosen answers' weights, kept within 0..1;
- truefalse: 1 for the right value, else 0;
- shortanswer: the best accepted answer that matches, compared without regard to case,
  surrounding or repeated whitespace and Unicode composition; ``*`` matches any characters and
  ``\\*`` is a literal star;
- numerical: the best answer whose ``value`` is within ``tolerance`` (``14``, ``14.0``, ``1,5``);
- matching: the share of the asked pairs (non-empty question) given their right answer;
- essay: needs grading by a trainer (``grade_manually``); description: not graded.

A response that cannot be read (wrong type, index out of range, not a number) raises
``ResponseError`` with a message the attempt page can show. This module is pure: no Flask, no
database.
"""
from __future__ import annotations

import math
import re
import unicodedata
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, ClassVar, Iterable, Sequence

STATES = ("correct", "partial", "wrong", "needs_grading", "not_answered")

# Moodle's question_state::graded_state_for_fraction: closer than this to 0 or 1 counts as 0 or 1.
_EPSILON = 1e-7
# Numbers typed as decimals are rarely exact in binary: 14.5 - 14 must be "within 0.5" for
# certain, so the tolerance gets a hair of slack relative to the size of the value (MDL-3225).
_RELATIVE_SLACK = 1e-9
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_INDEX = re.compile(r"\d+")


class ResponseError(ValueError):
    """A response that cannot be graded; ``str()`` is a sentence for the person who answered."""


class UnknownQuestionType(ValueError):
    """A question whose ``type`` has no grader in ``TYPES``."""


@dataclass(frozen=True)
class Grade:
    """What one response earned: ``fraction`` of the question's points (0..1), the ``state``,
    the feedback of the chosen or matched answers, and the most the question can give
    (``max_fraction``: 0 for a description, so its points never count)."""

    fraction: float
    state: str
    feedback: list[str] = field(default_factory=list)
    max_fraction: float = 1.0

    def __post_init__(self):
        if self.state not in STATES:
            raise ValueError(f"unknown grade state {self.state!r}")
        if not _is_number(self.fraction) or not 0.0 <= self.fraction <= 1.0:
            raise ValueError(f"a grade's fraction must be between 0 and 1, not {self.fraction!r}")


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _clamp(fraction: float) -> float:
    return min(max(float(fraction), 0.0), 1.0)


def graded(fraction: float, feedback: Iterable[str] = (), max_fraction: float = 1.0) -> Grade:
    """A Grade whose state follows from ``fraction`` as in Moodle (correct, partial or wrong)."""
    fraction = _clamp(fraction)
    if fraction < _EPSILON:
        state, fraction = "wrong", 0.0
    elif fraction > 1 - _EPSILON:
        state, fraction = "correct", 1.0
    else:
        state = "partial"
    return Grade(fraction, state, [text for text in feedback if text], max_fraction)


def not_answered(question: dict) -> Grade:
    return Grade(0.0, "not_answered", [], max_fraction(question))


def _blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or (
        isinstance(raw, (list, tuple, dict, set)) and not raw)


def _index(raw, count: int, what: str) -> int:
    """An answer index given as an int or a string of digits, checked against ``count`` answers."""
    if isinstance(raw, str) and _INDEX.fullmatch(raw.strip()):
        raw = int(raw.strip())
    if not isinstance(raw, int) or isinstance(raw, bool):
        raise ResponseError(f"the {what} must be given by its number, not {raw!r}")
    if not 0 <= raw < count:
        raise ResponseError(f"there is no {what} number {raw}: this question has {count}")
    return raw


class QuestionType(ABC):
    """The contract of a question type. ``normalise_response`` turns what a form or the API sent
    into the type's canonical response (``None`` when nothing was answered) or raises
    ResponseError; ``grade`` grades a canonical response that is not ``None``."""

    name: ClassVar[str] = ""

    def blank_response(self, question: dict) -> Any:
        """The value of an unanswered response, as the attempt page starts it."""
        return None

    @abstractmethod
    def normalise_response(self, question: dict, raw) -> Any:
        """The canonical response for ``raw``, or None when nothing was answered."""

    @abstractmethod
    def grade(self, question: dict, response) -> Grade:
        """The grade of a canonical, non-empty response."""

    def max_fraction(self, question: dict) -> float:
        """The most a response can earn (1 for every valid question that is graded)."""
        return 1.0


TYPES: dict[str, QuestionType] = {}


def register(cls: type[QuestionType]) -> type[QuestionType]:
    """Class decorator: add an instance of ``cls`` to ``TYPES`` under ``cls.name``."""
    if not cls.name or cls.name in TYPES:
        raise ValueError(f"question type {cls.name!r} is unnamed or already registered")
    TYPES[cls.name] = cls()
    return cls


def type_of(question: dict) -> QuestionType:
    try:
        return TYPES[question["type"]]
    except (KeyError, TypeError):
        raise UnknownQuestionType(f"no grader for question type {question.get('type')!r}") from None


def normalise_response(question: dict, raw) -> Any:
    """``raw`` in the canonical form of the question's type, ``None`` when it is blank."""
    return type_of(question).normalise_response(question, raw)


def grade(question: dict, response) -> Grade:
    """Grade ``response`` (raw or already normalised) to ``question``, a parsed question dict.
    Raises ResponseError for a response that cannot be read."""
    qtype = type_of(question)
    normalised = qtype.normalise_response(question, response)
    if normalised is None:
        return not_answered(question)
    return qtype.grade(question, normalised)


def max_fraction(question: dict) -> float:
    return type_of(question).max_fraction(question)


def grade_manually(fraction, feedback: str = "") -> Grade:
    """A trainer's grade of an essay: ``fraction`` of the points (0..1) and an optional comment."""
    if not _is_number(fraction):
        raise ValueError(f"the grade must be a number between 0 and 1, not {fraction!r}")
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"the grade must be between 0 and 1 (0% and 100%), not {fraction:g}")
    if not isinstance(feedback, str):
        raise ValueError("the trainer's comment must be text")
    return graded(fraction, [feedback.strip()])


def penalised(fraction: float, tries: int, penalty: float) -> float:
    """The fraction earned on try number ``tries`` (1 = first) in "immediate feedback with
    retries": each earlier, wrong try costs ``penalty``; never below 0 (Moodle's rule)."""
    if not _is_number(fraction) or not 0.0 <= fraction <= 1.0:
        raise ValueError(f"the fraction must be between 0 and 1, not {fraction!r}")
    if not isinstance(tries, int) or isinstance(tries, bool) or tries < 1:
        raise ValueError(f"tries counts from 1, not {tries!r}")
    if not _is_number(penalty) or not 0.0 <= penalty <= 1.0:
        raise ValueError(f"the penalty must be between 0 and 1, not {penalty!r}")
    return max(0.0, fraction - penalty * (tries - 1))


def score(grades: Sequence[Grade], points: Sequence[float]) -> tuple[float, float, float]:
    """(earned, possible, percent) of an attempt: each grade's fraction times its question's
    points. Questions that give nothing (descriptions) add nothing to ``possible``; an essay
    still to be graded counts 0 until the trainer's grade replaces it."""
    if len(grades) != len(points):
        raise ValueError(f"{len(grades)} grade(s) but {len(points)} point value(s)")
    earned = possible = 0.0
    for item, value in zip(grades, points):
        if not _is_number(value) or value < 0:
            raise ValueError(f"a question's points must be a number of at least 0, not {value!r}")
        earned += item.fraction * value
        possible += item.max_fraction * value
    earned, possible = round(earned, 7), round(possible, 7)
    percent = round(100.0 * earned / possible, 7) if possible else 0.0
    return earned, possible, percent


# --- the types -----------------------------------------------------------------------------------

@register
class MultiChoice(QuestionType):
    """One answer (``single``): the index of the chosen answer. Several: a list of indices."""

    name = "multichoice"

    def blank_response(self, question: dict):
        return None if question.get("single") else []

    def normalise_response(self, question: dict, raw):
        count = len(question["answers"])
        if question.get("single"):
            if _blank(raw):
                return None
            if isinstance(raw, (list, tuple)):
                raise ResponseError("choose one answer only")
            return _index(raw, count, "answer")
        if _blank(raw):
            return None
        if isinstance(raw, (int, str)) and not isinstance(raw, bool):
            raw = [raw]
        if not isinstance(raw, (list, tuple, set)):
            raise ResponseError(f"the chosen answers must be a list of answer numbers, not {raw!r}")
        chosen = [_index(item, count, "answer") for item in raw]
        if len(set(chosen)) != len(chosen):
            raise ResponseError("an answer was chosen more than once")
        return sorted(chosen)

    def grade(self, question: dict, response) -> Grade:
        answers = question["answers"]
        if question.get("single"):
            answer = answers[response]
            return graded(answer["fraction"], [answer.get("feedback", "")])
        chosen = [answers[index] for index in response]
        return graded(sum(answer["fraction"] for answer in chosen),
                      [answer.get("feedback", "") for answer in chosen])

    def max_fraction(self, question: dict) -> float:
        fractions = [answer["fraction"] for answer in question["answers"]]
        if question.get("single"):
            return _clamp(max(fractions))
        return _clamp(sum(fraction for fraction in fractions if fraction > 0))


_TRUTH = {"true": True, "t": True, "1": True, "false": False, "f": False, "0": False}


@register
class TrueFalse(QuestionType):
    """A bool (or "true"/"false", "1"/"0" as a form sends it)."""

    name = "truefalse"

    def normalise_response(self, question: dict, raw):
        if isinstance(raw, bool) or raw is None:
            return raw
        if isinstance(raw, str):
            if not raw.strip():
                return None
            if raw.strip().lower() in _TRUTH:
                return _TRUTH[raw.strip().lower()]
        raise ResponseError(f"answer true or false, not {raw!r}")

    def grade(self, question: dict, response: bool) -> Grade:
        feedback = question.get("feedback_true" if response else "feedback_false", "")
        return graded(1.0 if response == question["correct"] else 0.0, [feedback])


def _comparable(text: str) -> str:
    """``text`` as short answers are compared: NFC, trimmed, inner whitespace collapsed, case folded."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


@lru_cache(maxsize=4096)
def _wildcard(accepted: str) -> tuple[str, ...]:
    """The literal pieces of an accepted answer between its ``*`` wildcards (``\\*`` is a star),
    in comparable form; one piece means no wildcard."""
    accepted = _comparable(accepted)
    pieces, current, index = [], [], 0
    while index < len(accepted):
        char = accepted[index]
        if char == "\\" and accepted.startswith("*", index + 1):
            current.append("*")
            index += 2
            continue
        if char == "*":
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    pieces.append("".join(current))
    return tuple(pieces)


def wildcard_match(accepted: str, response: str) -> bool:
    """Whether ``response`` matches the accepted answer ``accepted`` (Moodle's short-answer rule)."""
    return _matches(_wildcard(accepted), _comparable(response))


def _matches(pieces: tuple[str, ...], text: str) -> bool:
    if len(pieces) == 1:
        return text == pieces[0]
    first, *middle, last = pieces
    if len(text) < len(first) + len(last) or not text.startswith(first) or not text.endswith(last):
        return False
    position, stop = len(first), len(text) - len(last)
    for piece in middle:
        found = text.find(piece, position, stop)
        if found < 0:
            return False
        position = found + len(piece)
    return True


@register
class ShortAnswer(QuestionType):
    """The typed text."""

    name = "shortanswer"

    def blank_response(self, question: dict) -> str:
        return ""

    def normalise_response(self, question: dict, raw):
        if raw is None:
            return None
        if not isinstance(raw, str):
            raise ResponseError(f"type the answer as text, not {raw!r}")
        text = " ".join(unicodedata.normalize("NFC", raw).split())
        return text or None

    def grade(self, question: dict, response: str) -> Grade:
        best, text = None, _comparable(response)
        for answer in question["answers"]:
            if _matches(_wildcard(answer["text"]), text) and (best is None or answer["fraction"] > best["fraction"]):
                best = answer
        if best is None:
            return graded(0.0)
        return graded(best["fraction"], [best.get("feedback", "")])

    def max_fraction(self, question: dict) -> float:
        return _clamp(max(answer["fraction"] for answer in question["answers"]))


def parse_number(raw) -> float:
    """A typed number: ``14``, ``14.0``, ``-3``, ``1,5`` (comma as decimal separator), ``2e3``,
    with spaces around it; ResponseError otherwise."""
    if _is_number(raw):
        return float(raw)
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        raise ResponseError(f"type a number, not {raw!r}")
    if not isinstance(raw, str):
        raise ResponseError("type a finite number")
    text = raw.strip().replace("\u2212", "-")
    if "," in text:
        if "." in text or text.count(",") > 1:
            raise ResponseError(f"'{raw.strip()}' is not a number: use one decimal separator and no "
                                "thousands separators, e.g. 1500 or 1,5")
        text = text.replace(",", ".")
    if not _NUMBER.fullmatch(text):
        raise ResponseError(f"'{raw.strip()}' is not a number: type digits only, e.g. 14 or 1,5")
    value = float(text)
    if not math.isfinite(value):
        raise ResponseError(f"'{raw.strip()}' is too large a number")
    return value


def within(value: float, answer: dict) -> bool:
    """Whether ``value`` is within the numerical answer's tolerance of its value (edges included)."""
    slack = _RELATIVE_SLACK * max(1.0, abs(answer["value"]))
    return abs(value - answer["value"]) <= abs(answer["tolerance"]) + slack


@register
class Numerical(QuestionType):
    """The typed number (text or a number)."""

    name = "numerical"

    def blank_response(self, question: dict) -> str:
        return ""

    def normalise_response(self, question: dict, raw):
        if _blank(raw):
            return None
        return parse_number(raw)

    def grade(self, question: dict, response: float) -> Grade:
        best = None
        for answer in question["numerical"]:
            if within(response, answer) and (best is None or answer["fraction"] > best["fraction"]):
                best = answer
        if best is None:
            return graded(0.0)
        return graded(best["fraction"], [best.get("feedback", "")])

    def max_fraction(self, question: dict) -> float:
        return _clamp(max(answer["fraction"] for answer in question["numerical"]))


@register
class Matching(QuestionType):
    """A mapping from the index of an asked pair (its position in ``pairs``) to the chosen
    answer text; pairs left out, or mapped to "", are unanswered."""

    name = "matching"

    def blank_response(self, question: dict) -> dict:
        return {}

    def normalise_response(self, question: dict, raw):
        if _blank(raw):
            return None
        if not isinstance(raw, dict):
            raise ResponseError(f"a matching response maps each item to an answer, not {raw!r}")
        pairs = question["pairs"]
        offered = {pair["answer"].strip() for pair in pairs}
        response = {}
        for key, value in raw.items():
            index = _index(key, len(pairs), "item")
            if index in response:
                raise ResponseError(f"item {index} was answered twice")
            if not pairs[index]["question"].strip():
                raise ResponseError(f"there is no item number {index} to match")
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            if not isinstance(value, str):
                raise ResponseError(f"choose an answer from the list for item {index}, not {value!r}")
            choice = value.strip()
            if choice not in offered:
                raise ResponseError(f"'{choice}' is not one of the answers offered for item {index}")
            response[index] = choice
        return response or None

    def grade(self, question: dict, response: dict) -> Grade:
        asked = [index for index, pair in enumerate(question["pairs"]) if pair["question"].strip()]
        right = sum(1 for index in asked if response.get(index) == question["pairs"][index]["answer"].strip())
        return graded(right / len(asked) if asked else 0.0)

    def max_fraction(self, question: dict) -> float:
        return 1.0 if any(pair["question"].strip() for pair in question["pairs"]) else 0.0


@register
class Essay(QuestionType):
    """The written text; graded by a trainer (``grade_manually``)."""

    name = "essay"

    def blank_response(self, question: dict) -> str:
        return ""

    def normalise_response(self, question: dict, raw):
        if raw is None:
            return None
        if not isinstance(raw, str):
            raise ResponseError(f"write the answer as text, not {raw!r}")
        return raw if raw.strip() else None

    def grade(self, question: dict, response: str) -> Grade:
        return Grade(0.0, "needs_grading", [], 1.0)


@register
class Description(QuestionType):
    """Text shown between questions: nothing to answer, nothing to grade."""

    name = "description"

    def normalise_response(self, question: dict, raw):
        return None

    def grade(self, question: dict, response) -> Grade:
        return not_answered(question)

    def max_fraction(self, question: dict) -> float:
        return 0.0
