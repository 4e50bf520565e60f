"""The demo data: colleagues played the shipped scenarios, so reports, the review queue and
the team's practice figures have real sessions to show."""
from __future__ import annotations

import sqlalchemy as sa

from academy import content, demo
from academy.accounts.services import find_user_by_email
from academy.practice import review
from academy.practice.models import PracticeSession, Scenario, ScenarioVersion
from tests.conftest import REPOSITORY


def _sessions(db, email, key):
    user = find_user_by_email(db, email)
    return list(db.scalars(sa.select(PracticeSession).join(PracticeSession.version)
                           .join(Scenario, Scenario.id == ScenarioVersion.scenario_id)
                           .where(PracticeSession.user_id == user.id, Scenario.key == key)
                           .order_by(PracticeSession.started_at)))


def test_the_demo_sessions_are_played_scored_and_partly_reviewed(db):
    content.sync_content(db, REPOSITORY)
    demo.load(db)
    every = list(db.scalars(sa.select(PracticeSession)))
    assert len(every) == 8 and all(p.ended_at is not None and p.score is not None for p in every)

    [handled_well] = _sessions(db, "olivia.brooks@lumen.example", "refund-over-limit")
    assert handled_well.passed and handled_well.score >= 80 and handled_well.outcome == "escalated"
    assert handled_well.reviewed_at is not None and handled_well.phase == "after_first_contact"

    first, second = _sessions(db, "lukas.weber@lumen.example", "esim-not-working-email")
    assert not first.passed and second.passed and second.score > first.score      # learnt from the first try
    assert first.phase == "before_first_contact"

    [nina] = _sessions(db, "nina.novakova@lumen.example", "refund-over-limit")
    tone = next(item for item in nina.rubric if item["id"] == "tone")
    assert not tone["met"]                                                         # she told him to calm down

    assert {item.practice.id for item in review.queue(db)} == {p.id for p in every if p.reviewed_at is None}
    assert len(review.queue(db)) == 6
