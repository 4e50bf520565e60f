"""Error pages in the site layout, and JSON errors under /api."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from academy.domain_errors import DomainError

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back, reload the page and try again.")),
    403: (_l("Not allowed"), _l("Your role does not give access to this page. Ask an administrator if you need it.")),
    409: (_l("Changed meanwhile"), _l("Someone else changed this in the meantime. Reload and try again.")),
    404: (_l("Page not found"), _l("There is no page at this address. Check the link, or start again from the home page.")),
    405: (_l("Not allowed here"), _l("This address does not accept that kind of request.")),
    413: (_l("File too large"), _l("The upload is larger than this server accepts.")),
    429: (_l("Too many attempts"), _l("Too many attempts from your address. Wait a minute, then try again.")),
    500: (_l("Something went wrong"), _l("The error has been logged. Try again in a moment.")),
}
CSRF_MESSAGE = _l("The form had expired or was sent from another site, so nothing was saved. Reload the page and send it again.")


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _render(status: int, message=None):
    title, default = MESSAGES.get(status, MESSAGES[500 if status >= 500 else 400])
    if _wants_json():
        code = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
                409: "conflict", 413: "too_large", 429: "rate_limited"}.get(status, "server_error")
        response = jsonify(error={"code": code, "message": str(message or default), "field": None})
        return response, status
    return render_template("errors/error.html", status=status, title=title, message=message or default), status


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(_error):
        return _render(400, CSRF_MESSAGE)

    @app.errorhandler(DomainError)
    def _domain(error: DomainError):
        # A rule broken where the view did not expect it (e.g. an unknown revision number).
        return _render(error.status, error.message)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        # Unhandled exceptions arrive here as InternalServerError after Flask logged them.
        return _render(error.code or 500)
