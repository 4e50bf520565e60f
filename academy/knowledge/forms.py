"""Forms of the knowledge base: the article editor, feedback, revision comparison."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from academy.config import LANGUAGE_NAMES

KIND_CHOICES = [
    SelectChoice("product", _l("Product")),
    SelectChoice("policy", _l("Policy")),
    SelectChoice("guide", _l("Guide")),
]


class ArticleEditForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES)
    product = StringField(_l("Product"), validators=[Optional(), Length(max=80)])
    tags = StringField(_l("Tags"), validators=[Optional(), Length(max=500)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=1000)], render_kw={"rows": 2})
    body_md = TextAreaField(_l("Text (Markdown)"), validators=[DataRequired()], render_kw={"rows": 22})
    requires_acknowledgement = BooleanField(_l("Readers must acknowledge this article"))
    is_new_offering = BooleanField(_l("A new offering customers can buy"))
    verify_every_days = IntegerField(_l("Verify every (days)"), default=180,
                                     validators=[DataRequired(), NumberRange(min=1, max=3650)])
    change_note = StringField(_l("What changed"), validators=[Optional(), Length(max=500)])
    is_major = BooleanField(_l("Major update: tell every reader again"))
    based_on = HiddenField()

    def tag_list(self) -> list[str]:
        return [t.strip() for t in (self.tags.data or "").split(",") if t.strip()]


class ArticleCreateForm(ArticleEditForm):
    slug = StringField(_l("Slug"), validators=[
        DataRequired(), Length(max=120),
        Regexp(r"^[a-z0-9][a-z0-9-]*$", message=_l("Lower-case letters, digits and hyphens only."))])
    lang = SelectField(_l("Language"), choices=[SelectChoice(c, n) for c, n in LANGUAGE_NAMES.items()])


class FeedbackForm(FlaskForm):
    helpful = SelectField(_l("Was this helpful?"), choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))])
    reason = TextAreaField(_l("What was missing or wrong? (optional)"), validators=[Optional(), Length(max=1000)],
                           render_kw={"rows": 2})
