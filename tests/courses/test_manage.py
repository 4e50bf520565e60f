"""Trainer pages: editing a course, its modules and lessons in the browser (CSRF, errors
named by field, nothing half-saved) and enrolling learners or a cohort."""
from __future__ import annotations

import re

import sqlalchemy as sa

from academy.accounts import services as account_services
from academy.accounts.models import Role
from academy.courses import progress
from academy.courses.models import Course, Lesson, Module, Prerequisite
from tests import factories
from tests.courses.helpers import synced_course


def _form_error(page: str, field: str) -> str:
    """The error text shown under a field."""
    match = re.search(rf'id="{field}-error">(.*?)</p>', page, re.S) or re.search(
        rf'<fieldset[^>]*id="{field}".*?class="field__error">(.*?)</p>', page, re.S)
    assert match, f"no error shown for {field}"
    return match.group(1)


def test_a_trainer_edits_the_course_and_its_prerequisites(client, login, db, tmp_path, users):
    login(users[Role.TRAINER])
    course = synced_course(db, tmp_path, extra_courses={"short": {
        "course.yaml": "title: Short\nlanguage: en\nmodules:\n  - {id: a, title: A}\n"}})
    page = client.get(f"/courses/manage/{course.id}").get_data(as_text=True)
    assert 'value="Basics"' in page and "Short (short)" in page
    response = client.post(f"/courses/manage/{course.id}", data={
        "title": "Basics for new hires", "description": "New text.", "is_published": "y", "requires": ["short"]})
    assert response.status_code == 302
    db.expire_all()
    assert (course.title, course.description, course.before_first_contact) == (
        "Basics for new hires", "New text.", False)
    assert db.scalar(sa.select(Prerequisite.required_course_slug).where(
        Prerequisite.course_id == course.id, Prerequisite.module_id.is_(None))) == "short"


def test_bad_course_input_is_shown_next_to_the_field_and_nothing_is_saved(client, login, db, tmp_path, users):
    login(users[Role.TRAINER])
    course = synced_course(db, tmp_path, extra_courses={"short": {
        "course.yaml": "title: Short\nlanguage: en\nrequires: [basics]\nmodules:\n  - {id: a, title: A}\n"}})
    response = client.post(f"/courses/manage/{course.id}", data={"title": "", "description": "x"})
    assert response.status_code == 400
    assert "This field is required." in _form_error(response.get_data(as_text=True), "title")
    response = client.post(f"/courses/manage/{course.id}", data={"title": "Changed", "requires": ["short"]})
    assert response.status_code == 400
    assert "cycle: basics → short → basics" in _form_error(response.get_data(as_text=True), "requires")
    db.expire_all()
    assert course.title == "Basics"


def test_forms_without_a_csrf_token_are_refused(app, client, login, db, tmp_path, users):
    login(users[Role.TRAINER])
    course = synced_course(db, tmp_path)
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(f"/courses/manage/{course.id}", data={"title": "Hijacked"})
    assert response.status_code == 400 and "nothing was saved" in response.get_data(as_text=True)
    response = client.post(f"/courses/manage/modules/{course.modules[0].id}/delete")
    assert response.status_code == 400
    db.expire_all()
    assert course.title == "Basics" and len(course.modules) == 2


def test_a_trainer_adds_renames_reorders_and_removes_modules(client, login, db, tmp_path, users):
    login(users[Role.TRAINER])
    course = synced_course(db, tmp_path)
    response = client.post(f"/courses/manage/{course.id}/modules", data={"key": "role", "title": "Duplicate"})
    assert response.status_code == 400
    assert "already has a module with the id role" in _form_error(response.get_data(as_text=True), "key")
    response = client.post(f"/courses/manage/{course.id}/modules", data={"key": "bad id!", "title": "X"})
    assert "Letters, digits" in _form_error(response.get_data(as_text=True), "key")
    response = client.post(f"/courses/manage/{course.id}/modules", data={"key": "wrap-up", "title": "Wrap-up"})
    assert response.status_code == 302
    new = db.scalar(sa.select(Module).where(Module.key == "wrap-up"))
    assert client.post(f"/courses/manage/modules/{new.id}/up").status_code == 302
    db.expire_all()
    assert [m.key for m in course.modules] == ["role", "wrap-up", "billing"]
    response = client.post(f"/courses/manage/modules/{new.id}", data={
        "title": "Wrapping up", "articles": "refunds, escalation", "requires": [str(course.modules[0].id)],
        "quiz_file": "quizzes/basics.gift", "quiz_category": "$course$/Basics/Billing"})
    assert response.status_code == 302
    db.expire_all()
    assert (new.title, new.required_articles, new.quiz.source_file, new.quiz.category_path) == (
        "Wrapping up", ["refunds", "escalation"], "quizzes/basics.gift", "$course$/Basics/Billing")
    assert client.post(f"/courses/manage/modules/{course.modules[2].id}/delete").status_code == 302
    db.expire_all()
    assert [m.key for m in course.modules] == ["role", "wrap-up"]


