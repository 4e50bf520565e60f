"""Where a learner stands in a course: for each module the lessons done, the required
articles read, the quiz passed and the practice reached; which modules are locked and why;
the share of the course done and the next step. Read-only: completion itself is recorded by
``courses.services``.

A module is complete when all its items are done and nothing locks it: a module waits for
the modules it requires, and the whole course waits for the courses it requires. Items are
counted per language version, except that a module (by its id) completed in another
language version of the course counts as complete here too, so switching language does not
undo finished modules. A required article counts when any language version of it was read.
A module's practice is reached when the learner's best finished session on any language version
of its scenario scored at least ``practice_min_score``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from academy.accounts.models import User
from academy.courses.models import Course, Enrollment, Lesson, LessonCompletion, Module, Prerequisite
from academy.knowledge.models import Article, ArticleRead, ArticleStatus
from academy.quizzes.models import Attempt


@dataclass
class ArticleItem:
    slug: str
    title: str
    lang: str | None    # the published version to link to; None when there is none
    read: bool


@dataclass
class NextStep:
    kind: str           # lesson | article | quiz | practice | locked
    module: Module
    lesson: Lesson | None = None
    article: ArticleItem | None = None


@dataclass
class ModuleStatus:
    module: Module
    done_lessons: set[int]
    articles: list[ArticleItem]
    quiz_passed: bool | None          # None: the module has no quiz
    practice_done: bool | None        # None: the module has no practice
    waiting_for: list[Module] = field(default_factory=list)
    course_locked: bool = False
    complete: bool = False
    done_elsewhere: bool = False      # completed in another language version

    @property
    def locked(self) -> bool:
        return self.course_locked or bool(self.waiting_for)

    def lesson_done(self, lesson: Lesson) -> bool:
        return lesson.id in self.done_lessons

    @property
    def items_total(self) -> int:
        return (len(self.module.lessons) + len(self.articles) + (self.quiz_passed is not None)
                + (self.practice_done is not None))

    @property
    def items_done(self) -> int:
        """Items done; all of them once the module is complete (also when it was completed
        in another language version)."""
        return self.items_total if self.complete else self._own_done()

    def _own_done(self) -> int:
        return (sum(lesson.id in self.done_lessons for lesson in self.module.lessons)
                + sum(a.read for a in self.articles) + bool(self.quiz_passed) + bool(self.practice_done))

    @property
    def own_items_done(self) -> bool:
        """Every item of this version of the module is done (locks aside)."""
        return self._own_done() == self.items_total

    def next_step(self) -> NextStep | None:
        if self.complete:
            return None
        if self.locked:
            return NextStep("locked", self.module)
        lesson = next((lesson for lesson in self.module.lessons if lesson.id not in self.done_lessons), None)
        if lesson is not None:
            return NextStep("lesson", self.module, lesson=lesson)
        article = next((a for a in self.articles if not a.read), None)
        if article is not None:
            return NextStep("article", self.module, article=article)
        if self.quiz_passed is False:
            return NextStep("quiz", self.module)
        if self.practice_done is False:
            return NextStep("practice", self.module)
        return None


@dataclass
class CourseStatus:
    course: Course
    enrollment: Enrollment | None
    modules: list[ModuleStatus]
    missing_courses: list[tuple[str, str]]   # (slug, title) of required courses not complete

    @property
    def locked(self) -> bool:
        return bool(self.missing_courses)

    @property
    def complete(self) -> bool:
        return bool(self.modules) and all(m.complete for m in self.modules)

    @property
    def percent(self) -> int:
        total = sum(m.items_total for m in self.modules)
        if self.complete:
            return 100
        done = sum(m.items_done for m in self.modules)
        return min(99, round(100 * done / total)) if total else 0

    def module(self, module: Module) -> ModuleStatus:
        return next(m for m in self.modules if m.module.id == module.id)

    def next_step(self) -> NextStep | None:
        """The first thing to do in the first module that can be worked on."""
        steps = [m.next_step() for m in self.modules]
        return next((s for s in steps if s is not None and s.kind != "locked"), None) or next(
            (s for s in steps if s is not None), None)


def _article_items(session: Session, slugs: set[str], read: set[str], lang: str) -> dict[str, ArticleItem]:
    """Each required slug with the version to link to: the course's language, else English,
    else any published version."""
    versions: dict[str, dict[str, Article]] = {}
    if slugs:
        for article in session.scalars(sa.select(Article).where(Article.slug.in_(slugs),
                                                                Article.status == ArticleStatus.PUBLISHED)):
            versions.setdefault(article.slug, {})[article.lang] = article
    items = {}
    for slug in slugs:
        found = versions.get(slug, {})
        article = found.get(lang) or found.get("en") or next(iter(sorted(found.items())), (None, None))[1]
        items[slug] = ArticleItem(slug=slug, title=article.title if article else slug,
                                  lang=article.lang if article else None, read=slug in read)
    return items


def _practice_reached(session: Session, user: User, module: Module) -> bool:
    from academy.practice.services import best_score

    best = best_score(session, user.id, module.practice_scenario)
    return best is not None and best >= (module.practice_min_score or 0)


def completed_course_slugs(session: Session, user: User) -> set[str]:
    """Slugs of the courses ``user`` completed, in any language version."""
    return set(session.scalars(sa.select(Course.slug).join(Enrollment, Enrollment.course_id == Course.id)
                               .where(Enrollment.user_id == user.id, Enrollment.completed_at.is_not(None))))


def course_titles(session: Session, slugs: set[str], lang: str) -> dict[str, str]:
    """A title per course slug: in ``lang`` when that version exists, else English, else any."""
    versions: dict[str, dict[str, str]] = {}
    if slugs:
        for course in session.scalars(sa.select(Course).where(Course.slug.in_(slugs)).order_by(Course.lang)):
            versions.setdefault(course.slug, {})[course.lang] = course.title
    return {slug: found.get(lang) or found.get("en") or next(iter(found.values()))
            for slug, found in versions.items()}


def enrollment_in(session: Session, user: User, slug: str) -> Enrollment | None:
    """The user's enrolment in any language version of the course ``slug``."""
    return session.scalar(sa.select(Enrollment).join(Course, Enrollment.course_id == Course.id)
                          .where(Enrollment.user_id == user.id, Course.slug == slug).order_by(Enrollment.id).limit(1))


