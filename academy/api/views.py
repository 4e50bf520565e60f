"""API endpoints about the caller, and the OpenAPI document."""
from __future__ import annotations

from flask import Blueprint, jsonify
from flask_login import current_user

from academy.accounts import access
from academy.api import errors
from academy.api.openapi import document
from academy.domain_errors import DomainError

bp = Blueprint("api", __name__, url_prefix="/api/v1")
bp.register_error_handler(errors.ApiError, errors.handle_api_error)
bp.register_error_handler(DomainError, errors.handle_domain_error)


@bp.route("/me")
@access.signed_in
def me():
    """The account the token belongs to."""
    user = current_user
    return jsonify(
        id=user.id, email=user.email, name=user.name, role=user.role, language=user.language,
        cohort=user.cohort.name if user.cohort else None,
        hired_at=user.hired_at.isoformat() if user.hired_at else None,
        first_contact_at=user.first_contact_at.isoformat() if user.first_contact_at else None,
    )


@bp.route("/openapi.json")
@access.public
def openapi():
    return jsonify(document())
