"""Settings read from environment variables (see README, "Configuration").

Everything has a default that works on a laptop: an ``instance/`` directory in the
current directory holding the SQLite database, the search index and a secret key that is
generated once. Production sets ``ACADEMY_DATABASE_URL`` to PostgreSQL and
``ACADEMY_SECURE_COOKIES=1`` behind HTTPS.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

LANGUAGES = ("en", "cs", "de", "lt", "et")
LANGUAGE_NAMES = {
    "en": "English",
    "cs": "Čeština",
    "de": "Deutsch",
    "lt": "Lietuvių",
    "et": "Eesti",
}


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def secret_key_for(instance_dir: Path) -> str:
    """Return the instance's secret key, creating it on first use (mode 0600)."""
    path = instance_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def from_environment() -> dict:
    """Build the Flask config mapping from ``ACADEMY_*`` environment variables."""
    instance_dir = Path(os.environ.get("ACADEMY_INSTANCE_DIR", "instance")).resolve()
    database_url = os.environ.get("ACADEMY_DATABASE_URL") or f"sqlite:///{instance_dir / 'academy.db'}"
    secure = _flag("ACADEMY_SECURE_COOKIES")
    return {
        "INSTANCE_DIR": instance_dir,
        "DATABASE_URL": database_url,
        "CONTENT_DIR": Path(os.environ.get("ACADEMY_CONTENT_DIR", ".")).resolve(),
        "SECRET_KEY": os.environ.get("ACADEMY_SECRET_KEY"),
        "RATELIMIT_STORAGE_URI": os.environ.get("ACADEMY_RATELIMIT_STORAGE", "memory://"),
        "LLM_URL": os.environ.get("ACADEMY_LLM_URL"),
        "LLM_MODEL": os.environ.get("ACADEMY_LLM_MODEL"),
        "PRACTICE_EMBEDDINGS": os.environ.get("ACADEMY_PRACTICE_EMBEDDINGS"),
        # Cookies: never readable from JavaScript, not sent on cross-site POSTs,
        # and HTTPS-only when the deployment says it is behind TLS.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure,
        "PREFERRED_URL_SCHEME": "https" if secure else "http",
        # Uploads (question banks, interaction reports) are capped; 413 beyond this.
        "MAX_CONTENT_LENGTH": int(os.environ.get("ACADEMY_MAX_UPLOAD_MB", "16")) * 1024 * 1024,
        "LOGIN_RATE_LIMIT": "10 per minute",
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("ACADEMY_TIMEZONE", "UTC"),
        "LANGUAGES": LANGUAGES,
        "WTF_CSRF_TIME_LIMIT": None,  # tied to the session instead of a wall-clock hour
    }
