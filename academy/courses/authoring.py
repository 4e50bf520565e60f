"""Trainers editing courses in the web UI: the course's text and settings, its modules
(add, rename, reorder, remove), required reading, prerequisites, the module quiz and the
lessons. Everything is stored in the database, which ``academy content export`` writes back
as course files. Rules are checked here and reported with the form field at fault; every
change that can finish someone's course re-checks the enrolments.
"""
from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from academy.config import LANGUAGES
from academy.courses import files, services
from academy.courses.export import file_names
from academy.courses.models import Course, Lesson, Module, Prerequisite
from academy.db import utcnow
from academy.domain_errors import Conflict, DomainError
from academy.knowledge import rendering
from academy.knowledge import services as knowledge_services
from academy.knowledge.models import Article
from academy.quizzes.models import Attempt, Question, QuestionCategory, Quiz


def _touch(course: Course) -> None:
    course.updated_at = utcnow()


def _title(title: str, field: str = "title") -> str:
    title = (title or "").strip()
    if not title:
        raise DomainError(_l("The title cannot be empty."), field=field)
    if len(title) > 300:
        raise DomainError(_l("The title is longer than 300 characters."), field=field)
    return title


# --- courses --------------------------------------------------------------------------------

def create_course(session: Session, *, slug: str, lang: str, title: str) -> Course:
    """A new course, or a new language version of one (same slug). It starts unpublished:
    learners see it once the trainer has written it and ticks "Published"."""
    slug = (slug or "").strip().lower()
    if not files.SLUG.match(slug) or slug in files.RESERVED_SLUGS:
        raise DomainError(_l("The slug may contain lower-case letters, digits and hyphens only."), field="slug")
    if lang not in LANGUAGES:
        raise DomainError(_l("Unknown language “%(lang)s”.", lang=lang), field="lang")
    if session.scalar(sa.select(Course.id).where(Course.slug == slug, Course.lang == lang)) is not None:
        raise Conflict(_l("The course %(slug)s already exists in this language.", slug=slug), field="slug")
    course = Course(slug=slug, lang=lang, title=_title(title), is_published=False)
    session.add(course)
    session.flush()
    return course


def update_course(session: Session, course: Course, *, title: str, description: str, before_first_contact: bool,
                  is_published: bool, requires: list[str]) -> None:
    """Change the course's text and settings and the courses it requires."""
    course.title = _title(title)
    requires = sorted(set(requires))
    known = set(session.scalars(sa.select(Course.slug).distinct()))
    unknown = [slug for slug in requires if slug not in known or slug == course.slug]
    if unknown:
        raise DomainError(_l("Unknown course: %(slugs)s.", slugs=", ".join(unknown)), field="requires")
    graph: dict[str, list[str]] = {}
    for slug, required in session.execute(sa.select(Course.slug, Prerequisite.required_course_slug).join(
            Prerequisite, Prerequisite.course_id == Course.id).where(Prerequisite.module_id.is_(None))):
        graph.setdefault(slug, []).append(required)
    graph[course.slug] = requires
    cycle = files.find_cycle(graph)
    if cycle:
        raise DomainError(_l("Courses would require each other in a cycle: %(cycle)s.", cycle=" → ".join(cycle)),
                          field="requires")
    course.description = (description or "").strip()
    course.before_first_contact = before_first_contact
    course.is_published = is_published
    session.execute(sa.delete(Prerequisite).where(Prerequisite.course_id == course.id,
                                                  Prerequisite.module_id.is_(None)))
    for slug in requires:
        session.add(Prerequisite(course_id=course.id, required_course_slug=slug))
    _touch(course)
    session.flush()
    services.recheck_course(session, course)


def required_courses(session: Session, course: Course) -> list[str]:
    return list(session.scalars(sa.select(Prerequisite.required_course_slug).where(
        Prerequisite.course_id == course.id, Prerequisite.module_id.is_(None)).order_by(Prerequisite.id)))


# --- modules --------------------------------------------------------------------------------

def add_module(session: Session, course: Course, *, key: str, title: str) -> Module:
    key = (key or "").strip()
    if not files.MODULE_ID.match(key):
        raise DomainError(_l("The id may contain only letters, digits and “-”."), field="key")
    if any(module.key == key for module in course.modules):
        raise Conflict(_l("This course already has a module with the id %(key)s.", key=key), field="key")
    module = Module(key=key, title=_title(title), position=len(course.modules), required_articles=[])
    course.modules.append(module)
    _touch(course)
    session.flush()
    return module


