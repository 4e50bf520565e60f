"""Content files (``articles/``, later ``courses/`` and ``quizzes/``) in and out.

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
from academy.db import get_session
from academy.knowledge import sync as article_sync


def sync_content(session: Session, content_dir: Path) -> list[str]:
    """Apply every content file under ``content_dir``; return one line per change."""
    report = article_sync.sync_articles(session, content_dir / "articles", base=content_dir)
    lines = [f"added {path}" for path in report.created] + [f"updated {path}" for path in report.updated]
    if report.changed:
        lines.append(f"Articles: {len(report.created)} added, {len(report.updated)} updated, "
                     f"{report.unchanged} unchanged.")
    return lines


def init_step(session: Session) -> str | None:
    """``academy init``: sync the configured content directory."""
    lines = sync_content(session, current_app.config["CONTENT_DIR"])
    return lines[-1] if lines else None


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
    """Write every published article to DIRECTORY/articles in the content format."""
    written = article_sync.export_articles(get_session(), directory / "articles")
    click.echo(f"Wrote {len(written)} article(s) to {directory / 'articles'}.")
