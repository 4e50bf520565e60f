"""Loading ``courses/`` into the database as part of ``academy content sync``.

All or nothing: every course folder is parsed and every reference checked before anything
is applied. A course whose files are unchanged (same SHA-256 over the course file and its
lessons) is skipped; one whose files differ only in formatting from the database only has
its fingerprint updated. A changed course is updated in place: the course is found by
(slug, language), its modules by id and its lessons by file name, so learners' enrolments,
lesson completions and quiz attempts survive edits. A module or lesson no longer in the
file is removed (with its completions); a lesson moved to another module keeps them. A
course folder that disappeared is left in the database: people may be enrolled in it.
"""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from academy.content_errors import ContentError, ContentProblem
from academy.courses import checks, files, services
from academy.courses.authoring import remove_quiz_if_unused
from academy.courses.export import course_file
from academy.courses.models import Course, Lesson, Module, Prerequisite
from academy.db import utcnow
from academy.knowledge import rendering
from academy.knowledge import services as knowledge_services
from academy.quizzes.models import Quiz
from academy.content_errors import SyncReport




def parse_directory(directory: Path, base: Path | None = None) -> tuple[list[files.CourseFile], list[ContentProblem]]:
    """Every course folder in ``directory``, and every problem found (courses with problems
    are returned as far as they could be read, for :func:`reference_problems`)."""
    courses: list[files.CourseFile] = []
    problems: list[ContentProblem] = []
    if not directory.is_dir():
        return courses, problems
    for folder in sorted(p for p in directory.iterdir() if p.is_dir() and not p.name.startswith(".")):
        found, folder_problems = files.parse_folder(folder, base)
        courses += found
        problems += folder_problems
    return courses, problems


def read_directory(directory: Path, base: Path | None = None) -> list[files.CourseFile]:
    """Parse every course folder in ``directory``; raise ContentError listing all problems."""
    courses, problems = parse_directory(directory, base)
    if problems:
        raise ContentError(problems)
    return courses


def reference_problems(session: Session, courses: list[files.CourseFile], *, articles, quizzes,
                       scenario_keys: set[str] = frozenset()) -> list[ContentProblem]:
    """Courses referring to an article, quiz file, course or scenario that does not exist.
    ``articles``, ``quizzes`` and ``scenario_keys`` come from the same sync."""
    return checks.check_courses(session, courses, article_slugs={a.slug for a in articles},
                                quiz_files=checks.quiz_files_by_name(quizzes), scenario_keys=scenario_keys)


def _apply_quiz(session: Session, course: Course, module: Module, spec: files.QuizSpec | None) -> None:
    if spec is None:
        if module.quiz is not None:
            quiz, module.quiz = module.quiz, None
            remove_quiz_if_unused(session, quiz)
        return
    quiz = module.quiz or Quiz()
    if module.quiz is None:
        session.add(quiz)
        module.quiz = quiz
    quiz.title = f"{course.title}: {module.title}"[:300]
    quiz.source_file = f"quizzes/{spec.file}"  # what the quiz sync stores as Question.source_file
    quiz.category_path = spec.category
    quiz.question_count = spec.questions
    quiz.pass_mark = spec.pass_mark
    quiz.attempts_allowed = spec.attempts
    quiz.time_limit_seconds = spec.time_limit_seconds
    quiz.behaviour = spec.behaviour
    quiz.penalty = spec.penalty
    quiz.shuffle_answers = spec.shuffle
    quiz.review = dict(spec.review)
    quiz.updated_at = utcnow()


