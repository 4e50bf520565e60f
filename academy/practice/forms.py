"""Forms of the practice screen and of trainer review. The practice screen posts them as
plain forms, or practice.js sends the same fields as JSON (Flask-WTF reads either)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectChoice, SelectField, SelectMultipleField, \
    StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from academy.practice import display, review, services


class StartForm(FlaskForm):
    scenario = IntegerField(_l("Scenario"), validators=[InputRequired(message=_l("Choose a scenario to practise."))])


class MessageForm(FlaskForm):
    text = TextAreaField(_l("Your message"), validators=[
        DataRequired(message=_l("Write something to the customer first.")),
        Length(max=services.MAX_MESSAGE, message=_l("A message can be at most %(max)d characters."))])


class SearchForm(FlaskForm):
    action = HiddenField(default="search")
    query = StringField(_l("Search the knowledge base"), validators=[
        DataRequired(message=_l("Type what to search for.")), Length(max=200)])


class OpenArticleForm(FlaskForm):
    action = HiddenField(default="open_article")
    slug = StringField(_l("Article"), validators=[DataRequired(message=_l("Say which article to open.")),
                                                  Length(max=120)])
    lang = StringField(_l("Language"), validators=[Optional(), Length(max=8)])


class EscalateForm(FlaskForm):
    action = HiddenField(default="escalate")
    to = SelectField(_l("Escalate to"), default="supervisor",
                     choices=[SelectChoice(key, label) for key, label in display.ESCALATION_TARGETS.items()])
    note = TextAreaField(_l("Note for them (optional)"), validators=[Optional(), Length(max=1000)],
                         render_kw={"rows": 2})


class HoldForm(FlaskForm):
    action = HiddenField(default="hold")


class RecordForm(FlaskForm):
    action = HiddenField(default="record")
    nature = SelectField(_l("Nature of the contact"), validators=[
        DataRequired(message=_l("Choose the nature of the contact."))],
        choices=[SelectChoice("", _l("Choose…"))] + [SelectChoice(key, display.NATURE_LABELS[key])
                                                     for key in services.RECORD_NATURES])
    resolution = SelectField(_l("Resolution"), validators=[DataRequired(message=_l("Choose the resolution."))],
                             choices=[SelectChoice("", _l("Choose…"))] + [
                                 SelectChoice(key, display.RESOLUTION_LABELS[key])
                                 for key in services.RECORD_RESOLUTIONS])
    escalated = BooleanField(_l("Escalated"))
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 3})


class EndForm(FlaskForm):
    action = HiddenField(default="end")


ACTION_FORMS = {"search": SearchForm, "open_article": OpenArticleForm, "escalate": EscalateForm, "hold": HoldForm,
                "record": RecordForm, "end": EndForm}


# ---------------------------------------------------------------- trainer review

class OverrideForm(FlaskForm):
    criterion = StringField(_l("Criterion"), validators=[DataRequired(message=_l("Choose a criterion."))])
    met = SelectField(_l("Judgement"), validators=[DataRequired(message=_l("Say whether the criterion is met."))],
                      choices=[SelectChoice("", _l("Choose…")), SelectChoice("yes", _l("Met")),
                               SelectChoice("no", _l("Not met"))])
    reason = TextAreaField(_l("Reason (the trainee reads it)"), validators=[
        DataRequired(message=_l("Give the reason for the override.")), Length(max=review.MAX_NOTE)],
        render_kw={"rows": 2})


class CommentForm(FlaskForm):
    turn = IntegerField(_l("Turn"), validators=[Optional()])
    text = TextAreaField(_l("Comment"), validators=[DataRequired(message=_l("Write the comment first.")),
                                                    Length(max=review.MAX_NOTE)], render_kw={"rows": 2})


class LabelForm(FlaskForm):
    turn = IntegerField(_l("Turn"), validators=[InputRequired(message=_l("Choose a turn."))])
    moves = SelectMultipleField(_l("The moves this reply really makes"), choices=[], validate_choice=False)


class ReviewedForm(FlaskForm):
    pass
