"""Home-page panels contributed by other domains (courses, refreshers, ...).

A domain registers a ``Panel`` in its ``init_app``: a template to include and a function
that returns the template's context for the signed-in user, or ``None`` when the panel has
nothing to show them. Panels appear in ``order``."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import Flask, current_app
from sqlalchemy.orm import Session

from academy.accounts.models import User


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[[Session, User], dict | None]
    order: int = 50


def register(app: Flask, panel: Panel) -> None:
    app.extensions.setdefault("academy.home_panels", []).append(panel)


def panels_for(session: Session, user: User) -> list[tuple[str, dict]]:
    """(template, context) for every panel that has something for ``user``."""
    shown = []
    for panel in sorted(current_app.extensions.get("academy.home_panels", []), key=lambda p: p.order):
        context = panel.context(session, user)
        if context is not None:
            shown.append((panel.template, context))
    return shown
