"""Forms for signing in, one's own account, and the admin's user and cohort pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, DateField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from academy.accounts.models import Role
from academy.accounts.services import MIN_PASSWORD_LENGTH
from academy.config import LANGUAGE_NAMES

ROLE_CHOICES = [
    (Role.SPECIALIST.value, _l("Specialist")),
    (Role.TRAINER.value, _l("Trainer")),
    (Role.SUPERVISOR.value, _l("Supervisor")),
    (Role.ADMIN.value, _l("Administrator")),
]
LANGUAGE_CHOICES = [SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()]
ROLE_SELECT = [SelectChoice(value, label) for value, label in ROLE_CHOICES]


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)],
                        render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired()],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Keep me signed in on this device"))
    submit = SubmitField(_l("Sign in"))


class LanguageForm(FlaskForm):
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    submit = SubmitField(_l("Save language"))


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()],
                                     render_kw={"autocomplete": "current-password"})
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH)],
                                 render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
                            render_kw={"autocomplete": "new-password"})
    submit = SubmitField(_l("Change password"))


class PasswordSetForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH)],
                             render_kw={"autocomplete": "new-password"})
    submit = SubmitField(_l("Set password"))


class TokenCreateForm(FlaskForm):
    label = StringField(_l("What the token is for"), validators=[Optional(), Length(max=120)])
    submit = SubmitField(_l("Create token"))


class _UserFields(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=ROLE_SELECT)
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    cohort_id = SelectField(_l("Cohort"), coerce=int, choices=[])
    hired_at = DateField(_l("Hired on"), validators=[Optional()])

    def set_cohort_choices(self, cohorts) -> None:
        self.cohort_id.choices = [SelectChoice(0, _l("No cohort"))] + [SelectChoice(c.id, c.name) for c in cohorts]


class UserCreateForm(_UserFields):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    password = PasswordField(_l("Initial password"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH)],
                             render_kw={"autocomplete": "new-password"})
    submit = SubmitField(_l("Create user"))


class UserEditForm(_UserFields):
    is_active = BooleanField(_l("Active (can sign in)"))
    submit = SubmitField(_l("Save changes"))


class CohortEditForm(FlaskForm):
    name = StringField(_l("Cohort name"), validators=[DataRequired(), Length(max=120)])
    starts_on = DateField(_l("Starts on"), validators=[DataRequired()])
    submit = SubmitField(_l("Save cohort"))

