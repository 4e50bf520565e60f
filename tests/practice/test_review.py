"""Trainer review: the queue, overrides that recompute the score (critical rule included),
comments, labelled replies, marking reviewed; as services and as pages."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from academy.accounts.models import Role
from academy.domain_errors import DomainError, Forbidden
from academy.practice import review, services
from academy.practice.models import LabelledReply, ReviewNote
from tests.practice.conftest import load_test_scenario

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.timezone.utc)
GREET = "Good morning, Lumen customer care, Petra speaking."


@pytest.fixture
def scenario(db, tmp_path):
    return load_test_scenario(db, tmp_path)


def _played(db, user, scenario, *messages, started=T0, opened=True):
    """A finished session: greeting, the article (when ``opened``), the messages, a record, the end."""
    practice, _engine = services.start_session(db, user, scenario, seed=3, now=started)
    at = started
    for text in (GREET, *messages):
        if opened and text is not GREET and "router-setup" not in services.conversation_of(practice).kb_opened:
            services.act(db, practice, "open_article", {"slug": "router-setup"}, now=at)
        at += dt.timedelta(seconds=20)
        services.say(db, practice, text, now=at)
    services.act(db, practice, "record", {"nature": "inquiry", "resolution": "resolved", "escalated": False}, now=at)
    services.act(db, practice, "end", {}, now=at + dt.timedelta(seconds=5))
    db.flush()
    return practice


def test_an_override_recomputes_the_score_from_the_weights(db, users, scenario):
    # Greeting, no fix: greeting 10 + tone 10 + record 10 = 30 of 100.
    practice = _played(db, users[Role.SPECIALIST], scenario, opened=False)
    assert (practice.score, practice.passed) == (30, False)
    review.override_criterion(db, practice, users[Role.TRAINER], "closing", True, "She closed politely in her own words.")
    assert practice.score == 40
    lines = {line.id: line for line in review.rubric_lines(practice, review.notes_of(db, practice))}
    assert lines["closing"].met is True and lines["closing"].scored_met is False
    assert lines["closing"].override.text == "She closed politely in her own words."
    assert practice.rubric[4]["met"] is False   # the scorer's judgement is kept as it was


def test_overriding_a_critical_criterion_flips_pass_and_fail(db, users, scenario):
    practice = _played(db, users[Role.SPECIALIST], scenario, "Please switch the router off and on again.",
                       "Is there anything else I can help you with? Have a nice day.")
    assert (practice.score, practice.passed) == (100, True)
    trainer = users[Role.TRAINER]
    review.override_criterion(db, practice, trainer, "fix", False, "The restart was suggested without checking the lights.")
    assert (practice.score, practice.passed) == (70, False)     # 70 is the pass mark, but a critical one failed
    review.override_criterion(db, practice, trainer, "fix", True, "Checked with the trainee: she did look first.")
    assert (practice.score, practice.passed) == (100, True)     # the latest override wins


def test_an_override_needs_a_known_criterion_a_reason_and_a_reviewer(db, users, scenario):
    practice = _played(db, users[Role.SPECIALIST], scenario)
    trainer = users[Role.TRAINER]
    with pytest.raises(DomainError, match="no criterion"):
        review.override_criterion(db, practice, trainer, "charm", True, "Nice.")
    with pytest.raises(DomainError, match="reason") as caught:
        review.override_criterion(db, practice, trainer, "closing", True, "   ")
    assert caught.value.field == "reason"
    for role in (Role.SUPERVISOR, Role.SPECIALIST):
        with pytest.raises(Forbidden):
            review.override_criterion(db, practice, users[role], "closing", True, "Because.")
    assert db.scalar(sa.select(sa.func.count()).select_from(ReviewNote)) == 0


def test_a_session_still_going_on_cannot_be_reviewed(db, users, scenario):
    practice, _engine = services.start_session(db, users[Role.SPECIALIST], scenario, now=T0)
    with pytest.raises(DomainError, match="still going on"):
        review.comment(db, practice, users[Role.TRAINER], None, "Good start.")


def test_comments_go_on_a_turn_or_on_the_whole_session(db, users, scenario):
    practice = _played(db, users[Role.SPECIALIST], scenario, "That is your own fault.")
    trainer = users[Role.TRAINER]
    blame_turn = next(t.n for t in services.conversation_of(practice).turns if t.text == "That is your own fault.")
    review.comment(db, practice, trainer, blame_turn, "Never blame the customer.")
    review.comment(db, practice, trainer, None, "Good use of the knowledge base.")
    by_turn = review.comments_by_turn(review.notes_of(db, practice))
    assert [n.text for n in by_turn[blame_turn]] == ["Never blame the customer."]
    assert [n.text for n in by_turn[None]] == ["Good use of the knowledge base."]
    with pytest.raises(DomainError, match="no turn 99"):
        review.comment(db, practice, trainer, 99, "Where?")


def test_a_mis_read_turn_is_saved_as_a_labelled_reply_and_relabelling_replaces_it(db, users, scenario):
    practice = _played(db, users[Role.SPECIALIST], scenario, "Could you turn the box off and back on?")
    trainer = users[Role.TRAINER]
    turn = next(t for t in services.conversation_of(practice).turns if t.text.startswith("Could you turn"))
    label = review.label_reply(db, practice, trainer, turn.n, ["suggest_restart"])
    assert (label.text, label.lang, label.moves, label.scenario_key, label.turn) == (
        "Could you turn the box off and back on?", "en", ["suggest_restart"], "lost-router", turn.n)
    assert label.matched == [name for name, _c in turn.moves] and label.labelled_by_id == trainer.id
    review.label_reply(db, practice, trainer, turn.n, ["suggest_restart", "empathize"])
    assert [r.moves for r in db.scalars(sa.select(LabelledReply))] == [["suggest_restart", "empathize"]]
    with pytest.raises(DomainError, match="Unknown move: dance"):
        review.label_reply(db, practice, trainer, turn.n, ["dance"])
    customer_turn = services.conversation_of(practice).turns[0].n
    with pytest.raises(DomainError, match="agent turn"):
        review.label_reply(db, practice, trainer, customer_turn, [])


def test_the_queue_lists_unreviewed_finished_sessions_oldest_first(db, users, scenario):
    later = _played(db, users[Role.SPECIALIST], scenario, started=T0 + dt.timedelta(hours=2))
    earlier = _played(db, users["other_specialist"], scenario, started=T0)
    services.start_session(db, users[Role.SPECIALIST], scenario, now=T0)   # still going on
    assert [item.practice.id for item in review.queue(db)] == [earlier.id, later.id]
    review.mark_reviewed(db, earlier, users[Role.ADMIN], now=T0 + dt.timedelta(days=1))
    assert [item.practice.id for item in review.queue(db)] == [later.id]
    assert earlier.reviewed_at == T0 + dt.timedelta(days=1)


# ---------------------------------------------------------------- pages

def test_the_queue_and_review_page_show_turns_with_moves_and_confidences(client, db, login, users, scenario):
    practice = _played(db, users[Role.SPECIALIST], scenario, "That is your own fault.")
    login(users[Role.TRAINER])
    queue = client.get("/practice/review").get_data(as_text=True)
    assert "Sam Specialist" in queue and "Router does not work" in queue
    assert f"/practice/review/{practice.id}" in queue
    page = client.get(f"/practice/review/{practice.id}").get_data(as_text=True)
    assert "Blaming the customer" in page and 'class="move-chip__confidence"' in page
    assert 'name="moves" value="suggest_restart"' in page and "Override" in page and "Mark as reviewed" in page


def test_a_trainer_overrides_on_the_page_and_the_trainee_sees_it(client, db, login, users, scenario):
    practice = _played(db, users[Role.SPECIALIST], scenario, opened=False)
    login(users[Role.TRAINER])
    response = client.post(f"/practice/review/{practice.id}/override",
                           data={"criterion": "closing", "met": "yes", "reason": "Closed politely, other words."},
                           follow_redirects=True)
    assert "the score is now 40, not passed" in response.get_data(as_text=True)
    refused = client.post(f"/practice/review/{practice.id}/override", data={"criterion": "closing", "met": "no"},
                          follow_redirects=True)
    assert "Give the reason for the override." in refused.get_data(as_text=True)
    client.post(f"/practice/review/{practice.id}/comment", data={"text": "Work on the knowledge base."})

    login(users[Role.SPECIALIST])
    report = client.get(f"/practice/sessions/{practice.id}/report").get_data(as_text=True)
    assert "40 / 100" in report and "Closed politely, other words." in report
    assert "Work on the knowledge base." in report


def test_a_trainer_labels_a_turn_and_marks_the_session_reviewed_on_the_page(client, db, login, users, scenario):
    practice = _played(db, users[Role.SPECIALIST], scenario, "Could you turn the box off and back on?")
    turn = next(t for t in services.conversation_of(practice).turns if t.text.startswith("Could you turn"))
    login(users[Role.ADMIN])
    client.post(f"/practice/review/{practice.id}/label", data={"turn": turn.n, "moves": ["suggest_restart"]})
    assert db.scalar(sa.select(LabelledReply.moves)) == ["suggest_restart"]
    page = client.get(f"/practice/review/{practice.id}").get_data(as_text=True)
    assert "Labelled by a trainer:" in page
    done = client.post(f"/practice/review/{practice.id}/reviewed")
    assert done.headers["Location"].endswith("/practice/review")
    db.refresh(practice)
    assert practice.reviewed_at is not None


def test_supervisors_and_trainees_cannot_review(client, db, login, users, scenario):
    practice = _played(db, users[Role.SPECIALIST], scenario)
    for role in (Role.SUPERVISOR, Role.SPECIALIST):
        login(users[role])
        assert client.get("/practice/review").status_code == 403
        assert client.post(f"/practice/review/{practice.id}/override",
                           data={"criterion": "closing", "met": "yes", "reason": "x"}).status_code == 403
    assert db.scalar(sa.select(sa.func.count()).select_from(ReviewNote)) == 0
