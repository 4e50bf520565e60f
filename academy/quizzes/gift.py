"""GIFT, Moodle's plain-text question format: read a file into question dicts and write them back.

Follows docs.moodle.org's "GIFT format" page, and Moodle's own importer where the page is silent.
Questions are separated by blank lines; a line starting with ``//`` is a comment (``// [id:X]`` and
``// [tag:Y]`` in a question's comments set its id and tags); ``$CATEGORY: path`` sets the category
of the questions after it (an empty path goes back to the default category). A question is
``::title::[format]text {answers} more text``: ``{}`` is an essay, no block a description, an
answer block inside the text a missing-word question. ``\\~ \\= \\# \\{ \\} \\: \\\\`` escape the
special characters and ``\\n`` is a line break.

The parser reports every problem it finds, each at its line, and keeps only the questions that
have none, so an import can go ahead without the questions of a type Academy does not have.
"""
from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass
from decimal import Decimal

from academy.quizzes.questions import MISSING_WORD, ParseResult, Problem, default_title, validate

CATEGORY = "$CATEGORY:"

# While a question's structure is read, escaped characters are private-use placeholders (as in
# Moodle), so that "\~" never splits answers; they turn back into characters in the final texts.
_ESCAPABLE = "\\~=#{}:n"
_PLACEHOLDER = {char: chr(0xE000 + index) for index, char in enumerate(_ESCAPABLE)}
_RESTORE = {ord(held): ("\n" if char == "n" else char) for char, held in _PLACEHOLDER.items()}
_ESCAPE_RE = re.compile(r"\\([\\~=#{}:n])")

_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_FORMAT_PREFIX = re.compile(r"\[(moodle|html|markdown|plain)\]")
_WEIGHT = re.compile(r"%([^%\s]*)%")  # a weight only when it holds a digit: "%APPDATA%" is text
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_CLOZE = re.compile(r"\s*\d*:[A-Z_]{2,}:")  # {1:MULTICHOICE:...}, Moodle's embedded answers
_ID = re.compile(r"\[id:((?:\\\]|[^\]])+)\]")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]])+)\]")


def parse_bytes(data: bytes, path: str | os.PathLike = "<gift>") -> ParseResult:
    """Parse a GIFT file's bytes: UTF-8, with or without a byte-order mark."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[:exc.start].decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")
        problem = Problem(str(path), before.count("\n") + 1, "the file is not UTF-8 text")
        return ParseResult([], [problem])
    return parse(text, str(path))


def parse(text: str, path: str = "<gift>") -> ParseResult:
    """Parse GIFT text into question dicts and every problem found, each at its line in ``path``."""
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = _FileReader(path)
    reader.read(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return ParseResult(reader.questions, sorted(reader.problems))


class _FileReader:
    """Splits a file into questions (blank-line separated) and keeps the category and results."""

    def __init__(self, path: str):
        self.path = path
        self.category: str | None = None
        self.questions: list[dict] = []
        self.problems: list[Problem] = []

    def read(self, lines: list[str]) -> None:
        chunk: list[tuple[int, str]] = []
        for number, line in enumerate(lines, 1):
            stripped = line.strip()
            if stripped and not stripped.startswith(CATEGORY):
                chunk.append((number, line))
                continue
            self.read_chunk(chunk)
            chunk = []
            if stripped:
                self.category = stripped[len(CATEGORY):].strip() or None
        self.read_chunk(chunk)

    def read_chunk(self, chunk: list[tuple[int, str]]) -> None:
        comments = [(number, line) for number, line in chunk if line.lstrip().startswith("//")]
        body = [(number, line) for number, line in chunk if not line.lstrip().startswith("//")]
        if not body:
            for number, line in comments:
                if _ID.search(line) or _TAG.search(line):
                    self.problems.append(Problem(self.path, number, "this [id:...] or [tag:...] comment has "
                                                 "no question after it (remove the blank line between them)"))
            return
        reader = _QuestionReader(_Chunk.of(body))
        question = reader.read()
        ids = [match.group(1).replace("\\]", "]").strip() for _, line in comments for match in _ID.finditer(line)]
        tags = [match.group(1).replace("\\]", "]").strip() for _, line in comments for match in _TAG.finditer(line)]
        if len(set(ids)) > 1:
            reader.problems.append((comments[0][0], f"the question has more than one id: {', '.join(ids)}", None))
        for line, message, unsupported in reader.problems:
            self.problems.append(Problem(self.path, line, message, unsupported))
        if question is None or reader.problems:
            return
        question["category"] = self.category
        if ids:
            question["id"] = ids[0]
        if tags:
            question["tags"] = tags
        messages = validate(question)
        for message in messages:
            self.problems.append(Problem(self.path, question["line"], message))
        if not messages:
            self.questions.append(question)


@dataclass
class _Chunk:
    """One question's lines joined by newlines, escapes replaced by placeholders."""

    text: str
    starts: list[int]
    numbers: list[int]

    @classmethod
    def of(cls, body: list[tuple[int, str]]) -> _Chunk:
        parts, starts, numbers, offset = [], [], [], 0
        for number, line in body:
            protected = _ESCAPE_RE.sub(lambda match: _PLACEHOLDER[match.group(1)], line)
            parts.append(protected)
            starts.append(offset)
            numbers.append(number)
            offset += len(protected) + 1
        return cls("\n".join(parts), starts, numbers)

    def line(self, offset: int) -> int:
        return self.numbers[max(bisect.bisect_right(self.starts, offset) - 1, 0)]


