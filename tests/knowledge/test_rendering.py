"""Markdown rendering: the features authors use, and nothing unsafe reaching a page."""
from __future__ import annotations

import pytest

from academy.knowledge.diff import diff_lines
from academy.knowledge.rendering import plain_text, render


def test_tables_code_admonitions_footnotes_and_anchors_render():
    rendered = render(
        "## Router lights\n\n| light | meaning |\n|---|---|\n| red | no signal |\n\n"
        "```\nAPN: internet.lumen\n```\n\n!!! warning \"Careful\"\n    Do not unplug.\n\nSee note[^1].\n\n[^1]: A note.\n")
    html = rendered.html
    assert '<h2 id="router-lights">' in html and "<table>" in html and "<pre><code>APN: internet.lumen" in html
    assert '<div class="admonition warning">' in html and 'class="footnote-ref"' in html
    assert 'href="#router-lights"' in rendered.toc_html


def test_links_between_articles_resolve_by_slug_and_missing_ones_are_marked():
    rendered = render("See [[refunds]] and [[escalation|how to escalate]] and [[nowhere]].",
                      lambda slug: {"refunds": ("/kb/en/refunds", "Refunds")}.get(slug))
    assert '<a class="kb-link" href="/kb/en/refunds" rel="noopener noreferrer">Refunds</a>' in rendered.html
    assert "how to escalate" in rendered.html and rendered.missing_links == ["escalation", "nowhere"]


@pytest.mark.parametrize("payload", [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<iframe src="https://evil.example"></iframe>',
    "<svg onload=alert(1)>",
    '<div onclick="steal()">x</div>',
])
def test_html_payloads_never_reach_the_page(payload):
    html = render(f"Text before.\n\n{payload}\n\nText after.").html
    lowered = html.lower()
    assert "<script" not in lowered and "javascript:" not in lowered and "onerror" not in lowered
    assert "onload" not in lowered and "onclick" not in lowered and "style=" not in lowered
    assert "<iframe" not in lowered and "<svg" not in lowered
    assert "Text before." in html and "Text after." in html


def test_plain_text_strips_markup():
    assert plain_text("<p>Hello <b>world</b> &amp; friends</p>") == "Hello world & friends"


def test_diff_marks_changed_words_and_added_lines():
    lines = diff_lines("Refunds take 14 days.\nKeep this.", "Refunds take 5 days.\nKeep this.\nNew line <b>.")
    kinds = [line.kind for line in lines]
    assert kinds == ["changed", "same", "added"]
    assert "<del>14</del><ins>5</ins>" in lines[0].html and "&lt;b&gt;" in lines[2].html
