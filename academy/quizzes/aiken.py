"""Moodle's Aiken format (``quizzes/*.aiken.txt``): one-answer multiple-choice questions.

    How many days does a customer have to ask for a refund?
    A) 14 days
    B. 30 days
    C) 90 days
    ANSWER: B

A question is one line of text, then two or more options (a capital letter in order from A,
then ``)`` or ``.``, then a space and the option's text), then an ``ANSWER: X`` line naming the
right option. As in Moodle, blank lines between questions are optional and blank lines inside a
question are ignored; a line after an ANSWER line must start the next question. Aiken has no
titles, feedback or categories: the title is made from the text, the text is plain (Moodle
escapes it too), and every question goes to the category the caller names.

Parsing reports every problem in the file with its line, not only the first. Pure: no database.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from academy.quizzes.questions import ParseResult, Problem, default_title, new_question, validate

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LINE_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")
_OPTION = re.compile(r"^([A-Za-z])[.)](?:[ \t]+(.*)|)$")
_ANSWER = re.compile(r"^ANSWER\s*:(.*)$", re.IGNORECASE)
_ANSWER_LETTER = re.compile(r"^([A-Za-z])[.)]?$")


@dataclass
class _Option:
    letter: str
    text: str
    line: int


@dataclass
class _Draft:
    """A question being read: its line, text (None when options came without one), options."""

    line: int
    text: str | None
    follows_answer: bool = False
    options: list[_Option] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def name(self) -> str:
        return default_title(self.text or "")


class _Reader:
    def __init__(self, path: str, category: str | None):
        self.path = path
        self.category = category
        self.result = ParseResult()
        self.draft: _Draft | None = None
        self.after_answer = False  # the last non-blank line was an ANSWER line

    def problem(self, line: int, message: str) -> Problem:
        return Problem(self.path, line, message)

    def read(self, number: int, line: str) -> None:
        if not line:
            self.after_answer = False
            return
        answer = _ANSWER.match(line)
        if answer:
            self.read_answer(number, answer.group(1).strip())
            return
        option = _OPTION.match(line)
        if option:
            self.read_option(number, option.group(1), (option.group(2) or "").strip())
        else:
            self.read_text(number, line)
        self.after_answer = False

    def read_text(self, number: int, line: str) -> None:
        if self.draft is not None:
            self.close(self.draft, None)
        self.draft = _Draft(number, line, follows_answer=self.after_answer)

    def read_option(self, number: int, letter: str, text: str) -> None:
        capital = letter.upper()
        draft = self.draft
        if draft is None:
            where = "comes after the ANSWER line" if self.after_answer else "has no question line before it"
            draft = self.draft = _Draft(number, None)
            draft.problems.append(self.problem(number, f"option {capital} {where}"))
        else:
            seen = {option.letter: option.line for option in draft.options}
            expected = chr(ord(max(seen)) + 1) if seen else "A"
            if capital in seen:
                draft.problems.append(self.problem(
                    number, f"option letter {capital} is used twice (first on line {seen[capital]})"))
            elif capital != expected:
                draft.problems.append(self.problem(
                    number, f"option {capital} is out of order: options go A, B, C, … and this one should be "
                            f"{expected}"))
        if letter != capital:
            draft.problems.append(self.problem(
                number, f"option letters are capitals: write '{capital})' instead of '{letter})'"))
        if not text:
            draft.problems.append(self.problem(number, f"option {capital} has no text"))
        draft.options.append(_Option(capital, text, number))

    def read_answer(self, number: int, value: str) -> None:
        if self.draft is None:
            what = "a second ANSWER line for the same question" if self.after_answer \
                else "an ANSWER line without a question and options before it"
            self.result.problems.append(self.problem(number, what))
        else:
            self.close(self.draft, (number, value))
        self.draft = None
        self.after_answer = True

    def close(self, draft: _Draft, answer: tuple[int, str] | None) -> None:
        """Finish ``draft``; ``answer`` is its ANSWER line (number, value), or None when it has none."""
        self.draft = None
        problems = draft.problems
        right = self.check_answer(draft, *answer) if answer is not None else None
        if draft.text is None:
            self.result.problems.extend(problems)
            return
        name = draft.name
        if not draft.options and answer is None:
            if draft.follows_answer:
                problems.append(self.problem(
                    draft.line, "text after an ANSWER line must be a new question (a line followed by options "
                                "and an ANSWER line) or a blank line"))
            else:
                problems.append(self.problem(
                    draft.line, f"question '{name}' has no options ('A) …' lines) and no ANSWER line"))
        else:
            if len(draft.options) < 2:
                problems.append(self.problem(
                    draft.line, f"question '{name}' has {len(draft.options)} option(s); it needs at least 2"))
            if answer is None:
                problems.append(self.problem(
                    draft.line, f"question '{name}' has no 'ANSWER: X' line after its options"))
        if not problems and right is not None:
            question = self.build(draft, right)
            problems.extend(self.problem(draft.line, f"{message} (question '{name}')")
                            for message in validate(question))
            if not problems:
                self.result.questions.append(question)
        self.result.problems.extend(problems)

    def check_answer(self, draft: _Draft, number: int, value: str) -> str | None:
        """The right option's letter named by an ANSWER line, or None (with a problem) when it names none."""
        letter = _ANSWER_LETTER.match(value)
        if not value:
            message = "the ANSWER line names no option; write e.g. 'ANSWER: B'"
        elif not letter:
            message = (f"the ANSWER line must name one option letter, e.g. 'ANSWER: B', not '{value}' "
                       "(an Aiken question has one right answer)")
        elif draft.options and letter.group(1).upper() not in {option.letter for option in draft.options}:
            letters = ", ".join(dict.fromkeys(option.letter for option in draft.options))
            message = f"ANSWER {letter.group(1).upper()} is not one of the options ({letters})"
        else:
            return letter.group(1).upper()
        draft.problems.append(self.problem(number, message))
        return None

    def build(self, draft: _Draft, right: str) -> dict:
        answers = [{"text": option.text, "fraction": 1.0 if option.letter == right else 0.0, "feedback": ""}
                   for option in draft.options]
        return new_question("multichoice", draft.text or "", draft.line, category=self.category,
                            format="plain", single=True, answers=answers)

    def finish(self) -> ParseResult:
        if self.draft is not None:
            self.close(self.draft, None)
        self.result.problems.sort()
        return self.result


def parse(text: str, path: str | Path = "<aiken>", category: str | None = None) -> ParseResult:
    """Read Aiken ``text`` from ``path``; questions go to ``category`` (None: the default category)."""
    reader = _Reader(str(path), category)
    for number, line in enumerate(_LINE_BREAK.split(text.removeprefix("\ufeff")), 1):
        reader.read(number, line.strip())
    return reader.finish()


def parse_bytes(data: bytes, path: str | Path = "<aiken>", category: str | None = None) -> ParseResult:
    """Like ``parse`` for the raw bytes of a file, which must be UTF-8 (a BOM is allowed).

    A file that is not UTF-8 gives no questions: its first bad byte is reported with its line,
    together with every other problem found in the rest of the file.
    """
    try:
        return parse(data.decode("utf-8"), path, category)
    except UnicodeDecodeError as error:
        line = len(_LINE_BREAK_BYTES.split(data[: error.start]))
        bad = Problem(str(path), line, f"the file is not UTF-8 text (byte 0x{data[error.start]:02x}); "
                                       "save it as UTF-8")
        rest = parse(data.decode("utf-8", errors="replace"), path, category)
        return ParseResult([], sorted([bad, *rest.problems]))