def _plain(raw: str) -> str:
    return raw.translate(_RESTORE)


def _first_char(text: str, offset: int) -> int:
    """The offset of the first non-blank character of ``text``, which starts at ``offset``."""
    return offset + len(text) - len(text.lstrip())


class _QuestionReader:
    """Reads one question; ``problems`` collects (line, message, unsupported type) triples."""

    def __init__(self, chunk: _Chunk):
        self.chunk = chunk
        self.s = chunk.text
        self.format = "moodle"
        self.problems: list[tuple[int, str, str | None]] = []

    def fail(self, offset: int, message: str, unsupported: str | None = None) -> None:
        self.problems.append((self.chunk.line(offset), message, unsupported))

    def read(self) -> dict | None:
        s = self.s
        start = _first_char(s, 0)
        title, body = "", start
        if s.startswith("::", start):
            end = s.find("::", start + 2)
            if end < 0:
                self.fail(start, "the title has no closing '::'")
                return None
            title, body = _plain(s[start + 2:end]).strip(), end + 2
        blocks = self.blocks(body)
        if blocks is None:
            return None
        if any(_CLOZE.match(s, opening + 1) for opening, _ in blocks):
            self.fail(blocks[0][0], "unsupported question type 'cloze' (embedded answers)", "cloze")
            return None
        if len(blocks) > 1:
            self.fail(blocks[1][0], "a second answer block: a question has one (write \\{ and \\} for braces in text)")
            return None
        missing = False
        if blocks:
            opening, closing = blocks[0]
            after = s[closing + 1:]
            missing = bool(after.strip())
            raw_text = s[body:opening] + (MISSING_WORD + after if missing else "")
        else:
            raw_text = s[body:]
        text = self.question_text(raw_text)
        if not text:
            self.fail(start, "the question text is empty")
        question = {"title": title or default_title(text), "category": None, "type": "description",
                    "format": self.format, "text": text, "general_feedback": "", "line": self.chunk.line(start)}
        if missing:
            question["missing_word"] = True
        if blocks:
            fields = self.answer_block(opening + 1, closing)
            if fields is None:
                return None
            question.update(fields)
        return None if self.problems else question

    def question_text(self, raw: str) -> str:
        text = raw.strip()
        prefix = _FORMAT_PREFIX.match(text)
        if prefix:
            self.format, text = prefix.group(1), text[prefix.end():]
        return _plain(text).strip()

    def sub_text(self, raw: str, offset: int) -> str:
        """An answer or feedback text: unescaped, trimmed, its format prefix checked and removed."""
        text = _plain(raw).strip()
        prefix = _FORMAT_PREFIX.match(text)
        if prefix:
            if prefix.group(1) != self.format:
                self.fail(offset, f"answers and feedback use the question's text format [{self.format}]; "
                                  f"[{prefix.group(1)}] here is not supported")
            text = text[prefix.end():].strip()
        return text

    def blocks(self, start: int) -> list[tuple[int, int]] | None:
        """The (opening, closing) offsets of each answer block, or None after a brace problem."""
        found, opened, ok = [], None, True
        for match in re.finditer(r"[{}]", self.s[start:]):
            index = start + match.start()
            if match.group() == "{":
                if opened is not None:
                    self.fail(opened, "'{' is never closed (write \\{ for a brace in text)")
                    ok = False
                opened = index
            elif opened is None:
                self.fail(index, "stray '}' with no '{' before it (write \\} for a brace in text)")
                ok = False
            else:
                found.append((opened, index))
                opened = None
        if opened is not None:
            self.fail(opened, "'{' is never closed (write \\{ for a brace in text)")
            ok = False
        return found if ok else None

    def answer_block(self, start: int, end: int) -> dict | None:
        """The type and type-specific fields of the answer block ``s[start:end]``."""
        s = self.s
        fields = {}
        separator = s.rfind("####", start, end)
        if separator >= 0:
            fields["general_feedback"] = self.sub_text(s[separator + 4:end], separator)
            end = separator
        content = s[start:end].strip()
        head = content.split("#", 1)[0].strip()
        if not content:
            qtype, specific = "essay", {}
        elif content.startswith("#"):
            qtype, specific = "numerical", self.numerical(s.index("#", start) + 1, end)
        elif "~" in content:
            qtype, specific = "multichoice", self.multichoice(start, end)
        elif "=" in content and "->" in content:
            qtype, specific = "matching", self.matching(start, end)
        elif head in _TRUE_FALSE:
            qtype, specific = "truefalse", self.truefalse(start, end)
        else:
            qtype, specific = "shortanswer", self.shortanswer(start, end)
        if specific is None:
            return None
        fields.update(specific, type=qtype)
        return fields

    def tokens(self, start: int, end: int, markers: str) -> tuple[tuple[str, str, int], list[tuple[str, str, int]]]:
        """The text before the first marker, and (marker, raw text, offset) for each answer after one."""
        s = self.s
        found, marker, begin = [], "", start
        for index in range(start, end):
            if s[index] in markers:
                found.append((marker, s[begin:index], begin))
                marker, begin = s[index], index + 1
        found.append((marker, s[begin:end], begin))
        return found[0], found[1:]

    def stray_lead(self, lead: tuple[str, str, int], markers: str) -> None:
        _, raw, offset = lead
        text = _plain(raw).strip()
        if not text:
            return
        if text.upper() in _TRUE_FALSE:
            self.fail(_first_char(raw, offset), f"'{text}': true/false answers are written T, TRUE, F or FALSE")
        else:
            self.fail(_first_char(raw, offset), f"'{text}' has no {markers} in front of it")

    def empty_block(self, answers: list[tuple[str, str, int]], start: int) -> bool:
        if any(_plain(raw).strip() for _, raw, _ in answers):
            return False
        self.fail(start - 1, "the answer block has no answers")
        return True

    def weight(self, raw: str, offset: int) -> tuple[float | None, str]:
        """A leading %weight% as a fraction (None when there is none), and the rest of the answer."""
        text = raw.lstrip()
        match = _WEIGHT.match(text)
        if not match or not re.search(r"\d", match.group(1)):
            return None, raw
        rest, value = text[match.end():], match.group(1)
        if not _NUMBER.fullmatch(value):
            self.fail(_first_char(raw, offset), f"the weight '%{_plain(value)}%' is not a number")
            return None, rest
        if not -100 <= float(value) <= 100:
            self.fail(_first_char(raw, offset), f"the weight '%{value}%' is not between -100 and 100")
            return None, rest
        return _fraction(value), rest

    def answer_and_feedback(self, raw: str, offset: int) -> tuple[str, str]:
        text, _, feedback = raw.partition("#")
        return self.sub_text(text, offset), self.sub_text(feedback, offset)

    def multichoice(self, start: int, end: int) -> dict | None:
        lead, tokens = self.tokens(start, end, "~=")
        self.stray_lead(lead, "'=' or '~'")
        if self.empty_block(tokens, start):
            return None
        answers, single = [], False
        for marker, raw, offset in tokens:
            weight, rest = self.weight(raw, offset)
            text, feedback = self.answer_and_feedback(rest, offset)
            if not text:
                self.fail(offset - 1, f"'{marker}' with no answer text after it")
            if marker == "=":
                single = True
                if weight is not None and weight != 1:
                    self.fail(offset - 1, "'=' marks a fully right answer; write a partly right one "
                                          "as '~%50%answer'")
                weight = 1.0
            answers.append({"text": text, "fraction": 0.0 if weight is None else weight, "feedback": feedback})
        return {"single": single, "answers": answers}

    def shortanswer(self, start: int, end: int) -> dict | None:
        lead, tokens = self.tokens(start, end, "=")
        self.stray_lead(lead, "'='")
        if lead[1].strip() and not tokens:
            return None
        if self.empty_block(tokens, start):
            return None
        answers = []
        for _, raw, offset in tokens:
            weight, rest = self.weight(raw, offset)
            text, feedback = self.answer_and_feedback(rest, offset)
            if not text:
                self.fail(offset - 1, "'=' with no answer text after it")
            answers.append({"text": text, "fraction": 1.0 if weight is None else weight, "feedback": feedback})
        return {"answers": answers}

    def matching(self, start: int, end: int) -> dict | None:
        lead, tokens = self.tokens(start, end, "=")
        self.stray_lead(lead, "'='")
        pairs = []
        for _, raw, offset in tokens:
            where = _first_char(raw, offset)
            if "->" not in raw:
                self.fail(where, f"the matching pair '{_plain(raw).strip()}' has no '->'")
                continue
            question, answer = raw.split("->", 1)
            if "#" in raw:
                self.fail(where, "matching pairs take no feedback; use the general feedback (####)")
            if self.weight(question, offset)[0] is not None:
                self.fail(where, "matching pairs take no weights")
            pairs.append({"question": self.sub_text(question, offset), "answer": _plain(answer).strip()})
            if not pairs[-1]["answer"]:
                self.fail(where, "the matching pair has no answer after '->'")
        if len(tokens) < 3:
            self.fail(start - 1, f"a matching question needs at least 3 pairs, it has {len(tokens)}")
        return {"pairs": pairs}

    def truefalse(self, start: int, end: int) -> dict:
        answer, wrong, right = (self.s[start:end].split("#", 2) + ["", ""])[:3]
        correct = _TRUE_FALSE[answer.strip()]
        wrong, right = self.sub_text(wrong, start), self.sub_text(right, start)
        return {"correct": correct,
                "feedback_true": right if correct else wrong,
                "feedback_false": wrong if correct else right}

    def numerical(self, start: int, end: int) -> dict | None:
        tilde = self.s.find("~", start, end)
        if tilde >= 0:
            self.fail(tilde, "'~' (Moodle's catch-all wrong answer) is not supported in numerical questions; "
                             "put that advice in the general feedback (####)")
            end = tilde
        lead, tokens = self.tokens(start, end, "=")
        entries = ([lead] if lead[1].strip() else []) + tokens
        if self.empty_block(entries, start):
            return None
        answers = []
        for _, raw, offset in entries:
            weight, rest = self.weight(raw, offset)
            spec, _, feedback = rest.partition("#")
            value, tolerance = self.number_spec(spec, _first_char(raw, offset))
            answers.append({"value": value, "tolerance": tolerance,
                            "fraction": 1.0 if weight is None else weight,
                            "feedback": self.sub_text(feedback, offset)})
        return {"numerical": answers}

    def number_spec(self, raw: str, offset: int) -> tuple[float, float]:
        """``value``, ``value:tolerance`` or ``min..max`` as (value, tolerance)."""
        spec = raw.strip()
        if not spec:
            self.fail(offset, "a numerical answer with no number")
            return 0.0, 0.0
        if ".." in spec[1:]:
            low, high = (self.number(part, offset) for part in spec.split("..", 1))
            if low is None or high is None:
                return 0.0, 0.0
            if low > high:
                self.fail(offset, f"the range '{_plain(spec)}' runs from high to low")
            return (low + high) / 2, (high - low) / 2
        if ":" in spec[1:]:
            value, tolerance = (self.number(part, offset) for part in spec.split(":", 1))
        else:
            value, tolerance = self.number(spec, offset), 0.0
        return value or 0.0, tolerance or 0.0

    def number(self, raw: str, offset: int) -> float | None:
        text = _plain(raw).strip()
        if _NUMBER.fullmatch(text):
            return float(text)
        self.fail(offset, f"'{text}' is not a number")
        return None


