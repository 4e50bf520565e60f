"""The trainer's form for a quiz's settings. Each question of the quiz gets a points field
(``points_<question id>``), so the form class is built per quiz by ``settings_form_for``."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FloatField, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from academy.quizzes.models import REVIEW_OPTIONS, Behaviour, Quiz
from academy.quizzes.quiz_settings import MAX_POINTS, QuizSettings

BEHAVIOUR_CHOICES = [
    SelectChoice(Behaviour.DEFERRED.value, _l("After the attempt is submitted")),
    SelectChoice(Behaviour.IMMEDIATE.value, _l("Right away: each answer can be checked, a retry costs the penalty")),
]


class QuizSettingsForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    source_file = SelectField(_l("Quiz file"))
    category_path = SelectField(_l("Bank category (with its subcategories)"))
    question_count = IntegerField(_l("Questions per attempt"), validators=[Optional(), NumberRange(min=1, max=1000)])
    pass_mark = FloatField(_l("Pass mark (%)"), validators=[InputRequired(), NumberRange(min=0, max=100)])
    attempts_allowed = IntegerField(_l("Attempts allowed"), validators=[Optional(), NumberRange(min=1, max=100)])
    time_limit = IntegerField(_l("Time limit (minutes)"), validators=[Optional(), NumberRange(min=1, max=24 * 60)])
    shuffle_answers = BooleanField(_l("Shuffle the answers of each question"))
    behaviour = SelectField(_l("Learners see how they did"), choices=BEHAVIOUR_CHOICES)
    penalty = FloatField(_l("Penalty per extra try, in percent of the question's points"),
                         validators=[InputRequired(), NumberRange(min=0, max=100)])
    review_responses = BooleanField(_l("Their answers"))
    review_correctness = BooleanField(_l("Whether each answer was right"))
    review_points = BooleanField(_l("Points and score"))
    review_feedback = BooleanField(_l("The feedback on their answers"))
    review_general_feedback = BooleanField(_l("The general feedback of each question"))
    review_right_answer = BooleanField(_l("The right answers"))

    def review_fields(self):
        return [getattr(self, f"review_{option}") for option in REVIEW_OPTIONS]

    def points_fields(self):
        return [field for name, field in self._fields.items() if name.startswith("points_")]

    def settings(self) -> QuizSettings:
        minutes = self.time_limit.data
        return QuizSettings(
            title=self.title.data or "", source_file=self.source_file.data or None,
            category_path=self.category_path.data or None, question_count=self.question_count.data,
            pass_mark=self.pass_mark.data, attempts_allowed=self.attempts_allowed.data,
            shuffle_answers=self.shuffle_answers.data, time_limit_seconds=minutes * 60 if minutes else None,
            behaviour=self.behaviour.data, penalty=self.penalty.data / 100,
            review={option: getattr(self, f"review_{option}").data for option in REVIEW_OPTIONS},
            question_points={field.name.removeprefix("points_"): field.data for field in self.points_fields()})


def settings_form_for(quiz: Quiz, questions, sources: list[str], categories: list[str], **kwargs) -> QuizSettingsForm:
    """The settings form of ``quiz``, with a points field per question and the bank's quiz
    files and categories to choose from (the quiz's own kept even when the bank lacks them)."""
    points = {f"points_{q.id}": FloatField(q.title, default=float(quiz.question_points.get(str(q.id), 1.0)),
                                           validators=[InputRequired(), NumberRange(min=0, max=MAX_POINTS)])
              for q in questions if q.type != "description"}
    form_class = type("QuizSettingsFormWithPoints", (QuizSettingsForm,), points)
    review = quiz.review or {}
    form = form_class(
        title=quiz.title, source_file=quiz.source_file or "", category_path=quiz.category_path or "",
        question_count=quiz.question_count, pass_mark=quiz.pass_mark, attempts_allowed=quiz.attempts_allowed,
        time_limit=quiz.time_limit_seconds // 60 if quiz.time_limit_seconds else None,
        shuffle_answers=quiz.shuffle_answers, behaviour=quiz.behaviour, penalty=round(quiz.penalty * 100, 2),
        **{f"review_{option}": bool(review.get(option)) for option in REVIEW_OPTIONS}, **kwargs)
    none = SelectChoice("", _l("— none —"))
    form.source_file.choices = [none] + [SelectChoice(s, s) for s in sorted(set(sources) | {quiz.source_file or ""}) if s]
    form.category_path.choices = [none] + [SelectChoice(c, c) for c in sorted(set(categories) | {quiz.category_path or ""})
                                           if c]
    return form
