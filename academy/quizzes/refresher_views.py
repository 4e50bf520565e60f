"""The learner's refresher quiz: the questions due today (a few at a time), each answered on
its own, graded on the server and rescheduled; and the home-page panel that leads there."""
from __future__ import annotations

import datetime as dt

from flask import abort, render_template, request
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import Session

from academy.accounts import access
from academy.accounts.models import Role, User
from academy.db import get_session, utcnow
from academy.domain_errors import DomainError
from academy.quizzes import attempt_display, refreshers, services
from academy.quizzes.display import question_html
from academy.quizzes.models import Question, RefresherCard
from academy.quizzes.views import bp

LEARNERS = access.roles(Role.SPECIALIST)


def comes_back(due_at: dt.datetime, now: dt.datetime | None = None) -> str:
    """When a card is due, in words: "tomorrow", "in 4 days", "in 2 months"."""
    days = refreshers.days_until(due_at, now)
    if days <= 0:
        return _("today")
    if days == 1:
        return _("tomorrow")
    return format_timedelta(dt.timedelta(days=days), granularity="day", add_direction=True)


def _shown(card: RefresherCard, parsed: dict, raw=None, error: str | None = None) -> dict:
    """A due question as the page may show it before it is answered: text, answer texts in
    their shown order, matching items and the answers offered; never credit or feedback."""
    qtype = parsed["type"]
    order = refreshers.answer_order(card, parsed)
    return {
        "card_id": card.id, "name": f"q{card.id}", "error": error,
        "text_html": question_html(parsed["text"], parsed.get("format") or "moodle"),
        "q": {"type": qtype, "single": bool(parsed.get("single")),
              "answers": [{"text": a["text"]} for a in parsed.get("answers", [])] if qtype == "multichoice" else [],
              "pairs": [{"question": p["question"]} for p in parsed.get("pairs", [])] if qtype == "matching" else []},
        "order": order if qtype == "multichoice" else None,
        "choices": order if qtype == "matching" else [],
        "given": attempt_display.given(parsed, raw),
    }


def _parsed(session: Session, card: RefresherCard) -> dict:
    return services.as_parsed(session.get(Question, card.question_id))


def _page(session: Session, answered: dict | None = None, failed: dict | None = None, status: int = 200):
    """The refresher page: what was just answered, then the questions still due."""
    now = utcnow()
    items = [failed if failed and failed["card_id"] == card.id else _shown(card, _parsed(session, card))
             for card in refreshers.due_cards(session, current_user, now)]
    stray_error = failed["error"] if failed and all(item is not failed for item in items) else None
    outlook = refreshers.outlook(session, current_user, now)
    next_due = comes_back(outlook.next_due_at, now) if outlook and outlook.next_due_at else None
    return render_template("quizzes/refresher.html", items=items, answered=answered, stray_error=stray_error,
                           outlook=outlook, next_due=next_due), status


@bp.route("/refresher")
@LEARNERS
def refresher():
    return _page(get_session())


@bp.route("/refresher/<int:card_id>", methods=["POST"])
@LEARNERS
def refresher_answer(card_id: int):
    """Grade one answer on the server, reschedule the card, show the feedback and, after a
    miss, the right answer."""
    session = get_session()
    card = refreshers.card_of(session, current_user, card_id)
    if card is None:
        abort(404)
    parsed = _parsed(session, card)
    order = refreshers.answer_order(card, parsed)
    raw = attempt_display.raw_from_form(parsed, card.id, request.form)
    try:
        result = refreshers.answer_card(session, card, raw)
    except DomainError as error:
        session.rollback()
        # str(): a lazy message is marked safe in templates, and this one quotes what was typed.
        return _page(session, failed=_shown(card, parsed, raw, str(error.message)), status=400)
    session.commit()
    answered = {"text_html": question_html(parsed["text"], parsed.get("format") or "moodle"),
                "grade": result.grade, "general_feedback": parsed.get("general_feedback") or "",
                "answer_lines": attempt_display.answer_lines(parsed, raw, order),
                "right_answer_lines": [] if result.grade.state == "correct" else
                attempt_display.right_answer_lines(parsed),
                "when": comes_back(card.due_at)}
    return _page(session, answered=answered)


def panel_context(session: Session, user: User) -> dict | None:
    """The home-page panel: how many questions are due, or when the next one is; nothing for
    people without cards."""
    if user.role != Role.SPECIALIST:
        return None
    outlook = refreshers.outlook(session, user)
    if outlook is None:
        return None
    return {"due": outlook.due, "next_due_at": outlook.next_due_at,
            "next_due": comes_back(outlook.next_due_at) if outlook.next_due_at else None}
