"""The practice API: shapes exactly as documented, JSON errors naming the field, ownership."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from academy.accounts import services as accounts
from academy.accounts.models import Role
from academy.practice.models import PracticeSession
from tests.practice.conftest import load_test_scenario

BASE = "/api/v1/practice/sessions"
GREET = "Good morning, Lumen customer care, Petra speaking."


@pytest.fixture
def scenario(db, tmp_path):
    return load_test_scenario(db, tmp_path)


@pytest.fixture
def bearer(db, users):
    """``bearer(role)``: the Authorization header of that role's user."""

    def header(role=Role.SPECIALIST):
        return {"Authorization": "Bearer " + accounts.issue_token(db, users[role])[1]}

    return header


def _start(client, headers, **body):
    return client.post(BASE, json={"scenario": "lost-router", **body}, headers=headers)


def test_starting_returns_the_documented_shape(client, db, scenario, bearer):
    response = _start(client, bearer())
    assert response.status_code == 201
    body = response.json
    assert {"id", "customer", "mood", "state", "done"} <= set(body)
    assert body["customer"] == ["My router does not work."] and body["mood"] == 60
    assert (body["state"], body["done"], body["scenario"], body["lang"], body["channel"]) == (
        "opening", False, "lost-router", "en", "chat")
    assert "score" not in body and "rubric" not in body
    assert db.get(PracticeSession, body["id"]).user_id is not None


def test_a_whole_conversation_through_the_api_ends_with_the_scorecard(client, db, scenario, bearer):
    headers = bearer()
    session_id = _start(client, headers).json["id"]
    said = client.post(f"{BASE}/{session_id}/messages", json={"text": GREET}, headers=headers).json
    assert said["customer"] == ["Can you help or not?"] and said["done"] is False

    found = client.post(f"{BASE}/{session_id}/actions", json={"action": "search", "query": "router"},
                        headers=headers).json
    assert set(found["results"]) == {"query", "total", "suggestion", "results"}
    hit = found["results"]["results"][0]
    assert {"slug", "lang", "title", "kind", "product", "snippet", "score", "url"} <= set(hit)
    assert hit["slug"] == "router-setup" and hit["url"] == "/kb/en/router-setup"

    opened = client.post(f"{BASE}/{session_id}/actions", json={"action": "open_article", "slug": "router-setup"},
                         headers=headers).json
    assert opened["article"]["slug"] == "router-setup" and "ten seconds" in opened["article"]["body_html"]

    restart = client.post(f"{BASE}/{session_id}/messages", json={"text": "Please restart the router."},
                          headers=headers).json
    assert restart["customer"] == ["It works now, thanks."] and restart["state"] == "fixed"
    closed = client.post(f"{BASE}/{session_id}/messages", json={"text": "Thank you for calling, goodbye."},
                         headers=headers).json
    assert closed["outcome"] == "resolved" and closed["done"] is False
    client.post(f"{BASE}/{session_id}/actions", headers=headers,
                json={"action": "record", "nature": "inquiry", "resolution": "resolved", "escalated": False})
    ended = client.post(f"{BASE}/{session_id}/actions", json={"action": "end"}, headers=headers).json
    assert ended["done"] is True and (ended["score"], ended["passed"]) == (100, True)
    assert [c["id"] for c in ended["rubric"]] == ["greeting", "kb", "fix", "tone", "closing", "record"]
    assert set(ended["rubric"][0]) == {"id", "weight", "critical", "met", "evidence", "hint", "better"}
    assert ended["rubric"][2]["critical"] is True
    agent = [t for t in ended["transcript"] if t["speaker"] == "agent"]
    assert agent[0]["text"] == GREET and agent[0]["moves"][0]["move"] == "greet"

    read = client.get(f"{BASE}/{session_id}", headers=headers).json
    assert read["done"] is True and read["score"] == 100 and len(read["transcript"]) == len(ended["transcript"])


def test_escalate_and_hold_answer_in_the_same_shape(client, db, scenario, bearer):
    headers = bearer()
    session_id = _start(client, headers).json["id"]
    for body in ({"action": "escalate", "to": "supervisor", "note": "Angry customer"}, {"action": "hold"}):
        reply = client.post(f"{BASE}/{session_id}/actions", json=body, headers=headers)
        assert reply.status_code == 200 and {"id", "customer", "mood", "state", "done"} <= set(reply.json)
    transcript = client.get(f"{BASE}/{session_id}", headers=headers).json["transcript"]
    assert [t["text"] for t in transcript if t["speaker"] == "system"] == ["escalate", "hold"]


