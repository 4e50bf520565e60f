"""The trainer's form for grading an essay."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FloatField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from academy.quizzes.grading_queue import MAX_COMMENT


class EssayGradeForm(FlaskForm):
    grade = FloatField(_l("Credit (%)"), validators=[InputRequired(), NumberRange(min=0, max=100)])
    comment = TextAreaField(_l("Comment for the learner (optional)"), validators=[Optional(), Length(max=MAX_COMMENT)],
                            render_kw={"rows": 4})
