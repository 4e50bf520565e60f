"""What the Practice page lists: every active scenario once per id, in the reader's language
where there is a version in it, grouped by course, with the reader's best score, and their
recent sessions. Reads only; no Flask."""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from academy.accounts.models import User
from academy.courses.models import Course
from academy.practice.models import PracticeSession, Scenario, ScenarioVersion


@dataclass
class ScenarioCard:
    key: str
    shown: Scenario                                          # the version in the reader's language, if any
    versions: list[Scenario] = field(default_factory=list)   # every language, the shown one first
    best_score: int | None = None


@dataclass
class CourseGroup:
    slug: str
    title: str
    cards: list[ScenarioCard] = field(default_factory=list)


@dataclass(frozen=True)
class RecentSession:
    practice: PracticeSession
    scenario: Scenario

    @property
    def finished(self) -> bool:
        return self.practice.ended_at is not None


def _preferred(rows: list[Scenario], lang: str) -> Scenario:
    by_lang = {row.lang: row for row in rows}
    return by_lang.get(lang) or by_lang.get("en") or rows[0]


def best_scores(session: Session, user_id: int) -> dict[str, int]:
    """The user's best finished score per scenario id (any language version)."""
    rows = session.execute(
        sa.select(Scenario.key, sa.func.max(PracticeSession.score))
        .join(ScenarioVersion, ScenarioVersion.id == PracticeSession.scenario_version_id)
        .join(Scenario, Scenario.id == ScenarioVersion.scenario_id)
        .where(PracticeSession.user_id == user_id, PracticeSession.ended_at.is_not(None))
        .group_by(Scenario.key))
    return {key: score for key, score in rows if score is not None}


def _course_titles(session: Session, slugs: set[str], lang: str) -> dict[str, str]:
    titles: dict[str, dict[str, str]] = {}
    for course in session.scalars(sa.select(Course).where(Course.slug.in_(slugs))):
        titles.setdefault(course.slug, {})[course.lang] = course.title
    return {slug: (names.get(lang) or names.get("en") or next(iter(names.values())))
            for slug, names in titles.items()}


def scenario_groups(session: Session, user: User) -> list[CourseGroup]:
    """Active scenarios grouped by course, each scenario id once, preferring ``user``'s language."""
    rows = list(session.scalars(sa.select(Scenario).where(Scenario.is_active.is_(True))
                                .order_by(Scenario.course, Scenario.difficulty, Scenario.key, Scenario.lang)))
    by_key: dict[str, list[Scenario]] = {}
    for row in rows:
        by_key.setdefault(row.key, []).append(row)
    scores = best_scores(session, user.id)
    titles = _course_titles(session, {row.course for row in rows}, user.language)
    groups: dict[str, CourseGroup] = {}
    for key, versions in by_key.items():
        shown = _preferred(versions, user.language)
        card = ScenarioCard(key, shown, [shown] + [v for v in versions if v is not shown], scores.get(key))
        group = groups.get(shown.course)
        if group is None:
            title = titles.get(shown.course) or shown.course.replace("-", " ").capitalize()
            group = groups[shown.course] = CourseGroup(shown.course, title)
        group.cards.append(card)
    return sorted(groups.values(), key=lambda g: g.title.lower())


def recent_sessions(session: Session, user: User, limit: int = 10) -> list[RecentSession]:
    rows = session.execute(
        sa.select(PracticeSession, Scenario)
        .join(ScenarioVersion, ScenarioVersion.id == PracticeSession.scenario_version_id)
        .join(Scenario, Scenario.id == ScenarioVersion.scenario_id)
        .where(PracticeSession.user_id == user.id)
        .order_by(PracticeSession.started_at.desc(), PracticeSession.id.desc()).limit(limit))
    return [RecentSession(practice, scenario) for practice, scenario in rows]
