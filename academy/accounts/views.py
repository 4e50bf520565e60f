"""Sign in and out, and each person's own account page (language, password, API tokens)."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from academy.accounts import access, services
from academy.accounts.forms import LanguageForm, LoginForm, PasswordChangeForm, TokenCreateForm
from academy.accounts.models import ApiToken
from academy.db import get_session
from academy.domain_errors import DomainError
from academy.extensions import limiter
from academy.forms import show_domain_error

bp = Blueprint("accounts", __name__)


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after sign-in (no open redirect)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("home.index")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@access.public
@limiter.limit(_login_limit, methods=["POST"], deduct_when=lambda response: response.status_code != 302)
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        session = get_session()
        user = services.authenticate(session, form.email.data, form.password.data)
        if user is not None:
            session.commit()
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
        # One message for an unknown e-mail, a wrong password and a deactivated account.
        flash(_("The e-mail or password is not correct."), "error")
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@access.signed_in
def logout():
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("accounts.login"))


def _render_account(**forms):
    session = get_session()
    forms.setdefault("language_form", LanguageForm(language=current_user.language))
    forms.setdefault("password_form", PasswordChangeForm())
    forms.setdefault("token_form", TokenCreateForm())
    tokens = session.query(ApiToken).filter_by(user_id=current_user.id).order_by(ApiToken.created_at.desc()).all()
    return render_template("accounts/account.html", tokens=tokens, **forms)


@bp.route("/account")
@access.signed_in
def account():
    return _render_account()


@bp.route("/account/language", methods=["POST"])
@access.signed_in
def account_language():
    form = LanguageForm()
    if not form.validate_on_submit():
        return _render_account(language_form=form), 400
    session = get_session()
    services.set_language(session, current_user, form.language.data)
    session.commit()
    flash(_("Language saved."), "success")
    return redirect(url_for("accounts.account"))


@bp.route("/account/password", methods=["POST"])
@access.signed_in
def account_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        session = get_session()
        try:
            services.change_own_password(session, current_user, form.current_password.data, form.new_password.data)
        except DomainError as error:
            session.rollback()
            show_domain_error(form, error)
        else:
            session.commit()
            login_user(current_user._get_current_object(), fresh=True)  # the session id changed with the password
            flash(_("Password changed. Your other sessions are signed out."), "success")
            return redirect(url_for("accounts.account"))
    return _render_account(password_form=form), 400


@bp.route("/account/tokens", methods=["POST"])
@access.signed_in
def account_token_create():
    form = TokenCreateForm()
    if not form.validate_on_submit():
        return _render_account(token_form=form), 400
    session = get_session()
    _row, token = services.issue_token(session, current_user, form.label.data or "")
    session.commit()
    return _render_account(new_token=token)


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@access.signed_in
def account_token_revoke(token_id: int):
    session = get_session()
    token = session.get(ApiToken, token_id)
    # Another user's token looks exactly like a missing one.
    if token is None or token.user_id != current_user.id:
        flash(_("No such token."), "error")
        return redirect(url_for("accounts.account"))
    services.revoke_token(session, token)
    session.commit()
    flash(_("Token revoked."), "success")
    return redirect(url_for("accounts.account"))
