"""Signing in: Flask-Login sessions for pages, bearer tokens for the API."""
from __future__ import annotations

from flask import Flask, flash, g, jsonify, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from academy.accounts import access, services
from academy.db import get_session
from academy.extensions import login_manager


def _is_api_request() -> bool:
    return request.blueprint == "api" or request.path.startswith("/api/")


def _authenticate_api_request() -> None:
    """API calls authenticate with ``Authorization: Bearer <token>`` only; a browser
    session cookie is ignored there, so the API needs no CSRF protection."""
    if not _is_api_request():
        return
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    user = None
    if scheme.lower() == "bearer" and token.strip():
        session = get_session()
        user = services.user_for_token(session, token.strip())
        session.commit()  # records last_used_at
    # Flask-Login reads the request's user from g._login_user; setting it here (None
    # included) keeps it from falling back to the session cookie.
    g._login_user = user if user is not None else login_manager.anonymous_user()


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to open that page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load_user(session_id: str):
        return services.load_session_user(get_session(), session_id)

    @login_manager.unauthorized_handler
    def _unauthorized():
        if _is_api_request():
            response = jsonify(error={"code": "unauthorized", "field": None,
                                      "message": "Send a valid API token as 'Authorization: Bearer <token>'."})
            response.status_code = 401
            response.headers["WWW-Authenticate"] = 'Bearer realm="academy"'
            return response
        flash(str(login_manager.login_message), login_manager.login_message_category)
        return redirect(url_for("accounts.login", next=request.full_path if request.query_string else request.path))

    app.before_request(_authenticate_api_request)
    app.before_request(access.enforce)
