"""Which reader and writer a question file needs, chosen by its name:
``*.gift`` (and ``*.txt`` that are not Aiken), ``*.aiken.txt``, ``*.xml``."""
from __future__ import annotations

from pathlib import Path

from academy.quizzes import aiken, gift, moodlexml
from academy.quizzes.questions import ParseResult, Problem

EXPORT_FORMATS = ("gift", "xml")


def format_of(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(".aiken.txt"):
        return "aiken"
    if name.endswith((".gift", ".txt")):
        return "gift"
    if name.endswith(".xml"):
        return "xml"
    return None


def read(path: Path, data: bytes, shown: str | None = None) -> ParseResult:
    """Parse the bytes of a question file; an unknown kind of file is one problem."""
    shown = shown or str(path)
    kind = format_of(path)
    if kind == "aiken":
        return aiken.parse_bytes(data, shown)
    if kind == "gift":
        return gift.parse_bytes(data, shown)
    if kind == "xml":
        return moodlexml.parse(data, shown)
    return ParseResult([], [Problem(shown, 1, "unknown question file type: use .gift, .aiken.txt or .xml")])


def write(questions: list[dict], kind: str) -> str:
    if kind == "gift":
        return gift.dump(questions)
    if kind == "xml":
        return moodlexml.dump(questions)
    raise ValueError(f"unknown export format {kind!r}; use one of {', '.join(EXPORT_FORMATS)}")
