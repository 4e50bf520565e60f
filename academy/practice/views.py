"""Trainee pages: the Practice list, the practice screen, and the report of a finished session.

The screen works as plain form posts (each redirects back, except a knowledge-base search or
an opened article, which re-render the screen with them); practice.js sends the same forms
as JSON to the same URLs and swaps in the parts of the screen the answer carries. Only the
session's trainee may talk in it; staff may look at it (``services.get_session_for``).
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.accounts import access
from academy.db import get_session, utcnow
from academy.domain_errors import DomainError, NotFound
from academy.forms import show_domain_error
from academy.knowledge import rendering
from academy.knowledge import services as knowledge
from academy.practice import catalogue, charts, display, kb, review, services, sync
from academy.practice.forms import ACTION_FORMS, EscalateForm, MessageForm, RecordForm, SearchForm, StartForm
from academy.practice.models import PracticeSession, Scenario

bp = Blueprint("practice", __name__, url_prefix="/practice")

# The parts of the screen (practice/_<name>.html) practice.js replaces after each request.
REGIONS = {"message": ("status", "conversation", "composer"), "escalate": ("status", "conversation", "composer", "tools"),
           "hold": ("status", "conversation", "composer", "tools"), "record": ("status", "record"),
           "search": ("status", "kb"), "open_article": ("status", "kb")}
# The fields each form shows on the screen; errors of others are flashed.
VISIBLE_FIELDS = {"message": {"text"}, "search": {"query"}, "escalate": {"to", "note"},
                  "record": {"nature", "resolution", "escalated", "summary"}}


@bp.route("")
@access.signed_in
def index():
    session = get_session()
    return render_template("practice/index.html", groups=catalogue.scenario_groups(session, current_user),
                           recent=catalogue.recent_sessions(session, current_user), start_form=StartForm())


@bp.route("/start", methods=["POST"])
@access.signed_in
def start():
    session = get_session()
    form = StartForm()
    scenario = session.get(Scenario, form.scenario.data) if form.validate_on_submit() else None
    if scenario is None or not scenario.is_active or scenario.current_version is None:
        flash(_("Choose a scenario to practise."), "error")
        return redirect(url_for("practice.index"))
    practice, _engine = services.start_session(session, current_user, scenario)
    session.commit()
    return redirect(url_for("practice.session", session_id=practice.id))


def load_session(session_id: int, lock: bool = False) -> PracticeSession:
    """The session if the user may see it (theirs, or any for staff), else 404."""
    try:
        return services.get_session_for(get_session(), session_id, current_user, lock=lock)
    except NotFound:
        abort(404)


def _own_session(session_id: int) -> PracticeSession:
    """The session the user is playing: staff may look at others' sessions, never talk in them."""
    practice = load_session(session_id, lock=True)
    if practice.user_id != current_user.id:
        abort(404)
    return practice


def _definition(practice: PracticeSession):
    return sync.definition_of(services.version_scenario(practice), practice.version)


def screen_context(practice: PracticeSession, *, forms: dict | None = None, results: dict | None = None,
                   article=None) -> dict:
    """Everything the practice screen and its parts (``practice/_*.html``) show."""
    scenario = services.version_scenario(practice)
    definition = _definition(practice)
    conv = services.conversation_of(practice)
    record = conv.record or {}
    forms = forms or {}
    record_form = forms.get("record") or RecordForm(
        formdata=None, data={"nature": record.get("nature") or "", "resolution": record.get("resolution") or "",
                             "escalated": bool(record.get("escalated")), "summary": record.get("summary") or ""})
    elapsed = (utcnow() - practice.started_at).total_seconds()
    return {
        "practice": practice, "scenario": scenario, "definition": definition, "conv": conv,
        "turns": display.turns_of(conv, definition), "is_owner": practice.user_id == current_user.id,
        "mood_level": display.mood_level(conv.mood), "mood_word": display.mood_word(conv.mood),
        "patience_max": display.starting_patience(conv), "elapsed": max(0, int(elapsed)),
        "briefing_html": rendering.render(definition.briefing_md).html,
        "message_form": forms.get("message") or MessageForm(formdata=None),
        "search_form": forms.get("search") or SearchForm(formdata=None),
        "escalate_form": forms.get("escalate") or EscalateForm(formdata=None),
        "record_form": record_form, "results": results, "article": article,
    }