def course_status(session: Session, user: User, course: Course, enrollment: Enrollment | None = None) -> CourseStatus:
    """Where ``user`` stands in ``course`` (one language version)."""
    versions = list(session.scalars(sa.select(Course).where(Course.slug == course.slug)))
    modules = [m for version in versions for m in version.modules]
    lesson_ids = [lesson.id for m in modules for lesson in m.lessons]
    done = set(session.scalars(sa.select(LessonCompletion.lesson_id).where(
        LessonCompletion.user_id == user.id, LessonCompletion.lesson_id.in_(lesson_ids)))) if lesson_ids else set()
    slugs = {slug for m in modules for slug in (m.required_articles or [])}
    read = set(session.scalars(sa.select(Article.slug).join(ArticleRead, ArticleRead.article_id == Article.id).where(
        ArticleRead.user_id == user.id, Article.slug.in_(slugs)).distinct())) if slugs else set()
    quiz_ids = {m.quiz_id for m in modules if m.quiz_id}
    passed = set(session.scalars(sa.select(Attempt.quiz_id).where(
        Attempt.user_id == user.id, Attempt.quiz_id.in_(quiz_ids), Attempt.passed.is_(True)).distinct())) \
        if quiz_ids else set()
    articles = _article_items(session, slugs, read, course.lang)

    def own(module: Module) -> ModuleStatus:
        return ModuleStatus(
            module=module, done_lessons={lesson.id for lesson in module.lessons if lesson.id in done},
            articles=[articles[slug] for slug in (module.required_articles or [])],
            quiz_passed=(module.quiz_id in passed) if module.quiz_id else None,
            practice_done=_practice_reached(session, user, module) if module.practice_scenario else None)

    done_keys = {m.key for m in modules if m.course_id != course.id and own(m).own_items_done}
    prerequisites = list(session.scalars(sa.select(Prerequisite).where(Prerequisite.course_id == course.id)))
    required_slugs = {p.required_course_slug for p in prerequisites if p.module_id is None}
    missing = sorted(required_slugs - completed_course_slugs(session, user))
    titles = course_titles(session, set(missing), course.lang)
    statuses = {m.id: own(m) for m in course.modules}
    requires: dict[int, list[int]] = {}
    for p in prerequisites:
        if p.module_id is not None and p.required_module_id in statuses:
            requires.setdefault(p.module_id, []).append(p.required_module_id)

    resolved: dict[int, bool] = {}

    def complete(module_id: int, seen: frozenset = frozenset()) -> bool:
        if module_id not in resolved:
            status = statuses[module_id]
            status.done_elsewhere = not status.own_items_done and status.module.key in done_keys
            status.course_locked = bool(missing)
            status.waiting_for = [statuses[r].module for r in requires.get(module_id, [])
                                  if r in seen or not complete(r, seen | {module_id})]
            status.complete = ((status.own_items_done or status.done_elsewhere) and not status.locked)
            resolved[module_id] = status.complete
        return resolved[module_id]

    for module_id in statuses:
        complete(module_id)
    return CourseStatus(course=course, enrollment=enrollment if enrollment is not None
                        else enrollment_in(session, user, course.slug),
                        modules=[statuses[m.id] for m in course.modules],
                        missing_courses=[(slug, titles.get(slug, slug)) for slug in missing])
