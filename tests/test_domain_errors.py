from flask import render_template_string
from flask_babel import lazy_gettext as _l

from academy.domain_errors import DomainError


def test_a_lazy_message_quoting_user_input_is_escaped_on_pages(app):
    with app.test_request_context():
        error = DomainError(_l("Unknown kind “%(kind)s”.", kind="<script>x()</script>"), field="kind")
        html = render_template_string("<p>{{ error.message }}</p>", error=error)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert isinstance(error.message, str)
