"""A small content folder (articles, a GIFT file, courses) written into a test's tmp_path,
and ways to pass a quiz without the quiz pages."""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from academy import content, signals
from academy.accounts.phase import phase_of
from academy.courses.models import Course
from academy.quizzes.models import Attempt

ARTICLES = {
    "refunds.en.md": "---\ntitle: Refunds\nkind: policy\n---\nMoney back within 14 days.\n",
    "refunds.cs.md": "---\ntitle: Vrácení peněz\nkind: policy\n---\nPeníze zpět do 14 dnů.\n",
    "escalation.en.md": "---\ntitle: Escalation\nkind: policy\n---\nTier 1, tier 2, supervisor.\n",
}
GIFT = """$CATEGORY: $course$/Basics/Role

::Q1::Verification needs the customer number. {T}

::Q2::Anyone may change the address. {F}

::Intro::Read the next questions carefully.

$CATEGORY: $course$/Basics/Billing

::Q3::Refunds take 14 days. {T}
"""
COURSE = """title: Basics
language: en
before_first_contact: true
description: |
  First steps.

  Read everything.
modules:
  - id: role
    title: The role
    lessons: [01-role.md, 02-records.md]
    articles: [refunds]
    quiz:
      file: basics.gift
      category: $course$/Basics/Role
      pass_mark: 50
  - id: billing
    title: Billing
    requires: [role]
    lessons: [03-billing.md]
    articles: [escalation]
"""
COURSE_CS = """title: Základy
language: cs
modules:
  - id: role
    title: Role
    lessons: [cs/01-role.md]
    articles: [refunds]
  - id: billing
    title: Fakturace
    requires: [role]
    lessons: [cs/03-billing.md]
"""
LESSONS = {
    "01-role.md": "# Your role\n\nYou help customers. See [[refunds]].\n",
    "02-records.md": "---\ntitle: Keeping records\nminutes: 5\n---\nWrite down every contact.\n",
    "03-billing.md": "# Billing\n\nInvoices come monthly.\n",
    "cs/01-role.md": "# Vaše role\n\nPomáháte zákazníkům.\n",
    "cs/03-billing.md": "# Fakturace\n\nFaktury chodí měsíčně.\n",
}


def write_content(root: Path, *, course: str = COURSE, extra_courses: dict[str, dict[str, str]] | None = None,
                  lessons: dict[str, str] | None = None, with_translation: bool = False) -> Path:
    """Write the sample content under ``root`` and return it."""
    (root / "articles").mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        (root / "articles" / name).write_text(text, encoding="utf-8")
    (root / "quizzes").mkdir(exist_ok=True)
    (root / "quizzes" / "basics.gift").write_text(GIFT, encoding="utf-8")
    folder = root / "courses" / "basics"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "course.yaml").write_text(course, encoding="utf-8")
    if with_translation:
        (folder / "course.cs.yaml").write_text(COURSE_CS, encoding="utf-8")
    for name, text in (lessons if lessons is not None else LESSONS).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    for slug, files in (extra_courses or {}).items():
        for name, text in files.items():
            path = root / "courses" / slug / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return root


def synced_course(db, root: Path, lang: str = "en", slug: str = "basics", **kwargs) -> Course:
    """Write the sample content, sync it and return the course."""
    content.sync_content(db, write_content(root, **kwargs))
    return db.scalar(sa.select(Course).where(Course.slug == slug, Course.lang == lang))


def pass_quiz(db, user, quiz, *, passed: bool = True) -> Attempt:
    """A finished attempt, announced the way quizzes.attempts announces one."""
    number = len([a for a in quiz.attempts if a.user_id == user.id]) + 1
    attempt = Attempt(quiz_id=quiz.id, user_id=user.id, number=number, state="finished", phase=phase_of(user),
                      seed=1, points=1.0 if passed else 0.0, max_points=1.0, score=1.0 if passed else 0.0,
                      passed=passed)
    db.add(attempt)
    db.flush()
    signals.attempt_finished.send(attempt, session=db)
    return attempt
