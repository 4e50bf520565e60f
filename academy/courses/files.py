"""The course folder format: ``courses/<slug>/course.yaml`` (the course in its own
language), ``course.<lang>.yaml`` beside it for translations, and the lesson Markdown files
they list. Parsing reports every problem found in a folder as ``PATH:LINE: message``, with
lines taken from the YAML node marks; writing gives files that parse back to the same
course. Pure: no database. Lesson files are read by ``courses.lessons``; cross-references
(article slugs, quiz files, other courses, practice scenarios) are checked by
``courses.checks``, which needs the other content.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from academy.config import LANGUAGES
from academy.content_errors import ContentProblem
from academy.courses.lessons import LessonFile, dump_lesson, lesson_path_problem, parse_lesson
from academy.courses.yamlnodes import Reader, node_line
from academy.quizzes.models import DEFAULT_REVIEW, REVIEW_OPTIONS, Behaviour

__all__ = ["CourseFile", "LessonFile", "ModuleFile", "PracticeSpec", "QuizSpec", "dump_course", "dump_lesson",
           "find_cycle", "parse_course", "parse_folder", "parse_lesson"]

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,119}$")
MODULE_ID = re.compile(r"^[A-Za-z0-9-]{1,120}$")
FILE_NAME = re.compile(r"^course(?:\.(?P<lang>[^.]+))?\.yaml$")
# Path segments under /courses/ that are pages, not courses.
RESERVED_SLUGS = ("manage",)
COURSE_KEYS = ("title", "language", "before_first_contact", "description", "requires", "modules")
MODULE_KEYS = ("id", "title", "requires", "lessons", "articles", "quiz", "practice")
QUIZ_KEYS = ("file", "category", "pass_mark", "questions", "attempts", "time_limit", "behaviour", "penalty",
             "shuffle", "review")
PRACTICE_KEYS = ("scenario", "min_score")
DEFAULT_PASS_MARK = 80.0
DEFAULT_PENALTY = 1 / 3


@dataclass
class QuizSpec:
    file: str
    category: str | None = None
    pass_mark: float = DEFAULT_PASS_MARK
    questions: int | None = None
    attempts: int | None = None
    time_limit_seconds: int | None = None
    behaviour: str = Behaviour.DEFERRED.value
    penalty: float = DEFAULT_PENALTY
    shuffle: bool = True
    review: dict = field(default_factory=lambda: dict(DEFAULT_REVIEW))
    lines: dict[str, int] = field(default_factory=dict, compare=False)

    def content(self) -> dict:
        return {"file": self.file, "category": self.category or None, "pass_mark": round(float(self.pass_mark), 6),
                "questions": self.questions, "attempts": self.attempts, "time_limit": self.time_limit_seconds,
                "behaviour": self.behaviour, "penalty": round(float(self.penalty), 6), "shuffle": self.shuffle,
                "review": {name: bool(self.review.get(name)) for name in REVIEW_OPTIONS}}


@dataclass
class PracticeSpec:
    scenario: str
    min_score: int | None = None
    line: int = 1


@dataclass
class ModuleFile:
    key: str
    title: str
    requires: list[str] = field(default_factory=list)
    lessons: list[LessonFile] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    quiz: QuizSpec | None = None
    practice: PracticeSpec | None = None
    line: int = 1
    lines: dict[str, int] = field(default_factory=dict)
    article_lines: list[int] = field(default_factory=list)

    def content(self) -> dict:
        return {"key": self.key, "title": self.title, "requires": sorted(self.requires),
                "lessons": [lesson.content() for lesson in self.lessons], "articles": list(self.articles),
                "quiz": self.quiz.content() if self.quiz else None,
                "practice": (self.practice.scenario, self.practice.min_score) if self.practice else None}


@dataclass
class CourseFile:
    path: str           # e.g. "courses/onboarding/course.yaml"
    slug: str
    lang: str
    title: str
    description: str = ""
    before_first_contact: bool = False
    requires: list[str] = field(default_factory=list)
    modules: list[ModuleFile] = field(default_factory=list)
    digest: str = ""
    lines: dict[str, int] = field(default_factory=dict)
    requires_lines: list[int] = field(default_factory=list)

    def content(self) -> dict:
        """What the course says, without where it came from: equal contents mean an
        unchanged course, whatever the formatting of its files."""
        return {"slug": self.slug, "lang": self.lang, "title": self.title, "description": self.description.strip(),
                "before_first_contact": self.before_first_contact, "requires": sorted(self.requires),
                "modules": [module.content() for module in self.modules]}

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)


# --- course files -------------------------------------------------------------------------

def _quiz(reader: Reader, node: yaml.Node) -> QuizSpec | None:
    keys = reader.mapping(node, QUIZ_KEYS, "'quiz'")
    if keys is None:
        return None
    lines = {key: node_line(value) for key, value in keys.items()}
    quiz_file = reader.text(keys.get("file"), "file", required=True, line=node_line(node))
    pass_mark = reader.number(keys.get("pass_mark"), "pass_mark", low=0, high=100, whole=False)
    time_limit = reader.number(keys.get("time_limit"), "time_limit", low=0.1, whole=False)
    penalty = reader.number(keys.get("penalty"), "penalty", low=0, high=1, whole=False)
    behaviour = reader.text(keys.get("behaviour"), "behaviour") or Behaviour.DEFERRED.value
    if behaviour not in {b.value for b in Behaviour}:
        reader.problem(lines["behaviour"], f"unknown behaviour '{behaviour}'; use deferred or immediate")
    review = dict(DEFAULT_REVIEW)
    if "review" in keys:
        names = reader.items(keys["review"], "review")
        review = {name: False for name in REVIEW_OPTIONS}
        for name, line in names:
            if name not in REVIEW_OPTIONS:
                reader.problem(line, f"unknown review option '{name}'; use any of {', '.join(REVIEW_OPTIONS)}")
            else:
                review[name] = True
    if quiz_file is None:
        return None
    return QuizSpec(
        file=quiz_file, category=reader.text(keys.get("category"), "category"),
        pass_mark=float(pass_mark) if pass_mark is not None else DEFAULT_PASS_MARK,
        questions=reader.number(keys.get("questions"), "questions", low=1),
        attempts=reader.number(keys.get("attempts"), "attempts", low=1),
        time_limit_seconds=round(time_limit * 60) if time_limit is not None else None,
        behaviour=behaviour, penalty=float(penalty) if penalty is not None else DEFAULT_PENALTY,
        shuffle=reader.flag(keys.get("shuffle"), "shuffle", True), review=review, lines=lines)


def _practice(reader: Reader, node: yaml.Node) -> PracticeSpec | None:
    keys = reader.mapping(node, PRACTICE_KEYS, "'practice'")
    if keys is None:
        return None
    scenario = reader.text(keys.get("scenario"), "scenario", required=True, line=node_line(node))
    min_score = reader.number(keys.get("min_score"), "min_score", low=0, high=100)
    return PracticeSpec(scenario, min_score, node_line(keys.get("scenario", node))) if scenario else None


def _module(reader: Reader, node: yaml.Node, folder: Path, shown_folder: str,
            lesson_problems: list[ContentProblem]) -> ModuleFile | None:
    keys = reader.mapping(node, MODULE_KEYS, "a module")
    if keys is None:
        return None
    line = node_line(node)
    key = reader.text(keys.get("id"), "id", required=True, line=line)
    if key is not None and not MODULE_ID.match(key):
        reader.problem(node_line(keys["id"]), f"module id '{key}' may contain only letters, digits and '-'")
        key = None
    title = reader.text(keys.get("title"), "title", required=True, line=line)
    module = ModuleFile(key=key or "", title=(title or "")[:300], line=line,
                        lines={name: node_line(value) for name, value in keys.items()})
    module.requires = [name for name, _ in reader.items(keys.get("requires"), "requires")]
    for name, item_line in reader.items(keys.get("articles"), "articles"):
        module.articles.append(name)
        module.article_lines.append(item_line)
    seen_lessons: set[str] = set()
    for lesson_key, item_line in reader.items(keys.get("lessons"), "lessons"):
        problem = lesson_path_problem(lesson_key)
        if problem:
            reader.problem(item_line, problem)
            continue
        if lesson_key in seen_lessons:
            reader.problem(item_line, f"lesson '{lesson_key}' is listed twice in this module")
            continue
        seen_lessons.add(lesson_key)
        path = folder / lesson_key
        if not path.resolve().is_relative_to(folder.resolve()):
            reader.problem(item_line, f"lesson path '{lesson_key}' leaves the course folder")
            continue
        if not path.is_file():
            reader.problem(item_line, f"lesson file '{lesson_key}' not found in {shown_folder}")
            continue
        lesson, found = parse_lesson(lesson_key, path.read_bytes(), f"{shown_folder}/{lesson_key}")
        lesson_problems += found
        if lesson is not None:
            lesson.line = item_line
            module.lessons.append(lesson)
    if "quiz" in keys:
        module.quiz = _quiz(reader, keys["quiz"])
    if "practice" in keys:
        module.practice = _practice(reader, keys["practice"])
    if key is None or title is None:
        return None
    return module


def _module_requirements(reader: Reader, modules: list[ModuleFile]) -> None:
    """Module ``requires`` must name other modules of the course, without a cycle."""
    keys = {module.key for module in modules}
    for module in modules:
        for name in module.requires:
            if name not in keys:
                reader.problem(module.lines.get("requires", module.line),
                               f"module '{module.key}' requires unknown module '{name}'")
    graph = {module.key: [name for name in module.requires if name in keys] for module in modules}
    cycle = find_cycle(graph)
    if cycle:
        first = next(m for m in modules if m.key == cycle[0])
        reader.problem(first.lines.get("requires", first.line),
                       f"modules require each other in a cycle: {' → '.join(cycle)}")


def find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """A cycle in a requirement graph as [a, b, ..., a], or None."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if state.get(nxt) is None:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if state.get(start) is None:
            found = visit(start)
            if found:
                return found
    return None


