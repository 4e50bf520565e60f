"""Course files: every problem is reported as PATH:LINE: message, and a sync with any
problem applies nothing (not even the valid articles and questions beside it)."""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from academy.courses import files
from academy.courses.models import Course
from academy.knowledge.models import Article
from academy.quizzes.models import Question
from tests.courses.helpers import COURSE, write_content

BROKEN = """title: Broken
language: en
colour: blue
modules:
  - id: role
    title: The role
    requires: [nowhere]
    lessons: [01-role.md, missing.md, ../../secret.md]
    articles: [refunds, no-such-article]
    quiz:
      file: basics.gift
      category: $course$/Nothing
      pass_mark: 120
      behaviour: sometimes
      review: [responses, everything]
  - id: role
    title: Again
  - id: billing
    title: Billing
    requires: [billing]
    lessons: [03-billing.md]
    quiz: {file: nowhere.gift}
    practice: {scenario: billing-double-charge, min_score: 70}
  - id: counting
    title: Counting
    quiz: {file: basics.gift, category: $course$/Basics/Role, questions: 3}
"""


def _problems(runner, directory: Path) -> list[str]:
    result = runner.invoke(args=["content", "sync", str(directory)])
    assert result.exit_code != 0
    assert "nothing was changed" in result.output
    return [line for line in result.output.splitlines() if line.startswith("courses/")]


def _nothing_applied(db):
    for model in (Article, Question, Course):
        assert db.scalar(sa.select(sa.func.count()).select_from(model)) == 0


def test_every_problem_of_a_course_file_is_reported_with_its_line_and_nothing_is_applied(runner, db, tmp_path):
    problems = _problems(runner, write_content(tmp_path, course=BROKEN))
    path = "courses/basics/course.yaml"
    expected = [
        f"{path}:3: unknown key 'colour' in the course",
        f"{path}:7: module 'role' requires unknown module 'nowhere'",
        f"{path}:8: lesson file 'missing.md' not found in courses/basics",
        f"{path}:8: lesson path '../../secret.md' leaves the course folder",
        f"{path}:9: unknown article 'no-such-article'",
        f"{path}:12: no questions from basics.gift in category '$course$/Nothing'",
        f"{path}:13: 'pass_mark' must be a number from 0 to 100, not 120",
        f"{path}:14: unknown behaviour 'sometimes'",
        f"{path}:15: unknown review option 'everything'",
        f"{path}:16: duplicate module id 'role' (also on line 5)",
        f"{path}:20: modules require each other in a cycle: billing → billing",
        f"{path}:22: quiz file 'nowhere.gift' not found in quizzes/",
        f"{path}:23: unknown scenario 'billing-double-charge'",
        f"{path}:26: 'questions' is 3 but basics.gift has only 2 question(s) to draw",
    ]
    for line in expected:
        assert any(p.startswith(line) for p in problems), (line, problems)
    _nothing_applied(db)


def test_missing_fields_unknown_language_and_yaml_syntax(runner, db, tmp_path):
    write_content(tmp_path, extra_courses={
        "empty": {"course.yaml": "description: nothing else\n"},
        "french": {"course.yaml": "title: Cours\nlanguage: fr\nmodules:\n  - {id: a, title: A}\n"},
        "mismatch": {"course.yaml": "title: Kurs\nlanguage: en\nmodules:\n  - {id: a, title: A}\n",
                     "course.de.yaml": "title: Kurs\nlanguage: cs\nmodules:\n  - {id: a, title: A}\n"},
        "syntax": {"course.yaml": "title: Broken\nmodules:\n  - id: [unclosed\n"},
        "nameless": {"course.yaml": "title: T\nlanguage: en\nmodules:\n  - title: No id\n  - id: x\n"},
        "requires": {"course.yaml": "title: R\nlanguage: en\nrequires: [no-such-course]\n"
                                    "modules:\n  - {id: a, title: A}\n"},
    })
    problems = _problems(runner, tmp_path)
    for line in [
        "courses/empty/course.yaml:1: 'title' is required",
        "courses/empty/course.yaml:1: 'language' is required",
        "courses/empty/course.yaml:1: 'modules' is required",
        "courses/french/course.yaml:2: unknown language 'fr'",
        "courses/mismatch/course.de.yaml:2: language 'cs' does not match the file name course.de.yaml",
        "courses/syntax/course.yaml:4: broken YAML",
        "courses/nameless/course.yaml:4: 'id' is required",
        "courses/nameless/course.yaml:5: 'title' is required",
        "courses/requires/course.yaml:3: requires unknown course 'no-such-course'",
    ]:
        assert any(p.startswith(line) for p in problems), (line, problems)
    _nothing_applied(db)


def test_courses_requiring_each_other_are_a_cycle(runner, db, tmp_path):
    write_content(tmp_path, course=COURSE.replace("description:", "requires: [advanced]\ndescription:"), extra_courses={
        "advanced": {"course.yaml": "title: Advanced\nlanguage: en\nrequires: [basics]\n"
                                    "modules:\n  - {id: a, title: A}\n"}})
    problems = _problems(runner, tmp_path)
    assert any("courses require each other in a cycle: advanced → basics → advanced" in p for p in problems), problems


def test_a_broken_lesson_file_is_reported_at_its_own_line(runner, db, tmp_path):
    write_content(tmp_path, lessons={"01-role.md": "---\ntitle: [unclosed\n---\nText\n", "02-records.md": "x",
                                     "03-billing.md": "---\ntitle: B\nminutes: soon\n---\nText\n"})
    problems = _problems(runner, tmp_path)
    assert any(p.startswith("courses/basics/01-role.md:2: broken front matter") for p in problems), problems
    assert any(p.startswith("courses/basics/03-billing.md:3: 'minutes' must be a whole number") for p in problems)


def test_lesson_titles_come_from_front_matter_then_heading_then_file_name():
    front, _ = files.parse_lesson("a.md", b"---\ntitle: From front\n---\n# Heading\nText\n", "a.md")
    heading, _ = files.parse_lesson("b.md", b"Intro\n\n```\n# not a heading\n```\n# The heading\nText\n", "b.md")
    plain, _ = files.parse_lesson("c.md", b"Just text\n", "c.md")
    assert (front.title, front.body) == ("From front", "# Heading\nText\n")
    assert (heading.title, heading.body) == ("The heading", "Intro\n\n```\n# not a heading\n```\nText\n")
    assert plain.title == "c.md"
    for lesson in (front, heading, plain):
        again, problems = files.parse_lesson(lesson.key, files.dump_lesson(lesson).encode(), lesson.key)
        assert not problems and again.content() == lesson.content()


def test_a_course_file_written_back_parses_to_the_same_course(tmp_path):
    write_content(tmp_path, with_translation=True)
    courses, problems = files.parse_folder(tmp_path / "courses/basics", tmp_path)
    assert not problems and len(courses) == 2
    for course in courses:
        (tmp_path / "courses/basics" / "course.yaml").write_text(files.dump_course(course), encoding="utf-8")
        again, found = files.parse_course(tmp_path / "courses/basics/course.yaml", tmp_path / "courses/basics",
                                          "course.yaml", "basics")
        assert not found and again.content() == course.content()