def _screen(practice: PracticeSession, status: int = 200, **options):
    return render_template("practice/session.html", **screen_context(practice, **options)), status


@bp.route("/sessions/<int:session_id>", endpoint="session")
@access.signed_in
def session_page(session_id: int):
    practice = load_session(session_id)
    if practice.ended_at is not None:
        return redirect(url_for("practice.report", session_id=practice.id))
    return _screen(practice)


def _json_error(message, status: int = 400, code: str = "invalid", field: str | None = None, **extra):
    return jsonify(error={"code": code, "message": str(message), "field": field}, **extra), status


def _form_error(form) -> tuple[str, str | None]:
    for name, errors in form.errors.items():
        if errors:
            label = getattr(form, name).label.text if hasattr(form, name) else name
            return f"{label}: {errors[0]}", name
    return _("The request could not be understood."), None


def _refused(practice: PracticeSession, name: str, form, error: DomainError | None = None):
    """Bad input: a JSON error naming the field, or the screen again with the message beside
    the field (flashed when the field is not one the screen shows)."""
    get_session().rollback()
    if request.is_json:
        if error is not None:
            return _json_error(error.message, error.status, error.code, error.field)
        message, field = _form_error(form)
        return _json_error(message, field=field)
    over = practice.outcome and name in ("message", "escalate")   # those forms go once the customer is done
    shown = set() if over else VISIBLE_FIELDS.get(name, set())
    if error is not None:
        if error.field in shown:
            show_domain_error(form, error)
        else:
            flash(error.message, "error")
    for field, errors in form.errors.items():
        if field not in shown and errors:
            flash(f"{getattr(form, field).label.text}: {errors[0]}", "error")
    return _screen(practice, status=400, forms={name: form})


def _finished(practice: PracticeSession):
    """The session has ended: whatever was sent is too late; the report is the place to go."""
    report = url_for("practice.report", session_id=practice.id)
    if request.is_json:
        return _json_error(_("This session has ended."), 409, "conflict", redirect=report)
    flash(_("This session has ended."), "info")
    return redirect(report)


def _reply(practice: PracticeSession, customer: list[str], regions: tuple[str, ...], **options):
    """The answer to practice.js: the API's fields plus the re-rendered parts of the screen."""
    if practice.ended_at is not None:
        return jsonify(done=True, redirect=url_for("practice.report", session_id=practice.id))
    context = screen_context(practice, **options)
    conv = context["conv"]
    if conv.outcome and "tools" not in regions:
        regions += ("tools",)   # the customer has finished: escalate and hold go away
    return jsonify(done=False, customer=customer, mood=round(conv.mood), mood_word=str(context["mood_word"]),
                   patience=round(conv.patience), outcome=conv.outcome,
                   html={name: render_template(f"practice/_{name}.html", **context) for name in regions})


@bp.route("/sessions/<int:session_id>/messages", methods=["POST"])
@access.signed_in
def message(session_id: int):
    session = get_session()
    practice = _own_session(session_id)
    if practice.ended_at is not None:
        return _finished(practice)
    form = MessageForm()
    if not form.validate_on_submit():
        return _refused(practice, "message", form)
    try:
        replies = services.say(session, practice, form.text.data, now=utcnow())
    except DomainError as error:
        return _refused(practice, "message", form, error)
    session.commit()
    if request.is_json:
        return _reply(practice, replies, REGIONS["message"])
    return redirect(url_for("practice.session", session_id=practice.id) + "#latest")


