"""Staff pages of the accounts domain: the admin's users and cohorts, the cohort lists
trainers and supervisors read, and the supervisors' team roster."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.accounts import access, services
from academy.accounts.forms import CohortEditForm, PasswordSetForm, UserCreateForm, UserEditForm
from academy.accounts.models import ApiToken, Role
from academy.accounts.views import bp
from academy.db import get_session
from academy.domain_errors import DomainError, NotFound
from academy.forms import show_domain_error

ADMIN = access.roles(Role.ADMIN)


def _get_or_404(getter, *args):
    try:
        return getter(get_session(), *args)
    except NotFound:
        abort(404)


# --- users (admin) -------------------------------------------------------------------------

@bp.route("/admin/users")
@ADMIN
def users():
    session = get_session()
    role = request.args.get("role") or None
    cohort_id = request.args.get("cohort", type=int) or None
    query = request.args.get("q", "")
    return render_template(
        "accounts/users.html",
        users=services.list_users(session, role=role, cohort_id=cohort_id, query=query),
        cohorts=services.list_cohorts(session),
        counts=services.count_users_by_role(session),
        filters={"role": role, "cohort": cohort_id, "q": query},
    )


@bp.route("/admin/users/new", methods=["GET", "POST"])
@ADMIN
def user_create():
    session = get_session()
    form = UserCreateForm()
    form.set_cohort_choices(services.list_cohorts(session))
    if form.validate_on_submit():
        try:
            user = services.create_user(
                session, email=form.email.data, role=form.role.data, name=form.name.data,
                password=form.password.data, language=form.language.data,
                cohort=services.find_cohort(session, form.cohort_id.data),
                hired_at=form.hired_at.data,
            )
        except DomainError as error:
            session.rollback()
            show_domain_error(form, error)
        else:
            session.commit()
            flash(_("User %(email)s created.", email=user.email), "success")
            return redirect(url_for("accounts.user_edit", user_id=user.id))
    return render_template("accounts/user_create.html", form=form), 400 if form.errors else 200


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@ADMIN
def user_edit(user_id: int):
    session = get_session()
    user = _get_or_404(services.get_user, user_id)
    form = UserEditForm(obj=user)
    form.set_cohort_choices(services.list_cohorts(session))
    if request.method == "GET":
        form.cohort_id.data = user.cohort_id or 0
    if form.validate_on_submit():
        try:
            services.update_user(
                session, user, acting=current_user, name=form.name.data, role=form.role.data,
                language=form.language.data,
                cohort=services.find_cohort(session, form.cohort_id.data),
                hired_at=form.hired_at.data, is_active=form.is_active.data,
            )
        except DomainError as error:
            session.rollback()
            show_domain_error(form, error)
        else:
            session.commit()
            flash(_("Changes to %(name)s saved.", name=user.name), "success")
            return redirect(url_for("accounts.user_edit", user_id=user.id))
    return _render_user_edit(user, form)


def _render_user_edit(user, form, password_form=None):
    status = 400 if form.errors or (password_form and password_form.errors) else 200
    return render_template(
        "accounts/user_edit.html", user=user, form=form,
        password_form=password_form or PasswordSetForm(), tokens=user.tokens,
    ), status


@bp.route("/admin/users/<int:user_id>/password", methods=["POST"])
@ADMIN
def user_password(user_id: int):
    session = get_session()
    user = _get_or_404(services.get_user, user_id)
    form = PasswordSetForm()
    if form.validate_on_submit():
        services.set_password(session, user, form.password.data)
        session.commit()
        flash(_("New password set for %(name)s; their open sessions are signed out.", name=user.name), "success")
        return redirect(url_for("accounts.user_edit", user_id=user.id))
    edit_form = UserEditForm(obj=user)
    edit_form.set_cohort_choices(services.list_cohorts(session))
    edit_form.cohort_id.data = user.cohort_id or 0
    return _render_user_edit(user, edit_form, password_form=form)


@bp.route("/admin/users/<int:user_id>/tokens/<int:token_id>/revoke", methods=["POST"])
@ADMIN
def user_token_revoke(user_id: int, token_id: int):
    session = get_session()
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user_id:
        abort(404)
    services.revoke_token(session, token)
    session.commit()
    flash(_("Token revoked."), "success")
    return redirect(url_for("accounts.user_edit", user_id=user_id))


# --- cohorts -----------------------------------------------------------------------------

@bp.route("/cohorts")
@access.roles(*access.STAFF)
def cohorts():
    return render_template("accounts/cohorts.html", cohorts=services.list_cohorts(get_session()))


@bp.route("/cohorts/<int:cohort_id>")
@access.roles(*access.STAFF)
def cohort(cohort_id: int):
    return render_template("accounts/cohort.html", cohort=_get_or_404(services.get_cohort, cohort_id))


@bp.route("/cohorts/new", methods=["GET", "POST"], defaults={"cohort_id": None})
@bp.route("/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@ADMIN
def cohort_edit(cohort_id: int | None):
    session = get_session()
    cohort = _get_or_404(services.get_cohort, cohort_id) if cohort_id else None
    form = CohortEditForm(obj=cohort)
    if form.validate_on_submit():
        try:
            cohort = services.save_cohort(session, name=form.name.data, starts_on=form.starts_on.data, cohort=cohort)
        except DomainError as error:
            session.rollback()
            show_domain_error(form, error)
        else:
            session.commit()
            flash(_("Cohort %(name)s saved.", name=cohort.name), "success")
            return redirect(url_for("accounts.cohort", cohort_id=cohort.id))
    return render_template("accounts/cohort_edit.html", form=form, cohort=cohort), 400 if form.errors else 200


@bp.route("/cohorts/<int:cohort_id>/delete", methods=["POST"])
@ADMIN
def cohort_delete(cohort_id: int):
    session = get_session()
    cohort = _get_or_404(services.get_cohort, cohort_id)
    name = cohort.name
    services.delete_cohort(session, cohort)
    session.commit()
    flash(_("Cohort %(name)s deleted; its members now have no cohort.", name=name), "success")
    return redirect(url_for("accounts.cohorts"))


# --- team (supervisors) ----------------------------------------------------------------

@bp.route("/team")
@access.roles(Role.SUPERVISOR, Role.ADMIN)
def team():
    session = get_session()
    cohort_id = request.args.get("cohort", type=int) or None
    people = services.list_users(session, role=Role.SPECIALIST, cohort_id=cohort_id)
    return render_template("accounts/team.html", people=people, cohorts=services.list_cohorts(session),
                           cohort_id=cohort_id)
