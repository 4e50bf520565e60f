"""Scenario sync into the database and practice sessions through the services."""
import datetime as dt

import pytest
import sqlalchemy as sa

from academy.accounts.models import Role
from academy.accounts.phase import AFTER, BEFORE
from academy.content_errors import ContentError
from academy.domain_errors import DomainError, NotFound
from academy.practice import services, sync
from academy.practice.models import PracticeSession, Scenario, ScenarioVersion
from tests.factories import published_article
from tests.practice.conftest import SCENARIO, write_scenario

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def scenario(db, content):
    published_article(db, "router-setup")
    sync.check(db, sync.read_directory(content), article_slugs=set())
    sync.sync_scenarios(db, sync.read_directory(content))
    return db.scalar(sa.select(Scenario))


def test_sync_is_idempotent_and_versions_changes(db, content, scenario):
    assert (scenario.key, scenario.lang, scenario.channel, scenario.course) == ("lost-router", "en", "chat", "basics")
    assert scenario.current_version.revision == 1
    report = sync.sync_scenarios(db, sync.read_directory(content))
    assert (report.created, report.updated, report.unchanged) == ([], [], 1)
    write_scenario(content, SCENARIO.replace("Router does not work", "Router is dead"))
    report = sync.sync_scenarios(db, sync.read_directory(content))
    assert report.updated == ["courses/basics/scenarios/lost-router.md"]
    assert scenario.title == "Router is dead" and scenario.current_version.revision == 2
    assert db.scalar(sa.select(sa.func.count()).select_from(ScenarioVersion)) == 2


def test_a_removed_file_deactivates_the_scenario_and_keeps_its_history(db, content, scenario):
    (content / "courses" / "basics" / "scenarios" / "lost-router.md").unlink()
    sync.sync_scenarios(db, sync.read_directory(content))
    assert scenario.is_active is False
    assert services.list_scenarios(db) == []


def test_unknown_articles_are_refused_with_their_line(db, content):
    with pytest.raises(ContentError) as caught:
        sync.check(db, sync.read_directory(content), article_slugs={"refunds"})
    assert "courses/basics/scenarios/lost-router.md:10: unknown article 'router-setup'" in str(caught.value)


def test_a_session_plays_and_is_scored_when_ended(db, users, scenario):
    trainee = users[Role.SPECIALIST]
    practice, _engine = services.start_session(db, trainee, scenario, seed=4, now=T0)
    assert practice.phase == BEFORE and practice.mood == 60
    replies = services.say(db, practice, "Good morning, Lumen customer care, Petra speaking.", now=T0 + dt.timedelta(seconds=20))
    assert replies == ["Can you help or not?"]
    services.act(db, practice, "open_article", {"slug": "router-setup"}, now=T0 + dt.timedelta(seconds=40))
    services.say(db, practice, "Please restart the router.", now=T0 + dt.timedelta(seconds=60))
    services.say(db, practice, "Is there anything else I can help you with? Have a nice day.", now=T0 + dt.timedelta(seconds=80))
    assert practice.outcome == "resolved" and practice.ended_at is None
    services.act(db, practice, "record", {"nature": "inquiry", "resolution": "resolved", "escalated": "no"},
                 now=T0 + dt.timedelta(seconds=90))
    services.act(db, practice, "end", {}, now=T0 + dt.timedelta(seconds=95))
    assert (practice.score, practice.passed) == (100, True)
    assert practice.ended_at == T0 + dt.timedelta(seconds=95)
    assert [c["id"] for c in practice.rubric] == ["greeting", "kb", "fix", "tone", "closing", "record"]
    events = services.conversation_of(practice).events
    assert events[0] == {"action": "open_article", "at": 40.0, "turn": 1, "slug": "router-setup", "lang": "en"}
    assert services.best_score(db, trainee.id, "lost-router") == 100


def test_sessions_after_first_contact_are_stamped_so(db, users, scenario):
    trainee = users[Role.SPECIALIST]
    trainee.first_contact_at = T0 - dt.timedelta(days=1)
    practice, _engine = services.start_session(db, trainee, scenario, now=T0)
    assert practice.phase == AFTER


def test_bad_input_is_refused_and_changes_nothing(db, users, scenario):
    practice, _engine = services.start_session(db, users[Role.SPECIALIST], scenario, seed=1, now=T0)
    before = dict(practice.conversation)
    for call in (lambda: services.say(db, practice, "   "),
                 lambda: services.say(db, practice, "x" * 6000),
                 lambda: services.act(db, practice, "dance", {}),
                 lambda: services.act(db, practice, "search", {"query": ""}),
                 lambda: services.act(db, practice, "record", {"nature": "gossip", "resolution": "resolved"}),
                 lambda: services.act(db, practice, "open_article", {})):
        with pytest.raises(DomainError):
            call()
    assert practice.conversation == before


def test_only_the_trainee_and_staff_see_a_session(db, users, scenario):
    practice, _engine = services.start_session(db, users[Role.SPECIALIST], scenario, now=T0)
    assert services.get_session_for(db, practice.id, users[Role.SPECIALIST]) is practice
    assert services.get_session_for(db, practice.id, users[Role.TRAINER]) is practice
    with pytest.raises(NotFound):
        services.get_session_for(db, practice.id, users["other_specialist"])


def test_talking_after_the_end_is_refused(db, users, scenario):
    practice, _engine = services.start_session(db, users[Role.SPECIALIST], scenario, now=T0)
    services.act(db, practice, "end", {}, now=T0)
    with pytest.raises(DomainError, match="over"):
        services.say(db, practice, "Hello?", now=T0)
    assert db.get(PracticeSession, practice.id).score is not None
