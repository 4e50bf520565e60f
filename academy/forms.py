"""Helpers shared by every domain's forms."""
from __future__ import annotations

from flask import flash
from flask_wtf import FlaskForm

from academy.domain_errors import DomainError


def show_domain_error(form: FlaskForm, error: DomainError) -> None:
    """Put a service's error next to the field it names, or at the top of the page."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors) + [error.message]
    else:
        flash(error.message, "error")


def commit_or_flash(operation, success_message) -> bool:
    """Run a service call as one unit of work: commit and flash ``success_message``
    (a callable, so it can use what the operation changed), or roll back and flash the
    rule that was broken. Returns whether it succeeded."""
    from academy.db import get_session

    session = get_session()
    try:
        operation()
    except DomainError as error:
        session.rollback()
        flash(error.message, "error")
        return False
    session.commit()
    flash(success_message(), "success")
    return True
