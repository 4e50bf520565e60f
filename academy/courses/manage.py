"""Trainer pages of the courses: the list of courses, creating one, editing a course, its
modules and lessons, and enrolling learners or a whole cohort with their progress shown.
Trainers and admins only; everything is exported by ``academy content export``."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.accounts import access
from academy.accounts import services as account_services
from academy.accounts.models import Role, User
from academy.courses import authoring, progress, services
from academy.courses.forms import (CourseCreateForm, CourseEditForm, EnrolCohortForm, EnrolLearnersForm,
                                   LessonCreateForm, LessonEditForm, ModuleCreateForm, ModuleEditForm)
from academy.courses.models import Course, Enrollment, Lesson, Module
from academy.courses.views import bp
from academy.db import get_session
from academy.domain_errors import DomainError
from academy.forms import commit_or_flash, show_domain_error

AUTHORS = access.roles(Role.TRAINER, Role.ADMIN)


def _get(model, object_id: int):
    found = get_session().get(model, object_id)
    if found is None:
        abort(404)
    return found


def _save(form, operation) -> bool:
    """Run one editing service as a unit of work; a broken rule goes next to its field."""
    session = get_session()
    try:
        operation()
    except DomainError as error:
        session.rollback()
        show_domain_error(form, error)
        return False
    session.commit()
    return True


@bp.route("/manage")
@AUTHORS
def manage():
    session = get_session()
    courses = list(session.scalars(sa.select(Course).order_by(Course.slug, Course.lang)))
    counts = dict(session.execute(sa.select(Enrollment.course_id, sa.func.count())
                                  .group_by(Enrollment.course_id)).all())
    return render_template("courses/manage.html", courses=courses, counts=counts)


@bp.route("/manage/new", methods=["GET", "POST"])
@AUTHORS
def create():
    form = CourseCreateForm(slug=request.args.get("slug") or None, lang=request.args.get("lang") or None)
    created = []
    if form.validate_on_submit() and _save(form, lambda: created.append(authoring.create_course(
            get_session(), slug=form.slug.data, lang=form.lang.data, title=form.title.data))):
        flash(_("Course “%(title)s” created. Add its modules now.", title=created[0].title), "success")
        return redirect(url_for("courses.edit", course_id=created[0].id))
    return render_template("courses/create.html", form=form), 400 if form.errors else 200


def _requires_choices(course: Course) -> list[tuple[str, str]]:
    """Other courses by slug, titled in this course's language where they have it."""
    session = get_session()
    slugs = set(session.scalars(sa.select(Course.slug).where(Course.slug != course.slug)))
    titles = progress.course_titles(session, slugs, course.lang)
    return [(slug, f"{titles[slug]} ({slug})") for slug in sorted(slugs)]


def _course_form(course: Course, *, submitted: bool) -> CourseEditForm:
    form = CourseEditForm() if submitted else CourseEditForm(formdata=None, obj=course)
    form.requires.choices = _requires_choices(course)
    if not submitted:
        form.requires.data = authoring.required_courses(get_session(), course)
    return form


def _edit_page(course: Course, form: CourseEditForm, module_form: ModuleCreateForm, status: int):
    return render_template("courses/edit.html", course=course, form=form, module_form=module_form,
                           versions=services.versions_of(get_session(), course.slug)), status


@bp.route("/manage/<int:course_id>", methods=["GET", "POST"])
@AUTHORS
def edit(course_id: int):
    session = get_session()
    course: Course = _get(Course, course_id)
    form = _course_form(course, submitted=request.method == "POST")
    if form.validate_on_submit() and _save(form, lambda: authoring.update_course(
            session, course, title=form.title.data, description=form.description.data or "",
            before_first_contact=form.before_first_contact.data, is_published=form.is_published.data,
            requires=list(form.requires.data or []))):
        flash(_("Course saved."), "success")
        return redirect(url_for("courses.edit", course_id=course.id))
    return _edit_page(course, form, ModuleCreateForm(formdata=None), 400 if form.errors else 200)


