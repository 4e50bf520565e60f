"""JSON errors for the API: ``{"error": {"code", "message", "field"}}`` with a 4xx status."""
from __future__ import annotations

from flask import jsonify

from academy.domain_errors import DomainError


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


def error_response(status: int, code: str, message: str, field: str | None = None):
    response = jsonify(error={"code": code, "message": str(message), "field": field})
    response.status_code = status
    return response


def handle_api_error(error: ApiError):
    return error_response(error.status, error.code, error.message, error.field)


def handle_domain_error(error: DomainError):
    return error_response(error.status, error.code, error.message, error.field)
