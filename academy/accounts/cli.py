"""``academy users``: create accounts and issue API tokens from the command line."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from academy.accounts import services
from academy.accounts.models import Role
from academy.db import get_session
from academy.domain_errors import DomainError


@click.group()
def users() -> None:
    """Accounts and API tokens."""


@users.command("create")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--name", default=None, help="Full name (defaults to the part before @).")
@click.option("--language", default="en", show_default=True, type=click.Choice(["en", "cs", "de", "lt", "et"]))
@click.option("--password", default=None, help="Asked for (hidden, twice) when not given.")
@with_appcontext
def create(email: str, role: str, name: str | None, language: str, password: str | None) -> None:
    """Create a user account."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    session = get_session()
    try:
        user = services.create_user(session, email=email, role=role, name=name, password=password, language=language)
    except DomainError as error:
        session.rollback()
        raise click.ClickException(f"{error.field}: {error.message}" if error.field else error.message) from None
    session.commit()
    click.echo(f"Created {user.role} {user.email} ({user.name}).")


@users.command("token")
@click.argument("email")
@click.option("--label", default="command line", show_default=True, help="What the token is for.")
@with_appcontext
def token(email: str, label: str) -> None:
    """Issue an API token for EMAIL and print it once; only its hash is stored."""
    session = get_session()
    user = services.find_user_by_email(session, email)
    if user is None:
        raise click.ClickException(f"email: no user with the e-mail {email.strip().lower()}")
    try:
        _row, secret = services.issue_token(session, user, label)
    except DomainError as error:
        session.rollback()
        raise click.ClickException(error.message) from None
    session.commit()
    click.echo(secret)
    click.echo(f"Bearer token for {user.email}. It is shown only now; store it safely.", err=True)


@users.command("list")
@with_appcontext
def list_users() -> None:
    """List accounts."""
    for user in services.list_users(get_session()):
        state = "" if user.is_active else "  (deactivated)"
        click.echo(f"{user.role:<11} {user.email:<32} {user.name}{state}")