@bp.route("/manage/<int:course_id>/modules", methods=["POST"])
@AUTHORS
def module_create(course_id: int):
    session = get_session()
    course: Course = _get(Course, course_id)
    form = ModuleCreateForm()
    added = []
    if form.validate_on_submit() and _save(form, lambda: added.append(authoring.add_module(
            session, course, key=form.key.data, title=form.title.data))):
        flash(_("Module “%(title)s” added.", title=added[0].title), "success")
        return redirect(url_for("courses.module_edit", module_id=added[0].id))
    return _edit_page(course, _course_form(course, submitted=False), form, 400)


def _module_form(module: Module) -> ModuleEditForm:
    session = get_session()
    if request.method == "GET":
        form = ModuleEditForm(title=module.title, articles=", ".join(module.required_articles or []),
                              requires=authoring.module_requirements(session, module),
                              quiz_file=module.quiz.source_file if module.quiz else "",
                              quiz_category=module.quiz.category_path if module.quiz else "")
    else:
        form = ModuleEditForm()
    form.requires.choices = [(m.id, m.title) for m in module.course.modules if m.id != module.id]
    sources = authoring.quiz_sources(session)
    if module.quiz and module.quiz.source_file and module.quiz.source_file not in sources:
        sources.append(module.quiz.source_file)
    form.quiz_file.choices = [("", _("No quiz"))] + [(source, source) for source in sources]
    return form


@bp.route("/manage/modules/<int:module_id>", methods=["GET", "POST"])
@AUTHORS
def module_edit(module_id: int):
    session = get_session()
    module: Module = _get(Module, module_id)
    form = _module_form(module)
    if form.validate_on_submit() and _save(form, lambda: authoring.update_module(
            session, module, title=form.title.data, articles=form.article_list(),
            requires=list(form.requires.data or []),
            quiz_file=form.quiz_file.data or None, quiz_category=form.quiz_category.data)):
        flash(_("Module saved."), "success")
        return redirect(url_for("courses.module_edit", module_id=module.id))
    return render_template("courses/module_edit.html", module=module, course=module.course, form=form,
                           lesson_form=LessonCreateForm()), 400 if form.errors else 200


@bp.route("/manage/modules/<int:module_id>/<any(up, down):direction>", methods=["POST"])
@AUTHORS
def module_move(module_id: int, direction: str):
    module: Module = _get(Module, module_id)
    authoring.move_module(get_session(), module, -1 if direction == "up" else 1)
    get_session().commit()
    return redirect(url_for("courses.edit", course_id=module.course_id) + "#modules")


@bp.route("/manage/modules/<int:module_id>/delete", methods=["POST"])
@AUTHORS
def module_delete(module_id: int):
    module: Module = _get(Module, module_id)
    course_id, title = module.course_id, module.title
    commit_or_flash(lambda: authoring.delete_module(get_session(), module),
                    lambda: _("Module “%(title)s” removed.", title=title))
    return redirect(url_for("courses.edit", course_id=course_id) + "#modules")


@bp.route("/manage/modules/<int:module_id>/lessons", methods=["POST"])
@AUTHORS
def lesson_create(module_id: int):
    session = get_session()
    module: Module = _get(Module, module_id)
    form = LessonCreateForm()
    added = []
    if form.validate_on_submit() and _save(form, lambda: added.append(authoring.add_lesson(
            session, module, title=form.lesson_title.data))):
        flash(_("Lesson “%(title)s” added: write its text now.", title=added[0].title), "success")
        return redirect(url_for("courses.lesson_edit", lesson_id=added[0].id))
    return render_template("courses/module_edit.html", module=module, course=module.course,
                           form=_module_form(module), lesson_form=form), 400


@bp.route("/manage/lessons/<int:lesson_id>", methods=["GET", "POST"])
@AUTHORS
def lesson_edit(lesson_id: int):
    session = get_session()
    lesson: Lesson = _get(Lesson, lesson_id)
    form = LessonEditForm(obj=lesson if request.method == "GET" else None)
    preview = None
    if form.validate_on_submit():
        if request.form.get("action") == "preview":
            preview = authoring.render_lesson(session, lesson.module.course, form.body_md.data or "")
        elif _save(form, lambda: authoring.update_lesson(session, lesson, title=form.title.data,
                                                          body_md=form.body_md.data or "", minutes=form.minutes.data)):
            flash(_("Lesson saved."), "success")
            return redirect(url_for("courses.lesson_edit", lesson_id=lesson.id))
    return render_template("courses/lesson_edit.html", lesson=lesson, module=lesson.module,
                           course=lesson.module.course, form=form, preview=preview), 400 if form.errors else 200


