"""Lesson files: Markdown in the course folder, listed by ``course.yaml``.

A lesson's title is its front matter ``title:`` when it has front matter, else its first
level-one ``# heading`` (which is then left out of the body), else its file name. Front
matter may also give ``minutes:``, the estimated reading time. Writing a lesson gives a
file that parses back to the same lesson. Pure: no database.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import yaml

from academy.content_errors import ContentProblem
from academy.courses.yamlnodes import Reader, shift

LESSON_KEYS = ("title", "minutes")


@dataclass
class LessonFile:
    key: str            # the path in the course folder, e.g. "01-role.md" or "cs/01-role.md"
    title: str
    body: str
    minutes: int | None = None
    line: int = 1       # where course.yaml lists it
    path: str = ""      # shown in problems
    raw: bytes = field(default=b"", repr=False, compare=False)

    def content(self) -> dict:
        return {"key": self.key, "title": self.title, "body": self.body.strip("\n"), "minutes": self.minutes}


def lesson_path_problem(key: str) -> str | None:
    """Why a lesson path is not acceptable, or None."""
    path = PurePosixPath(key)
    if not key.strip() or path.is_absolute() or "\\" in key or any(part in ("..", "") for part in key.split("/")):
        return f"lesson path '{key}' leaves the course folder; give a path inside it such as 01-intro.md"
    return None


_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_HEADING = re.compile(r"^#(?!#)\s+(?P<title>.+?)\s*$")


def _first_heading(lines: list[str]) -> int | None:
    """Index of the first level-one ATX heading outside fenced code."""
    fence = None
    for index, line in enumerate(lines):
        opening = _FENCE.match(line)
        if opening:
            fence = None if fence == opening.group(1) else (fence or opening.group(1))
            continue
        if fence is None and _HEADING.match(line):
            return index
    return None


def parse_lesson(key: str, raw: bytes, shown: str) -> tuple[LessonFile | None, list[ContentProblem]]:
    """Parse one lesson file; ``key`` is its path in the course folder."""
    reader = Reader(shown)
    try:
        text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [ContentProblem(shown, line, f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})")]
    lines = text.split("\n")
    title, minutes = None, None
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is None:
            return None, [ContentProblem(shown, 1, "the front matter is not closed by a line '---'")]
        try:
            node = yaml.compose("\n".join(lines[1:end]), Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            return None, [ContentProblem(shown, (mark.line + 2) if mark else 2, f"broken front matter: {reason}")]
        shift(node, 1)
        keys = reader.mapping(node, LESSON_KEYS, "the lesson's front matter") if node is not None else {}
        keys = keys or {}
        title = reader.text(keys.get("title"), "title")
        minutes = reader.number(keys.get("minutes"), "minutes", low=1, high=1000)
        lines = lines[end + 1:]
    if title is None:
        heading = _first_heading(lines)
        if heading is not None:
            title = _HEADING.match(lines[heading])["title"]
            lines = lines[:heading] + lines[heading + 1:]
    if title is None:
        title = PurePosixPath(key).name
    if reader.problems:
        return None, reader.problems
    body = "\n".join(lines).strip("\n")
    return LessonFile(key=key, title=title[:300], body=body + "\n" if body else "", minutes=minutes, path=shown,
                      raw=raw), []


def dump_lesson(lesson: LessonFile) -> str:
    """The lesson file: a ``# Title`` heading, or front matter when there are minutes or the
    title would not survive as a heading."""
    body = lesson.body.strip("\n")
    plain_title = lesson.title == lesson.title.strip() and "#" not in lesson.title and "\n" not in lesson.title
    if lesson.minutes is None and plain_title:
        return f"# {lesson.title}\n\n{body}\n" if body else f"# {lesson.title}\n"
    meta = {"title": lesson.title}
    if lesson.minutes is not None:
        meta["minutes"] = lesson.minutes
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{front}---\n{body}\n"
