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