def module_requirements(session: Session, module: Module) -> list[int]:
    return list(session.scalars(sa.select(Prerequisite.required_module_id).where(
        Prerequisite.module_id == module.id).order_by(Prerequisite.id)))


def quiz_sources(session: Session) -> list[str]:
    """The question files of the bank (as ``Question.source_file`` stores them)."""
    return list(session.scalars(sa.select(Question.source_file).where(Question.source_file.is_not(None))
                                .distinct().order_by(Question.source_file)))


def _check_quiz(session: Session, source: str, category: str | None) -> None:
    bare = source.removeprefix("quizzes/")  # the content sync stores quizzes/x.gift, an upload x.gift
    stmt = sa.select(Question.id).join(QuestionCategory).where(Question.source_file.in_({bare, f"quizzes/{bare}"}))
    if session.scalar(stmt.limit(1)) is None:
        raise DomainError(_l("No questions come from %(file)s.", file=source), field="quiz_file")
    if category:
        inside = sa.or_(QuestionCategory.path == category,
                        QuestionCategory.path.startswith(category.rstrip("/") + "/", autoescape=True))
        if session.scalar(stmt.where(inside).limit(1)) is None:
            raise DomainError(_l("No questions from %(file)s are in the category %(category)s.", file=source,
                                 category=category), field="quiz_category")


def remove_quiz_if_unused(session: Session, quiz: Quiz) -> None:
    """Delete a quiz no module uses any more, unless someone attempted it: attempts are
    learning records and stay."""
    if session.scalar(sa.select(Attempt.id).where(Attempt.quiz_id == quiz.id).limit(1)) is None:
        session.delete(quiz)


def update_module(session: Session, module: Module, *, title: str, articles: list[str], requires: list[int],
                  quiz_file: str | None, quiz_category: str | None) -> None:
    """Rename a module and set its required reading, the modules it requires and its quiz
    (questions from a bank file; the quiz's own settings are on the quiz settings page)."""
    course = module.course
    module.title = _title(title)
    articles = list(dict.fromkeys(slug.strip().lower() for slug in articles if slug.strip()))
    known = set(session.scalars(sa.select(Article.slug).where(Article.slug.in_(articles)))) if articles else set()
    unknown = [slug for slug in articles if slug not in known]
    if unknown:
        raise DomainError(_l("Unknown article: %(slugs)s.", slugs=", ".join(unknown)), field="articles")
    others = {m.id: m for m in course.modules if m.id != module.id}
    if any(module_id not in others for module_id in requires):
        raise DomainError(_l("A module can only require other modules of this course."), field="requires")
    keys = {m.id: m.key for m in course.modules}
    graph: dict[str, list[str]] = {key: [] for key in keys.values()}
    for prerequisite in session.scalars(sa.select(Prerequisite).where(Prerequisite.course_id == course.id,
                                                                      Prerequisite.module_id.is_not(None))):
        if prerequisite.module_id != module.id and prerequisite.module_id in keys \
                and prerequisite.required_module_id in keys:
            graph[keys[prerequisite.module_id]].append(keys[prerequisite.required_module_id])
    graph[module.key] = [keys[i] for i in requires]
    cycle = files.find_cycle(graph)
    if cycle:
        raise DomainError(_l("Modules would require each other in a cycle: %(cycle)s.", cycle=" → ".join(cycle)),
                          field="requires")
    quiz_category = (quiz_category or "").strip() or None
    if quiz_file:
        _check_quiz(session, quiz_file, quiz_category)
    module.required_articles = articles
    session.execute(sa.delete(Prerequisite).where(Prerequisite.module_id == module.id))
    for module_id in dict.fromkeys(requires):
        session.add(Prerequisite(course_id=course.id, module_id=module.id, required_module_id=module_id))
    if quiz_file:
        quiz = module.quiz
        if quiz is None:
            quiz = Quiz()
            session.add(quiz)
            module.quiz = quiz
        quiz.title = f"{course.title}: {module.title}"[:300]
        quiz.source_file, quiz.category_path, quiz.updated_at = quiz_file, quiz_category, utcnow()
    elif module.quiz is not None:
        quiz, module.quiz = module.quiz, None
        remove_quiz_if_unused(session, quiz)
    _touch(course)
    session.flush()
    services.recheck_course(session, course)


