"""Practice endpoints: start a conversation with a simulated customer, talk, use the
practice screen's actions, and read the session (with its scorecard once it has ended).
Anyone may practise; only the session's trainee talks in it, staff may read it."""
from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user

from academy.accounts import access
from academy.api.errors import ApiError
from academy.api.views import bp
from academy.config import LANGUAGES
from academy.db import get_session, utcnow
from academy.knowledge import services as knowledge
from academy.practice import display, kb, review, services
from academy.practice.models import PracticeSession


def _body_json() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "invalid", "Send a JSON object as the request body.", None)
    return body


def _string(body: dict, name: str, required: bool = False) -> str | None:
    value = body.get(name)
    if value is None or value == "":
        if required:
            raise ApiError(400, "invalid", f"'{name}' is required", name)
        return None
    if not isinstance(value, str):
        raise ApiError(400, "invalid", f"'{name}' must be a string", name)
    return value


def _view(practice: PracticeSession, customer: list[str], transcript: bool = False) -> dict:
    """The session as the API shows it; with the scorecard and the transcript once it has ended."""
    conv = services.conversation_of(practice)
    scenario = services.version_scenario(practice)
    done = practice.ended_at is not None
    body = {"id": practice.id, "scenario": scenario.key, "lang": scenario.lang, "channel": scenario.channel,
            "customer": customer, "mood": round(conv.mood), "patience": round(conv.patience), "state": conv.state,
            "outcome": conv.outcome, "done": done}
    if done:
        lines = review.rubric_lines(practice, review.notes_of(get_session(), practice))
        body.update(score=practice.score, passed=practice.passed, rubric=[line.to_api() for line in lines])
    if done or transcript:
        body["transcript"] = display.transcript(conv)
    return body


def _own(session_id: int) -> PracticeSession:
    """The caller's own session, locked; staff may read others' sessions but not talk in them."""
    practice = services.get_session_for(get_session(), session_id, current_user, lock=True)
    if practice.user_id != current_user.id:
        raise ApiError(404, "not_found", "no such practice session of yours", None)
    if practice.ended_at is not None:
        raise ApiError(409, "conflict", "This session has ended; read it with GET.", None)
    return practice


@bp.route("/practice/sessions", methods=["POST"])
@access.signed_in
def practice_start():
    body = _body_json()
    key = _string(body, "scenario", required=True)
    lang = _string(body, "lang")
    if lang is not None and lang not in LANGUAGES:
        raise ApiError(400, "invalid", f"'lang' must be one of {', '.join(LANGUAGES)}", "lang")
    session = get_session()
    scenario = services.find_scenario(session, key, lang, prefer=current_user.language)
    practice, _engine = services.start_session(session, current_user, scenario)
    session.commit()
    reply = _view(practice, display.latest_customer_lines(services.conversation_of(practice)))
    return jsonify(reply), 201


@bp.route("/practice/sessions/<int:session_id>")
@access.signed_in
def practice_session(session_id: int):
    practice = services.get_session_for(get_session(), session_id, current_user)
    return jsonify(_view(practice, display.latest_customer_lines(services.conversation_of(practice)),
                         transcript=True))


@bp.route("/practice/sessions/<int:session_id>/messages", methods=["POST"])
@access.signed_in
def practice_message(session_id: int):
    body = _body_json()
    text = _string(body, "text", required=True)
    session = get_session()
    practice = _own(session_id)
    replies = services.say(session, practice, text, now=utcnow())
    session.commit()
    return jsonify(_view(practice, replies))


@bp.route("/practice/sessions/<int:session_id>/actions", methods=["POST"])
@access.signed_in
def practice_action(session_id: int):
    body = _body_json()
    action = _string(body, "action", required=True)
    if action not in services.ACTIONS:
        raise ApiError(400, "invalid", f"'action' must be one of {', '.join(services.ACTIONS)}", "action")
    session = get_session()
    practice = _own(session_id)
    extra: dict = {}
    if action == "open_article":
        replies, article = kb.open_article(session, practice, _string(body, "slug", required=True),
                                           _string(body, "lang"), now=utcnow())
        extra["article"] = {"slug": article.slug, "lang": article.lang, "title": article.title,
                            "body_html": article.current_revision.body_html,
                            "url": knowledge.article_url(article.slug, article.lang)}
    else:
        data = dict(body)
        for name in ("query", "to", "note", "nature", "resolution", "summary"):
            _string(body, name)   # present or not, never anything but a string
        if action == "record" and not isinstance(body.get("escalated"), bool):
            raise ApiError(400, "invalid", "'escalated' must be true or false", "escalated")
        replies, extra = services.act(session, practice, action, data, now=utcnow())
        for hit in extra.get("results", {}).get("results", []):
            hit["url"] = knowledge.article_url(hit["slug"], hit["lang"])
    session.commit()
    return jsonify({**_view(practice, replies), **extra})
