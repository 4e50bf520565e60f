"""Courses as files again: what ``academy content export`` writes, and the file form of a
course in the database that the sync compares a parsed course with (equal contents mean
nothing to change, however the files were formatted). Edits trainers made in the web UI
are in the database, so they are exported like everything else."""
from __future__ import annotations

from pathlib import Path, PurePosixPath

import sqlalchemy as sa
from sqlalchemy.orm import Session

from academy.courses import files
from academy.courses.models import Course, Prerequisite


def course_file(session: Session, course: Course) -> files.CourseFile:
    """The course as its course file would describe it."""
    prerequisites = list(session.scalars(sa.select(Prerequisite).where(Prerequisite.course_id == course.id)
                                         .order_by(Prerequisite.id)))
    keys = {module.id: module.key for module in course.modules}
    modules = []
    for module in course.modules:
        quiz = module.quiz
        modules.append(files.ModuleFile(
            key=module.key, title=module.title,
            requires=[keys[p.required_module_id] for p in prerequisites
                      if p.module_id == module.id and p.required_module_id in keys],
            lessons=[files.LessonFile(key=lesson.key, title=lesson.title, body=lesson.body_md, minutes=lesson.minutes)
                     for lesson in module.lessons],
            articles=list(module.required_articles or []),
            quiz=files.QuizSpec(
                file=PurePosixPath(quiz.source_file or "").name, category=quiz.category_path,
                pass_mark=quiz.pass_mark, questions=quiz.question_count, attempts=quiz.attempts_allowed,
                time_limit_seconds=quiz.time_limit_seconds, behaviour=quiz.behaviour, penalty=quiz.penalty,
                shuffle=quiz.shuffle_answers, review=dict(quiz.review or {})) if quiz is not None else None,
            practice=files.PracticeSpec(module.practice_scenario, module.practice_min_score)
            if module.practice_scenario else None))
    return files.CourseFile(
        path=course.source_path or "", slug=course.slug, lang=course.lang, title=course.title,
        description=course.description or "", before_first_contact=course.before_first_contact,
        requires=[p.required_course_slug for p in prerequisites if p.module_id is None], modules=modules)


def file_names(versions: list[Course]) -> dict[int, str]:
    """Course id -> file name in its folder: the version the folder was written in keeps
    ``course.yaml`` (the one synced from it, else English, else the first), translations
    get ``course.<lang>.yaml``."""
    ordered = sorted(versions, key=lambda c: c.lang)
    primary = next((c for c in ordered if (c.source_path or "").endswith("/course.yaml")), None)
    primary = primary or next((c for c in ordered if c.lang == "en"), None) or ordered[0]
    return {c.id: "course.yaml" if c is primary else f"course.{c.lang}.yaml" for c in ordered}


def export_courses(session: Session, directory: Path) -> list[Path]:
    """Write every course to ``directory/<slug>/`` with its lesson files; return the course
    files written."""
    written: list[Path] = []
    courses = list(session.scalars(sa.select(Course).order_by(Course.slug, Course.lang)))
    by_slug: dict[str, list[Course]] = {}
    for course in courses:
        by_slug.setdefault(course.slug, []).append(course)
    for slug, versions in by_slug.items():
        folder = directory / slug
        names = file_names(versions)
        lessons_written: dict[str, str] = {}
        for course in versions:
            item = course_file(session, course)
            for module in item.modules:
                for lesson in module.lessons:
                    text = files.dump_lesson(lesson)
                    if lessons_written.get(lesson.key, text) != text:
                        lesson.key = f"{course.lang}/{lesson.key}"  # two versions edited one file apart
                        text = files.dump_lesson(lesson)
                    lessons_written[lesson.key] = text
                    target = folder / lesson.key
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(text, encoding="utf-8")
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / names[course.id]
            path.write_text(files.dump_course(item), encoding="utf-8")
            written.append(path)
    return written