@bp.route("/manage/lessons/<int:lesson_id>/<any(up, down):direction>", methods=["POST"])
@AUTHORS
def lesson_move(lesson_id: int, direction: str):
    lesson: Lesson = _get(Lesson, lesson_id)
    authoring.move_lesson(get_session(), lesson, -1 if direction == "up" else 1)
    get_session().commit()
    return redirect(url_for("courses.module_edit", module_id=lesson.module_id) + "#lessons")


@bp.route("/manage/lessons/<int:lesson_id>/delete", methods=["POST"])
@AUTHORS
def lesson_delete(lesson_id: int):
    lesson: Lesson = _get(Lesson, lesson_id)
    module_id, title = lesson.module_id, lesson.title
    commit_or_flash(lambda: authoring.delete_lesson(get_session(), lesson),
                    lambda: _("Lesson “%(title)s” removed.", title=title))
    return redirect(url_for("courses.module_edit", module_id=module_id) + "#lessons")


# --- learners -------------------------------------------------------------------------------

def _learner_choices(course: Course) -> list[tuple[int, str]]:
    """Active specialists not yet enrolled in any language version of the course."""
    session = get_session()
    enrolled = {e.user_id for e in services.enrollments_of(session, course.slug)}
    return [(u.id, f"{u.name} ({u.cohort.name})" if u.cohort else u.name)
            for u in account_services.list_users(session, role=Role.SPECIALIST) if u.is_active and u.id not in enrolled]


def _learners_page(course: Course, learners_form: EnrolLearnersForm | None = None,
                   cohort_form: EnrolCohortForm | None = None, status: int = 200):
    session = get_session()
    enrollments = services.enrollments_of(session, course.slug)
    rows = [(e, progress.course_status(session, e.user, e.course, e)) for e in enrollments]
    learners_form = learners_form or EnrolLearnersForm()
    learners_form.learners.choices = _learner_choices(course)
    cohort_form = cohort_form or EnrolCohortForm()
    cohort_form.cohort.choices = [(c.id, c.name) for c in account_services.list_cohorts(session)]
    return render_template("courses/learners.html", course=course, rows=rows, learners_form=learners_form,
                           cohort_form=cohort_form, cohorts=services.cohorts_given(session, course.slug)), status


@bp.route("/manage/<int:course_id>/learners")
@AUTHORS
def learners(course_id: int):
    return _learners_page(_get(Course, course_id))


@bp.route("/manage/<int:course_id>/learners", methods=["POST"])
@AUTHORS
def enrol_learners(course_id: int):
    session = get_session()
    course: Course = _get(Course, course_id)
    form = EnrolLearnersForm()
    if not form.validate_on_submit():
        return _learners_page(course, learners_form=form, status=400)
    allowed = {user_id for user_id, _label in _learner_choices(course)}
    if not set(form.learners.data) <= allowed:
        form.learners.errors = [_("Choose learners from the list.")]
        return _learners_page(course, learners_form=form, status=400)
    people = [session.get(User, user_id) for user_id in form.learners.data]
    versions = services.versions_of(session, course.slug)

    def enrol_all():
        for person in people:
            services.enrol(session, services.pick_version(versions, person.language), person, by=current_user)

    commit_or_flash(enrol_all, lambda: _("%(count)d learner(s) enrolled.", count=len(people)))
    return redirect(url_for("courses.learners", course_id=course.id))


@bp.route("/manage/<int:course_id>/cohorts", methods=["POST"])
@AUTHORS
def enrol_cohort(course_id: int):
    session = get_session()
    course: Course = _get(Course, course_id)
    form = EnrolCohortForm()
    form.cohort.choices = [(c.id, c.name) for c in account_services.list_cohorts(session)]
    if not form.validate_on_submit():
        return _learners_page(course, cohort_form=form, status=400)
    cohort = account_services.find_cohort(session, form.cohort.data)
    added = []
    commit_or_flash(lambda: added.extend(services.enrol_cohort(session, course, cohort, by=current_user)),
                    lambda: _("%(cohort)s is enrolled (%(count)d new), and so is anyone who joins it later.",
                              cohort=cohort.name, count=len(added)))
    return redirect(url_for("courses.learners", course_id=course.id))