def test_bad_module_settings_name_their_field(client, login, db, tmp_path, users):
    login(users[Role.TRAINER])
    course = synced_course(db, tmp_path)
    role, billing = course.modules
    base = {"title": "The role", "articles": "", "quiz_file": "", "quiz_category": ""}
    page = client.post(f"/courses/manage/modules/{role.id}", data={**base, "articles": "refunds, nope"}).get_data(
        as_text=True)
    assert "Unknown article: nope." in _form_error(page, "articles")
    page = client.post(f"/courses/manage/modules/{role.id}", data={**base, "requires": [str(billing.id)]}).get_data(
        as_text=True)
    assert "cycle" in _form_error(page, "requires")
    page = client.post(f"/courses/manage/modules/{role.id}", data={
        **base, "quiz_file": "quizzes/basics.gift", "quiz_category": "$course$/Elsewhere"}).get_data(as_text=True)
    assert "No questions from quizzes/basics.gift" in _form_error(page, "quiz_category")
    page = client.post(f"/courses/manage/modules/{role.id}", data={**base, "quiz_file": "nowhere.gift"}).get_data(
        as_text=True)
    assert "No questions come from nowhere.gift" in _form_error(page, "quiz_file")
    db.expire_all()
    assert role.required_articles == ["refunds"] and role.quiz.category_path == "$course$/Basics/Role"
    page = client.get(f"/courses/manage/modules/{role.id}").get_data(as_text=True)
    assert f'href="/quizzes/{role.quiz_id}/settings"' in page


def test_a_trainer_writes_a_lesson_with_a_preview(client, login, db, tmp_path, users):
    login(users[Role.TRAINER])
    course = synced_course(db, tmp_path)
    module = course.modules[0]
    response = client.post(f"/courses/manage/modules/{module.id}/lessons", data={"lesson_title": "Tone of voice"})
    assert response.status_code == 302
    lesson = db.scalar(sa.select(Lesson).where(Lesson.title == "Tone of voice"))
    assert lesson.key == "03-tone-of-voice.md" and lesson.position == 2
    page = client.post(f"/courses/manage/lessons/{lesson.id}", data={
        "title": "Tone of voice", "body_md": "Be **kind**. See [[refunds]] and [[nowhere]].", "action": "preview"}
    ).get_data(as_text=True)
    assert "<strong>kind</strong>" in page and "Links to articles that do not exist: nowhere" in page
    db.expire_all()
    assert lesson.body_md == ""  # a preview saves nothing
    response = client.post(f"/courses/manage/lessons/{lesson.id}", data={
        "title": "Tone of voice", "minutes": "0", "body_md": "Text", "action": "save"})
    assert response.status_code == 400
    assert "Number must be between 1 and 1000." in _form_error(response.get_data(as_text=True), "minutes")
    response = client.post(f"/courses/manage/lessons/{lesson.id}", data={
        "title": "Tone of voice", "minutes": "4", "body_md": "Be **kind**.", "action": "save"})
    assert response.status_code == 302
    db.expire_all()
    assert (lesson.body_md, lesson.minutes) == ("Be **kind**.\n", 4) and "<strong>kind</strong>" in lesson.body_html
    assert client.post(f"/courses/manage/lessons/{lesson.id}/up").status_code == 302
    db.expire_all()
    assert [item.title for item in module.lessons] == ["Your role", "Tone of voice", "Keeping records"]
    lesson_id = lesson.id
    assert client.post(f"/courses/manage/lessons/{lesson_id}/delete").status_code == 302
    db.expire_all()
    assert db.scalar(sa.select(Lesson).where(Lesson.id == lesson_id)) is None


