"""`academy content sync` and `export`: idempotent, all or nothing, round trip."""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from academy.knowledge.models import Article, Revision

REFUNDS = """---
title: Refunds
kind: policy
product: billing
tags: [refunds]
requires_acknowledgement: true
---
Refunds go back to the original payment method within 5 working days. See [[escalation]].
"""
ESCALATION = """---
title: Escalation
kind: policy
---
Tier 1, tier 2, supervisor.
"""
ESKALACE = """---
title: Eskalace
kind: policy
---
Úroveň 1, úroveň 2, vedoucí směny.
"""


def write(directory: Path, files: dict[str, str]) -> Path:
    (directory / "articles").mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / "articles" / name).write_text(text, encoding="utf-8")
    return directory


def counts(db):
    return (db.scalar(sa.select(sa.func.count()).select_from(Article)),
            db.scalar(sa.select(sa.func.count()).select_from(Revision)))


def test_sync_loads_articles_and_a_second_run_changes_nothing(runner, db, tmp_path):
    content = write(tmp_path, {"refunds.en.md": REFUNDS, "escalation.en.md": ESCALATION, "escalation.cs.md": ESKALACE})
    first = runner.invoke(args=["content", "sync", str(content)])
    assert first.exit_code == 0, first.output
    assert "3 added" in first.output and counts(db) == (3, 3)
    refunds = db.scalar(sa.select(Article).where(Article.slug == "refunds"))
    assert refunds.is_published and refunds.requires_acknowledgement
    assert 'href="/kb/en/escalation"' in refunds.current_revision.body_html  # links resolve across the sync
    second = runner.invoke(args=["content", "sync", str(content)])
    assert second.exit_code == 0 and "nothing changed" in second.output
    assert counts(db) == (3, 3)


def test_a_changed_file_creates_exactly_one_published_revision(runner, db, tmp_path):
    content = write(tmp_path, {"refunds.en.md": REFUNDS})
    runner.invoke(args=["content", "sync", str(content)])
    write(tmp_path, {"refunds.en.md": REFUNDS.replace("5 working days", "3 working days")})
    result = runner.invoke(args=["content", "sync", str(content)])
    assert result.exit_code == 0 and "1 updated" in result.output
    article = db.scalar(sa.select(Article).where(Article.slug == "refunds"))
    assert [r.number for r in article.revisions] == [1, 2]
    assert "3 working days" in article.current_revision.body_md


def test_bad_files_stop_the_sync_list_every_problem_and_apply_nothing(runner, db, tmp_path):
    content = write(tmp_path, {
        "refunds.en.md": REFUNDS,
        "escalation.en.md": ESCALATION.replace("kind: policy", "kind: memo"),
        "escalation.fr.md": ESCALATION,
        "broken.en.md": "---\ntitle: [unclosed\nkind: guide\n---\nText\n",
    })
    result = runner.invoke(args=["content", "sync", str(content)])
    assert result.exit_code != 0
    assert "articles/escalation.en.md:3: unknown kind 'memo'" in result.output
    assert "articles/escalation.fr.md:1: unknown language 'fr'" in result.output
    assert "articles/broken.en.md:3: broken front matter" in result.output
    assert "nothing was changed" in result.output
    assert counts(db) == (0, 0)


def test_an_unknown_owner_is_reported_with_its_line(runner, db, tmp_path):
    content = write(tmp_path, {"refunds.en.md": REFUNDS.replace("tags:", "owner: ghost@lumen.example\ntags:")})
    result = runner.invoke(args=["content", "sync", str(content)])
    assert result.exit_code != 0 and "articles/refunds.en.md:5: no user with the e-mail ghost@lumen.example" in result.output
    assert counts(db) == (0, 0)


def test_export_then_sync_changes_nothing(runner, db, tmp_path):
    content = write(tmp_path / "in", {"refunds.en.md": REFUNDS, "escalation.cs.md": ESKALACE})
    runner.invoke(args=["content", "sync", str(content)])
    exported = tmp_path / "out"
    result = runner.invoke(args=["content", "export", str(exported)])
    assert result.exit_code == 0 and "Wrote 2 article(s)" in result.output
    assert sorted(p.name for p in (exported / "articles").iterdir()) == ["escalation.cs.md", "refunds.en.md"]
    again = runner.invoke(args=["content", "sync", str(exported)])
    assert again.exit_code == 0 and "nothing changed" in again.output
    assert counts(db) == (2, 2)


def test_an_article_body_with_script_is_stored_as_written_and_rendered_harmless(runner, db, tmp_path):
    payload = REFUNDS + '\n<script>steal()</script> <a href="javascript:x()">x</a>\n'
    runner.invoke(args=["content", "sync", str(write(tmp_path, {"refunds.en.md": payload}))])
    revision = db.scalar(sa.select(Article).where(Article.slug == "refunds")).current_revision
    assert "<script>steal()</script>" in revision.body_md
    assert "<script" not in revision.body_html and "javascript:" not in revision.body_html


def test_the_shipped_demo_content_syncs_cleanly(runner, db):
    shipped = Path(__file__).resolve().parents[2]
    result = runner.invoke(args=["content", "sync", str(shipped)])
    assert result.exit_code == 0, result.output
    articles = db.scalars(sa.select(Article)).all()
    assert len(articles) >= 30 and {a.lang for a in articles} == {"en", "cs", "de", "lt", "et"}
    missing = [a.slug for a in articles if "kb-link--missing" in a.current_revision.body_html]
    assert missing == [], f"articles linking to slugs that do not exist: {missing}"
