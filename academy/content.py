"""Content files (``articles/``, ``quizzes/`` and ``courses/``) in and out.

``academy content sync`` loads them in one transaction: all of it applies or none of it
does. ``academy content export DIR`` writes the same formats back, so content
round-trips through git.
"""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

from academy.content_errors import ContentError
from academy.courses import export as course_export
from academy.courses import sync as course_sync
from academy.db import get_session
from academy.knowledge import sync as article_sync
from academy.practice import sync as practice_sync
from academy.quizzes import sync as quiz_sync


def _read_all(session: Session, content_dir: Path):
    """Parse every content folder and check what courses refer to before anything is
    applied, collecting all problems."""
    problems, parsed = [], {}
    for name, reader in (("articles", article_sync.read_directory), ("quizzes", quiz_sync.read_directory)):
        try:
            parsed[name] = reader(content_dir / name, base=content_dir)
        except ContentError as error:
            problems += error.problems
    try:
        parsed["scenarios"] = practice_sync.read_directory(content_dir)
    except ContentError as error:
        problems += error.problems
    parsed["courses"], found = course_sync.parse_directory(content_dir / "courses", base=content_dir)
    problems += found
    if "articles" in parsed and "quizzes" in parsed:  # else every reference would look broken
        scenario_keys = parsed["scenarios"].keys() if "scenarios" in parsed else set()
        problems += course_sync.reference_problems(session, parsed["courses"], articles=parsed["articles"],
                                                   quizzes=parsed["quizzes"], scenario_keys=scenario_keys)
    if "articles" in parsed and "scenarios" in parsed:
        try:
            practice_sync.check(session, parsed["scenarios"], {a.slug for a in parsed["articles"]})
        except ContentError as error:
            problems += error.problems
    if problems:
        raise ContentError(problems)
    return parsed


def sync_content(session: Session, content_dir: Path) -> list[str]:
    """Apply every content file under ``content_dir`` (one transaction: the caller commits
    once); return the lines to show. Raises ContentError, having changed nothing, when any
    file has a problem."""
    parsed = _read_all(session, content_dir)
    articles = article_sync.sync_articles(session, parsed["articles"])
    questions = quiz_sync.sync_quizzes(session, parsed["quizzes"])
    courses = course_sync.sync_courses(session, parsed["courses"])  # after the questions its quizzes draw
    scenarios = practice_sync.sync_scenarios(session, parsed["scenarios"])
    lines = [f"added {path}" for path in articles.created] + [f"updated {path}" for path in articles.updated]
    if articles.changed:
        lines.append(f"Articles: {len(articles.created)} added, {len(articles.updated)} updated, "
                     f"{articles.unchanged} unchanged.")
    if questions.changed:
        lines.append(f"Questions: {len(questions.created)} added, {len(questions.updated)} updated, "
                     f"{questions.unchanged} unchanged.")
    lines += [f"added {path}" for path in courses.created] + [f"updated {path}" for path in courses.updated]
    if courses.changed:
        lines.append(f"Courses: {len(courses.created)} added, {len(courses.updated)} updated, "
                     f"{courses.unchanged} unchanged.")
    lines += [f"added {path}" for path in scenarios.created] + [f"updated {path}" for path in scenarios.updated]
    if scenarios.changed:
        lines.append(f"Scenarios: {len(scenarios.created)} added, {len(scenarios.updated)} updated, "
                     f"{scenarios.unchanged} unchanged.")
    return lines


def init_step(session: Session) -> str | None:
    """``academy init``: sync the configured content directory."""
    lines = [line for line in sync_content(session, current_app.config["CONTENT_DIR"]) if line.endswith(".")]
    return " ".join(lines) or None


@click.group("content")
def content_group() -> None:
    """Load content files into the database, or write them back out."""


@content_group.command("sync")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def sync_command(directory: Path | None) -> None:
    """Load articles/ (and the other content folders) from DIRECTORY (default: ACADEMY_CONTENT_DIR)."""
    directory = (directory or current_app.config["CONTENT_DIR"]).resolve()
    if not directory.is_dir():
        raise click.ClickException(f"{directory}: no such directory")
    session = get_session()
    try:
        lines = sync_content(session, directory)
    except ContentError as error:
        session.rollback()
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"{len(error.problems)} problem(s) found; nothing was changed.") from None
    session.commit()
    for line in lines:
        click.echo(line)
    if not lines:
        click.echo("Content is up to date; nothing changed.")


@content_group.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def export_command(directory: Path) -> None:
    """Write published articles to DIRECTORY/articles, the question bank to DIRECTORY/quizzes
    and courses to DIRECTORY/courses."""
    session = get_session()
    articles = article_sync.export_articles(session, directory / "articles")
    quizzes = quiz_sync.export_quizzes(session, directory / "quizzes")
    courses = course_export.export_courses(session, directory / "courses")
    click.echo(f"Wrote {len(articles)} article(s) to {directory / 'articles'}, "
               f"{len(quizzes)} question file(s) to {directory / 'quizzes'} and "
               f"{len(courses)} course file(s) to {directory / 'courses'}.")