@bp.route("/sessions/<int:session_id>/actions", methods=["POST"])
@access.signed_in
def action(session_id: int):
    session = get_session()
    practice = _own_session(session_id)
    if practice.ended_at is not None:
        return _finished(practice)
    name = (request.get_json(silent=True) or {}).get("action") if request.is_json else request.form.get("action")
    if name not in ACTION_FORMS:
        message = _("Unknown action: choose one of the buttons on the practice screen.")
        if request.is_json:
            return _json_error(message, field="action")
        flash(message, "error")
        return redirect(url_for("practice.session", session_id=practice.id))
    form = ACTION_FORMS[name]()
    if not form.validate_on_submit():
        return _refused(practice, name, form)
    now, results, article = utcnow(), None, None
    try:
        if name == "search":
            replies, extra = services.act(session, practice, "search", {"query": form.query.data}, now=now)
            results = _with_urls(extra["results"])
        elif name == "open_article":
            replies, article = kb.open_article(session, practice, form.slug.data, form.lang.data or None, now=now)
        elif name == "escalate":
            replies, _extra = services.act(session, practice, "escalate", {"to": form.to.data, "note": form.note.data},
                                           now=now)
        elif name == "record":
            replies, _extra = services.act(session, practice, "record", {
                "nature": form.nature.data, "resolution": form.resolution.data,
                "escalated": bool(form.escalated.data), "summary": form.summary.data or ""}, now=now)
        else:
            replies, _extra = services.act(session, practice, name, {}, now=now)
    except DomainError as error:
        return _refused(practice, name, form, error)
    session.commit()
    if name in ("search", "open_article"):
        if request.is_json:
            return _reply(practice, replies, REGIONS[name], results=results, article=article)
        return _screen(practice, results=results, article=article)
    if request.is_json:
        return _reply(practice, replies, REGIONS.get(name, ()))
    if name == "record":
        flash(_("The interaction record is saved. You can change it until you end the session."), "success")
    target = url_for("practice.report" if name == "end" else "practice.session", session_id=practice.id)
    return redirect(target + {"end": "", "record": "#practice-record"}.get(name, "#latest"))


def _with_urls(results: dict) -> dict:
    for hit in results["results"]:
        hit["url"] = knowledge.article_url(hit["slug"], hit["lang"])
    return results


@bp.route("/sessions/<int:session_id>/report")
@access.signed_in
def report(session_id: int):
    session = get_session()
    practice = load_session(session_id)
    if practice.ended_at is None:
        if practice.user_id == current_user.id:
            flash(_("The report is ready once you end the session."), "info")
        return redirect(url_for("practice.session", session_id=practice.id))
    return render_template("practice/report.html", **report_context(session, practice))


def report_context(session, practice: PracticeSession) -> dict:
    """What the report and the review page show of a finished session."""
    scenario = services.version_scenario(practice)
    definition = _definition(practice)
    conv = services.conversation_of(practice)
    notes = review.notes_of(session, practice)
    lines = review.rubric_lines(practice, notes)
    curve = display.mood_curve(conv)
    return {
        "practice": practice, "scenario": scenario, "definition": definition, "conv": conv,
        "turns": display.turns_of(conv, definition), "rubric": lines,
        "failed_critical": [line for line in lines if line.critical and not line.met],
        "below_mark": (practice.score or 0) < definition.pass_mark, "notes": notes,
        "comments": review.comments_by_turn(notes), "curve": curve, "chart": charts.mood_chart(curve),
        "kb_events": display.kb_events(conv), "is_owner": practice.user_id == current_user.id,
        "agent_texts": {turn.text for turn in conv.turns if turn.speaker == "agent"},
        "taken": int((practice.ended_at - practice.started_at).total_seconds()),
        "start_form": StartForm(formdata=None, data={"scenario": scenario.id}),
        "may_review": current_user.role in {str(role) for role in review.REVIEWERS},
    }
