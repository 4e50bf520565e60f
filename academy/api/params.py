"""Reading and checking query-string parameters; a bad value is a 400 naming the field."""
from __future__ import annotations

import datetime as dt

from flask import request

from academy.api.errors import ApiError
from academy.config import LANGUAGES


def integer(name: str, default: int, lowest: int, highest: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, "invalid", f"'{name}' must be a whole number", name) from None
    if not lowest <= value <= highest:
        raise ApiError(400, "invalid", f"'{name}' must be between {lowest} and {highest}", name)
    return value


def language(name: str = "lang", required: bool = False) -> str | None:
    value = request.args.get(name) or None
    if value is None and required:
        raise ApiError(400, "invalid", f"'{name}' is required", name)
    if value is not None and value not in LANGUAGES:
        raise ApiError(400, "invalid", f"'{name}' must be one of {', '.join(LANGUAGES)}", name)
    return value


def choice(name: str, allowed) -> str | None:
    value = request.args.get(name) or None
    if value is not None and value not in set(allowed):
        raise ApiError(400, "invalid", f"'{name}' must be one of {', '.join(sorted(allowed))}", name)
    return value


def timestamp(name: str) -> dt.datetime | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        value = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise ApiError(400, "invalid", f"'{name}' must be an ISO 8601 date or time, e.g. 2026-11-01T00:00:00Z",
                       name) from None
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
