"""Forms of the course pages: the trainer's course, module and lesson editors and the
enrolment forms. Choices that depend on the database are set by the view."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, IntegerField, SelectChoice, SelectField, SelectMultipleField, StringField,
                     TextAreaField)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from academy.config import LANGUAGE_NAMES


class CheckboxListField(SelectMultipleField):
    """Several choices as a list of checkboxes (usable without JavaScript)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        """Unknown choices are reported by the services with a clearer message."""


class CourseCreateForm(FlaskForm):
    slug = StringField(_l("Slug"), validators=[
        DataRequired(), Length(max=120),
        Regexp(r"^[a-z0-9][a-z0-9-]*$", message=_l("Lower-case letters, digits and hyphens only."))])
    lang = SelectField(_l("Language"), choices=[SelectChoice(c, n) for c, n in LANGUAGE_NAMES.items()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])


class CourseEditForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("Description (Markdown)"), validators=[Optional(), Length(max=20000)],
                                render_kw={"rows": 6})
    before_first_contact = BooleanField(_l("Part of onboarding: to be completed before the first customer contact"))
    is_published = BooleanField(_l("Published: learners can see and enrol in it"))
    requires = CheckboxListField(_l("Courses to complete first"), choices=[])


class ModuleCreateForm(FlaskForm):
    key = StringField(_l("Id"), validators=[
        DataRequired(), Length(max=120),
        Regexp(r"^[A-Za-z0-9-]+$", message=_l("Letters, digits and “-” only."))])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])


class ModuleEditForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    articles = StringField(_l("Required articles"), validators=[Optional(), Length(max=2000)])
    requires = CheckboxListField(_l("Modules to complete first"), choices=[], coerce=int)
    quiz_file = SelectField(_l("Quiz questions from"), choices=[], validate_choice=False)
    quiz_category = StringField(_l("Only the questions in category"), validators=[Optional(), Length(max=500)])

    def article_list(self) -> list[str]:
        return [slug.strip() for slug in (self.articles.data or "").replace("\n", ",").split(",") if slug.strip()]


class LessonCreateForm(FlaskForm):
    lesson_title = StringField(_l("Title of the new lesson"), validators=[DataRequired(), Length(max=300)])


class LessonEditForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    minutes = IntegerField(_l("Reading time (minutes)"), validators=[Optional(), NumberRange(min=1, max=1000)])
    body_md = TextAreaField(_l("Text (Markdown)"), validators=[Optional()], render_kw={"rows": 22})


class EnrolLearnersForm(FlaskForm):
    learners = CheckboxListField(_l("Learners"), choices=[], coerce=int,
                                 validators=[DataRequired(message=_l("Choose at least one learner."))])


class EnrolCohortForm(FlaskForm):
    cohort = SelectField(_l("Cohort"), choices=[], coerce=int,
                         validators=[DataRequired(message=_l("Choose a cohort."))])
