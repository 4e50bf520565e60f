"""The ``academy`` command: ``academy --help`` lists everything. Each domain adds its
own group in its ``init_app``; this module holds the commands that span domains."""
from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, routes_command, shell_command, with_appcontext

from academy import create_app, demo, schema
from academy.content_errors import ContentError
from academy.db import DatabaseUnavailable, check_connection, describe_url, get_engine, get_session


def main() -> None:
    cli = FlaskGroup(create_app=lambda: create_app(), add_default_commands=False,
                     help="Academy: training and knowledge onboarding for help-desk teams.")
    cli.add_command(shell_command)
    cli.add_command(routes_command)
    cli.main(prog_name="academy")


def _require_database():
    engine = get_engine()
    try:
        check_connection(engine)
    except DatabaseUnavailable as exc:
        raise click.ClickException(str(exc)) from None
    return engine


@click.command("init")
@click.option("--demo", "with_demo", is_flag=True, help="Add demo users (one per role) and demo activity.")
@with_appcontext
def init_command(with_demo: bool) -> None:
    """Create or upgrade the database, load content, build the search index."""
    engine = _require_database()
    before, after = schema.upgrade(engine)
    changed = before != after
    if before is None:
        click.echo(f"Database created at {describe_url(str(engine.url))} (schema {after}).")
    elif changed:
        click.echo(f"Database upgraded from schema {before} to {after}.")
    else:
        click.echo(f"Database schema is up to date ({after}).")

    session = get_session()
    try:
        for step in current_app.extensions.get("academy.init_steps", []):
            message = step(session)
            if message:
                changed = True
                click.echo(message)
            session.commit()  # each step is one unit: the index build reads what the sync committed
    except ContentError as error:
        session.rollback()
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"{len(error.problems)} problem(s) in the content files; no content was loaded.") from None
    if with_demo:
        created = demo.load(session)
        changed = changed or created
        click.echo("Demo data added." if created else "Demo data already present.")
    session.commit()
    if with_demo:
        click.echo("\nDemo logins:")
        for role, email, password in demo.LOGINS:
            click.echo(f"  {role:<11} {email:<30} password: {password}")
    if not changed:
        click.echo("Nothing to do: everything was already in place.")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@with_appcontext
def serve_command(host: str, port: int, workers: int) -> None:
    """Serve Academy with gunicorn."""
    engine = _require_database()
    if schema.current_revision(engine) != schema.head_revision(engine):
        raise click.ClickException("the database schema is missing or out of date; run 'academy init' first")
    from academy.server import run_gunicorn

    click.echo(f"Academy is serving on http://{host}:{port} with {workers} worker(s). Stop with Ctrl+C.")
    sys.exit(run_gunicorn(host=host, port=port, workers=workers))


def register_commands(app) -> None:
    from academy import content

    app.cli.add_command(init_command)
    app.cli.add_command(serve_command)
    app.cli.add_command(content.content_group)
    # Content first, so the search index step that follows indexes what was just loaded.
    app.extensions.setdefault("academy.init_steps", []).insert(0, content.init_step)
