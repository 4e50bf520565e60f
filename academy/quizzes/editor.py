"""The trainer's question editor: one form per question type, and the conversion between a
form and the parsed question dict of ``quizzes.questions``, the one shape every format reads
and writes, so an edited question grades and exports exactly like an imported one.

Answers, matching pairs and numerical answers are repeating rows: the form shows the stored
rows plus a few blank ones, and "add more" re-renders it with more (no JavaScript needed).
Blank rows are ignored. A rule about one row puts its message on that row's field; a rule
across rows (a 100 % answer, weights adding up to 100 %) goes in ``form_errors``, shown above
the rows. ``questions.validate`` is the last check, so nothing the formats would refuse is saved.
"""
from __future__ import annotations

from typing import ClassVar

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, FieldList, Form, FormField, RadioField, SelectChoice, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from academy.quizzes import grading
from academy.quizzes.models import DEFAULT_CATEGORY
from academy.quizzes.questions import MISSING_WORD, validate

# Moodle's grade choices (question_bank::$fractionoptions); negatives only where a wrong
# choice may cost points (multiple choice).
FRACTIONS = (1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2,
             0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05)
BLANK_ROWS = 2      # blank rows shown below the stored ones
MIN_ROWS = 4        # rows shown at least (a matching question needs 3)
ADD_ROWS = 3        # rows added by "add more"
MAX_ROWS = 60
# How close to 100 % the right answers' weights must add up (33.33333 % x 3), as questions.validate.
_WEIGHT_SLACK = 0.001
# Keys of a parsed question the editor writes; any other key of the stored question (its GIFT
# id, say) is kept as it was.
_EDITED = {"title", "category", "type", "format", "text", "general_feedback", "tags", "line", "single", "answers",
           "correct", "feedback_true", "feedback_false", "pairs", "numerical"}

FORMAT_CHOICES = [SelectChoice("moodle", _l("Moodle auto-format")), SelectChoice("html", _l("HTML")),
                  SelectChoice("markdown", _l("Markdown")), SelectChoice("plain", _l("Plain text"))]


def percent_label(fraction: float) -> str:
    """A grade as Moodle lists it: 0.8333333 is "83.33333 %"."""
    return f"{fraction * 100:.5f}".rstrip("0").rstrip(".") + " %"


def fraction_choices(negative: bool, extra=()) -> list[SelectChoice]:
    """The grades offered, best first; ``extra`` adds stored grades that are not in Moodle's list
    (an imported 33.333 %), so editing a question never changes a grade nobody touched."""
    values = set(FRACTIONS) | {0.0} | ({-f for f in FRACTIONS} if negative else set())
    values |= {float(f) for f in extra if isinstance(f, (int, float)) and -1 <= f <= 1 and (negative or f >= 0)}
    return [SelectChoice(repr(value + 0.0), percent_label(value)) for value in sorted(values, reverse=True)]


