"""The JSON API under /api/v1: bearer-token authentication, JSON errors, and an OpenAPI
document that lists every endpoint. Each domain adds its endpoints to this blueprint."""
from flask import Flask


def init_app(app: Flask) -> None:
    from academy.api import knowledge  # noqa: F401  (adds its routes to bp)
    from academy.api import practice  # noqa: F401  (adds its routes to bp)
    from academy.api.views import bp
    from academy.extensions import csrf

    csrf.exempt(bp)  # bearer tokens only, never cookies: see accounts.auth
    app.register_blueprint(bp)