def _fraction(percent: str) -> float:
    """A weight in percent as a fraction, rounded once (so dumped weights read back exactly)."""
    return float(Decimal(percent) / 100)


def dump(questions: list[dict]) -> str:
    """GIFT text that ``parse`` reads back into the same questions (all but their ``line``).

    Raises ValueError for a question that is not valid (``questions.validate``) or that GIFT
    cannot hold: a description with general feedback, a matching pair whose question contains
    '->', a missing-word text with nothing after its blank, a line break in a category, id or tag.
    """
    chunks, category = [], None
    for question in questions:
        if question.get("category") != category:
            category = question.get("category")
            chunks.append(f"{CATEGORY} {category or ''}".rstrip() + "\n")
        chunks.append(_dump_question(question))
    return "\n".join(chunks)


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _guarded(text: str, fmt: str) -> str:
    """``text`` escaped, behind the format prefix when it starts with something that looks like one."""
    return (f"[{fmt}]" if _FORMAT_PREFIX.match(text) else "") + _escape(text)


def _weight(fraction: float) -> str:
    """The percentage that reads back as exactly ``fraction``: 0.5 is "%50%"."""
    percent = (Decimal(repr(float(fraction))) * 100).normalize()
    return f"%{percent:f}%"


def _number(value: float) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _mark(kind: str, value: str) -> str:
    escaped = value.replace("]", "\\]")
    return f"[{kind}:{escaped}]"


