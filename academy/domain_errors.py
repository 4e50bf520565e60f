"""Errors services raise when a rule is broken. Views turn them into form errors or
flash messages, the API into ``{"error": {...}}`` with a 4xx status, the CLI into one line."""
from __future__ import annotations


class DomainError(Exception):
    """A rule was broken. ``field`` names the input at fault when there is one."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, field: str | None = None):
        # A lazy gettext string counts as safe HTML to Jinja (it has __html__), so a message
        # that quotes user input would reach pages unescaped: make it plain text here, once.
        message = str(message)
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    code = "not_found"
    status = 404


class Forbidden(DomainError):
    code = "forbidden"
    status = 403


class Conflict(DomainError):
    code = "conflict"
    status = 409
