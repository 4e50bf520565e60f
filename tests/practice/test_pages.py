"""The Practice list, the practice screen as plain form posts and as practice.js's JSON, and
the report, through the test client."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from academy.accounts.models import Role
from academy.practice import services, sync
from academy.practice.models import PracticeSession, Scenario
from tests.practice.conftest import SCENARIO, load_test_scenario

GREET = "Good morning, Lumen customer care, Petra speaking."
RESTART = "Please switch the router off and on again."
CLOSE = "Is there anything else I can help you with? Have a nice day."


@pytest.fixture
def scenario(db, tmp_path):
    return load_test_scenario(db, tmp_path)


@pytest.fixture
def trainee(users, login):
    return login(users[Role.SPECIALIST])


def _start(client, scenario) -> int:
    response = client.post("/practice/start", data={"scenario": scenario.id})
    assert response.status_code == 302
    match = re.search(r"/practice/sessions/(\d+)$", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def _say(client, session_id, text, **kwargs):
    return client.post(f"/practice/sessions/{session_id}/messages", data={"text": text}, **kwargs)


def _act(client, session_id, action, **fields):
    return client.post(f"/practice/sessions/{session_id}/actions", data={"action": action, **fields})


def test_the_list_shows_active_scenarios_by_course_with_channel_language_and_best_score(client, db, scenario, trainee):
    page = client.get("/practice").get_data(as_text=True)
    assert "Router does not work" in page and "Basics" in page
    assert "Chat" in page and "English" in page and "Not played yet" in page
    assert 'aria-label="Main"' in page and 'href="/practice"' in page

    practice, _engine = services.start_session(db, trainee, scenario)
    services.act(db, practice, "end", {})
    practice.score = 64
    db.flush()
    page = client.get("/practice").get_data(as_text=True)
    assert "My best score: 64" in page
    assert "My recent sessions" in page and f"/practice/sessions/{practice.id}/report" in page


def test_the_users_language_version_is_shown_first_and_the_others_offered(client, db, tmp_path, users, login):
    load_test_scenario(db, tmp_path)
    czech = SCENARIO.replace("lang: en", "lang: cs").replace("Router does not work", "Router nefunguje")
    (tmp_path / "courses" / "basics" / "scenarios" / "lost-router.cs.md").write_text(czech, encoding="utf-8")
    sync.sync_scenarios(db, sync.read_directory(tmp_path))
    reader = users[Role.SPECIALIST]
    reader.language = "cs"
    db.flush()
    login(reader)
    page = client.get("/practice").get_data(as_text=True)
    assert "Router nefunguje" in page and "Router does not work" not in page
    cs_id, en_id = (db.scalar(sa.select(Scenario.id).where(Scenario.lang == lang)) for lang in ("cs", "en"))
    assert re.search(rf'<option value="{cs_id}" selected>', page) and f'<option value="{en_id}">' in page


def test_start_creates_a_session_and_shows_the_customer_and_the_briefing(client, db, scenario, trainee):
    session_id = _start(client, scenario)
    practice = db.get(PracticeSession, session_id)
    assert practice.user_id == trainee.id
    page = client.get(f"/practice/sessions/{session_id}").get_data(as_text=True)
    assert "My router does not work." in page                      # the customer's opening line
    assert "A customer&#39;s router stopped working." in page or "A customer's router stopped working." in page
    assert 'id="mood-meter"' in page and "angry" in page          # mood 60
    assert 'name="text"' in page and "Send" in page
    assert 'value="search"' in page and 'value="escalate"' in page and 'value="record"' in page
    assert "practice.js" in page and "<script>" not in page and 'style="' not in page


def test_starting_an_unknown_or_missing_scenario_is_refused_with_a_message(client, db, scenario, trainee):
    for data in ({}, {"scenario": "x"}, {"scenario": 999999}):
        response = client.post("/practice/start", data=data, follow_redirects=True)
        assert response.status_code == 200 and "Choose a scenario to practise." in response.get_data(as_text=True)
    assert db.scalar(sa.select(sa.func.count()).select_from(PracticeSession)) == 0


def test_a_whole_session_through_plain_form_posts_ends_in_the_report(client, db, scenario, trainee):
    session_id = _start(client, scenario)
    response = _say(client, session_id, GREET)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/practice/sessions/{session_id}#latest")
    page = client.get(f"/practice/sessions/{session_id}").get_data(as_text=True)
    assert GREET in page and "Can you help or not?" in page

    results = _act(client, session_id, "search", query="router")
    assert results.status_code == 200
    page = results.get_data(as_text=True)
    assert "Router setup" in page and 'name="slug" value="router-setup"' in page

    opened = _act(client, session_id, "open_article", slug="router-setup", lang="en")
    assert opened.status_code == 200 and "wait ten seconds" in opened.get_data(as_text=True)

    _say(client, session_id, RESTART)
    _say(client, session_id, CLOSE)
    page = client.get(f"/practice/sessions/{session_id}").get_data(as_text=True)
    assert "The customer is done: Resolved." in page and 'name="text"' not in page
    stale = _say(client, session_id, "Are you still there?")     # from a page opened before
    assert stale.status_code == 400 and "The conversation is over." in stale.get_data(as_text=True)

    saved = _act(client, session_id, "record", nature="inquiry", resolution="resolved", summary="Router restarted.")
    assert saved.status_code == 302
    assert "The interaction record is saved." in client.get(saved.headers["Location"]).get_data(as_text=True)

    ended = _act(client, session_id, "end")
    assert ended.headers["Location"].endswith(f"/practice/sessions/{session_id}/report")
    practice = db.get(PracticeSession, session_id)
    db.refresh(practice)
    assert practice.ended_at is not None and (practice.score, practice.passed) == (100, True)

    # A finished session's screen leads to its report; talking in it is refused.
    assert client.get(f"/practice/sessions/{session_id}").headers["Location"].endswith("/report")
    late = _say(client, session_id, "Hello?", follow_redirects=True)
    assert "This session has ended." in late.get_data(as_text=True)


def test_the_report_shows_score_criteria_mood_chart_kb_events_and_transcript(client, db, scenario, trainee):
    practice, _engine = services.start_session(db, trainee, scenario, seed=1)
    db.flush()
    _say(client, practice.id, "That is your own fault.")
    _act(client, practice.id, "search", query="router")
    _act(client, practice.id, "open_article", slug="router-setup")
    _say(client, practice.id, RESTART)
    _act(client, practice.id, "end")
    page = client.get(f"/practice/sessions/{practice.id}/report").get_data(as_text=True)
    assert "Not passed" in page
    assert "Scorecard" in page and "greeting" in page.lower()
    assert "searched for “router”" in page and "opened “router-setup”" in page
    assert '<svg class="chart mood-chart"' in page and "<title id=\"mood-chart-title\">" in page
    assert "The mood as a table" in page
    assert "That is your own fault." in page and "Blaming the customer" in page   # matched move per agent turn
    assert 'style="' not in page


def test_failed_critical_criteria_are_named_on_the_report(client, db, scenario, trainee):
    practice, _engine = services.start_session(db, trainee, scenario, seed=1)
    services.say(db, practice, GREET)
    services.act(db, practice, "end", {})
    db.flush()
    page = client.get(f"/practice/sessions/{practice.id}/report").get_data(as_text=True)
    assert "A critical criterion was not met: Fix." in page


def test_another_trainees_session_is_not_found_and_staff_only_look(client, db, scenario, users, login):
    practice, _engine = services.start_session(db, users["other_specialist"], scenario)
    db.flush()
    login(users[Role.SPECIALIST])
    for url in (f"/practice/sessions/{practice.id}", f"/practice/sessions/{practice.id}/report"):
        assert client.get(url).status_code == 404
    assert _say(client, practice.id, GREET).status_code == 404
    assert _act(client, practice.id, "end").status_code == 404

    login(users[Role.TRAINER])
    page = client.get(f"/practice/sessions/{practice.id}").get_data(as_text=True)
    assert "My router does not work." in page and 'name="text"' not in page and "Olga Other" in page
    assert _say(client, practice.id, GREET).status_code == 404
    assert len(services.conversation_of(practice).turns) == 1


def test_bad_input_gets_a_message_next_to_the_field_and_changes_nothing(client, db, scenario, trainee):
    session_id = _start(client, scenario)
    practice = db.get(PracticeSession, session_id)
    before = dict(practice.conversation)

    empty = _say(client, session_id, "   ")
    assert empty.status_code == 400 and "Write something to the customer first." in empty.get_data(as_text=True)
    long = _say(client, session_id, "x" * 5001)
    assert long.status_code == 400 and "at most 5000 characters" in long.get_data(as_text=True)
    search = _act(client, session_id, "search", query="")
    assert search.status_code == 400 and "Type what to search for." in search.get_data(as_text=True)
    record = _act(client, session_id, "record", nature="gossip", resolution="resolved")
    assert record.status_code == 400 and "Not a valid choice" in record.get_data(as_text=True)
    record = _act(client, session_id, "record", nature="", resolution="resolved")
    assert "Choose the nature of the contact." in record.get_data(as_text=True)
    missing = _act(client, session_id, "open_article", slug="no-such-article")
    assert missing.status_code == 400 and "There is no published article" in missing.get_data(as_text=True)
    unknown = client.post(f"/practice/sessions/{session_id}/actions", data={"action": "dance"}, follow_redirects=True)
    assert "Unknown action" in unknown.get_data(as_text=True)
    db.refresh(practice)
    assert practice.conversation == before


def test_forms_without_a_csrf_token_are_refused(app, client, db, scenario, trainee):
    practice, _engine = services.start_session(db, trainee, scenario)
    db.flush()
    app.config["WTF_CSRF_ENABLED"] = True
    response = _say(client, practice.id, GREET)
    assert response.status_code == 400 and "The form had expired" in response.get_data(as_text=True)
    json_response = client.post(f"/practice/sessions/{practice.id}/messages", json={"text": GREET})
    assert json_response.status_code == 400
    assert len(services.conversation_of(practice).turns) == 1


def test_practice_js_gets_json_with_the_parts_of_the_screen(client, db, scenario, trainee):
    session_id = _start(client, scenario)
    reply = client.post(f"/practice/sessions/{session_id}/messages", json={"text": GREET})
    assert reply.status_code == 200
    body = reply.get_json()
    assert body["customer"] == ["Can you help or not?"] and body["done"] is False and body["mood"] == 58
    assert set(body["html"]) == {"status", "conversation", "composer"}
    assert GREET in body["html"]["conversation"] and "mood-meter" in body["html"]["status"]

    found = client.post(f"/practice/sessions/{session_id}/actions", json={"action": "search", "query": "router"})
    assert found.status_code == 200 and "Router setup" in found.get_json()["html"]["kb"]
    opened = client.post(f"/practice/sessions/{session_id}/actions",
                         json={"action": "open_article", "slug": "router-setup"})
    assert "wait ten seconds" in opened.get_json()["html"]["kb"]
    held = client.post(f"/practice/sessions/{session_id}/actions", json={"action": "hold"})
    assert "You put the customer on hold." in held.get_json()["html"]["conversation"]

    record = client.post(f"/practice/sessions/{session_id}/actions",
                         json={"action": "record", "nature": "inquiry", "resolution": "resolved", "escalated": "yes"})
    assert record.status_code == 200 and "Saved: Inquiry, Resolved." in record.get_json()["html"]["record"]
    assert services.conversation_of(db.get(PracticeSession, session_id)).record["escalated"] is True

    bad = client.post(f"/practice/sessions/{session_id}/messages", json={"text": ""})
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "text"

    ended = client.post(f"/practice/sessions/{session_id}/actions", json={"action": "end"})
    assert ended.get_json() == {"done": True, "redirect": f"/practice/sessions/{session_id}/report"}
    late = client.post(f"/practice/sessions/{session_id}/messages", json={"text": "Hello?"})
    assert late.status_code == 409 and late.get_json()["redirect"].endswith("/report")


def test_a_letter_scenario_shows_letters_and_a_big_reply_box(client, db, tmp_path, trainee):
    load_test_scenario(db, tmp_path)
    letter = SCENARIO.replace("channel: chat", "channel: email").replace("id: lost-router", "id: router-letter")
    (tmp_path / "courses" / "basics" / "scenarios" / "router-letter.md").write_text(letter, encoding="utf-8")
    sync.sync_scenarios(db, sync.read_directory(tmp_path))
    scenario = db.scalar(sa.select(Scenario).where(Scenario.key == "router-letter"))
    session_id = _start(client, scenario)
    _say(client, session_id, f"Dear Ms Test,\n\n{RESTART}\n\nKind regards,\nPetra")
    page = client.get(f"/practice/sessions/{session_id}").get_data(as_text=True)
    assert 'class="letters"' in page and "From: Eva Test" in page and "From: you" in page
    assert "Send reply" in page and 'rows="14"' in page and "Your reply (the whole letter)" in page


def test_the_mood_curve_has_the_opening_and_a_point_after_each_message_or_action(db, scenario, users):
    from academy.practice import charts, display

    practice, _engine = services.start_session(db, users[Role.SPECIALIST], scenario, seed=1)
    services.say(db, practice, "That is your own fault.")      # blame: +25
    services.act(db, practice, "hold", {})
    services.say(db, practice, GREET)                          # greet: -2
    conv = services.conversation_of(practice)
    curve = display.mood_curve(conv)
    assert [(p.step, p.mood, p.speaker) for p in curve] == [
        (0, 60, ""), (1, 85, "agent"), (2, 85, "system"), (3, 83, "agent")]
    chart = charts.mood_chart(curve)
    assert [d.x for d in chart.dots] == [40.0, 234.7, 429.3, 624.0]
    assert chart.dots[0].y > chart.dots[1].y and [d.level for d in chart.dots] == ["angry", "furious", "furious", "angry"]
    assert chart.path.startswith("M40.0,") and chart.path.count("L") == 3
    assert [b.level for b in chart.bands] == ["furious", "angry", "annoyed", "calm"]
    assert charts.mood_chart([]) is None