def _feedback(text: str, fmt: str) -> str:
    return f"#{_guarded(text, fmt)}" if text else ""


def _dump_question(question: dict) -> str:
    name = question.get("title") or question.get("text")
    messages = validate(question)
    if messages:
        raise ValueError(f"{name!r} is not a valid question: {'; '.join(messages)}")
    if any("\n" in (value or "") for value in [question["category"], question.get("id"), *question.get("tags", [])]):
        raise ValueError(f"{name!r}: GIFT cannot hold a line break in a category, id or tag")
    qtype, fmt, text = question["type"], question["format"], question["text"]
    general = question.get("general_feedback", "")
    lines = []
    marks = [_mark("id", question["id"])] if question.get("id") else []
    marks += [_mark("tag", tag) for tag in question.get("tags", [])]
    if marks:
        lines.append("// " + " ".join(marks))
    head = f"::{_escape(question.get('title', ''))}::"
    if fmt != "moodle" or _FORMAT_PREFIX.match(text):
        head += f"[{fmt}]"
    if qtype == "description":
        if general:
            raise ValueError(f"{name!r}: GIFT cannot hold a description's general feedback")
        lines.append(head + _escape(text))
        return "\n".join(lines) + "\n"
    body = _dump_block(question, fmt)
    general = f"####{_guarded(general, fmt)}" if general else ""
    if qtype in ("essay", "truefalse"):
        block = "{" + "".join(body) + general + "}"
    else:
        opening = "{#\n" if qtype == "numerical" else "{\n"
        block = opening + "\n".join(body + ([f"\t{general}"] if general else [])) + "\n}"
    if question.get("missing_word"):
        before, blank, after = text.partition(MISSING_WORD)
        if not blank or not after.strip():
            raise ValueError(f"{name!r}: a missing-word text needs {MISSING_WORD} with text after it")
        lines.append(head + _escape(before) + block + _escape(after))
    else:
        lines.append(head + _escape(text) + " " + block)
    return "\n".join(lines) + "\n"


