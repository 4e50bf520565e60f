"""Moodle XML (``quizzes/*.xml``), the format Moodle's question bank exports and imports.

``parse`` reads a ``<quiz>`` of ``<question type="...">`` elements into the question dicts of
``academy.quizzes.questions``; ``dump`` writes them back so that Moodle imports them and ``parse``
reads the same dicts again (all but ``line``). A ``<question type="category">`` sets the category
of the questions after it.

What Academy keeps: name, question text and its format, general feedback, ``idnumber`` (as
``id``), tags, and per type the answers, fractions and feedback. What it drops, because Academy
has no use for it: grades and penalties, hints, combined feedback, answer numbering and shuffling,
shortanswer's ``usecase`` (Academy compares short answers case-insensitively), numerical units,
and the essay's response settings. Question types Academy does not have (calculated, cloze,
drag-and-drop, ...) and embedded files are reported as problems, never imported half-right.

The XML is read with expat and refused when it declares entities or an external DTD, so a file
can neither expand into gigabytes nor read other files. Pure: no database.
"""
from __future__ import annotations

import codecs
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from academy.quizzes.questions import MISSING_WORD, ParseResult, Problem, default_title, new_question, validate

# Moodle's text formats and ours, both ways.
FORMAT_NAMES = {"moodle_auto_format": "moodle", "html": "html", "markdown": "markdown", "plain_text": "plain"}
_FORMAT_ATTRIBUTES = {ours: theirs for theirs, ours in FORMAT_NAMES.items()}
# Moodle's default when a text has no format attribute.
_DEFAULT_FORMAT = "html"
# Type names in files, and the Academy type each one reads as ("match" is Moodle's old name).
_TYPES = {"multichoice": "multichoice", "truefalse": "truefalse", "shortanswer": "shortanswer",
          "matching": "matching", "match": "matching", "numerical": "numerical", "essay": "essay",
          "description": "description"}