def test_editing_a_lesson_shared_with_a_translation_gives_it_its_own_file(db, tmp_path, users):
    from academy.courses import authoring

    course = synced_course(db, tmp_path)
    czech = authoring.create_course(db, slug="basics", lang="cs", title="Základy")
    module = authoring.add_module(db, czech, key="role", title="Role")
    shared = Lesson(key="01-role.md", position=0, title="Vaše role", body_md="", body_html="")
    module.lessons.append(shared)
    db.flush()
    authoring.update_lesson(db, shared, title="Vaše role", body_md="Český text.", minutes=None)
    assert shared.key == "cs/01-role.md"
    assert course.modules[0].lessons[0].key == "01-role.md"


def test_a_trainer_enrols_learners_and_a_cohort_and_sees_their_progress(client, login, db, tmp_path, users):
    login(users[Role.TRAINER])
    course = synced_course(db, tmp_path, with_translation=True)
    cohort = factories.CohortFactory(name="Winter intake")
    member = factories.SpecialistFactory(name="Cora Cohort", cohort=cohort, language="cs")
    page = client.get(f"/courses/manage/{course.id}/learners").get_data(as_text=True)
    assert "Nobody is enrolled yet." in page and "Sam Specialist" in page and "Winter intake" in page
    response = client.post(f"/courses/manage/{course.id}/learners", data={})
    assert response.status_code == 400
    assert "Choose at least one learner." in _form_error(response.get_data(as_text=True), "learners")
    response = client.post(f"/courses/manage/{course.id}/learners", data={"learners": [str(users[Role.ADMIN].id)]})
    assert "Choose learners from the list." in _form_error(response.get_data(as_text=True), "learners")
    response = client.post(f"/courses/manage/{course.id}/learners",
                           data={"learners": [str(users[Role.SPECIALIST].id)]}, follow_redirects=True)
    assert "1 learner(s) enrolled." in response.get_data(as_text=True)
    response = client.post(f"/courses/manage/{course.id}/cohorts", data={"cohort": str(cohort.id)},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Winter intake is enrolled (1 new)" in page
    assert "Sam Specialist" in page.split("<tbody>")[1] and "Cora Cohort" in page.split("<tbody>")[1]
    assert progress.enrollment_in(db, member, "basics").course.lang == "cs"
    later = account_services.create_user(db, email="late@lumen.example", role="specialist", cohort=cohort)
    assert progress.enrollment_in(db, later, "basics") is not None
    response = client.post(f"/courses/manage/{course.id}/cohorts", data={"cohort": "999999"})
    assert response.status_code == 400


def test_a_trainer_creates_a_course_and_a_translation(client, login, db, users):
    login(users[Role.TRAINER])
    response = client.post("/courses/manage/new", data={"slug": "Bad Slug", "lang": "en", "title": "X"})
    assert response.status_code == 400 and "Lower-case letters" in _form_error(response.get_data(as_text=True), "slug")
    assert client.post("/courses/manage/new", data={"slug": "manage", "lang": "en", "title": "X"}).status_code == 400
    response = client.post("/courses/manage/new", data={"slug": "tone", "lang": "en", "title": "Tone of voice"})
    assert response.status_code == 302
    response = client.post("/courses/manage/new", data={"slug": "tone", "lang": "en", "title": "Again"})
    assert "already exists" in _form_error(response.get_data(as_text=True), "slug")
    response = client.post("/courses/manage/new", data={"slug": "tone", "lang": "de", "title": "Tonfall"})
    assert response.status_code == 302
    assert sorted(db.scalars(sa.select(Course.lang).where(Course.slug == "tone"))) == ["de", "en"]
    assert not any(db.scalars(sa.select(Course.is_published).where(Course.slug == "tone")))  # until published
    page = client.get("/courses/manage").get_data(as_text=True)
    assert "Tone of voice" in page and "Tonfall" in page
