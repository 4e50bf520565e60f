"""Demo data for ``academy init --demo``: the fictional broadband and mobile provider
Lumen Connect (see docs/demo-company.md). People first, then a few weeks of believable
activity on the shipped content, so every page has something to show. Loading is
idempotent: activity is added only together with the demo people, once."""
from __future__ import annotations

from sqlalchemy.orm import Session

from academy.demo import courses, knowledge, people, practice
from academy.demo.people import LOGINS, NAMES

__all__ = ["LOGINS", "NAMES", "load"]


def load(session: Session) -> bool:
    """Add what is missing of the demo data; return whether anything was added."""
    created = people.load(session)
    if created:
        knowledge.load(session)
        courses.load(session)
        practice.load(session)
    return bool(created)