_WITH_ANSWERS = ("multichoice", "truefalse", "shortanswer", "matching", "numerical")
_ENCODING = re.compile(rb"""^<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Moodle's files nest about five deep; far deeper nesting is an attack on the reader, not a quiz.
_MAX_DEPTH = 50


class _Refused(Exception):
    """The XML is well-formed but unsafe to read."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class _Element:
    """An XML element with the line it starts on; ``text`` is its own character data."""

    tag: str
    attributes: dict[str, str]
    line: int
    children: list[_Element] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def find(self, tag: str) -> _Element | None:
        return next((child for child in self.children if child.tag == tag), None)

    def findall(self, tag: str) -> list[_Element]:
        return [child for child in self.children if child.tag == tag]

    def iter(self, tag: str):
        for child in self.children:
            if child.tag == tag:
                yield child
            yield from child.iter(tag)

    def field_text(self, tag: str) -> str:
        """The stripped ``<tag><text>...</text></tag>`` of this element ('' when missing)."""
        return _text_of(self.find(tag))


def _text_of(element: _Element | None) -> str:
    if element is None:
        return ""
    text = element.find("text")
    return text.text.strip() if text is not None else ""


def _read_tree(text: str) -> _Element:
    """Parse ``text`` into ``_Element``s; raises ExpatError when broken, _Refused when unsafe."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    stack: list[_Element] = []
    roots: list[_Element] = []

    def start(tag: str, attributes: dict[str, str]) -> None:
        if len(stack) >= _MAX_DEPTH:
            raise _Refused(parser.CurrentLineNumber,
                           f"elements are nested more than {_MAX_DEPTH} deep; this is not a Moodle question file")
        element = _Element(tag, attributes, parser.CurrentLineNumber)
        (stack[-1].children if stack else roots).append(element)
        stack.append(element)

    def end(_tag: str) -> None:
        stack.pop()

    def characters(data: str) -> None:
        if stack:
            stack[-1].parts.append(data)

    def doctype(_name, system_id, public_id, _has_internal_subset) -> None:
        if system_id or public_id:
            raise _Refused(parser.CurrentLineNumber,
                           "the file refers to an external DTD; quiz files must not, for safety")

    def entity(name, *_rest) -> None:
        raise _Refused(parser.CurrentLineNumber,
                       f"the file declares the XML entity '{name}'; entity declarations are refused for safety")

    def skipped(name, _is_parameter) -> None:
        raise _Refused(parser.CurrentLineNumber, f"the XML entity '{name}' is not defined")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = entity
    parser.SkippedEntityHandler = skipped
    parser.Parse(text, True)
    return roots[0]


def _decode(data: bytes, path: str) -> tuple[str | None, Problem | None]:
    """The text of a file's bytes: UTF-8 (or UTF-16 with a BOM, or the encoding it declares)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, body = "utf-16", data
    else:
        body = data.removeprefix(codecs.BOM_UTF8)
        declared = _ENCODING.match(body)
        encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
        try:
            codecs.lookup(encoding)
        except LookupError:
            return None, Problem(path, 1, f"unknown encoding '{encoding}' in the XML declaration; save the file "
                                          "as UTF-8")
    try:
        return body.decode(encoding), None
    except UnicodeDecodeError as error:
        line = body[: error.start].count(b"\n") + 1
        return None, Problem(path, line, f"the file is not {encoding.upper()} text "
                                         f"(byte 0x{body[error.start]:02x}); save it as UTF-8")


def parse(data: str | bytes, path: str | Path = "<moodle-xml>", category: str | None = None) -> ParseResult:
    """Read a Moodle XML file; questions before the first category question go to ``category``.

    Every problem is reported at the line of the element it concerns: the ``<question>``, or the
    answer, text or file inside it. Only questions without problems are returned; an unsupported
    type is a problem marked ``unsupported``, so an import may skip those questions.
    """
    path = str(path)
    result = ParseResult()
    if isinstance(data, bytes):
        text, problem = _decode(data, path)
        if problem is not None:
            result.problems.append(problem)
            return result
    else:
        text = data
    try:
        root = _read_tree(text)
    except _Refused as refused:
        result.problems.append(Problem(path, refused.line, refused.message))
        return result
    except expat.ExpatError as error:
        result.problems.append(Problem(
            path, error.lineno, f"broken XML: {expat.ErrorString(error.code)} (column {error.offset + 1})"))
        return result
    if root.tag != "quiz":
        result.problems.append(Problem(path, root.line, f"a Moodle XML file has <quiz> as its root, not <{root.tag}>"))
        return result
    for element in root.children:
        if element.tag != "question":
            result.problems.append(Problem(
                path, element.line, f"<{element.tag}> does not belong in <quiz>: only <question> elements do"))
            continue
        qtype = element.attributes.get("type", "").strip()
        if qtype == "category":
            category = _category(element)
            continue
        _read_question(element, qtype, category, path, result)
    result.problems.sort()
    return result


def _category(element: _Element) -> str | None:
    """The path a category question names (Moodle's old files put it straight in <category>)."""
    holder = element.find("category")
    if holder is None:
        return None
    text = holder.find("text")
    path = (text.text if text is not None else holder.text).strip()
    return path or None


@dataclass
class _Issues:
    """Problems of one question, each with the line of the element it is about."""

    items: list[tuple[int, str]] = field(default_factory=list)

    def add(self, element: _Element, message: str) -> None:
        self.items.append((element.line, message))


def _read_question(element: _Element, qtype: str, category: str | None, path: str, result: ParseResult) -> None:
    name = element.field_text("name")
    text = element.field_text("questiontext")
    label = name or default_title(text)
    about = f" (question '{label}')" if label else ""
    if not qtype:
        result.problems.append(Problem(path, element.line, f"<question> has no type attribute{about}"))
        return
    our_type = _TYPES.get(qtype)
    if our_type is None:
        result.problems.append(Problem(path, element.line, f"unsupported question type '{qtype}'{about}",
                                       unsupported=qtype))
        return
    issues = _Issues()
    for file in element.iter("file"):
        issues.add(file, f"embedded file '{file.attributes.get('name', '')}' is not supported: "
                         "Academy imports no files from Moodle XML")
    for text_element in element.iter("text"):
        if text_element.children:
            issues.add(text_element, f"<text> holds the element <{text_element.children[0].tag}>: "
                                     "put HTML inside <![CDATA[ ... ]]> or escape it")
    question = new_question(
        our_type, text, element.line, title=name, category=category,
        format=_format(element.find("questiontext"), issues),
        general_feedback=element.field_text("generalfeedback"))
    identifier = element.find("idnumber")
    if identifier is not None and identifier.text.strip():
        question["id"] = identifier.text.strip()
    tags = [_text_of(tag) for holder in element.findall("tags") for tag in holder.findall("tag")]
    if any(tags):
        question["tags"] = [tag for tag in tags if tag]
    _READERS[our_type](element, question, issues)
    if our_type in _WITH_ANSWERS and text.partition(MISSING_WORD)[2].strip():
        # Moodle's GIFT importer leaves a blank where a missing-word question's answers were.
        question["missing_word"] = True
    if not issues.items:
        issues.items.extend((element.line, message) for message in validate(question))
    if issues.items:
        result.problems.extend(Problem(path, line, f"{message}{about}") for line, message in issues.items)
    else:
        result.questions.append(question)


def _format(text_element: _Element | None, issues: _Issues) -> str:
    if text_element is None:
        return FORMAT_NAMES[_DEFAULT_FORMAT]
    name = text_element.attributes.get("format", _DEFAULT_FORMAT).strip()
    if name not in FORMAT_NAMES:
        issues.add(text_element, f"unknown text format '{name}' (use {', '.join(FORMAT_NAMES)})")
        return FORMAT_NAMES[_DEFAULT_FORMAT]
    return FORMAT_NAMES[name]


def _number(element: _Element, value: str, what: str, issues: _Issues) -> float:
    try:
        number = float(value.strip())
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        issues.add(element, f"{what} '{value.strip()}' is not a number")
        return 0.0
    return number


def _fraction(answer: _Element, issues: _Issues) -> float:
    """An answer's ``fraction`` attribute (percent; Moodle's default 0) as a number in [-1, 1]."""
    percent = _number(answer, answer.attributes.get("fraction", "0"), "the fraction", issues)
    return round(percent / 100, 7)


def _answers(element: _Element, issues: _Issues) -> list[dict]:
    return [{"text": _text_of(answer), "fraction": _fraction(answer, issues),
             "feedback": answer.field_text("feedback")}
            for answer in element.findall("answer")]


def _read_multichoice(element: _Element, question: dict, issues: _Issues) -> None:
    single = element.find("single")
    value = single.text.strip() if single is not None else "true"
    # Moodle's rule: "false", "0" or nothing means several answers may be chosen.
    question["single"] = value not in ("false", "0", "")
    question["answers"] = _answers(element, issues)


def _read_truefalse(element: _Element, question: dict, issues: _Issues) -> None:
    fractions: dict[str, float] = {}
    for answer in element.findall("answer"):
        value = _text_of(answer).lower()
        if value not in ("true", "false"):
            issues.add(answer, f"a true/false answer must be 'true' or 'false', not '{_text_of(answer)}'")
            continue
        if value in fractions:
            issues.add(answer, f"the answer '{value}' is given twice")
            continue
        fractions[value] = _fraction(answer, issues)
        question[f"feedback_{value}"] = answer.field_text("feedback")
    missing = [f"'{value}'" for value in ("true", "false") if value not in fractions]
    if missing:
        issues.add(element, "a true/false question needs the answers 'true' and 'false'; "
                            f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing")
    elif sorted(fractions.values()) != [0, 1]:
        issues.add(element, "one of the answers 'true' and 'false' must be worth 100 and the other 0")
    else:
        question["correct"] = fractions["true"] == 1


def _read_shortanswer(element: _Element, question: dict, issues: _Issues) -> None:
    question["answers"] = _answers(element, issues)


def _read_matching(element: _Element, question: dict, issues: _Issues) -> None:
    question["pairs"] = [{"question": _text_of(sub), "answer": sub.field_text("answer")}
                         for sub in element.findall("subquestion")]


def _read_numerical(element: _Element, question: dict, issues: _Issues) -> None:
    answers = []
    for answer in element.findall("answer"):
        value = _text_of(answer)
        if value == "*":
            issues.add(answer, "the '*' answer (any other number) is not supported; remove it")
            continue
        tolerance = answer.find("tolerance")
        tolerance_text = tolerance.text.strip() if tolerance is not None else ""
        answers.append({
            "value": _number(answer, value, "the answer", issues),
            "tolerance": _number(tolerance, tolerance_text, "the tolerance", issues) if tolerance_text else 0.0,
            "fraction": _fraction(answer, issues),
            "feedback": answer.field_text("feedback"),
        })
    question["numerical"] = answers


def _read_nothing_more(_element: _Element, _question: dict, _issues: _Issues) -> None:
    """Essays and descriptions have only the common parts."""


_READERS = {"multichoice": _read_multichoice, "truefalse": _read_truefalse, "shortanswer": _read_shortanswer,
            "matching": _read_matching, "numerical": _read_numerical, "essay": _read_nothing_more,
            "description": _read_nothing_more}


# Writing.

def _escape(text: str) -> str:
    """``text`` as XML character data: plain, in CDATA when it holds markup, escaped when it must be."""
    bad = _NOT_XML.search(text)
    if bad:
        raise ValueError(f"the character U+{ord(bad.group()):04X} cannot be written in XML")
    if "\r" in text:  # CDATA cannot keep a carriage return: XML readers turn it into a line feed
        return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\r", "&#13;"))
    if any(char in text for char in "<>&"):
        return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"
    return text


def _number_text(value: float) -> str:
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _percent(fraction: float) -> str:
    return _number_text(round(fraction * 100, 5))


class _Writer:
    def __init__(self) -> None:
        self.lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]

    def add(self, depth: int, line: str) -> None:
        self.lines.append("  " * depth + line)

    def field(self, depth: int, tag: str, text: str, format_name: str | None = None) -> None:
        attribute = f' format="{format_name}"' if format_name else ""
        self.add(depth, f"<{tag}{attribute}>")
        self.add(depth + 1, f"<text>{_escape(text)}</text>")
        self.add(depth, f"</{tag}>")

    def category(self, category: str | None) -> None:
        self.add(1, '<question type="category">')
        self.field(2, "category", category or "")
        self.add(1, "</question>")

    def answer(self, depth: int, text: str, fraction: float, feedback: str, format_name: str,
               extra: str = "") -> None:
        self.add(depth, f'<answer fraction="{_percent(fraction)}" format="{format_name}">')
        self.add(depth + 1, f"<text>{_escape(text)}</text>")
        if extra:
            self.add(depth + 1, extra)
        self.field(depth + 1, "feedback", feedback, format_name)
        self.add(depth, "</answer>")

    def question(self, question: dict) -> None:
        qtype = question.get("type")
        if qtype not in _WRITERS:
            raise ValueError(f"cannot write a question of type {qtype!r} as Moodle XML")
        format_name = _FORMAT_ATTRIBUTES.get(question.get("format"))
        if format_name is None:
            raise ValueError(f"unknown text format {question.get('format')!r} in question {question.get('title')!r}")
        self.add(1, f'<question type="{qtype}">')
        self.field(2, "name", question.get("title", ""))
        self.field(2, "questiontext", question.get("text", ""), format_name)
        self.field(2, "generalfeedback", question.get("general_feedback", ""), format_name)
        self.add(2, f"<defaultgrade>{0 if qtype == 'description' else 1}</defaultgrade>")
        self.add(2, f"<penalty>{_PENALTIES.get(qtype, '0.3333333')}</penalty>")
        self.add(2, "<hidden>0</hidden>")
        self.add(2, f"<idnumber>{_escape(question.get('id') or '')}</idnumber>")
        _WRITERS[qtype](self, question, format_name)
        tags = question.get("tags") or []
        if tags:
            self.add(2, "<tags>")
            for tag in tags:
                self.add(3, f"<tag><text>{_escape(tag)}</text></tag>")
            self.add(2, "</tags>")
        self.add(1, "</question>")


_PENALTIES = {"truefalse": "1", "essay": "0", "description": "0"}


def _write_multichoice(writer: _Writer, question: dict, format_name: str) -> None:
    writer.add(2, f"<single>{'true' if question.get('single', True) else 'false'}</single>")
    writer.add(2, "<shuffleanswers>true</shuffleanswers>")
    writer.add(2, "<answernumbering>abc</answernumbering>")
    _write_answers(writer, question, format_name)


def _write_answers(writer: _Writer, question: dict, format_name: str) -> None:
    for answer in question.get("answers", []):
        writer.answer(2, answer["text"], answer["fraction"], answer.get("feedback", ""), format_name)


def _write_shortanswer(writer: _Writer, question: dict, format_name: str) -> None:
    writer.add(2, "<usecase>0</usecase>")
    _write_answers(writer, question, format_name)


def _write_truefalse(writer: _Writer, question: dict, format_name: str) -> None:
    correct = bool(question.get("correct"))
    writer.answer(2, "true", 1.0 if correct else 0.0, question.get("feedback_true", ""), format_name)
    writer.answer(2, "false", 0.0 if correct else 1.0, question.get("feedback_false", ""), format_name)


def _write_matching(writer: _Writer, question: dict, format_name: str) -> None:
    writer.add(2, "<shuffleanswers>true</shuffleanswers>")
    for pair in question.get("pairs", []):
        writer.add(2, f'<subquestion format="{format_name}">')
        writer.add(3, f"<text>{_escape(pair['question'])}</text>")
        writer.field(3, "answer", pair["answer"])
        writer.add(2, "</subquestion>")


def _write_numerical(writer: _Writer, question: dict, format_name: str) -> None:
    for answer in question.get("numerical", []):
        writer.answer(2, _number_text(answer["value"]), answer["fraction"], answer.get("feedback", ""), format_name,
                      extra=f"<tolerance>{_number_text(answer.get('tolerance', 0))}</tolerance>")
    writer.add(2, "<unitgradingtype>0</unitgradingtype>")
    writer.add(2, "<unitpenalty>0.1</unitpenalty>")
    writer.add(2, "<showunits>3</showunits>")
    writer.add(2, "<unitsleft>0</unitsleft>")


def _write_essay(writer: _Writer, _question: dict, format_name: str) -> None:
    for tag, value in (("responseformat", "editor"), ("responserequired", "1"), ("responsefieldlines", "15"),
                       ("attachments", "0"), ("attachmentsrequired", "0")):
        writer.add(2, f"<{tag}>{value}</{tag}>")
    writer.field(2, "graderinfo", "", format_name)
    writer.field(2, "responsetemplate", "", format_name)


def _write_description(_writer: _Writer, _question: dict, _format_name: str) -> None:
    """A description is only its text."""


_WRITERS = {"multichoice": _write_multichoice, "truefalse": _write_truefalse, "shortanswer": _write_shortanswer,
            "matching": _write_matching, "numerical": _write_numerical, "essay": _write_essay,
            "description": _write_description}


def dump(questions: Iterable[dict]) -> str:
    """Moodle XML for ``questions``, with a category question wherever the category changes.

    Raises ValueError for a question that cannot be written (an unknown type or format, or a
    control character XML cannot hold).
    """
    writer = _Writer()
    current: str | None = None
    for question in questions:
        category = question.get("category") or None
        if category != current:
            writer.category(category)
            current = category
        writer.question(question)
    writer.lines.append("</quiz>")
    return "\n".join(writer.lines) + "\n"
