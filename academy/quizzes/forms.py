"""Forms of the question bank pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField


class QuestionUploadForm(FlaskForm):
    file = FileField(_l("Question file (.gift, .aiken.txt or .xml)"), validators=[FileRequired()])
    skip_unsupported = BooleanField(_l("Skip question types Academy does not support"))
