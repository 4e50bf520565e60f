"""Checks of what course files refer to outside their folder: required articles, quiz
files and their questions, other courses, practice scenarios. They run after every content
folder was parsed and before anything is applied, so a sync with a broken reference changes
nothing. An article or course counts when it is in the same sync or already in the database.
"""
from __future__ import annotations

from pathlib import PurePosixPath

import sqlalchemy as sa
from sqlalchemy.orm import Session

from academy.content_errors import ContentProblem
from academy.courses.files import CourseFile, QuizSpec, find_cycle
from academy.courses.models import Course, Prerequisite
from academy.knowledge.models import Article

# Question types a learner answers; a description only introduces the questions after it.
NOT_ANSWERED = ("description",)


def scenario_problem(session: Session, scenario: str, synced: set[str]) -> str | None:
    """Why a module's practice scenario cannot be used, or None: it must be among the
    scenarios of the same sync (``synced``) or an active one in the database."""
    from academy.practice.models import Scenario

    if scenario in synced or session.scalar(
            sa.select(Scenario.id).where(Scenario.key == scenario, Scenario.is_active.is_(True)).limit(1)):
        return None
    return f"unknown scenario '{scenario}'"


def quiz_questions(questions: list[dict], category: str | None) -> list[dict]:
    """The questions of a quiz file a quiz draws from: those in ``category`` or below it
    (every question when no category is set), leaving out descriptions."""
    category = (category or "").rstrip("/")
    return [q for q in questions if q.get("type") not in NOT_ANSWERED and (
        not category or (q.get("category") or "") == category or (q.get("category") or "").startswith(category + "/"))]


def _quiz_problems(line: int, quiz: QuizSpec, quiz_files: dict[str, list[dict]]) -> list[tuple[int, str]]:
    if quiz.file not in quiz_files:
        return [(line, f"quiz file '{quiz.file}' not found in quizzes/")]
    available = quiz_questions(quiz_files[quiz.file], quiz.category)
    lines = quiz.lines
    if not available:
        where = f" in category '{quiz.category}'" if quiz.category else ""
        return [(lines.get("category", line), f"no questions from {quiz.file}{where}")]
    if quiz.questions is not None and quiz.questions > len(available):
        return [(lines.get("questions", line),
                 f"'questions' is {quiz.questions} but {quiz.file} has only {len(available)} question(s) to draw"
                 + (f" in category '{quiz.category}'" if quiz.category else ""))]
    return []


def _course_graph(session: Session, courses: list[CourseFile]) -> dict[str, list[str]]:
    """Course slug -> slugs it requires: the files being synced, and the database for the rest."""
    graph: dict[str, set[str]] = {}
    for course in courses:
        graph.setdefault(course.slug, set()).update(course.requires)
    synced = set(graph)
    rows = session.execute(sa.select(Course.slug, Prerequisite.required_course_slug).join(
        Prerequisite, Prerequisite.course_id == Course.id).where(Prerequisite.module_id.is_(None)))
    for slug, required in rows:
        if slug not in synced:
            graph.setdefault(slug, set()).add(required)
    return {slug: sorted(required) for slug, required in graph.items()}


def check_courses(session: Session, courses: list[CourseFile], *, article_slugs: set[str],
                  quiz_files: dict[str, list[dict]], scenario_keys: set[str] = frozenset()) -> list[ContentProblem]:
    """Every broken reference of the parsed ``courses``. ``article_slugs`` are the slugs of
    the articles in the same sync; ``quiz_files`` maps a file name in ``quizzes/`` to its
    parsed questions."""
    known_articles = set(article_slugs) | set(session.scalars(sa.select(Article.slug).distinct()))
    known_courses = {course.slug for course in courses} | set(session.scalars(sa.select(Course.slug).distinct()))
    problems: list[ContentProblem] = []
    for course in courses:
        found: list[tuple[int, str]] = []
        for required, line in zip(course.requires, course.requires_lines):
            if required != course.slug and required not in known_courses:
                found.append((line, f"requires unknown course '{required}'"))
        for module in course.modules:
            for slug, line in zip(module.articles, module.article_lines):
                if slug not in known_articles:
                    found.append((line, f"unknown article '{slug}' (not in articles/ nor in the database)"))
            if module.quiz:
                found += _quiz_problems(module.lines.get("quiz", module.line), module.quiz, quiz_files)
            if module.practice:
                problem = scenario_problem(session, module.practice.scenario, scenario_keys)
                if problem:
                    found.append((module.practice.line, problem))
        problems += [ContentProblem(course.path, line, message) for line, message in found]
    cycle = find_cycle(_course_graph(session, courses))
    if cycle:
        course = next((c for c in courses if c.slug in cycle and c.requires), None)
        if course is not None:
            problems.append(ContentProblem(course.path, course.line_of("requires"),
                                           f"courses require each other in a cycle: {' → '.join(cycle)}"))
    return problems


def quiz_files_by_name(quiz_files) -> dict[str, list[dict]]:
    """Parsed ``quizzes/`` files (``quizzes.sync.QuizFile``) by their file name."""
    return {PurePosixPath(item.path).name: item.questions for item in quiz_files}
