"""UI language: the signed-in user's profile language, else the browser's preference
among the languages Academy ships catalogs for, else English."""
from flask import Flask, current_app, has_request_context, request
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user

from academy.config import LANGUAGE_NAMES
from academy.extensions import babel


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # command line: messages in the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.filters["format_date"] = lambda value, style="medium": format_date(value, style) if value else ""
    app.jinja_env.filters["format_datetime"] = (
        lambda value, style="medium": format_datetime(value, style) if value else ""
    )
