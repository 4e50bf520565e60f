"""Trainer pages of the knowledge base: writing and editing articles, the publishing
workflow, archiving, verification. Supervisors' awareness pages are in ``awareness``."""
from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.accounts import access
from academy.accounts.models import Role
from academy.db import get_session, utcnow
from academy.domain_errors import DomainError
from academy.forms import commit_or_flash, show_domain_error
from academy.knowledge import rendering, services
from academy.knowledge.forms import ArticleCreateForm, ArticleEditForm
from academy.knowledge.models import Article, ArticleStatus, RevisionState
from academy.knowledge.views import bp, load_article

AUTHORS = access.roles(Role.TRAINER, Role.ADMIN)


def _fields(form: ArticleEditForm) -> services.ArticleFields:
    return services.ArticleFields(
        title=form.title.data or "", body_md=form.body_md.data or "", kind=form.kind.data,
        product=form.product.data or "", summary=form.summary.data or "", tags=tuple(form.tag_list()),
        requires_acknowledgement=form.requires_acknowledgement.data, is_new_offering=form.is_new_offering.data,
        verify_every_days=form.verify_every_days.data or 180)


def _preview(form: ArticleEditForm, lang: str):
    return rendering.render(form.body_md.data or "", services.link_resolver(get_session(), lang))


def _after_save(article: Article, revision, action: str) -> None:
    """Move the saved revision along the workflow as the author asked."""
    session = get_session()
    if action in ("review", "publish"):
        services.submit_for_review(session, article, revision)
    if action == "publish":
        services.publish_revision(session, article, revision, actor=current_user)


@bp.route("/manage")
@AUTHORS
def manage():
    session = get_session()
    status = request.args.get("status") or None
    stmt = sa.select(Article).order_by(Article.updated_at.desc())
    if status:
        stmt = stmt.where(Article.status == status)
    articles = list(session.scalars(stmt))
    waiting = [(a, r) for a in session.scalars(sa.select(Article)) for r in a.revisions
               if r.state == RevisionState.IN_REVIEW]
    return render_template("knowledge/manage.html", articles=articles, status=status, waiting=waiting,
                           statuses=list(ArticleStatus))


@bp.route("/new", methods=["GET", "POST"])
@AUTHORS
def create():
    session = get_session()
    form = ArticleCreateForm(lang=request.args.get("lang") or current_user.language,
                             slug=request.args.get("slug") or None)
    preview = None
    if form.validate_on_submit():
        action = request.form.get("action", "draft")
        if action == "preview":
            preview = _preview(form, form.lang.data)
        else:
            try:
                article = services.create_article(session, slug=form.slug.data, lang=form.lang.data,
                                                  fields=_fields(form), author=current_user,
                                                  change_note=form.change_note.data or "")
                _after_save(article, article.revisions[-1], action)
            except DomainError as error:
                session.rollback()
                show_domain_error(form, error)
            else:
                session.commit()
                flash(_("Article “%(title)s” saved.", title=article.title), "success")
                return redirect(url_for("knowledge.article", lang=article.lang, slug=article.slug))
    status = 400 if form.errors else 200
    return render_template("knowledge/edit.html", form=form, article=None, preview=preview), status


@bp.route("/<lang>/<slug>/edit", methods=["GET", "POST"])
@AUTHORS
def edit(lang: str, slug: str):
    session = get_session()
    article = load_article(slug, lang)
    latest = services.latest_revision(session, article)
    if request.method == "GET":
        form = ArticleEditForm(
            title=latest.title, kind=article.kind, product=article.product, tags=", ".join(latest.tags),
            summary=latest.summary, body_md=latest.body_md, requires_acknowledgement=article.requires_acknowledgement,
            is_new_offering=article.is_new_offering, verify_every_days=article.verify_every_days,
            based_on=str(latest.number))
    else:
        form = ArticleEditForm()
    preview = None
    if form.validate_on_submit():
        action = request.form.get("action", "draft")
        if action == "preview":
            preview = _preview(form, lang)
        else:
            try:
                revision = services.save_revision(
                    session, article, fields=_fields(form), author=current_user,
                    based_on=int(form.based_on.data) if (form.based_on.data or "").isdigit() else None,
                    change_note=form.change_note.data or "", is_major=form.is_major.data)
                _after_save(article, revision, action)
            except DomainError as error:
                session.rollback()
                show_domain_error(form, error)
            else:
                session.commit()
                flash(_("Revision %(number)d saved.", number=revision.number), "success")
                return redirect(url_for("knowledge.article", lang=lang, slug=slug))
    status = 400 if form.errors else 200
    return render_template("knowledge/edit.html", form=form, article=article, preview=preview), status


@bp.route("/<lang>/<slug>/revisions/<int:number>/<any(submit, publish, return):action>", methods=["POST"])
@AUTHORS
def workflow(lang: str, slug: str, number: int, action: str):
    session = get_session()
    article = load_article(slug, lang)
    revision = services.get_revision(session, article, number)
    steps = {
        "submit": lambda: services.submit_for_review(session, article, revision),
        "return": lambda: services.return_to_draft(session, article, revision),
        "publish": lambda: services.publish_revision(session, article, revision, actor=current_user),
    }
    messages = {"submit": lambda: _("Revision %(n)d sent for review.", n=number),
                "return": lambda: _("Revision %(n)d sent back to draft.", n=number),
                "publish": lambda: _("Revision %(n)d published.", n=number)}
    commit_or_flash(steps[action], messages[action])
    return redirect(url_for("knowledge.history", lang=lang, slug=slug))


@bp.route("/<lang>/<slug>/revisions/<int:number>/restore", methods=["POST"])
@AUTHORS
def restore(lang: str, slug: str, number: int):
    session = get_session()
    article = load_article(slug, lang)
    restored = []
    commit_or_flash(lambda: restored.append(services.restore_revision(session, article, number, author=current_user)),
                    lambda: _("Revision %(old)d restored as draft revision %(new)d.", old=number,
                              new=restored[0].number))
    return redirect(url_for("knowledge.history", lang=lang, slug=slug))

@bp.route("/<lang>/<slug>/<any(archive, unarchive):action>", methods=["POST"])
@AUTHORS
def archive(lang: str, slug: str, action: str):
    session = get_session()
    article = load_article(slug, lang)
    operation = services.archive_article if action == "archive" else services.unarchive_article
    commit_or_flash(lambda: operation(session, article),
                    lambda: _("Article archived.") if action == "archive" else _("Article restored from the archive."))
    return redirect(url_for("knowledge.article", lang=lang, slug=slug))


@bp.route("/<lang>/<slug>/verify", methods=["POST"])
@AUTHORS
def verify(lang: str, slug: str):
    session = get_session()
    article = load_article(slug, lang)
    commit_or_flash(lambda: services.verify_article(session, article, actor=current_user),
                    lambda: _("Marked as verified. Next check due %(date)s.", date=article.verification_due_at().date()))
    return redirect(request.form.get("back") if request.form.get("back", "").startswith("/kb/")
                    else url_for("knowledge.article", lang=lang, slug=slug))


@bp.route("/verification")
@AUTHORS
def verification():
    session = get_session()
    mine = request.args.get("mine", "1") == "1"
    queue = services.verification_queue(session, owner=current_user if mine else None)
    return render_template("knowledge/verification.html", queue=queue, mine=mine, now=utcnow())

