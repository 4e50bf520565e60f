"""Home page per role."""
from flask import Blueprint, render_template
from flask_login import current_user

from academy.accounts import access, services
from academy.accounts.models import Role
from academy.db import get_session
from academy.home.panels import panels_for
from academy.knowledge import whatsnew

bp = Blueprint("home", __name__)


@bp.route("/")
@access.signed_in
def index():
    session = get_session()
    context = {"updates": whatsnew.updates_for(session, current_user)[:5],
               "panels": panels_for(session, current_user)}
    if current_user.role in (Role.ADMIN, Role.SUPERVISOR, Role.TRAINER):
        context["counts"] = services.count_users_by_role(session)
        context["cohorts"] = services.list_cohorts(session)[:5]
    if current_user.role in (Role.SUPERVISOR, Role.ADMIN):
        specialists = services.list_users(session, role=Role.SPECIALIST)
        context["awaiting_clearance"] = [u for u in specialists if u.is_active and u.cleared_for_contact_at is None]
    return render_template("home/index.html", **context)