def _apply_lessons(session: Session, course: Course, modules: dict[str, Module], item: files.CourseFile) -> None:
    pool: dict[str, list[Lesson]] = {}
    for module in course.modules:
        for lesson in module.lessons:
            pool.setdefault(lesson.key, []).append(lesson)
    resolve = knowledge_services.link_resolver(session, course.lang)
    for module_item in item.modules:
        module = modules[module_item.key]
        for position, lesson_item in enumerate(module_item.lessons):
            candidates = pool.get(lesson_item.key, [])
            # The same file in the same module, else the same file moved from another module.
            lesson = next((c for c in candidates if c.module is module), candidates[0] if candidates else None)
            if lesson is None:
                module.lessons.append(Lesson(
                    key=lesson_item.key, position=position, title=lesson_item.title, minutes=lesson_item.minutes,
                    body_md=lesson_item.body, body_html=rendering.render(lesson_item.body, resolve).html))
                continue
            candidates.remove(lesson)
            if lesson.module is not module:
                lesson.module = module  # moved: learners keep having done it
            lesson.position = position
            lesson.title = lesson_item.title
            lesson.minutes = lesson_item.minutes
            if lesson.body_md != lesson_item.body:
                lesson.body_html = rendering.render(lesson_item.body, resolve).html
                lesson.body_md = lesson_item.body
    for leftovers in pool.values():
        for lesson in leftovers:
            lesson.module.lessons.remove(lesson)
            session.delete(lesson)


def _apply_prerequisites(session: Session, course: Course, modules: dict[str, Module], item: files.CourseFile) -> None:
    session.execute(sa.delete(Prerequisite).where(Prerequisite.course_id == course.id))
    for slug in item.requires:
        session.add(Prerequisite(course_id=course.id, required_course_slug=slug))
    for module_item in item.modules:
        for key in module_item.requires:
            session.add(Prerequisite(course_id=course.id, module_id=modules[module_item.key].id,
                                     required_module_id=modules[key].id))


def apply_course(session: Session, course: Course | None, item: files.CourseFile) -> Course:
    """Create or update one course from its parsed file; flushes."""
    if course is None:
        course = Course(slug=item.slug, lang=item.lang, title=item.title)
        session.add(course)
    course.title = item.title
    course.description = item.description
    course.before_first_contact = item.before_first_contact
    course.source_path = item.path
    course.source_hash = item.digest
    course.updated_at = utcnow()
    existing = {module.key: module for module in course.modules}
    modules: dict[str, Module] = {}
    for position, module_item in enumerate(item.modules):
        module = existing.pop(module_item.key, None)
        if module is None:
            module = Module(key=module_item.key, position=position, title=module_item.title)
            course.modules.append(module)
        module.position = position
        module.title = module_item.title
        module.required_articles = list(module_item.articles)
        module.practice_scenario = module_item.practice.scenario if module_item.practice else None
        module.practice_min_score = module_item.practice.min_score if module_item.practice else None
        _apply_quiz(session, course, module, module_item.quiz)
        modules[module_item.key] = module
    session.flush()
    _apply_lessons(session, course, modules, item)
    for module in existing.values():  # no longer in the file
        if module.quiz is not None:
            quiz, module.quiz = module.quiz, None
            remove_quiz_if_unused(session, quiz)
        course.modules.remove(module)
        session.delete(module)
    course.modules.sort(key=lambda m: m.position)
    session.flush()
    _apply_prerequisites(session, course, modules, item)
    session.flush()
    for module in modules.values():
        session.expire(module, ["lessons"])
    session.expire(course, ["modules"])
    return course


def sync_courses(session: Session, items: list[files.CourseFile]) -> SyncReport:
    """Apply parsed and checked course files (see :func:`read_directory` and :func:`check`).
    Flushes; the caller commits."""
    report = SyncReport()
    existing = {(c.slug, c.lang): c for c in session.scalars(sa.select(Course))}
    changed: list[Course] = []
    for item in items:
        course = existing.get((item.slug, item.lang))
        if course is not None and course.source_hash == item.digest:
            report.unchanged += 1
            continue
        if course is not None and course_file(session, course).content() == item.content():
            course.source_hash, course.source_path = item.digest, item.path
            report.unchanged += 1
            continue
        (report.updated if course is not None else report.created).append(item.path)
        changed.append(apply_course(session, course, item))
    for course in changed:
        services.recheck_course(session, course)  # a removed module may complete someone's course
    session.flush()
    return report