def _dump_block(question: dict, fmt: str) -> list[str]:
    """The lines inside the braces (essay: none; true/false: one, written inline)."""
    qtype = question["type"]
    if qtype == "essay":
        return []
    if qtype == "truefalse":
        correct = question["correct"]
        right = question.get("feedback_true" if correct else "feedback_false", "")
        wrong = question.get("feedback_false" if correct else "feedback_true", "")
        line = "TRUE" if correct else "FALSE"
        if wrong or right:
            line += "#" + _guarded(wrong, fmt)
        if right:
            line += "#" + _guarded(right, fmt)
        return [line]
    lines = []
    if qtype == "multichoice":
        for answer in question["answers"]:
            text, fraction = answer["text"], answer["fraction"]
            if question.get("single") and fraction == 1:
                mark = "=%100%" if text.startswith("%") else "="
            elif fraction == 0 and not text.startswith("%"):
                mark = "~"
            else:
                mark = "~" + _weight(fraction)
            lines.append(f"\t{mark}{_guarded(text, fmt)}{_feedback(answer.get('feedback', ''), fmt)}")
    elif qtype == "shortanswer":
        for answer in question["answers"]:
            text, fraction = answer["text"], answer["fraction"]
            mark = "=" if fraction == 1 and not text.startswith("%") else "=" + _weight(fraction)
            lines.append(f"\t{mark}{_guarded(text, fmt)}{_feedback(answer.get('feedback', ''), fmt)}")
    elif qtype == "matching":
        for pair in question["pairs"]:
            if "->" in pair["question"]:
                raise ValueError(f"{question.get('title')!r}: GIFT cannot hold '->' in a matching question")
            lines.append(f"\t={_guarded(pair['question'], fmt)} -> {_escape(pair['answer'])}")
    elif qtype == "numerical":
        for answer in question["numerical"]:
            weight = "" if answer["fraction"] == 1 else _weight(answer["fraction"])
            lines.append(f"\t={weight}{_number(answer['value'])}:{_number(answer['tolerance'])}"
                         f"{_feedback(answer.get('feedback', ''), fmt)}")
    return lines