def parse_course(path: Path, folder: Path, shown: str, slug: str) -> tuple[CourseFile | None, list[ContentProblem]]:
    """Parse one ``course*.yaml`` file of ``folder`` and the lessons it lists."""
    reader = Reader(shown)
    shown_folder = str(PurePosixPath(shown).parent)
    name = FILE_NAME.match(path.name)
    file_lang = name["lang"] if name else None
    if file_lang is not None and file_lang not in LANGUAGES:
        reader.problem(1, f"unknown language '{file_lang}' in the file name; use one of {', '.join(LANGUAGES)}")
    raw = path.read_bytes()
    try:
        node = yaml.compose(raw.decode("utf-8-sig"), Loader=yaml.SafeLoader)
    except UnicodeDecodeError as exc:
        return None, [ContentProblem(shown, raw[: exc.start].count(b"\n") + 1, "the file is not UTF-8 text")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, reader.problems + [ContentProblem(shown, mark.line + 1 if mark else 1, f"broken YAML: {reason}")]
    if node is None:
        return None, [ContentProblem(shown, 1, "the course file is empty")]
    keys = reader.mapping(node, COURSE_KEYS, "the course")
    if keys is None:
        return None, reader.problems
    title = reader.text(keys.get("title"), "title", required=True)
    lang = reader.text(keys.get("language"), "language", required=True)
    if lang is not None and lang not in LANGUAGES:
        reader.problem(node_line(keys["language"]), f"unknown language '{lang}'; use one of {', '.join(LANGUAGES)}")
    elif lang is not None and file_lang is not None and lang != file_lang:
        reader.problem(node_line(keys["language"]),
                       f"language '{lang}' does not match the file name {path.name} (language '{file_lang}')")
    description = reader.text(keys.get("description"), "description") or ""
    before = reader.flag(keys.get("before_first_contact"), "before_first_contact", False)
    requires = reader.items(keys.get("requires"), "requires")
    for required, line in requires:
        if required == slug:
            reader.problem(line, "a course cannot require itself")
    modules: list[ModuleFile] = []
    lesson_problems: list[ContentProblem] = []
    modules_node = keys.get("modules")
    if modules_node is None or (isinstance(modules_node, yaml.SequenceNode) and not modules_node.value):
        reader.problem(node_line(modules_node) if modules_node is not None else 1,
                       "'modules' is required: list at least one module")
    elif not isinstance(modules_node, yaml.SequenceNode):
        reader.problem(node_line(modules_node), "'modules' must be a list of modules")
    else:
        seen: dict[str, int] = {}
        for item in modules_node.value:
            module = _module(reader, item, path.parent, shown_folder, lesson_problems)
            if module is None:
                continue
            if module.key in seen:
                reader.problem(module.lines.get("id", module.line),
                               f"duplicate module id '{module.key}' (also on line {seen[module.key]})")
                continue
            seen[module.key] = module.lines.get("id", module.line)
            modules.append(module)
        _module_requirements(reader, modules)
    # With problems the course is returned too (as far as it could be read), so references
    # are checked and reported in the same run; the caller applies nothing.
    problems = reader.problems + lesson_problems
    digest = hashlib.sha256(raw)
    for module in modules:
        for lesson in module.lessons:
            digest.update(b"\0" + lesson.key.encode() + b"\0" + lesson.raw)
    return CourseFile(
        path=shown, slug=slug, lang=lang or "", title=(title or "")[:300], description=description,
        before_first_contact=before, requires=[r for r, _ in requires], modules=modules,
        digest=digest.hexdigest(), lines={k: node_line(v) for k, v in keys.items()},
        requires_lines=[line for _, line in requires]), problems


def parse_folder(folder: Path, base: Path | None = None) -> tuple[list[CourseFile], list[ContentProblem]]:
    """Every language version in one course folder, and every problem found. With problems,
    the courses are as far as they could be read: good enough to check references, never
    to apply."""
    slug = folder.name
    shown_folder = str(folder.relative_to(base)) if base else str(folder)
    problems: list[ContentProblem] = []
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.name.startswith("course") and p.suffix == ".yaml")
    if not files:
        return [], [ContentProblem(f"{shown_folder}/course.yaml", 1, "the course folder has no course.yaml")]
    if not SLUG.match(slug) or slug in RESERVED_SLUGS:
        return [], [ContentProblem(f"{shown_folder}/{files[0].name}", 1,
                                   f"course folder name '{slug}' must be a slug of lower-case letters, digits and "
                                   f"hyphens (and not {', '.join(RESERVED_SLUGS)})")]
    courses: list[CourseFile] = []
    langs: dict[str, str] = {}
    for path in files:
        shown = f"{shown_folder}/{path.name}"
        if not FILE_NAME.match(path.name):
            problems.append(ContentProblem(shown, 1, "a course file is named course.yaml or course.<language>.yaml"))
            continue
        course, found = parse_course(path, folder, shown, slug)
        problems += found
        if course is None:
            continue
        if course.lang and course.lang in langs:
            problems.append(ContentProblem(shown, course.line_of("language"),
                                           f"a second '{course.lang}' version of the course "
                                           f"(also {langs[course.lang]})"))
            continue
        langs[course.lang] = path.name
        courses.append(course)
    return courses, problems


