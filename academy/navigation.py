"""The main navigation. Each domain registers its entries in its ``init_app``; an entry
shows only to users whose role passes the access rule of the page it links to, so the
menu and the server-side check can never disagree."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, request
from flask_login import current_user

from academy.accounts.access import user_may_open


@dataclass(frozen=True)
class NavItem:
    label: object  # a lazy translated string
    endpoint: str
    order: int
    section: str  # URL prefix that marks the entry as current
    badge: Callable[[], int] | None = None  # a count shown next to the label (e.g. unread updates)


def register(app: Flask, item: NavItem) -> None:
    app.extensions.setdefault("academy.nav", []).append(item)


def init_app(app: Flask) -> None:
    @app.context_processor
    def _navigation():
        if not current_user.is_authenticated:
            return {"nav_items": []}
        items = sorted(app.extensions.get("academy.nav", []), key=lambda item: item.order)
        visible = [item for item in items if user_may_open(current_user, item.endpoint)]
        badges = {item.endpoint: item.badge() for item in visible if item.badge}
        return {"nav_items": visible, "nav_current": _current_section(visible), "nav_badges": badges}


def _current_section(items: list[NavItem]) -> str | None:
    matches = [
        i for i in items
        if request.path == i.section or (i.section != "/" and request.path.startswith(i.section.rstrip("/") + "/"))
    ]
    longest = max(matches, key=lambda i: len(i.section), default=None)
    return longest.endpoint if longest else None
