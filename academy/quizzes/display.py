"""Question text as safe HTML for trainer previews, whatever format it was written in."""
from __future__ import annotations

from markupsafe import Markup, escape

from academy.knowledge.rendering import render, sanitize


def question_html(text: str, text_format: str) -> Markup:
    if text_format == "markdown":
        return Markup(render(text).html)
    if text_format in ("html", "moodle"):
        return Markup(sanitize(text.replace("\n", "<br>") if text_format == "moodle" else text))
    return Markup(escape(text).replace("\n", Markup("<br>")))