# --- writing ------------------------------------------------------------------------------

class _Dumper(yaml.SafeDumper):
    """The style people write course files in: mappings in block style with list items
    indented under their key, short lists inline, text with line breaks as a block."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


def _text(dumper, value: str):
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


def _mapping(dumper, value: dict):
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=False)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(dict, _mapping)


def _number(value: float):
    return int(value) if float(value).is_integer() else round(float(value), 6)


def _quiz_data(quiz: QuizSpec) -> dict:
    data: dict = {"file": quiz.file}
    if quiz.category:
        data["category"] = quiz.category
    if round(quiz.pass_mark, 6) != DEFAULT_PASS_MARK:
        data["pass_mark"] = _number(quiz.pass_mark)
    for key, value in (("questions", quiz.questions), ("attempts", quiz.attempts)):
        if value is not None:
            data[key] = value
    if quiz.time_limit_seconds is not None:
        data["time_limit"] = _number(quiz.time_limit_seconds / 60)
    if quiz.behaviour != Behaviour.DEFERRED.value:
        data["behaviour"] = quiz.behaviour
    if round(quiz.penalty, 6) != round(DEFAULT_PENALTY, 6):
        data["penalty"] = _number(quiz.penalty)
    if not quiz.shuffle:
        data["shuffle"] = False
    review = {name: bool(quiz.review.get(name)) for name in REVIEW_OPTIONS}
    if review != DEFAULT_REVIEW:
        data["review"] = [name for name in REVIEW_OPTIONS if review[name]]
    return data


def dump_course(course: CourseFile) -> str:
    """The text of ``course.yaml`` for a course; lesson files are written separately."""
    data: dict = {"title": course.title, "language": course.lang}
    if course.before_first_contact:
        data["before_first_contact"] = True
    if course.description.strip():
        data["description"] = course.description.strip() + ("\n" if "\n" in course.description.strip() else "")
    if course.requires:
        data["requires"] = list(course.requires)
    data["modules"] = []
    for module in course.modules:
        item: dict = {"id": module.key, "title": module.title}
        if module.requires:
            item["requires"] = list(module.requires)
        if module.lessons:
            item["lessons"] = [lesson.key for lesson in module.lessons]
        if module.articles:
            item["articles"] = list(module.articles)
        if module.quiz:
            item["quiz"] = _quiz_data(module.quiz)
        if module.practice:
            item["practice"] = {"scenario": module.practice.scenario}
            if module.practice.min_score is not None:
                item["practice"]["min_score"] = module.practice.min_score
        data["modules"].append(item)
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=None, width=100)
