"""`academy content sync` and `export` for courses: idempotent, updates in place so learners
keep their progress, all or nothing, and an export syncs back to no change."""
from __future__ import annotations

import sqlalchemy as sa

from academy.accounts.models import Role
from academy.courses import services
from academy.courses.models import Course, Lesson, LessonCompletion, Module, Prerequisite
from academy.quizzes.models import Question, Quiz
from tests.courses.helpers import COURSE, LESSONS, write_content


def _sync(runner, directory):
    result = runner.invoke(args=["content", "sync", str(directory)])
    assert result.exit_code == 0, result.output
    return result.output


def _course(db, lang="en") -> Course:
    db.expire_all()
    return db.scalar(sa.select(Course).where(Course.slug == "basics", Course.lang == lang))


def test_sync_loads_a_course_with_modules_lessons_quiz_and_prerequisites(runner, db, tmp_path):
    output = _sync(runner, write_content(tmp_path, with_translation=True))
    assert "added courses/basics/course.yaml" in output and "Courses: 2 added, 0 updated, 0 unchanged." in output
    course = _course(db)
    assert (course.title, course.before_first_contact, course.source_path) == (
        "Basics", True, "courses/basics/course.yaml")
    assert course.description == "First steps.\n\nRead everything."
    assert [m.key for m in course.modules] == ["role", "billing"]
    role, billing = course.modules
    assert [(lesson.key, lesson.title, lesson.minutes) for lesson in role.lessons] == [
        ("01-role.md", "Your role", None), ("02-records.md", "Keeping records", 5)]
    assert role.lessons[0].body_md == "You help customers. See [[refunds]].\n"
    assert 'href="/kb/en/refunds"' in role.lessons[0].body_html  # rendered once, links resolved
    assert role.required_articles == ["refunds"]
    quiz = role.quiz
    assert (quiz.source_file, quiz.category_path, quiz.pass_mark) == ("quizzes/basics.gift", "$course$/Basics/Role", 50)
    # The quiz draws the questions the quiz sync stored under the same source file.
    assert db.scalar(sa.select(sa.func.count()).select_from(Question).where(
        Question.source_file == quiz.source_file)) == 4
    assert billing.quiz is None
    requirement = db.scalar(sa.select(Prerequisite).where(Prerequisite.module_id == billing.id))
    assert requirement.required_module_id == role.id
    assert _course(db, "cs").modules[0].lessons[0].key == "cs/01-role.md"


def test_a_second_sync_changes_nothing(runner, db, tmp_path):
    content = write_content(tmp_path)
    _sync(runner, content)
    course = _course(db)
    stamp, lesson_ids = course.updated_at, [lesson.id for m in course.modules for lesson in m.lessons]
    assert "nothing changed" in _sync(runner, content)
    course = _course(db)
    assert course.updated_at == stamp
    assert [lesson.id for m in course.modules for lesson in m.lessons] == lesson_ids


def test_an_edited_course_is_updated_in_place_and_learners_keep_their_progress(runner, db, tmp_path, users):
    learner = users[Role.SPECIALIST]
    content = write_content(tmp_path)
    _sync(runner, content)
    course = _course(db)
    services.enrol(db, course, learner, by=learner)
    first = course.modules[0].lessons[0]
    services.complete_lesson(db, first, learner)
    quiz_id, module_id, first_id = course.modules[0].quiz_id, course.modules[0].id, first.id

    edited = COURSE.replace("title: The role", "title: The help-desk role").replace(
        "lessons: [01-role.md, 02-records.md]", "lessons: [02-records.md]").replace(
        "lessons: [03-billing.md]", "lessons: [03-billing.md, 01-role.md]").replace("pass_mark: 50", "pass_mark: 60")
    write_content(tmp_path, course=edited, lessons={**LESSONS, "01-role.md": "# Your role\n\nNew text.\n"})
    output = _sync(runner, content)
    assert "updated courses/basics/course.yaml" in output and "Courses: 0 added, 1 updated" in output
    course = _course(db)
    role, billing = course.modules
    assert (role.id, role.title, role.quiz_id, role.quiz.pass_mark) == (module_id, "The help-desk role", quiz_id, 60)
    moved = db.get(Lesson, first_id)  # the same row, now in the other module, with its new text
    assert (moved.module_id, moved.position, moved.body_md) == (billing.id, 1, "New text.\n")
    assert db.scalar(sa.select(LessonCompletion).where(LessonCompletion.lesson_id == first_id,
                                                       LessonCompletion.user_id == learner.id)) is not None


def test_a_module_and_a_quiz_removed_from_the_file_are_removed(runner, db, tmp_path):
    content = write_content(tmp_path)
    _sync(runner, content)
    billing_id = _course(db).modules[1].id
    quiz_id = _course(db).modules[0].quiz_id
    only_role = COURSE.split("  - id: billing")[0]
    only_role = only_role[:only_role.index("    quiz:")]
    write_content(tmp_path, course=only_role)
    _sync(runner, content)
    course = _course(db)
    assert [m.key for m in course.modules] == ["role"]
    assert db.get(Module, billing_id) is None and db.get(Quiz, quiz_id) is None
    assert db.scalar(sa.select(sa.func.count()).select_from(Prerequisite)
                     .where(Prerequisite.course_id == course.id)) == 0


def test_export_then_sync_changes_nothing(runner, db, tmp_path):
    _sync(runner, write_content(tmp_path / "source", with_translation=True))
    exported = tmp_path / "exported"
    result = runner.invoke(args=["content", "export", str(exported)])
    assert result.exit_code == 0, result.output
    assert "2 course file(s)" in result.output
    assert (exported / "courses/basics/course.yaml").is_file()
    assert (exported / "courses/basics/course.cs.yaml").is_file()
    assert (exported / "courses/basics/02-records.md").read_text().startswith("---\ntitle: Keeping records\nminutes: 5")
    def state():
        return [(m.id, m.title, [(lesson.id, lesson.body_md) for lesson in m.lessons]) for m in _course(db).modules]

    before = state()
    output = _sync(runner, exported)
    assert "nothing changed" in output, output
    assert state() == before


def test_ui_edits_are_exported(runner, db, tmp_path):
    from academy.courses import authoring

    _sync(runner, write_content(tmp_path / "source"))
    course = _course(db)
    authoring.update_course(db, course, title="Basics for new hires", description="Changed.",
                            before_first_contact=False, is_published=True, requires=[])
    module = authoring.add_module(db, course, key="extra", title="Extra")
    lesson = authoring.add_lesson(db, module, title="A new lesson")
    authoring.update_lesson(db, lesson, title="A new lesson", body_md="Written in the browser.", minutes=None)
    db.commit()
    exported = tmp_path / "exported"
    assert runner.invoke(args=["content", "export", str(exported)]).exit_code == 0
    text = (exported / "courses/basics/course.yaml").read_text()
    assert "title: Basics for new hires" in text and "before_first_contact" not in text
    assert "- id: extra" in text and "lessons: [01-a-new-lesson.md]" in text
    assert (exported / "courses/basics/01-a-new-lesson.md").read_text() == "# A new lesson\n\nWritten in the browser.\n"
    assert "nothing changed" in _sync(runner, exported)