def move_module(session: Session, module: Module, step: int) -> None:
    """Move a module one place up (``step`` -1) or down (+1)."""
    modules = list(module.course.modules)
    index = modules.index(module)
    target = index + step
    if 0 <= target < len(modules):
        modules[index], modules[target] = modules[target], modules[index]
        for position, item in enumerate(modules):
            item.position = position
        _touch(module.course)
        session.flush()
        session.expire(module.course, ["modules"])


def delete_module(session: Session, module: Module) -> None:
    """Remove a module with its lessons (and the learners' completions of them)."""
    course = module.course
    if module.quiz is not None:
        quiz, module.quiz = module.quiz, None
        remove_quiz_if_unused(session, quiz)
    course.modules.remove(module)
    session.delete(module)
    for position, item in enumerate(course.modules):
        item.position = position
    _touch(course)
    session.flush()
    services.recheck_course(session, course)


# --- lessons ---------------------------------------------------------------------------------

def _lesson_keys(session: Session, slug: str, *, but: Lesson | None = None) -> set[str]:
    """Every lesson file name used by any language version of course ``slug``."""
    stmt = sa.select(Lesson.key).join(Module).join(Course).where(Course.slug == slug)
    if but is not None:
        stmt = stmt.where(Lesson.id != but.id)
    return set(session.scalars(stmt))


def _free_key(wanted: str, taken: set[str]) -> str:
    stem, suffix = (wanted[:-3], ".md") if wanted.endswith(".md") else (wanted, "")
    key, number = wanted, 2
    while key in taken:
        key, number = f"{stem}-{number}{suffix}", number + 1
    return key


def _folder(session: Session, course: Course) -> str:
    """Lessons of a translation go in a folder named after its language."""
    names = file_names(services.versions_of(session, course.slug))
    return "" if names.get(course.id) == "course.yaml" else f"{course.lang}/"


def add_lesson(session: Session, module: Module, *, title: str) -> Lesson:
    """A new lesson at the end of the module; its file name comes from the title."""
    course = module.course
    title = _title(title, "lesson_title")
    name = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "lesson"
    key = _free_key(f"{_folder(session, course)}{len(module.lessons) + 1:02d}-{name}.md",
                    _lesson_keys(session, course.slug))
    lesson = Lesson(key=key, title=title, position=len(module.lessons), body_md="", body_html="")
    module.lessons.append(lesson)
    _touch(course)
    session.flush()
    services.recheck_course(session, course)
    return lesson


def render_lesson(session: Session, course: Course, body_md: str) -> rendering.Rendered:
    return rendering.render(body_md, knowledge_services.link_resolver(session, course.lang))


def update_lesson(session: Session, lesson: Lesson, *, title: str, body_md: str, minutes: int | None) -> None:
    """Save a lesson's text. A lesson sharing its file with another (a translation, or the
    same file in two modules) gets a file of its own, so exporting keeps both texts."""
    course = lesson.module.course
    lesson.title = _title(title)
    if minutes is not None and not 1 <= minutes <= 1000:
        raise DomainError(_l("Minutes must be between 1 and 1000."), field="minutes")
    taken = _lesson_keys(session, course.slug, but=lesson)
    if lesson.key in taken:
        lesson.key = _free_key(f"{course.lang}/{lesson.key.split('/')[-1]}", taken)
    lesson.body_md = (body_md or "").replace("\r\n", "\n").strip("\n") + "\n" if (body_md or "").strip() else ""
    lesson.body_html = render_lesson(session, course, lesson.body_md).html
    lesson.minutes = minutes
    _touch(course)
    session.flush()


def move_lesson(session: Session, lesson: Lesson, step: int) -> None:
    lessons = list(lesson.module.lessons)
    index = lessons.index(lesson)
    target = index + step
    if 0 <= target < len(lessons):
        lessons[index], lessons[target] = lessons[target], lessons[index]
        for position, item in enumerate(lessons):
            item.position = position
        _touch(lesson.module.course)
        session.flush()
        session.expire(lesson.module, ["lessons"])


def delete_lesson(session: Session, lesson: Lesson) -> None:
    module = lesson.module
    module.lessons.remove(lesson)
    session.delete(lesson)
    for position, item in enumerate(module.lessons):
        item.position = position
    _touch(module.course)
    session.flush()
    services.recheck_course(session, module.course)
