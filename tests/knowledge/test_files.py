"""The article file format: every problem named with its line; dump and parse agree."""
from __future__ import annotations

from pathlib import Path

import pytest

from academy.knowledge import files

GOOD = """---
title: Refunds
kind: policy
product: billing
tags: [refunds, billing]
summary: When customers get money back.
requires_acknowledgement: true
---
Body with **Markdown**.
"""


def parse(text: str, name: str = "refunds.en.md"):
    return files.parse(Path(name), text.encode("utf-8"))


def test_a_good_file_parses():
    article, problems = parse(GOOD)
    assert problems == []
    assert (article.slug, article.lang, article.title, article.kind, article.product) == (
        "refunds", "en", "Refunds", "policy", "billing")
    assert article.tags == ["refunds", "billing"] and article.requires_acknowledgement is True
    assert article.body == "Body with **Markdown**.\n"


@pytest.mark.parametrize(("text", "name", "line", "message"), [
    (GOOD.replace("kind: policy", "kind: memo"), "refunds.en.md", 3, "unknown kind 'memo'"),
    (GOOD, "refunds.fr.md", 1, "unknown language 'fr'"),
    (GOOD, "Refunds.en.md", 1, "slug 'Refunds'"),
    (GOOD, "refunds.md", 1, "the file name must be"),
    (GOOD.replace("tags: [refunds, billing]", "tags: [refunds, billing"), "refunds.en.md", 6, "broken front matter"),
    (GOOD.replace("---\nBody", "Body"), "refunds.en.md", 1, "not closed"),
    ("Just text\n", "refunds.en.md", 1, "no front matter"),
    (GOOD.replace("requires_acknowledgement: true", "requires_acknowledgment: true"), "refunds.en.md", 7,
     "unknown field 'requires_acknowledgment'"),
    (GOOD.replace("requires_acknowledgement: true", "requires_acknowledgement: maybe"), "refunds.en.md", 7,
     "must be true or false"),
    (GOOD.replace("title: Refunds\n", ""), "refunds.en.md", 2, "'title' is required"),
    (GOOD.replace("Body with **Markdown**.\n", "\n"), "refunds.en.md", 9, "no text"),
])
def test_each_problem_names_its_line(text, name, line, message):
    article, problems = parse(text, name)
    assert article is None
    assert any(p.line == line and message in p.message for p in problems), problems
    assert all(str(p).startswith(f"{name}:") for p in problems)


def test_every_problem_in_a_file_is_reported_not_only_the_first():
    text = GOOD.replace("kind: policy", "kind: memo").replace("requires_acknowledgement: true", "colour: red")
    _article, problems = parse(text, "refunds.xx.md")
    assert len(problems) == 3


def test_a_file_that_is_not_utf8_is_named_as_such():
    article, problems = files.parse(Path("refunds.cs.md"), GOOD.encode("utf-8") + "Vrácení".encode("cp1250"))
    assert article is None and "not UTF-8" in problems[0].message and problems[0].line == 10


def test_dump_then_parse_gives_the_same_article():
    article, _ = parse(GOOD.replace("Body", "Body: «ünïcödé» — with `code`\n\n| a | b |\n|---|---|"))
    again, problems = files.parse(Path("refunds.en.md"), files.dump(article).encode("utf-8"))
    assert problems == []
    article.digest = again.digest = ""
    assert again == article
