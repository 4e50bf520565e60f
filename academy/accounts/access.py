"""Who may open which route, declared on each view and checked on the server.

Every view function carries an access rule set by one of the decorators below. A single
``before_request`` hook enforces it. A route without a rule is refused to everyone
(fail closed), and the route-by-role test suite lists every endpoint, so a new route
that forgets its rule cannot slip through unnoticed.
"""
from __future__ import annotations

import logging
from collections.abc import Callable

from flask import abort, current_app, request
from flask_login import current_user

from academy.accounts.models import Role

log = logging.getLogger(__name__)

PUBLIC = "public"
SIGNED_IN = "signed_in"
STAFF = (Role.TRAINER, Role.SUPERVISOR, Role.ADMIN)


def _mark(rule) -> Callable:
    def decorate(view):
        view.academy_access = rule
        return view

    return decorate


public = _mark(PUBLIC)
"""Anyone, signed in or not (the login page)."""

signed_in = _mark(SIGNED_IN)
"""Any active user; the view itself limits what data it shows to the caller's own."""


def roles(*allowed: Role | str) -> Callable:
    """Only users whose role is one of ``allowed``."""
    return _mark(frozenset(str(r) for r in allowed))


def rule_for(endpoint: str):
    if endpoint == "static":
        return PUBLIC
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "academy_access", None)


def user_may_open(user, endpoint: str) -> bool:
    """Whether ``user`` passes ``endpoint``'s rule (used to build navigation)."""
    rule = rule_for(endpoint)
    if rule == PUBLIC:
        return True
    if rule is None or not user.is_authenticated:
        return False
    return rule == SIGNED_IN or user.role in rule


def enforce():
    """The before_request hook: refuse the request unless the endpoint's rule allows it."""
    if request.endpoint is None:
        return None  # routing already failed: 404 or 405
    rule = rule_for(request.endpoint)
    if rule is None:
        log.error("route %s has no access rule; refusing it", request.endpoint)
        abort(403)
    if rule == PUBLIC:
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if rule != SIGNED_IN and current_user.role not in rule:
        abort(403)
    return None
