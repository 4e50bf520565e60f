"""Reader pages: the knowledge-base home, articles, history and diffs, What's new,
acknowledging and feedback, and search."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.accounts import access
from academy.config import LANGUAGES
from academy.db import get_session, utcnow
from academy.domain_errors import NotFound
from academy.forms import commit_or_flash
from academy.knowledge import diff, services, whatsnew
from academy.knowledge.forms import FeedbackForm
from academy.knowledge.models import Article, Kind, Revision, RevisionState
from academy.knowledge.browse import browse
from academy.search import querylog

bp = Blueprint("knowledge", __name__, url_prefix="/kb")


def load_article(slug: str, lang: str) -> Article:
    """The article, or 404 when it does not exist or the user may not see it."""
    try:
        article = services.get_article(get_session(), slug, lang)
    except NotFound:
        abort(404)
    if not services.visible_to(article, current_user):
        abort(404)
    return article


def _revision_or_404(article: Article, number: int) -> Revision:
    try:
        revision = services.get_revision(get_session(), article, number)
    except NotFound:
        abort(404)
    if revision.state != RevisionState.PUBLISHED and not current_user.has_role("trainer", "supervisor", "admin"):
        abort(404)
    return revision


@bp.route("/")
@access.signed_in
def home():
    session = get_session()
    lang = request.args.get("lang") or current_user.language
    if lang not in LANGUAGES:
        lang = current_user.language
    return render_template(
        "knowledge/home.html", lang=lang,
        **browse(session, lang=lang, product=request.args.get("product") or None,
                 kind=request.args.get("kind") or None),
        kinds=list(Kind), updates=whatsnew.updates_for(session, current_user)[:5],
    )


@bp.route("/<lang>/<slug>")
@access.signed_in
def article(lang: str, slug: str):
    session = get_session()
    article = load_article(slug, lang)
    log_id = request.args.get("q", type=int)
    if log_id:
        querylog.log_open(session, log_id, current_user.id, slug, lang, request.args.get("rank", type=int))
    last_read = services.last_read_number(session, current_user, article)
    if article.is_published:
        services.record_read(session, current_user, article)
    session.commit()
    revision = article.current_revision or services.latest_revision(session, article)
    helpful, unhelpful = services.feedback_summary(session, article)
    return render_template(
        "knowledge/article.html", article=article, revision=revision,
        translations=services.translations(session, slug),
        original=services.original_of(session, article),
        outdated=services.is_translation_outdated(session, article),
        needs_ack=services.needs_acknowledgement(session, current_user, article),
        needs_verification=article.needs_verification(utcnow()),
        last_read=last_read, feedback_form=FeedbackForm(), helpful=helpful, unhelpful=unhelpful,
        pending=services.latest_revision(session, article),
    )


@bp.route("/<lang>/<slug>/acknowledge", methods=["POST"])
@access.signed_in
def acknowledge(lang: str, slug: str):
    session = get_session()
    article = load_article(slug, lang)
    commit_or_flash(lambda: services.acknowledge_article(session, current_user, article),
                    lambda: _("Thank you: your acknowledgement of “%(title)s” is recorded.", title=article.title))
    return redirect(url_for("knowledge.article", lang=lang, slug=slug))


@bp.route("/<lang>/<slug>/feedback", methods=["POST"])
@access.signed_in
def feedback(lang: str, slug: str):
    session = get_session()
    article = load_article(slug, lang)
    form = FeedbackForm()
    if form.validate_on_submit():
        services.record_feedback(session, current_user, article, helpful=form.helpful.data == "yes",
                                 reason=form.reason.data or "")
        session.commit()
        flash(_("Thank you for your feedback."), "success")
    else:
        flash(_("The feedback could not be saved: %(errors)s",
                errors="; ".join(e for errors in form.errors.values() for e in errors)), "error")
    return redirect(url_for("knowledge.article", lang=lang, slug=slug) + "#feedback")


@bp.route("/<lang>/<slug>/history")
@access.signed_in
def history(lang: str, slug: str):
    article = load_article(slug, lang)
    staff = current_user.has_role("trainer", "supervisor", "admin")
    revisions = [r for r in reversed(article.revisions) if staff or r.state == RevisionState.PUBLISHED]
    return render_template("knowledge/history.html", article=article, revisions=revisions)


@bp.route("/<lang>/<slug>/diff")
@access.signed_in
def compare(lang: str, slug: str):
    article = load_article(slug, lang)
    numbers = sorted(r.number for r in article.revisions)
    old_number = request.args.get("from", type=int) or (numbers[-2] if len(numbers) > 1 else numbers[-1])
    new_number = request.args.get("to", type=int) or numbers[-1]
    old, new = _revision_or_404(article, old_number), _revision_or_404(article, new_number)
    return render_template("knowledge/diff.html", article=article, old=old, new=new, lines=_diff(old, new),
                           since_read=False)


@bp.route("/<lang>/<slug>/changes")
@access.signed_in
def changes_since_read(lang: str, slug: str):
    """What changed since the reader last opened the article."""
    session = get_session()
    article = load_article(slug, lang)
    last = services.last_read_number(session, current_user, article)
    current = article.current_revision
    if current is None or last is None or last >= current.number:
        flash(_("Nothing changed since you last read this article."), "info")
        return redirect(url_for("knowledge.article", lang=lang, slug=slug))
    old = services.get_revision(session, article, last)
    return render_template("knowledge/diff.html", article=article, old=old, new=current, lines=_diff(old, current),
                           since_read=True)


def _diff(old: Revision, new: Revision):
    head = f"# {old.title}\n\n{old.summary}\n\n", f"# {new.title}\n\n{new.summary}\n\n"
    return diff.diff_lines(head[0] + old.body_md, head[1] + new.body_md)


@bp.route("/whats-new")
@access.signed_in
def whats_new():
    session = get_session()
    updates = whatsnew.updates_for(session, current_user)
    whatsnew.mark_seen(session, current_user)
    session.commit()
    return render_template("knowledge/whats_new.html", updates=updates)
