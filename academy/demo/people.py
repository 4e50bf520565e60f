"""Demo people: one login per role, plus two hiring cohorts of specialists so the team
pages have people in them. An existing e-mail is left alone."""
from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from academy.accounts import services
from academy.accounts.models import Role
from academy.db import utcnow

# Shown by `academy init --demo` and in the README; demo instances only.
LOGINS = (
    ("specialist", "nina.novakova@lumen.example", "demo-specialist"),
    ("trainer", "jonas.petraitis@lumen.example", "demo-trainer"),
    ("supervisor", "katrin.tamm@lumen.example", "demo-supervisor"),
    ("admin", "admin@lumen.example", "demo-admin"),
)
NAMES = {
    "nina.novakova@lumen.example": ("Nina Nováková", "cs"),
    "jonas.petraitis@lumen.example": ("Jonas Petraitis", "en"),
    "katrin.tamm@lumen.example": ("Katrin Tamm", "en"),
    "admin@lumen.example": ("Ada Admin", "en"),
}
# Colleagues without a printed login (they get no password): they fill the team pages.
COLLEAGUES = (
    ("lukas.weber@lumen.example", "Lukas Weber", "de", "autumn"),
    ("ruta.kazlauskaite@lumen.example", "Rūta Kazlauskaitė", "lt", "autumn"),
    ("mart.kask@lumen.example", "Mart Kask", "et", "autumn"),
    ("olivia.brooks@lumen.example", "Olivia Brooks", "en", "spring"),
    ("petr.dvorak@lumen.example", "Petr Dvořák", "cs", "spring"),
)


def load(session: Session) -> list:
    """Add the missing demo people; return the users created."""
    added = []
    today = utcnow().date()
    cohorts = {}
    for key, name, starts in (
        ("spring", "Spring 2026 intake", dt.date(today.year, 3, 2)),
        ("autumn", "Autumn 2026 intake", today - dt.timedelta(days=14)),
    ):
        cohort = next((c for c in services.list_cohorts(session) if c.name == name), None)
        if cohort is None:
            cohort = services.save_cohort(session, name=name, starts_on=starts)
        cohorts[key] = cohort

    for role, email, password in LOGINS:
        if services.find_user_by_email(session, email) is None:
            name, language = NAMES[email]
            added.append(services.create_user(
                session, email=email, role=role, name=name, password=password, language=language,
                cohort=cohorts["autumn"] if role == Role.SPECIALIST else None,
                hired_at=cohorts["autumn"].starts_on if role == Role.SPECIALIST else None,
            ))

    supervisor = services.find_user_by_email(session, LOGINS[2][1])
    for email, name, language, cohort_key in COLLEAGUES:
        if services.find_user_by_email(session, email) is None:
            cohort = cohorts[cohort_key]
            user = services.create_user(session, email=email, role=Role.SPECIALIST, name=name,
                                        language=language, cohort=cohort, hired_at=cohort.starts_on)
            if cohort_key == "spring":
                # The spring intake is already on the phones.
                cleared = dt.datetime.combine(cohort.starts_on + dt.timedelta(days=21), dt.time(9), dt.timezone.utc)
                user.cleared_for_contact_at = cleared
                user.cleared_by = supervisor
                user.first_contact_at = cleared + dt.timedelta(days=1)
            added.append(user)
    session.flush()
    return added
