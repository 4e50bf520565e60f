"""Learner pages: the course catalogue, a course with its modules and progress, a module,
a lesson (mark as done), enrolling oneself, the printable certificate, and the home-page
panel with one's courses. Trainer pages are in ``courses.manage``."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import Session

from academy.accounts import access
from academy.accounts.models import User
from academy.db import get_session
from academy.domain_errors import NotFound
from academy.forms import commit_or_flash
from academy.courses import progress, services
from academy.courses.models import Course, Lesson, Module
from academy.knowledge import rendering

bp = Blueprint("courses", __name__, url_prefix="/courses")


def _or_404(lookup, *args):
    try:
        return lookup(get_session(), current_user, *args)
    except NotFound:
        abort(404)


def _course(slug: str, lang: str | None = None) -> Course:
    return _or_404(services.course_for, slug, lang)


def _flat_lessons(course: Course) -> list[Lesson]:
    return [lesson for module in course.modules for lesson in module.lessons]


def home_panel(session: Session, user: User) -> dict | None:
    """The home-page panel: the user's unfinished courses with progress and the next step."""
    mine, _others = services.catalogue(session, user)
    unfinished = [entry for entry in mine if entry.status.enrollment.completed_at is None]
    return {"entries": unfinished} if unfinished else None


@bp.route("")
@access.signed_in
def catalogue():
    mine, others = services.catalogue(get_session(), current_user)
    return render_template("courses/catalogue.html", mine=mine, others=others)


@bp.route("/<course_slug>")
@access.signed_in
def course(course_slug: str):
    session = get_session()
    course = _course(course_slug, request.args.get("lang"))
    status = progress.course_status(session, current_user, course)
    return render_template("courses/course.html", course=course, status=status,
                           versions=[c for c in services.versions_of(session, course.slug)
                                     if services.visible_to(c, current_user)],
                           description_html=rendering.render(course.description or "").html)


@bp.route("/<course_slug>/enrol", methods=["POST"])
@access.signed_in
def enrol(course_slug: str):
    session = get_session()
    course = _course(course_slug, request.form.get("lang"))
    commit_or_flash(lambda: services.enrol(session, course, current_user, by=current_user),
                    lambda: _("You are enrolled in “%(title)s”.", title=course.title))
    return redirect(url_for("courses.course", course_slug=course.slug, lang=course.lang))


@bp.route("/<course_slug>/modules/<int:module_id>")
@access.signed_in
def module(course_slug: str, module_id: int):
    session = get_session()
    module: Module = _or_404(services.module_in, course_slug, module_id)
    status = progress.course_status(session, current_user, module.course)
    return render_template("courses/module.html", course=module.course, module=module, status=status,
                           module_status=status.module(module))


@bp.route("/<course_slug>/lessons/<int:lesson_id>")
@access.signed_in
def lesson(course_slug: str, lesson_id: int):
    session = get_session()
    lesson: Lesson = _or_404(services.lesson_in, course_slug, lesson_id)
    course = lesson.module.course
    status = progress.course_status(session, current_user, course)
    lessons = _flat_lessons(course)
    index = lessons.index(lesson)
    return render_template("courses/lesson.html", course=course, lesson=lesson, status=status,
                           module_status=status.module(lesson.module),
                           previous=lessons[index - 1] if index > 0 else None,
                           next=lessons[index + 1] if index + 1 < len(lessons) else None)


@bp.route("/<course_slug>/lessons/<int:lesson_id>/done", methods=["POST"])
@access.signed_in
def lesson_done(course_slug: str, lesson_id: int):
    session = get_session()
    lesson: Lesson = _or_404(services.lesson_in, course_slug, lesson_id)
    enrollment = progress.enrollment_in(session, current_user, course_slug)
    was_complete = enrollment is not None and enrollment.completed_at is not None

    def message():
        if enrollment is not None and enrollment.completed_at is not None and not was_complete:
            return _("Course complete! Your certificate is ready.")
        return _("“%(title)s” is done.", title=lesson.title)

    commit_or_flash(lambda: services.complete_lesson(session, lesson, current_user), message)
    return redirect(url_for("courses.lesson", course_slug=course_slug, lesson_id=lesson.id))


@bp.route("/<course_slug>/certificate")
@access.signed_in
def certificate(course_slug: str):
    enrollment = _or_404(services.certificate_of, course_slug)
    return render_template("courses/certificate.html", enrollment=enrollment, course=enrollment.course)