def _clean(text) -> str:
    """Form text as the formats store it: Unix line ends, no surrounding blanks."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _number_text(value) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _add_error(field, message) -> None:
    field.errors = [*field.errors, message]


# --- the repeating rows ----------------------------------------------------------------------------

class AnswerRow(Form):
    text = TextAreaField(_l("Answer"), render_kw={"rows": 2})
    fraction = SelectField(_l("Grade"), coerce=float, default=0.0)
    feedback = TextAreaField(_l("Feedback"), render_kw={"rows": 2})


class PairRow(Form):
    question = TextAreaField(_l("Item"), render_kw={"rows": 2})
    answer = StringField(_l("Its matching answer"))


class NumericalRow(Form):
    value = StringField(_l("Answer"))
    tolerance = StringField(_l("Error (±)"))
    fraction = SelectField(_l("Grade"), coerce=float, default=0.0)
    feedback = TextAreaField(_l("Feedback"), render_kw={"rows": 2})


def _rows(row: type[Form]) -> FieldList:
    return FieldList(FormField(row), max_entries=MAX_ROWS)


# --- the forms -----------------------------------------------------------------------------------

class QuestionEditForm(FlaskForm):
    """The fields every question has. Subclasses add their type's fields and ``specific``."""

    qtype: ClassVar[str] = ""
    rows_name: ClassVar[str | None] = None      # the FieldList of repeating rows, if any
    negative_grades: ClassVar[bool] = False

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=255)])
    category = StringField(_l("Category"), validators=[Optional(), Length(max=500)],
                           render_kw={"list": "category-paths", "autocomplete": "off"})
    text = TextAreaField(_l("Question text"), validators=[DataRequired()], render_kw={"rows": 6})
    format = SelectField(_l("Text format"), choices=FORMAT_CHOICES, default="moodle")
    general_feedback = TextAreaField(_l("General feedback"), render_kw={"rows": 2})
    tags = StringField(_l("Tags"), validators=[Optional(), Length(max=500)])

    def __init__(self, *args, original: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.original = original or {}
        self._set_grade_choices()

    # Rows -----------------------------------------------------------------------------------
    @property
    def rows(self) -> FieldList | None:
        return self[self.rows_name] if self.rows_name else None

    def add_rows(self, count: int = ADD_ROWS) -> None:
        """Append blank rows (the "add more" button), up to MAX_ROWS."""
        if self.rows is None:
            return
        for _row in range(min(count, MAX_ROWS - len(self.rows.entries))):
            self.rows.append_entry()
        self._set_grade_choices()

    def _set_grade_choices(self) -> None:
        if self.rows is None:
            return
        stored = [row.get("fraction") for row in self.original.get(self.rows_name) or [] if isinstance(row, dict)]
        choices = fraction_choices(self.negative_grades, stored)
        for entry in self.rows:
            if "fraction" in entry.form:
                entry.form.fraction.choices = choices

    def filled_rows(self) -> list[Form]:
        """The rows with something typed in them (blank rows are ignored)."""
        if self.rows is None:
            return []
        return [entry.form for entry in self.rows if not self.row_is_blank(entry.form)]

    def row_is_blank(self, row: Form) -> bool:
        return all(not _clean(field.data) for field in row if not isinstance(field, SelectField))

    # Validation -----------------------------------------------------------------------------
    def validate_category(self, field):
        path = (field.data or "").strip()
        if path and any(not part.strip() for part in path.split("/")):
            raise ValidationError(_("A category path has no empty parts: write Onboarding/Billing, "
                                     "not Onboarding//Billing or /Billing."))

    def validate(self, extra_validators=None) -> bool:
        fields_ok = super().validate(extra_validators)
        rows_ok = self.check_rows()
        if self.rows is not None:
            self.rows.errors = [entry.errors for entry in self.rows.entries if entry.errors]
        if not (fields_ok and rows_ok):
            return False
        self.form_errors += validate(self.question())
        return not self.form_errors

    def check_rows(self) -> bool:
        """Rules about the rows and across them; False when one is broken."""
        return True

    # Conversion -----------------------------------------------------------------------------
    def question(self) -> dict:
        """The parsed question the form describes (call after ``validate``)."""
        kept = {key: value for key, value in self.original.items() if key not in _EDITED}
        category = (self.category.data or "").strip()
        tags = list(dict.fromkeys(t.strip() for t in (self.tags.data or "").split(",") if t.strip()))
        question = {**kept, "title": self.title.data.strip(), "type": self.qtype,
                    "category": None if category in ("", DEFAULT_CATEGORY) else category,
                    "format": self.format.data, "text": _clean(self.text.data),
                    "general_feedback": _clean(self.general_feedback.data) if self.general_feedback else
                    self.original.get("general_feedback", ""), **self.specific()}
        if tags:
            question["tags"] = tags
        if "missing_word" in self:
            question.pop("missing_word", None)
            if self.missing_word.data:
                question["missing_word"] = True
        return question

    def specific(self) -> dict:
        """The type's own keys of the parsed question."""
        return {}

    @classmethod
    def data_of(cls, parsed: dict) -> dict:
        """Form data for ``parsed``, with blank rows to fill in."""
        data = {"title": parsed.get("title", ""), "category": parsed.get("category") or DEFAULT_CATEGORY,
                "text": parsed.get("text", ""), "format": parsed.get("format") or "moodle",
                "general_feedback": parsed.get("general_feedback", ""), "tags": ", ".join(parsed.get("tags") or []),
                "missing_word": bool(parsed.get("missing_word"))}
        if cls.rows_name:
            rows = [cls.row_data(row) for row in parsed.get(cls.rows_name) or []]
            data[cls.rows_name] = rows + [{}] * max(BLANK_ROWS, MIN_ROWS - len(rows))
        return data

    @staticmethod
    def row_data(row: dict) -> dict:
        return dict(row)


class _MissingWord:
    missing_word = BooleanField(_l("Missing word: the answer goes in the blank _____ in the text"))

    def validate_text(self, field):
        if self.missing_word.data:
            before, blank, after = _clean(field.data).partition(MISSING_WORD)
            if not blank or not after.strip():
                raise ValidationError(_("Put _____ where the answer goes, with more text after it, "
                                         "or untick “Missing word”."))


class _Answers(QuestionEditForm):
    """Answers with a text, a grade and feedback (multiple choice, short answer)."""

    rows_name = "answers"
    answers = _rows(AnswerRow)

    def check_rows(self) -> bool:
        ok = True
        for row in self.filled_rows():
            if not _clean(row.text.data):
                _add_error(row.text, _("Give this answer a text, or clear its feedback."))
                ok = False
        return self.check_grades([row.fraction.data for row in self.filled_rows()]) and ok

    def check_grades(self, fractions: list[float]) -> bool:
        return True

    def specific(self) -> dict:
        return {"answers": [{"text": _clean(row.text.data), "fraction": row.fraction.data,
                             "feedback": _clean(row.feedback.data)} for row in self.filled_rows()]}


class MultichoiceEditForm(_MissingWord, _Answers):
    qtype = "multichoice"
    negative_grades = True
    several = BooleanField(_l("Several answers can be right (learners tick boxes)"))

    def check_grades(self, fractions: list[float]) -> bool:
        if len(fractions) < 2:
            self.form_errors.append(_("Give at least 2 answers."))
            return False
        if max(fractions) <= 0:
            self.form_errors.append(_("No answer is right: give at least one a positive grade."))
            return False
        if not self.several.data and max(fractions) < 1:
            self.form_errors.append(_("One answer must be worth 100 % (or tick “Several answers can be right”)."))
            return False
        total = sum(f for f in fractions if f > 0)
        if self.several.data and abs(total - 1) > _WEIGHT_SLACK:
            self.form_errors.append(_("The grades of the right answers add up to %(total)s; they must add up "
                                       "to 100 %%.", total=percent_label(total)))
            return False
        return True

    def specific(self) -> dict:
        return {"single": not self.several.data, **super().specific()}

    @classmethod
    def data_of(cls, parsed: dict) -> dict:
        return {**super().data_of(parsed), "several": parsed.get("single") is False}


class ShortanswerEditForm(_MissingWord, _Answers):
    qtype = "shortanswer"

    def check_grades(self, fractions: list[float]) -> bool:
        if not fractions:
            self.form_errors.append(_("Give at least one accepted answer."))
            return False
        if max(fractions) < 1:
            self.form_errors.append(_("One answer must be worth 100 %, so a learner can get full marks."))
            return False
        return True


class TruefalseEditForm(_MissingWord, QuestionEditForm):
    qtype = "truefalse"
    correct = RadioField(_l("The statement is"),
                         choices=[SelectChoice("true", _l("True")), SelectChoice("false", _l("False"))],
                         validators=[InputRequired(_l("Choose whether the statement is true or false."))])
    feedback_true = TextAreaField(_l("Feedback for the answer True"), render_kw={"rows": 2})
    feedback_false = TextAreaField(_l("Feedback for the answer False"), render_kw={"rows": 2})

    def specific(self) -> dict:
        return {"correct": self.correct.data == "true", "feedback_true": _clean(self.feedback_true.data),
                "feedback_false": _clean(self.feedback_false.data)}

    @classmethod
    def data_of(cls, parsed: dict) -> dict:
        correct = parsed.get("correct")
        return {**super().data_of(parsed), "correct": None if correct is None else ("true" if correct else "false"),
                "feedback_true": parsed.get("feedback_true", ""), "feedback_false": parsed.get("feedback_false", "")}


class MatchingEditForm(_MissingWord, QuestionEditForm):
    """Moodle's rule: at least 2 items and 3 answers; an answer without an item is a wrong choice."""

    qtype = "matching"
    rows_name = "pairs"
    pairs = _rows(PairRow)

    def check_rows(self) -> bool:
        ok = True
        rows = self.filled_rows()
        for row in rows:
            if not _clean(row.answer.data):
                _add_error(row.answer, _("Give the answer that matches this item."))
                ok = False
            if "->" in _clean(row.question.data):
                _add_error(row.question, _("An item cannot contain “->” (GIFT files use it between item and answer)."))
                ok = False
        if sum(1 for row in rows if _clean(row.question.data)) < 2 or len(rows) < 3:
            self.form_errors.append(_("Give at least 2 items with their answers, and at least 3 answers in all "
                                       "(an answer with no item is an extra, wrong choice)."))
            ok = False
        return ok

    def specific(self) -> dict:
        return {"pairs": [{"question": _clean(row.question.data), "answer": _clean(row.answer.data)}
                          for row in self.filled_rows()]}


class NumericalEditForm(QuestionEditForm):
    qtype = "numerical"
    rows_name = "numerical"
    numerical = _rows(NumericalRow)

    def row_is_blank(self, row: Form) -> bool:
        return not _clean(row.value.data) and not _clean(row.feedback.data)

    def check_rows(self) -> bool:
        ok = True
        for row in self.filled_rows():
            for field in (row.value, row.tolerance):
                if field is row.tolerance and not _clean(field.data):
                    continue
                try:
                    number = grading.parse_number(_clean(field.data))
                except grading.ResponseError:
                    _add_error(field, _("“%(text)s” is not a number: write for example 14, -3 or 1.5.",
                                         text=_clean(field.data)))
                    ok = False
                    continue
                if field is row.tolerance and number < 0:
                    _add_error(field, _("The error cannot be below 0."))
                    ok = False
        fractions = [row.fraction.data for row in self.filled_rows()]
        if not fractions:
            self.form_errors.append(_("Give at least one answer."))
            ok = False
        elif max(fractions) < 1:
            self.form_errors.append(_("One answer must be worth 100 %, so a learner can get full marks."))
            ok = False
        return ok

    def specific(self) -> dict:
        return {"numerical": [
            {"value": grading.parse_number(_clean(row.value.data)),
             "tolerance": grading.parse_number(_clean(row.tolerance.data)) if _clean(row.tolerance.data) else 0.0,
             "fraction": row.fraction.data, "feedback": _clean(row.feedback.data)} for row in self.filled_rows()]}

    @staticmethod
    def row_data(row: dict) -> dict:
        return {**row, **{key: _number_text(row[key]) for key in ("value", "tolerance")
                          if isinstance(row.get(key), (int, float))}}


class EssayEditForm(QuestionEditForm):
    qtype = "essay"


class DescriptionEditForm(QuestionEditForm):
    """Text shown between questions; GIFT cannot hold a description's general feedback."""

    qtype = "description"
    general_feedback = None


FORMS: dict[str, type[QuestionEditForm]] = {form.qtype: form for form in (
    MultichoiceEditForm, TruefalseEditForm, ShortanswerEditForm, MatchingEditForm, NumericalEditForm,
    EssayEditForm, DescriptionEditForm)}

# What a new question starts with: the first answer already right.
_NEW = {"multichoice": {"single": True, "answers": [{"text": "", "fraction": 1.0, "feedback": ""}]},
        "shortanswer": {"answers": [{"text": "", "fraction": 1.0, "feedback": ""}]},
        "numerical": {"numerical": [{"value": "", "tolerance": "", "fraction": 1.0, "feedback": ""}]}}


def edit_form(qtype: str, original: dict | None = None, category: str | None = None) -> QuestionEditForm:
    """The form for a question of type ``qtype``: filled from ``original`` (the stored question,
    or a blank one in ``category``) on GET, from the request on POST."""
    form_class = FORMS[qtype]
    if request.method == "POST":
        return form_class(original=original)
    start = original or {"type": qtype, "category": category, **_NEW.get(qtype, {})}
    return form_class(original=original, data=form_class.data_of(start))