@pytest.mark.parametrize(("body", "status", "field"), [
    ({}, 400, "scenario"),
    ({"scenario": 5}, 400, "scenario"),
    ({"scenario": "lost-router", "lang": "xx"}, 400, "lang"),
    ({"scenario": "no-such-scenario"}, 404, "scenario"),
    ({"scenario": "lost-router", "lang": "de"}, 404, "scenario"),
])
def test_starting_with_bad_input_gets_a_json_error_naming_the_field(client, db, scenario, bearer, body, status, field):
    response = client.post(BASE, json=body, headers=bearer())
    assert response.status_code == status
    assert response.json["error"]["field"] == field and response.json["error"]["message"]
    assert db.scalar(sa.select(sa.func.count()).select_from(PracticeSession)) == 0


@pytest.mark.parametrize(("path", "body", "field"), [
    ("messages", {}, "text"),
    ("messages", {"text": "   "}, "text"),
    ("messages", {"text": ["hi"]}, "text"),
    ("actions", {}, "action"),
    ("actions", {"action": "dance"}, "action"),
    ("actions", {"action": "search", "query": ""}, "query"),
    ("actions", {"action": "search", "query": 5}, "query"),
    ("actions", {"action": "open_article"}, "slug"),
    ("actions", {"action": "record", "nature": "gossip", "resolution": "resolved", "escalated": False}, "nature"),
    ("actions", {"action": "record", "nature": "inquiry", "resolution": "resolved"}, "escalated"),
])
def test_bad_messages_and_actions_get_400_and_change_nothing(client, db, scenario, bearer, path, body, field):
    headers = bearer()
    session_id = _start(client, headers).json["id"]
    before = dict(db.get(PracticeSession, session_id).conversation)
    response = client.post(f"{BASE}/{session_id}/{path}", json=body, headers=headers)
    assert response.status_code == 400 and response.json["error"]["field"] == field
    assert db.get(PracticeSession, session_id).conversation == before


def test_a_body_that_is_not_a_json_object_is_refused(client, db, scenario, bearer):
    response = client.post(BASE, data="scenario=lost-router", headers=bearer())
    assert response.status_code == 400 and response.json["error"]["code"] == "invalid"


def test_an_unknown_article_is_404_naming_the_slug(client, db, scenario, bearer):
    headers = bearer()
    session_id = _start(client, headers).json["id"]
    response = client.post(f"{BASE}/{session_id}/actions", json={"action": "open_article", "slug": "nope"},
                           headers=headers)
    assert response.status_code == 404 and response.json["error"]["field"] == "slug"


def test_an_ended_session_refuses_more_with_409(client, db, scenario, bearer):
    headers = bearer()
    session_id = _start(client, headers).json["id"]
    client.post(f"{BASE}/{session_id}/actions", json={"action": "end"}, headers=headers)
    response = client.post(f"{BASE}/{session_id}/messages", json={"text": GREET}, headers=headers)
    assert response.status_code == 409 and response.json["error"]["code"] == "conflict"


def test_others_sessions_are_404_to_trainees_and_read_only_to_staff(client, db, scenario, bearer, users):
    session_id = _start(client, bearer(Role.SPECIALIST)).json["id"]
    other = {"Authorization": "Bearer " + accounts.issue_token(db, users["other_specialist"])[1]}
    assert client.get(f"{BASE}/{session_id}", headers=other).status_code == 404
    assert client.post(f"{BASE}/{session_id}/messages", json={"text": GREET}, headers=other).status_code == 404
    for role in (Role.TRAINER, Role.SUPERVISOR, Role.ADMIN):
        staff = bearer(role)
        assert client.get(f"{BASE}/{session_id}", headers=staff).json["id"] == session_id
        refused = client.post(f"{BASE}/{session_id}/messages", json={"text": GREET}, headers=staff)
        assert refused.status_code == 404 and refused.json["error"]["code"] == "not_found"
    assert client.post(BASE, json={"scenario": "lost-router"}).status_code == 401


def test_every_role_may_practise_through_the_api(client, db, scenario, bearer):
    for role in (Role.TRAINER, Role.SUPERVISOR, Role.ADMIN):
        assert _start(client, bearer(role)).status_code == 201
